#include "nextlevel/textout.h"

#include "nextlevel/numfmt.h"

#include <math.h>
#include <string.h>

void nl_format_number(double value, char buf[32])
{
    if (!isfinite(value)) {
        buf[0] = '\0';
        return;
    }
    nl_format_g(value == 0 ? 0 : value, buf); /* no "-0" */
}

void nl_csv_text(FILE *out, const char *text)
{
    bool injectable = text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                      text[0] == '\t' || text[0] == '\r';
    size_t len = strlen(text);
    bool quote = injectable || strpbrk(text, ",\"\r\n") != NULL ||
                 (len > 0 && (text[0] == ' ' || text[len - 1] == ' '));
    if (!quote) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    if (injectable)
        fputc('\'', out);
    /* Runs between quotes go out whole: a reason text is a sentence with commas. */
    for (const char *p = text;;) {
        size_t plain = strcspn(p, "\"");
        fwrite(p, 1, plain, out);
        p += plain;
        if (*p == '\0')
            break;
        fputs("\"\"", out);
        p++;
    }
    fputc('"', out);
}

void nl_csv_number(FILE *out, double value)
{
    char buf[32];
    nl_format_number(value, buf);
    fputs(buf, out);
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
        fwrite(plain, 1, (size_t)(p - plain), out);
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
