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

/* The CSV dialects of the outputs. Plain is RFC 4180 in UTF-8 without a byte order mark, LF
 * line ends. Excel is what Excel itself saves as "CSV UTF-8": a byte order mark (without it
 * Excel reads UTF-8 as the Windows code page: Müller becomes MÃ¼ller), commas, CRLF. Excel-EU
 * is what Excel opens right where the list separator is ';' and the decimal mark a comma
 * (most of continental Europe): byte order mark, ';', 0,15 for 0.15, CRLF. */
typedef enum nl_csv_dialect {
    NL_DIALECT_PLAIN,
    NL_DIALECT_EXCEL,
    NL_DIALECT_EXCEL_EU,
} nl_csv_dialect;

/* The dialect named "plain", "excel" or "excel-eu"; false for any other name. */
bool nl_csv_dialect_parse(const char *name, nl_csv_dialect *dialect);
const char *nl_csv_dialect_name(nl_csv_dialect dialect);

/* Writes rows of cells in one dialect: each cell call puts the separator before every cell
 * but the first of a row. */
typedef struct nl_csv_writer {
    FILE *out;
    char separator;     /* ',' or ';' */
    bool crlf;          /* rows end in CR LF, not LF */
    bool decimal_comma; /* numbers are written 0,15 */
    bool in_row;        /* a cell of this row is out: the next needs a separator */
} nl_csv_writer;

/* Starts a file: writes the byte order mark when the dialect has one. */
void nl_csv_writer_start(nl_csv_writer *w, FILE *out, nl_csv_dialect dialect);
/* A text cell from the input or the template: quoted where needed, formulas neutralised as
 * nl_csv_text does, and quoted when it holds the dialect's separator. */
void nl_csv_cell_text(nl_csv_writer *w, const char *text);
/* A number cell as nl_csv_number writes it, with the dialect's decimal mark. */
void nl_csv_cell_number(nl_csv_writer *w, double value);
void nl_csv_cell_integer(nl_csv_writer *w, long long value);
void nl_csv_cell_empty(nl_csv_writer *w);
/* Cells of ours, written as they are: "a,b,c" gives three cells (column names, yes/no). */
void nl_csv_cells(nl_csv_writer *w, const char *comma_separated);
void nl_csv_row_end(nl_csv_writer *w);

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
void nl_json_number(nl_json *j, const char *key, double value); /* null for NAN */
/* The shortest decimal that reads back as value exactly (null for NAN): for figures a reader
 * recomputes and compares, such as readiness scores against the workbook's What if sheet. */
void nl_json_number_exact(nl_json *j, const char *key, double value);
void nl_json_integer(nl_json *j, const char *key, long long value); /* exact: lines, counts */
void nl_json_bool(nl_json *j, const char *key, bool value);
void nl_json_null(nl_json *j, const char *key);

#endif
