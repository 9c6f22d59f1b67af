#ifndef NEXTLEVEL_TEXTOUT_H
#define NEXTLEVEL_TEXTOUT_H

#include <stdbool.h>
#include <stdio.h>

/* Writers for the machine outputs: CSV cells and a small streaming JSON writer. Write errors
 * are left in the stream's error flag for the caller to check once at the end. */

/* A text cell, quoted where needed. A cell starting with = + - @ tab or CR gets a leading
 * apostrophe so that no spreadsheet runs it as a formula (OWASP CSV injection guidance). */
void nl_csv_text(FILE *out, const char *text);

/* A number cell (never neutralised: it is ours, not the input's); empty for NAN. */
void nl_csv_number(FILE *out, double value);

/* The number formatting shared by every output: up to 6 significant digits, no "-0". */
void nl_format_number(double value, char buf[32]);

/* A streaming JSON writer producing indented, valid JSON. Keys are NULL inside arrays. */
typedef struct nl_json {
    FILE *out;
    int depth;
    bool first[64]; /* no comma needed yet at this depth */
} nl_json;

void nl_json_init(nl_json *j, FILE *out);
void nl_json_open(nl_json *j, const char *key, char bracket);
void nl_json_close(nl_json *j, char bracket);
void nl_json_string(nl_json *j, const char *key, const char *value);
void nl_json_number(nl_json *j, const char *key, double value);     /* null for NAN */
void nl_json_integer(nl_json *j, const char *key, long long value); /* exact: lines, counts */
void nl_json_bool(nl_json *j, const char *key, bool value);
void nl_json_null(nl_json *j, const char *key);

#endif
