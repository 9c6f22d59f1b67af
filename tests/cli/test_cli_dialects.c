/* --csv-dialect plain|excel|excel-eu (and the template's [report] csv_dialect) for every CSV
 * output, and reading the exports spreadsheet programs write (tests/cases/exports/dialects,
 * synthesised to each program's conventions: see its NOTE.md).
 *
 * The dialects are checked against the plain run of the same inputs by
 * tests/tools/check_dialects.py: the byte order mark, CRLF row ends, ';' and the decimal
 * comma, valid UTF-8, and Python's csv module reading the same records as from the plain
 * files, cell by cell (numbers compared after swapping the decimal comma). The runs cover the
 * results and every sibling table: the samples with last quarter (.trend) and --calibrate,
 * and the IC template's fairness group (.fairness). */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define SAMPLES                                                                                    \
    "samples/platform.csv", "samples/payments.csv", "samples/mobile.csv",                          \
        "samples/design-systems-long.csv", "samples/messy-export.csv"
#define PREVIOUS "samples/previous-quarter"
#define EXPORTS  "tests/cases/exports/dialects/"
#define BOM      "\xEF\xBB\xBF"
#define SIBLINGS 6

static const char *const suffixes[SIBLINGS] = {".csv",          ".rejected.csv", ".summary.csv",
                                               ".managers.csv", ".fairness.csv", ".trend.csv"};

/* Runs the samples (with last quarter and --calibrate, so that every table is written) into
 * dir/NAME.csv in a dialect (NULL: no --csv-dialect). The messy export's rejected rows make
 * the exit code 1. */
static void run_samples(const char *dir, const char *name, const char *dialect)
{
    char out[4096];
    snprintf(out, sizeof out, "%s/%s.csv", dir, name);
    nl_run run = dialect ? RUN("evaluate", "--template", IC, SAMPLES, "--previous", PREVIOUS,
                               "--calibrate", "--csv-dialect", dialect, "--out", out)
                         : RUN("evaluate", "--template", IC, SAMPLES, "--previous", PREVIOUS,
                               "--calibrate", "--out", out);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
}

/* dir/NAME plus a suffix, read whole. */
static char *read_output(const char *dir, const char *name, const char *suffix, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
    return nl_test_read_all(path, len);
}

/* Whether every LF that ends a row (outside quotes) has a CR before it. */
static bool rows_end_in_crlf(const char *text, size_t len)
{
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (text[i] == '\n' && !quoted && (i == 0 || text[i - 1] != '\r'))
            return false;
    }
    return len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n';
}

/* check_dialects.py on dir/plain.csv and dir/NAME.csv; asserts it passes. */
static void check_against_plain(const char *dir, const char *name, const char *dialect)
{
    char command[8192];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_dialects.py '%s/plain.csv' '%s/%s.csv' %s", dir,
             dir, name, dialect);
    char *report = nl_test_capture(command); /* asserts exit 0 */
    cr_assert(nl_test_contains(report, "6 files"), "%s", report);
    free(report);
}

/* ---- the dialects ---- */

Test(dialects, plain_is_the_default_and_writes_the_same_bytes)
{
    char *dir = nl_test_temp_dir();
    run_samples(dir, "plain", NULL);
    run_samples(dir, "named", "plain");
    for (size_t k = 0; k < SIBLINGS; k++) {
        size_t a_len, b_len;
        char *a = read_output(dir, "plain", suffixes[k], &a_len);
        char *b = read_output(dir, "named", suffixes[k], &b_len);
        cr_assert(a_len == b_len && memcmp(a, b, a_len) == 0, "%s differs", suffixes[k]);
        cr_assert(strncmp(a, BOM, 3) != 0, "%s starts with a byte order mark", suffixes[k]);
        cr_assert(!rows_end_in_crlf(a, a_len), "%s ends its rows in CRLF", suffixes[k]);
        free(a);
        free(b);
    }
    check_against_plain(dir, "named", "plain");
    nl_test_remove_tree(dir);
}

Test(dialects, excel_has_a_byte_order_mark_commas_and_crlf)
{
    char *dir = nl_test_temp_dir();
    run_samples(dir, "plain", NULL);
    run_samples(dir, "excel", "excel");
    for (size_t k = 0; k < SIBLINGS; k++) {
        size_t len;
        char *text = read_output(dir, "excel", suffixes[k], &len);
        cr_assert(strncmp(text, BOM, 3) == 0, "%s has no byte order mark", suffixes[k]);
        cr_assert(rows_end_in_crlf(text, len), "%s: a row does not end in CRLF", suffixes[k]);
        cr_assert(strchr(text, ',') < strchr(text, '\r'), "%s: no comma in the header",
                  suffixes[k]);
        free(text);
    }
    size_t len;
    char *rejected = read_output(dir, "excel", ".rejected.csv", &len);
    cr_assert(strncmp(rejected, BOM "file,line,column,id,reason\r\n", 31) == 0, "%.40s", rejected);
    free(rejected);
    check_against_plain(dir, "excel", "excel");
    nl_test_remove_tree(dir);
}

Test(dialects, excel_eu_has_semicolons_and_a_decimal_comma)
{
    char *dir = nl_test_temp_dir();
    run_samples(dir, "plain", NULL);
    run_samples(dir, "eu", "excel-eu");
    for (size_t k = 0; k < SIBLINGS; k++) {
        size_t len;
        char *text = read_output(dir, "eu", suffixes[k], &len);
        cr_assert(strncmp(text, BOM, 3) == 0, "%s has no byte order mark", suffixes[k]);
        cr_assert(rows_end_in_crlf(text, len), "%s: a row does not end in CRLF", suffixes[k]);
        char *header_end = strchr(text, '\r');
        *header_end = '\0'; /* the header: column names, never a comma */
        cr_assert(strchr(text, ';') != NULL && strchr(text, ',') == NULL, "%s header: %s",
                  suffixes[k], text);
        free(text);
    }
    /* One figure followed through: E1203's soft attainment, as the plain run wrote it. */
    size_t len;
    char *plain = read_output(dir, "plain", ".csv", &len);
    nl_test_table t = nl_test_parse_csv(plain);
    char want[64];
    snprintf(want, sizeof want, ";%s;", nl_test_cell(&t, "E1203", "soft_attainment"));
    char *point = strchr(want, '.');
    cr_assert_not_null(point, "E1203's soft attainment %s has no decimals", want);
    *point = ',';
    nl_test_free_table(&t);
    free(plain);
    char *eu = read_output(dir, "eu", ".csv", &len);
    char *row = strstr(eu, "\r\nE1203;");
    cr_assert_not_null(row);
    char *row_end = strstr(row + 2, "\r\nE");
    cr_assert_not_null(row_end);
    *row_end = '\0';
    cr_assert(strstr(row, want) != NULL, "no %s in %s", want, row);
    free(eu);
    check_against_plain(dir, "eu", "excel-eu");
    nl_test_remove_tree(dir);
}

/* A person whose name starts like a formula, and holds ';': in every dialect the name is
 * neutralised by a leading apostrophe, as in plain, and quoted. */
Test(dialects, formulas_are_neutralised_in_every_dialect)
{
    size_t len;
    char *text = nl_test_read_all(nl_test_path(EXPORTS "libreoffice.csv"), &len);
    const char *from = "Jürgen Müller";
    char *at = strstr(text, from);
    cr_assert_not_null(at);
    char matrix[4096];
    snprintf(matrix, sizeof matrix, "%.*s\"=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"%s",
             (int)(at - text), text, at + strlen(from));
    free(text);
    char *input = nl_test_write_temp(".csv", matrix, strlen(matrix));
    char *dir = nl_test_temp_dir();
    const char *dialects[] = {"plain", "excel", "excel-eu"};
    const char *want[] = {",\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",",
                          ",\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",",
                          ";\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";"};
    for (size_t d = 0; d < 3; d++) {
        char *out = nl_test_path_in(dir, "out.csv");
        nl_run run =
            RUN("evaluate", "--template", IC, input, "--csv-dialect", dialects[d], "--out", out);
        cr_assert_eq(run.exit_code, 0, "%s", run.err);
        nl_run_free(&run);
        char *csv = nl_test_read_all(out, NULL);
        cr_assert(nl_test_contains(csv, want[d]), "%s: no %s in\n%.300s", dialects[d], want[d],
                  csv);
        free(csv);
        free(out);
    }
    nl_test_remove_tree(dir);
    nl_test_remove(input);
}

/* The JSON output has no dialect: --csv-dialect leaves it as it is. */
Test(dialects, json_is_the_same_whatever_the_dialect)
{
    char *dir = nl_test_temp_dir();
    char *a = nl_test_path_in(dir, "a.json"), *b = nl_test_path_in(dir, "b.json");
    nl_run run = RUN("evaluate", "--template", IC, EXPORTS "excel-eu.csv", "--out", a);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "--template", IC, EXPORTS "excel-eu.csv", "--csv-dialect", "excel-eu",
              "--out", b);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    size_t a_len, b_len;
    char *x = nl_test_read_all(a, &a_len), *y = nl_test_read_all(b, &b_len);
    cr_assert(a_len == b_len && memcmp(x, y, a_len) == 0);
    free(x);
    free(y);
    free(a);
    free(b);
    nl_test_remove_tree(dir);
}

/* CSV to standard output gets the dialect too. */
Test(dialects, standard_output_in_excel_eu)
{
    nl_run run = RUN("evaluate", "--template", IC, EXPORTS "libreoffice.csv", "--csv-dialect",
                     "excel-eu", "--out", "-");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(strncmp(run.out, BOM "id;name;", 11) == 0, "%.20s", run.out);
    cr_assert(nl_test_contains(run.out, "\r\nE3001;Jürgen Müller;Platform;"), "%s", run.out);
    nl_run_free(&run);
}

Test(dialects, an_unknown_dialect_is_a_usage_error)
{
    nl_run run = RUN("evaluate", "--template", IC, EXPORTS "libreoffice.csv", "--csv-dialect",
                     "excel-us", "--out", "-");
    cr_assert_eq(run.exit_code, 2, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "--csv-dialect must be plain, excel or excel-eu, not "
                                        "'excel-us'"),
              "%s", run.err);
    cr_assert_str_eq(run.out, "");
    nl_run_free(&run);
}

/* The IC template with "csv_dialect = VALUE" added to its [report] (a new file: free and
 * remove). */
static char *template_with_dialect(const char *value)
{
    size_t len;
    char *ic = nl_test_read_all(nl_test_path(IC), &len);
    char *report = strstr(ic, "\n[report]\n");
    cr_assert_not_null(report, "the IC template has no [report]");
    report += strlen("\n[report]\n");
    size_t size = len + 128;
    char *text = malloc(size);
    cr_assert_not_null(text);
    snprintf(text, size, "%.*scsv_dialect = %s\n%s", (int)(report - ic), ic, value, report);
    char *path = nl_test_write_temp(".ini", text, strlen(text));
    free(text);
    free(ic);
    return path;
}

Test(dialects, the_template_key_sets_the_dialect_and_the_option_wins)
{
    char *template = template_with_dialect("excel-eu");
    nl_run run = RUN("check", template);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "CSV outputs: excel-eu"), "%s", run.out);
    nl_run_free(&run);
    run = RUN("evaluate", "--template", template, EXPORTS "libreoffice.csv", "--out", "-");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(strncmp(run.out, BOM "id;name;", 11) == 0, "%.20s", run.out);
    nl_run_free(&run);
    run = RUN("evaluate", "--template", template, EXPORTS "libreoffice.csv", "--csv-dialect",
              "plain", "--out", "-");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(strncmp(run.out, "id,name,", 8) == 0, "%.20s", run.out);
    nl_run_free(&run);
    nl_test_remove(template);
}

Test(dialects, check_refuses_an_unknown_template_dialect)
{
    char *template = template_with_dialect("excel-us");
    nl_run run = RUN("check", template);
    cr_assert_eq(run.exit_code, 3, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "'csv_dialect' must be one of plain, excel, excel-eu, "
                                        "not 'excel-us'") ||
                  nl_test_contains(run.err, "'csv_dialect' must be one of plain, excel, "
                                            "excel-eu, not 'excel-us'"),
              "%s%s", run.out, run.err);
    nl_run_free(&run);
    nl_test_remove(template);
}

/* ---- reading the exports of spreadsheet programs ---- */

static const char *const exports[] = {"excel-eu.csv", "libreoffice.csv", "google-sheets.csv"};
static const char *const export_delimiters[] = {"semicolon", "comma", "comma"};
#define EXPORT_COUNT 3

/* The names as the fixtures hold them (make_fixtures.py), by id. */
static const char *const ids[] = {"E3001", "E3002", "E3003", "E3004"};
static const char *const names[] = {"Jürgen Müller", "Lindqvist, Sofia", "Ana \"Nita\" Costa",
                                    "Zoë Ødegård"};

/* Evaluates one export to dir/NAME.json and returns the document. */
static json_t *evaluate_export(const char *dir, const char *file)
{
    char path[4096], json[4096];
    snprintf(path, sizeof path, EXPORTS "%s", file);
    snprintf(json, sizeof json, "%s/%s.json", dir, file);
    nl_run run = RUN("evaluate", "--template", IC, path, "--out", json);
    cr_assert_eq(run.exit_code, 0, "%s: %s", file, run.err);
    nl_run_free(&run);
    return nl_test_load_json(json);
}

Test(exports, each_is_read_whole_with_the_names_as_written)
{
    char *dir = nl_test_temp_dir();
    for (size_t f = 0; f < EXPORT_COUNT; f++) {
        json_t *root = evaluate_export(dir, exports[f]);
        json_t *input = json_array_get(json_object_get(root, "inputs"), 0);
        cr_assert_str_eq(nl_test_json_str(input, "delimiter"), export_delimiters[f]);
        cr_assert_eq(json_integer_value(json_object_get(input, "rows_read")), 4, "%s", exports[f]);
        cr_assert_eq(json_integer_value(json_object_get(input, "people_accepted")), 4, "%s",
                     exports[f]);
        cr_assert_eq(json_array_size(json_object_get(root, "rejected")), 0, "%s", exports[f]);
        for (size_t p = 0; p < 4; p++)
            cr_assert_str_eq(nl_test_json_str(nl_test_json_person(root, ids[p]), "name"), names[p],
                             "%s", exports[f]);
        json_decref(root);
    }
    nl_test_remove_tree(dir);
}

/* The Excel-EU file's 3,5 is the 3.5 of the others: the same outcomes and readiness scores. */
Test(exports, all_three_give_the_same_results)
{
    char *dir = nl_test_temp_dir();
    json_t *roots[EXPORT_COUNT];
    for (size_t f = 0; f < EXPORT_COUNT; f++)
        roots[f] = evaluate_export(dir, exports[f]);
    for (size_t p = 0; p < 4; p++) {
        json_t *first = nl_test_json_person(roots[0], ids[p]);
        for (size_t f = 1; f < EXPORT_COUNT; f++) {
            json_t *other = nl_test_json_person(roots[f], ids[p]);
            cr_assert_str_eq(nl_test_json_str(other, "outcome"), nl_test_json_str(first, "outcome"),
                             "%s in %s", ids[p], exports[f]);
            cr_assert(json_equal(json_object_get(other, "readiness_score"),
                                 json_object_get(first, "readiness_score")),
                      "%s in %s", ids[p], exports[f]);
            cr_assert(json_equal(json_object_get(other, "family_attainment"),
                                 json_object_get(first, "family_attainment")),
                      "%s in %s", ids[p], exports[f]);
        }
    }
    for (size_t f = 0; f < EXPORT_COUNT; f++)
        json_decref(roots[f]);
    nl_test_remove_tree(dir);
}

/* Names stay as written in the CSV output of every dialect and in the workbook. */
Test(exports, names_survive_into_csv_and_the_workbook)
{
    char *dir = nl_test_temp_dir();
    const char *dialects[] = {"plain", "excel", "excel-eu"};
    for (size_t d = 0; d < 3; d++) {
        char *out = nl_test_path_in(dir, "out.csv");
        nl_run run = RUN("evaluate", "--template", IC, EXPORTS "excel-eu.csv", "--csv-dialect",
                         dialects[d], "--out", out);
        cr_assert_eq(run.exit_code, 0, "%s", run.err);
        nl_run_free(&run);
        char command[8192];
        snprintf(
            command, sizeof command,
            "/usr/bin/python3 -c 'import csv, sys; rows = list(csv.DictReader(open(sys.argv[1], "
            "encoding=\"utf-8-sig\", newline=\"\"), delimiter=sys.argv[2])); "
            "print(\"|\".join(r[\"name\"] for r in rows))' '%s' '%s'",
            out, d == 2 ? ";" : ",");
        char *got = nl_test_capture(command);
        cr_assert_str_eq(got, "Jürgen Müller|Lindqvist, Sofia|Ana \"Nita\" Costa|Zoë Ødegård\n");
        free(got);
        free(out);
    }
    char *xlsx = nl_test_path_in(dir, "out.xlsx");
    nl_run run = RUN("evaluate", "--template", IC, EXPORTS "excel-eu.csv", "--out", xlsx);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char *unzipped = nl_test_unzip(xlsx);
    char command[8192];
    snprintf(command, sizeof command,
             "cat '%s'/xl/worksheets/*.xml '%s'/xl/sharedStrings.xml "
             "2>/dev/null; true",
             unzipped, unzipped);
    char *strings = nl_test_capture(command);
    nl_test_xml_decode(strings);
    for (size_t p = 0; p < 4; p++)
        cr_assert(nl_test_contains(strings, names[p]), "no %s in the workbook", names[p]);
    free(strings);
    nl_test_remove_tree(unzipped);
    free(xlsx);
    nl_test_remove_tree(dir);
}

/* A decimal comma is read only where ';' (or tab) separates cells: in a comma file a quoted
 * "3,5" is a rejected cell, not 3.5, and not two cells. */
Test(exports, a_decimal_comma_in_a_comma_file_is_rejected)
{
    size_t len;
    char *text = nl_test_read_all(nl_test_path(EXPORTS "libreoffice.csv"), &len);
    const char *from = "\"Lindqvist, Sofia\",Platform,Priya Raman,L2,18,4,3.5,";
    char *at = strstr(text, from);
    cr_assert_not_null(at);
    char matrix[4096];
    snprintf(matrix, sizeof matrix,
             "%.*s\"Lindqvist, Sofia\",Platform,Priya Raman,L2,18,4,\"3,5\",%s", (int)(at - text),
             text, at + strlen(from));
    free(text);
    char *input = nl_test_write_temp(".csv", matrix, strlen(matrix));
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "out.csv");
    nl_run run = RUN("evaluate", "--template", IC, input, "--out", out);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    char *rejected_path = nl_test_path_in(dir, "out.rejected.csv");
    char *rejected = nl_test_read_all(rejected_path, NULL);
    nl_test_table t = nl_test_parse_csv(rejected);
    cr_assert_eq(t.rows, 2, "%s", rejected);
    cr_assert_str_eq(t.cells[t.width + nl_test_column(&t, "id")], "E3002");
    cr_assert_str_eq(t.cells[t.width + nl_test_column(&t, "line")], "3");
    cr_assert_str_eq(t.cells[t.width + nl_test_column(&t, "column")], "8");
    cr_assert(nl_test_contains(t.cells[t.width + nl_test_column(&t, "reason")], "3,5"), "%s",
              rejected);
    nl_test_free_table(&t);
    free(rejected);
    free(rejected_path);
    free(out);
    nl_test_remove_tree(dir);
    nl_test_remove(input);
}
