#include "nextlevel/cli_doc.h"

#include "nextlevel/cli_options.h"

#include <stdbool.h>
#include <string.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

#define HELP_WIDTH         80
#define HELP_OPTION_COLUMN 26 /* where an option's help starts in --help */

static const char summary[] = "Tells who on a team already operates at the next level, from "
                              "skill-matrix CSV exports and a framework template.";

/* The exit codes, for --help and the man page (error.h names them for the code). */
static const struct {
    int code;
    const char *meaning;
} exit_codes[] = {
    {0, "all fine"},
    {1, "done, but some input rows were rejected"},
    {2, "usage error"},
    {3, "template or input unusable (nothing written)"},
    {4, "an output could not be written, or the run ran out of memory, file descriptors or "
        "disk space (a previous report is left intact, nothing new is written)"},
};

/* The parts of the man page that no table holds, in troff. */
static const char man_description[] =
    ".SH DESCRIPTION\n"
    ".B nextlevel\n"
    "reads team skill matrices exported as CSV, applies the decision gates of a framework "
    "template\n"
    "(an INI file) weighted by leadership priority profiles, and reports for every person "
    "whether\n"
    "they are Ready now, Ready with risk, Developing, Not evaluated or at the Top of the "
    "ladder,\n"
    "with the gate-by-gate reasons, the robustness of the outcome under every priority "
    "profile,\n"
    "the tipping weight between technical and soft skills, and a development plan.\n"
    "Options may come before or after the operands.\n";

static const char man_tail[] =
    ".SH ENVIRONMENT\n"
    ".TP\n"
    ".B SOURCE_DATE_EPOCH\n"
    "Fixes the run date written in workbooks when\n"
    ".B \\-\\-date\n"
    "is not given: whole seconds since 1970 in ASCII digits, 0 to 253402300799\n"
    "(9999\\-12\\-31); any other value is a usage error.\n"
    ".SH FILES\n"
    ".TP\n"
    ".I /usr/share/nextlevel/templates/\n"
    "The framework templates installed with nextlevel, commented field by field\n"
    "(under /usr/local when built and installed from source).\n"
    ".TP\n"
    ".I /usr/share/bash\\-completion/completions/nextlevel\n"
    "The bash completion.\n"
    ".SH NOTES\n"
    "nextlevel makes no network connections. The template format, the formulas and the "
    "output\n"
    "columns are documented in the README.\n"
    ".SH EXAMPLES\n"
    ".nf\n"
    "nextlevel check templates/engineering\\-ic.ini\n"
    "nextlevel check \\-\\-diff L3 L4 templates/engineering\\-ic.ini\n"
    "nextlevel inspect \\-\\-template templates/engineering\\-ic.ini samples/*.csv\n"
    "nextlevel evaluate \\-\\-template templates/engineering\\-ic.ini \\-\\-out report.xlsx "
    "samples/*.csv\n"
    "nextlevel evaluate \\-\\-template templates/engineering\\-ic.ini \\-\\-out readiness.csv "
    "samples/*.csv\n"
    "nextlevel evaluate \\-\\-template templates/engineering\\-ic.ini \\-\\-out report.xlsx "
    "\\-\\-split\\-by team \\-\\-out\\-dir teams samples/*.csv\n"
    "nextlevel evaluate \\-\\-template templates/engineering\\-ic.ini \\-\\-weights "
    "technical=0.7,soft=0.3,impact=0 samples/*.csv\n"
    "nextlevel evaluate \\-\\-template templates/engineering\\-ic.ini \\-\\-budget 12 "
    "\\-\\-threshold readiness=80 \\-\\-out slate.csv samples/*.csv\n"
    "nextlevel diff q3.json q4.json\n"
    ".fi\n";

static bool documented(const nl_cli_option *o)
{
    return !(o->flags & NL_OPTF_HIDDEN);
}

/* Whether o belongs in a command's synopsis line (--help and --version have a line of their
 * own). */
static bool in_synopsis(const nl_cli_option *o, unsigned command)
{
    return documented(o) && (o->commands & command) && !(o->flags & NL_OPTF_ALONE);
}

/* Prints n spaces. */
static void pad(FILE *out, size_t n)
{
    while (n-- > 0)
        fputc(' ', out);
}

/* Prints text word by word from column col (where the cursor is), breaking lines before width
 * and starting each new line at column indent; ends the line. */
static void wrap(FILE *out, const char *text, size_t indent, size_t col, size_t width)
{
    bool first = true;
    while (*text != '\0') {
        size_t len = strcspn(text, " ");
        if (!first && col + 1 + len > width) {
            fputc('\n', out);
            pad(out, indent);
            col = indent;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, len, out);
        col += len;
        first = false;
        text += len;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

/* "[--out FILE]", "--template TEMPLATE", "[--previous MATRIX]..." into buf. */
static void synopsis_item(const nl_cli_option *o, char *buf, size_t size)
{
    bool required = o->flags & NL_OPTF_REQUIRED;
    snprintf(buf, size, "%s--%s%s%s%s%s", required ? "" : "[", o->name, o->metavar ? " " : "",
             o->metavar ? o->metavar : "", required ? "" : "]",
             o->flags & NL_OPTF_REPEATABLE ? "..." : "");
}

/* One command's synopsis after lead ("nextlevel " or "  "), continued lines aligned after
 * the command name. */
static void print_command_synopsis(FILE *out, const char *lead, const nl_cli_command *cmd,
                                   size_t width)
{
    const nl_cli_option *options = nl_cli_options();
    fprintf(out, "%s%s", lead, cmd->name);
    size_t indent = strlen(lead) + strlen(cmd->name) + 1, col = indent - 1;
    char item[128];
    for (int id = 0; id <= NL_OPT_COUNT; id++) {
        if (id == NL_OPT_COUNT)
            snprintf(item, sizeof item, "%s", cmd->operands);
        else if (in_synopsis(&options[id], cmd->bit))
            synopsis_item(&options[id], item, sizeof item);
        else
            continue;
        size_t len = strlen(item);
        if (col + 1 + len > width) {
            fputc('\n', out);
            pad(out, indent);
            col = indent;
        } else {
            fputc(' ', out);
            col++;
        }
        fputs(item, out);
        col += len;
    }
    fputc('\n', out);
}

/* "--help | --version": the options that work without a command. */
static void print_alone_synopsis(FILE *out, const char *lead)
{
    const nl_cli_option *options = nl_cli_options();
    fputs(lead, out);
    const char *sep = "";
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        if (documented(&options[id]) && (options[id].flags & NL_OPTF_ALONE)) {
            fprintf(out, "%s--%s", sep, options[id].name);
            sep = " | ";
        }
    }
    fputc('\n', out);
}

/* "check", "inspect and evaluate", "every command": the commands in a set of NL_CMD_ bits. */
static void command_names(unsigned set, char *buf, size_t size)
{
    size_t count;
    const nl_cli_command *commands = nl_cli_commands(&count);
    if (set == NL_CMD_ALL) {
        snprintf(buf, size, "every command");
        return;
    }
    size_t total = 0, seen = 0;
    for (size_t i = 0; i < count; i++)
        total += (set & commands[i].bit) != 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (!(set & commands[i].bit))
            continue;
        seen++;
        const char *sep = seen == 1 ? "" : seen == total ? " and " : ", ";
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", sep, commands[i].name);
    }
}

/* The heading above the options that the commands in set use. */
/* Help and man page list the options in groups by the commands that take them: when o starts
 * a new group, writes its heading ("Options of evaluate (also without one)") into buf and
 * returns true. */
static bool starts_group(const nl_cli_option *o, unsigned *group, char *buf, size_t size)
{
    if (o->commands == *group)
        return false;
    *group = o->commands;
    char names[128];
    command_names(o->commands, names, sizeof names);
    snprintf(buf, size, "Options of %s%s", names,
             o->flags & NL_OPTF_ALONE ? " (also without one)" : "");
    return true;
}

void nl_cli_print_synopsis(FILE *out)
{
    size_t count;
    const nl_cli_command *commands = nl_cli_commands(&count);
    for (size_t i = 0; i < count; i++)
        print_command_synopsis(out, "nextlevel ", &commands[i], HELP_WIDTH);
    print_alone_synopsis(out, "nextlevel ");
}

void nl_cli_print_help(FILE *out)
{
    size_t count;
    const nl_cli_command *commands = nl_cli_commands(&count);
    const nl_cli_option *options = nl_cli_options();
    fputs("Usage: nextlevel COMMAND [OPTIONS] ...\n\n", out);
    wrap(out, summary, 0, 0, HELP_WIDTH);
    fputs("\nCommands:\n", out);
    for (size_t i = 0; i < count; i++) {
        print_command_synopsis(out, "  ", &commands[i], HELP_WIDTH);
        pad(out, 6);
        wrap(out, commands[i].help, 6, 6, HELP_WIDTH);
    }
    unsigned group = 0;
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        const nl_cli_option *o = &options[id];
        if (!documented(o))
            continue;
        char heading[192];
        if (starts_group(o, &group, heading, sizeof heading))
            fprintf(out, "\n%s:\n", heading);
        char spec[128];
        const char *meta_sep = o->metavar ? " " : "", *meta = o->metavar ? o->metavar : "";
        int len = o->letter ? snprintf(spec, sizeof spec, "  -%c, --%s%s%s", o->letter, o->name,
                                       meta_sep, meta)
                            : snprintf(spec, sizeof spec, "  --%s%s%s", o->name, meta_sep, meta);
        fputs(spec, out);
        if ((size_t)len + 2 > HELP_OPTION_COLUMN) {
            fputc('\n', out);
            len = 0;
        }
        pad(out, HELP_OPTION_COLUMN - (size_t)len);
        wrap(out, o->help, HELP_OPTION_COLUMN, HELP_OPTION_COLUMN, HELP_WIDTH);
    }
    char codes[512] = "Exit codes:";
    for (size_t i = 0; i < sizeof exit_codes / sizeof exit_codes[0]; i++) {
        size_t used = strlen(codes);
        snprintf(codes + used, sizeof codes - used, "%s %d %s%s", i ? ";" : "", exit_codes[i].code,
                 exit_codes[i].meaning,
                 i + 1 == sizeof exit_codes / sizeof exit_codes[0] ? "." : "");
    }
    fputc('\n', out);
    wrap(out, codes, 0, 0, HELP_WIDTH);
}

/* Prints plain text as troff: in a word that starts with '-' (an option, or "-" for standard
 * input) every '-' is a minus sign, "\-", so that it can be copied; a backslash is "\e"; a
 * line that would start with '.' or '\'' is protected by "\&". */
static void man_text(FILE *out, const char *text)
{
    if (*text == '.' || *text == '\'')
        fputs("\\&", out);
    bool option = false;
    for (const char *p = text; *p != '\0'; p++) {
        if (p == text || strchr(" ('/", p[-1]) != NULL)
            option = *p == '-';
        if (*p == '-' && option)
            fputs("\\-", out);
        else if (*p == '\\')
            fputs("\\e", out);
        else
            fputc(*p, out);
    }
}

/* "\-\-name", every '-' a minus sign. */
static void man_option_name(FILE *out, const char *name)
{
    fputs("\\-\\-", out);
    for (const char *p = name; *p != '\0'; p++)
        if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
}

/* The man page's synopsis of one command. */
static void man_command_synopsis(FILE *out, const nl_cli_command *cmd)
{
    const nl_cli_option *options = nl_cli_options();
    fprintf(out, ".B nextlevel %s\n", cmd->name);
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        const nl_cli_option *o = &options[id];
        if (!in_synopsis(o, cmd->bit))
            continue;
        bool required = o->flags & NL_OPTF_REQUIRED;
        const char *close = required ? "" : o->flags & NL_OPTF_REPEATABLE ? " ]..." : " ]";
        fputs(required ? ".B " : ".RB [ ", out);
        man_option_name(out, o->name);
        if (o->metavar == NULL) {
            fprintf(out, "%s\n", close);
            continue;
        }
        fputs(required ? "\n.I \"" : "\n.IR \"", out);
        man_text(out, o->metavar);
        fprintf(out, "\"%s\n", close);
    }
    fputs(".I \"", out);
    man_text(out, cmd->operands);
    fputs("\"\n.br\n", out);
}

/* An option's tag line in the OPTIONS section: "-t TEMPLATE, --template TEMPLATE". */
static void man_option_tag(FILE *out, const nl_cli_option *o)
{
    if (o->metavar == NULL) {
        if (o->letter)
            fprintf(out, ".BR \\-%c \", \" ", o->letter);
        else
            fputs(".B ", out);
        man_option_name(out, o->name);
        fputc('\n', out);
        return;
    }
    if (o->letter) {
        fprintf(out, ".BI \"\\-%c \" \"", o->letter);
        man_text(out, o->metavar);
        fputs("\" \", ", out);
    } else {
        fputs(".BI \"", out);
    }
    man_option_name(out, o->name);
    fputs(" \" \"", out);
    man_text(out, o->metavar);
    fputs("\"\n", out);
}

void nl_cli_print_man(FILE *out)
{
    size_t count;
    const nl_cli_command *commands = nl_cli_commands(&count);
    const nl_cli_option *options = nl_cli_options();
    fputs(".\\\" Generated by 'nextlevel --generate man' from src/cli_options.c\n"
          ".\\\" (scripts/gen-docs.sh): edit those, not this file.\n",
          out);
    fprintf(out, ".TH NEXTLEVEL 1 \"\" \"nextlevel %s\" \"User Commands\"\n", NEXTLEVEL_VERSION);
    fputs(".nh\n.SH NAME\nnextlevel \\- tell who on a team already operates at the next level\n"
          ".SH SYNOPSIS\n",
          out);
    for (size_t i = 0; i < count; i++)
        man_command_synopsis(out, &commands[i]);
    fputs(".B nextlevel\n", out);
    const char *sep = ".RB ";
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        if (documented(&options[id]) && (options[id].flags & NL_OPTF_ALONE)) {
            fputs(sep, out);
            man_option_name(out, options[id].name);
            sep = " \" | \" ";
        }
    }
    fputs("\n", out);
    fputs(man_description, out);
    fputs(".SH COMMANDS\n", out);
    for (size_t i = 0; i < count; i++) {
        fprintf(out, ".TP\n.B %s\n", commands[i].name);
        man_text(out, commands[i].help);
        fputc('\n', out);
    }
    fputs(".SH OPTIONS\n", out);
    unsigned group = 0;
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        const nl_cli_option *o = &options[id];
        if (!documented(o))
            continue;
        char heading[192];
        if (starts_group(o, &group, heading, sizeof heading))
            fprintf(out, ".SS \"%s\"\n", heading);
        fputs(".TP\n", out);
        man_option_tag(out, o);
        man_text(out, o->help);
        fputs(".\n", out);
    }
    fputs(".SH EXIT STATUS\n", out);
    for (size_t i = 0; i < sizeof exit_codes / sizeof exit_codes[0]; i++) {
        fprintf(out, ".TP\n.B %d\n", exit_codes[i].code);
        man_text(out, exit_codes[i].meaning);
        fputs(".\n", out);
    }
    fputs(man_tail, out);
}

/* The option names of a command, for completing "-...". */
static void bash_words(FILE *out, unsigned command)
{
    const nl_cli_option *options = nl_cli_options();
    const char *sep = "";
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        if (documented(&options[id]) && (options[id].commands & command)) {
            fprintf(out, "%s--%s", sep, options[id].name);
            sep = " ";
        }
    }
}

/* A case pattern for the options whose value completes as kind ("--out|-o"); false when there
 * are none. */
static bool bash_value_pattern(FILE *out, nl_completion kind)
{
    const nl_cli_option *options = nl_cli_options();
    const char *sep = "    ";
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        const nl_cli_option *o = &options[id];
        if (!documented(o) || o->values == 0 || o->completion != kind)
            continue;
        fprintf(out, "%s--%s", sep, o->name);
        if (o->letter)
            fprintf(out, "|-%c", o->letter);
        sep = "|";
    }
    if (*sep == '|')
        fputs(")\n", out);
    return *sep == '|';
}

void nl_cli_print_bash_completion(FILE *out)
{
    size_t count;
    const nl_cli_command *commands = nl_cli_commands(&count);
    const nl_cli_option *options = nl_cli_options();
    fputs("# bash completion for nextlevel(1).\n"
          "# Generated by 'nextlevel --generate bash-completion' from src/cli_options.c: edit "
          "that, not this.\n"
          "_nextlevel()\n"
          "{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
          "    local command=${COMP_WORDS[1]} words\n"
          "    COMPREPLY=()\n"
          "    if ((COMP_CWORD == 1)); then\n"
          "        words=\"",
          out);
    for (size_t i = 0; i < count; i++)
        fprintf(out, "%s ", commands[i].name);
    for (int id = 0, first = 1; id < NL_OPT_COUNT; id++) {
        if (documented(&options[id]) && (options[id].flags & NL_OPTF_ALONE)) {
            fprintf(out, "%s--%s", first ? "" : " ", options[id].name);
            first = 0;
        }
    }
    fputs("\"\n"
          "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    case $prev in\n",
          out);
    if (bash_value_pattern(out, NL_COMPLETE_FILE))
        fputs("        COMPREPLY=($(compgen -f -- \"$cur\"))\n        return\n        ;;\n", out);
    if (bash_value_pattern(out, NL_COMPLETE_DIR))
        fputs("        COMPREPLY=($(compgen -d -- \"$cur\"))\n        return\n        ;;\n", out);
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        const nl_cli_option *o = &options[id];
        if (!documented(o) || o->completion != NL_COMPLETE_CHOICES)
            continue;
        fprintf(out, "    --%s)\n        COMPREPLY=($(compgen -W \"", o->name);
        for (const char *p = o->metavar; *p != '\0'; p++)
            fputc(*p == '|' ? ' ' : *p, out);
        fputs("\" -- \"$cur\"))\n        return\n        ;;\n", out);
    }
    if (bash_value_pattern(out, NL_COMPLETE_NOTHING))
        fputs("        return\n        ;;\n", out);
    fputs("    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        case $command in\n",
          out);
    for (size_t i = 0; i < count; i++) {
        fprintf(out, "        %s) words=\"", commands[i].name);
        bash_words(out, commands[i].bit);
        fputs("\" ;;\n", out);
    }
    fputs("        *) words=\"\" ;;\n"
          "        esac\n"
          "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "}\n"
          "complete -o filenames -F _nextlevel nextlevel\n",
          out);
}
