#include "nextlevel/textout.h"

#include "nextlevel/numfmt.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nl_format_number(double value, char buf[32])
{
    if (!isfinite(value)) {
        buf[0] = '\0';
        return;
    }
    nl_format_g(value == 0 ? 0 : value, buf); /* no "-0" */
}

/* A text cell; specials are the characters that make it quoted. */
static void csv_text(FILE *out, const char *text, const char *specials)
{
    bool injectable = text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                      text[0] == '\t' || text[0] == '\r';
    size_t len = strlen(text);
    bool quote = injectable || strpbrk(text, specials) != NULL ||
                 (len > 0 && (text[0] == ' ' || text[len - 1] == ' '));
    /* Any byte that is not UTF-8 (a file's name can hold one) goes out as U+FFFD: the
     * output stays UTF-8 whatever came in. */
    if (!quote) {
        nl_write_utf8(out, text, len);
        return;
    }
    fputc('"', out);
    if (injectable)
        fputc('\'', out);
    /* Runs between quotes go out whole: a reason text is a sentence with commas. */
    for (const char *p = text;;) {
        size_t plain = strcspn(p, "\"");
        nl_write_utf8(out, p, plain);
        p += plain;
        if (*p == '\0')
            break;
        fputs("\"\"", out);
        p++;
    }
    fputc('"', out);
}

void nl_csv_text(FILE *out, const char *text)
{
    csv_text(out, text, ",\"\r\n");
}

void nl_csv_number(FILE *out, double value)
{
    char buf[32];
    nl_format_number(value, buf);
    fputs(buf, out);
}

static const char *const dialect_names[] = {"plain", "excel", "excel-eu"};

bool nl_csv_dialect_parse(const char *name, nl_csv_dialect *dialect)
{
    for (size_t d = 0; d < sizeof dialect_names / sizeof *dialect_names; d++)
        if (strcmp(name, dialect_names[d]) == 0) {
            *dialect = (nl_csv_dialect)d;
            return true;
        }
    return false;
}

const char *nl_csv_dialect_name(nl_csv_dialect dialect)
{
    return dialect_names[dialect];
}

void nl_csv_writer_start(nl_csv_writer *w, FILE *out, nl_csv_dialect dialect)
{
    w->out = out;
    w->separator = dialect == NL_DIALECT_EXCEL_EU ? ';' : ',';
    w->crlf = dialect != NL_DIALECT_PLAIN;
    w->decimal_comma = dialect == NL_DIALECT_EXCEL_EU;
    w->in_row = false;
    if (dialect != NL_DIALECT_PLAIN)
        fputs("\xEF\xBB\xBF", out);
}

static void next_cell(nl_csv_writer *w)
{
    if (w->in_row)
        fputc(w->separator, w->out);
    w->in_row = true;
}

void nl_csv_cell_text(nl_csv_writer *w, const char *text)
{
    next_cell(w);
    /* A comma stays a reason to quote under ';': Excel-EU would read an unquoted 3,5 as a
     * number. */
    csv_text(w->out, text, w->separator == ';' ? ",;\"\r\n" : ",\"\r\n");
}

void nl_csv_cell_number(nl_csv_writer *w, double value)
{
    char buf[32];
    nl_format_number(value, buf);
    if (w->decimal_comma) {
        char *point = strchr(buf, '.'); /* never a thousands separator: one point at most */
        if (point != NULL)
            *point = ',';
    }
    next_cell(w);
    fputs(buf, w->out);
}

void nl_csv_cell_integer(nl_csv_writer *w, long long value)
{
    next_cell(w);
    fprintf(w->out, "%lld", value);
}

void nl_csv_cell_empty(nl_csv_writer *w)
{
    next_cell(w);
}

void nl_csv_cells(nl_csv_writer *w, const char *comma_separated)
{
    for (const char *p = comma_separated;;) {
        size_t len = strcspn(p, ",");
        next_cell(w);
        fwrite(p, 1, len, w->out);
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
}

void nl_csv_row_end(nl_csv_writer *w)
{
    fputs(w->crlf ? "\r\n" : "\n", w->out);
    w->in_row = false;
}

void nl_json_init(nl_json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
    j->first[0] = true;
}

static void indent(nl_json *j)
{
    fputc('\n', j->out);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->out);
}

static bool needs_escape(unsigned char c)
{
    return c == '"' || c == '\\' || c < 0x20;
}

static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        /* Runs that need no escape go out whole. */
        const unsigned char *plain = p;
        while (*p != '\0' && !needs_escape(*p))
            p++;
        nl_write_utf8(out, (const char *)plain, (size_t)(p - plain)); /* JSON is UTF-8 */
        if (*p == '\0')
            break;
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            fprintf(out, "\\u%04x", *p);
        }
    }
    fputc('"', out);
}

/* Starts a member or element: comma, new line, key. */
static void member(nl_json *j, const char *key)
{
    if (j->depth > 0) {
        if (!j->first[j->depth])
            fputc(',', j->out);
        indent(j);
    }
    j->first[j->depth] = false;
    if (key != NULL) {
        put_string(j->out, key);
        fputs(": ", j->out);
    }
}

void nl_json_open(nl_json *j, const char *key, char bracket)
{
    member(j, key);
    fputc(bracket, j->out);
    if (j->depth < 63)
        j->depth++;
    j->first[j->depth] = true;
}

void nl_json_close(nl_json *j, char bracket)
{
    bool empty = j->first[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (!empty)
        indent(j);
    fputc(bracket, j->out);
    if (j->depth == 0)
        fputc('\n', j->out);
}

void nl_json_string(nl_json *j, const char *key, const char *value)
{
    member(j, key);
    put_string(j->out, value ? value : "");
}

void nl_json_number(nl_json *j, const char *key, double value)
{
    char buf[32];
    nl_format_number(value, buf);
    member(j, key);
    fputs(buf[0] ? buf : "null", j->out);
}

void nl_json_number_exact(nl_json *j, const char *key, double value)
{
    member(j, key);
    if (!isfinite(value)) {
        fputs("null", j->out);
        return;
    }
    char buf[32];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, value == 0 ? 0 : value);
        if (strtod(buf, NULL) == value)
            break;
    }
    fputs(buf, j->out);
}

void nl_json_integer(nl_json *j, const char *key, long long value)
{
    member(j, key);
    fprintf(j->out, "%lld", value);
}

void nl_json_bool(nl_json *j, const char *key, bool value)
{
    member(j, key);
    fputs(value ? "true" : "false", j->out);
}

void nl_json_null(nl_json *j, const char *key)
{
    member(j, key);
    fputs("null", j->out);
}
