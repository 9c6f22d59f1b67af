/* Every option of the option table (cli_options.h) reaches every document a person reads:
 * --help, the man page, the README's synopsis and the bash completion; and the committed
 * documents are what the table renders today (scripts/gen-docs.sh refreshes them). */
#include "nextlevel/cli_options.h"
#include "test_support.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Whether text holds needle as a whole option: not followed by more of a name ("--out" is not
 * found in "--out-dir", nor "\-\-out" in "\-\-out\-dir"), nor preceded by one. */
static bool mentions(const char *text, const char *needle)
{
    size_t len = strlen(needle);
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++) {
        char before = p == text ? ' ' : p[-1];
        char after = p[len];
        if (!isalnum((unsigned char)before) && before != '-' && !isalnum((unsigned char)after) &&
            after != '-' && after != '\\')
            return true;
    }
    return false;
}

/* "--split-by" as the man page writes it: "\-\-split\-by". */
static void man_spelling(const char *name, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "\\-\\-");
    for (const char *p = name; *p != '\0' && n + 3 < size; p++) {
        if (*p == '-')
            n += (size_t)snprintf(buf + n, size - n, "\\-");
        else
            buf[n++] = *p;
    }
    buf[n] = '\0';
}

/* The part of text from the line that starts with from up to the next line that starts with
 * until (or the end); new, the caller frees it; asserts from is there. */
static char *section(const char *text, const char *from, const char *until)
{
    const char *start = strstr(text, from);
    cr_assert_not_null(start, "no '%s'", from);
    const char *end = strstr(start + strlen(from), until);
    size_t len = end ? (size_t)(end - start) : strlen(start);
    char *part = malloc(len + 1);
    cr_assert_not_null(part);
    memcpy(part, start, len);
    part[len] = '\0';
    return part;
}

static char *help_text(void)
{
    nl_run run = nl_test_run((const char *[]){"--help", NULL});
    cr_assert_eq(run.exit_code, 0);
    char *out = run.out;
    run.out = NULL;
    nl_run_free(&run);
    return out;
}

/* The fenced block under "## Command line" in README.md. */
static char *readme_synopsis(void)
{
    char *readme = nl_test_read_all(nl_test_path("README.md"), NULL);
    char *block = section(readme, "## Command line\n\n```\n", "```\n");
    free(readme);
    return block;
}

Test(cli_options, every_option_is_in_help_man_readme_and_completion)
{
    char *help = help_text();
    char *man_page = nl_test_read_all(nl_test_path("docs/nextlevel.1"), NULL);
    char *man_options = section(man_page, ".SH OPTIONS", "\n.SH ");
    char *man_synopsis = section(man_page, ".SH SYNOPSIS", "\n.SH ");
    char *readme = readme_synopsis();
    char *completion = nl_test_read_all(NL_BASH_COMPLETION, NULL);
    const nl_cli_option *options = nl_cli_options();
    size_t documented = 0;
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        const nl_cli_option *o = &options[id];
        if (o->flags & NL_OPTF_HIDDEN)
            continue;
        documented++;
        char long_name[64], man_name[96];
        snprintf(long_name, sizeof long_name, "--%s", o->name);
        man_spelling(o->name, man_name, sizeof man_name);
        cr_expect(mentions(help, long_name), "%s is missing from --help", long_name);
        cr_expect(mentions(man_options, man_name),
                  "%s is missing from the OPTIONS of docs/nextlevel.1 (scripts/gen-docs.sh)",
                  long_name);
        cr_expect(mentions(man_synopsis, man_name),
                  "%s is missing from the SYNOPSIS of docs/nextlevel.1 (scripts/gen-docs.sh)",
                  long_name);
        cr_expect(mentions(readme, long_name),
                  "%s is missing from the synopsis in README.md (scripts/gen-docs.sh)", long_name);
        cr_expect(mentions(completion, long_name), "%s is missing from the bash completion",
                  long_name);
        if (o->letter) {
            char short_name[3] = {'-', o->letter, '\0'}, man_short[4] = {'\\', '-', o->letter};
            cr_expect(mentions(help, short_name), "%s is missing from --help", short_name);
            cr_expect(mentions(man_options, man_short), "%s is missing from docs/nextlevel.1",
                      short_name);
        }
    }
    cr_assert_gt(documented, 15, "the option table looks empty");
    free(completion);
    free(readme);
    free(man_synopsis);
    free(man_options);
    free(man_page);
    free(help);
}

Test(cli_options, every_command_is_in_help_man_readme_and_completion)
{
    char *help = help_text();
    char *man_page = nl_test_read_all(nl_test_path("docs/nextlevel.1"), NULL);
    char *readme = readme_synopsis();
    char *completion = nl_test_read_all(NL_BASH_COMPLETION, NULL);
    size_t count;
    const nl_cli_command *commands = nl_cli_commands(&count);
    cr_assert_eq(count, 4);
    for (size_t i = 0; i < count; i++) {
        char synopsis[64], man_synopsis[64], man_entry[64];
        snprintf(synopsis, sizeof synopsis, "nextlevel %s ", commands[i].name);
        snprintf(man_synopsis, sizeof man_synopsis, ".B nextlevel %s\n", commands[i].name);
        snprintf(man_entry, sizeof man_entry, ".TP\n.B %s\n", commands[i].name);
        cr_expect(nl_test_contains(help, commands[i].name), "%s: not in --help", commands[i].name);
        cr_expect(nl_test_contains(man_page, man_synopsis), "%s: not in the man page's synopsis",
                  commands[i].name);
        cr_expect(nl_test_contains(man_page, man_entry), "%s: not in the man page's COMMANDS",
                  commands[i].name);
        cr_expect(nl_test_contains(readme, synopsis), "%s: not in README.md's synopsis",
                  commands[i].name);
        cr_expect(mentions(completion, commands[i].name), "%s: not in the bash completion",
                  commands[i].name);
    }
    free(completion);
    free(readme);
    free(man_page);
    free(help);
}

/* The committed documents are exactly what the table renders: an edit to the table without
 * scripts/gen-docs.sh, or an edit by hand, fails here. */
Test(cli_options, committed_documents_are_up_to_date)
{
    nl_run man = nl_test_run((const char *[]){"--generate", "man", NULL});
    cr_assert_eq(man.exit_code, 0, "%s", man.err);
    char *committed = nl_test_read_all(nl_test_path("docs/nextlevel.1"), NULL);
    cr_expect_str_eq(committed, man.out, "docs/nextlevel.1 is stale: run scripts/gen-docs.sh");
    free(committed);
    nl_run_free(&man);

    nl_run synopsis = nl_test_run((const char *[]){"--generate", "synopsis", NULL});
    cr_assert_eq(synopsis.exit_code, 0, "%s", synopsis.err);
    char *readme = readme_synopsis();
    cr_expect_str_eq(readme + strlen("## Command line\n\n```\n"), synopsis.out,
                     "README.md's synopsis is stale: run scripts/gen-docs.sh");
    free(readme);
    nl_run_free(&synopsis);

    nl_run completion = nl_test_run((const char *[]){"--generate", "bash-completion", NULL});
    cr_assert_eq(completion.exit_code, 0, "%s", completion.err);
    char *built = nl_test_read_all(NL_BASH_COMPLETION, NULL);
    cr_expect_str_eq(built, completion.out);
    free(built);
    nl_run_free(&completion);
}

Test(cli_options, the_man_page_and_the_completion_parse)
{
    char command[1024];
    snprintf(command, sizeof command, "bash -n '%s'", NL_BASH_COMPLETION);
    cr_expect_eq(nl_test_shell(command), 0, "the bash completion has a syntax error");
    /* The completion offers a command's options and an option's values. */
    snprintf(command, sizeof command,
             "bash -c 'source \"%s\"; COMP_WORDS=(nextlevel evaluate --red); COMP_CWORD=2; "
             "_nextlevel; echo \"${COMPREPLY[*]}\"; COMP_WORDS=(nextlevel evaluate --format j); "
             "COMP_CWORD=3; _nextlevel; echo \"${COMPREPLY[*]}\"'",
             NL_BASH_COMPLETION);
    char *offered = nl_test_capture(command);
    cr_expect_str_eq(offered, "--redact --redact-key\njson\n");
    free(offered);
    if (nl_test_shell("command -v groff >/dev/null") == 0) {
        char *warnings = nl_test_capture("groff -man -ww -z docs/nextlevel.1 2>&1");
        cr_expect_str_empty(warnings, "groff: %s", warnings);
        free(warnings);
    }
}

Test(cli_options, the_getopt_tables_map_back_to_the_table)
{
    struct option longopts[NL_OPT_COUNT + 1];
    char shortopts[2 * NL_OPT_COUNT + 2];
    nl_cli_getopt_tables(longopts, shortopts);
    cr_assert_eq(shortopts[0], ':');
    const nl_cli_option *options = nl_cli_options();
    size_t n = 0;
    for (; longopts[n].name != NULL; n++) {
        nl_option_id id;
        cr_assert(nl_cli_option_from_getopt(longopts[n].val, &id), "%s", longopts[n].name);
        cr_expect_str_eq(options[id].name, longopts[n].name);
        cr_expect_eq(longopts[n].has_arg, options[id].values ? required_argument : no_argument);
        if (options[id].letter) {
            const char *at = strchr(shortopts + 1, options[id].letter);
            cr_assert_not_null(at, "-%c", options[id].letter);
            cr_expect_eq(at[1] == ':', options[id].values == 1, "-%c", options[id].letter);
        }
    }
    /* Only --diff FROM TO, with its two values, is left to cli.c. */
    cr_expect_eq(n, NL_OPT_COUNT - 1);
    nl_option_id id;
    cr_expect_not(nl_cli_option_from_getopt('?', &id));
    cr_expect_not(nl_cli_option_from_getopt(':', &id));
}

Test(cli_options, generate_names_a_document)
{
    nl_run run = nl_test_run((const char *[]){"--generate", "poem", NULL});
    cr_expect_eq(run.exit_code, 2);
    cr_expect(nl_test_contains(run.err, "--generate must be man, bash-completion or synopsis"),
              "%s", run.err);
    nl_run_free(&run);
}
