/* Encodings on the command line (issue 15, item 1): the exports of tests/cases/exports/encodings
 * (see its NOTE.md) read with the names as written, whatever the encoding; a file that is not
 * UTF-8 read as Windows-1252 with a warning that shows a sample; --encoding; characters an
 * encoding does not define rejected at their line and column, but only in columns the template
 * uses; every output in UTF-8. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define DIR      "tests/cases/exports/encodings/"

static const char *const western[][2] = {
    {"E2001", "Anna M\xC3\xBCller"},
    {"E2002", "Jos\xC3\xA9 \xC3\x81lvarez"},
    {"E2003", "Zo\xC3\xAB Laurent"},
};

/* The CSV output's name column for each of the Western names. */
static void expect_csv_names(const char *csv_path)
{
    char *text = nl_test_read_all(csv_path, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    for (size_t i = 0; i < 3; i++)
        cr_assert_str_eq(nl_test_cell(&t, western[i][0], "name"), western[i][1], "%s", csv_path);
    cr_assert_str_eq(nl_test_cell(&t, "E2001", "manager"), "Zo\xC3\xAB Laurent");
    nl_test_free_table(&t);
    free(text);
}

/* The JSON output's names, and how the input was read. */
static void expect_json_names(const char *json_path, const char *encoding, bool bom)
{
    json_t *root = nl_test_load_json(json_path);
    for (size_t i = 0; i < 3; i++)
        cr_assert_str_eq(nl_test_json_str(nl_test_json_person(root, western[i][0]), "name"),
                         western[i][1], "%s", json_path);
    json_t *input = json_array_get(json_object_get(root, "inputs"), 0);
    cr_assert_str_eq(nl_test_json_str(input, "encoding"), encoding);
    cr_assert(json_is_boolean(json_object_get(input, "bom")));
    cr_assert_eq(json_is_true(json_object_get(input, "bom")), bom);
    json_decref(root);
    int schema = nl_test_check_json_schema(json_path);
    cr_assert(schema == 0 || schema == 77, "%s is not valid against the schema", json_path);
}

/* Every text of the workbook's sheets, one a line, through openpyxl (which reads the XML as
 * Excel would, shared strings or inline). */
static char *workbook_texts(const char *xlsx)
{
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c 'import openpyxl, sys\n"
             "for ws in openpyxl.load_workbook(sys.argv[1], read_only=True):\n"
             "    for row in ws.iter_rows(values_only=True):\n"
             "        for v in row:\n"
             "            if isinstance(v, str): print(v)' '%s'",
             xlsx);
    return nl_test_capture(command);
}

/* Evaluates the file to CSV, JSON and xlsx and checks the names in each. */
static void expect_names_in_every_output(const char *file, const char *encoding, bool bom)
{
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "r.csv"), *json = nl_test_path_in(dir, "r.json"),
         *xlsx = nl_test_path_in(dir, "r.xlsx");
    const char *outs[] = {csv, json, xlsx};
    for (size_t i = 0; i < 3; i++) {
        nl_run run =
            RUN("evaluate", "--template", IC, "--date", "2026-01-01", "--out", outs[i], file);
        cr_assert_eq(run.exit_code, 0, "%s -> %s: %s", file, outs[i], run.err);
        nl_run_free(&run);
    }
    expect_csv_names(csv);
    expect_json_names(json, encoding, bom);
    if (nl_test_shell("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") == 0) {
        char *texts = workbook_texts(xlsx);
        for (size_t i = 0; i < 3; i++)
            cr_assert(nl_test_contains(texts, western[i][1]), "%s: '%s' not in the workbook", file,
                      western[i][1]);
        free(texts);
    }
    free(csv);
    free(json);
    free(xlsx);
    nl_test_remove_tree(dir);
}

Test(enc, excel_windows_ansi_is_read_as_windows_1252_with_a_warning)
{
    nl_run run = RUN("inspect", "--template", IC, DIR "excel-windows-ansi.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "people accepted: 3, rows rejected: 0"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "  encoding: Windows-1252 (the file is not UTF-8"), "%s",
              run.out);
    cr_assert(nl_test_contains(run.err, "nextlevel: warning: " DIR "excel-windows-ansi.csv is not "
                                        "UTF-8: read as Windows-1252"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "its first such text reads \"Anna M\xC3\xBCller\""), "%s",
              run.err);
    cr_assert(nl_test_contains(run.err, "--encoding CP1250"), "%s", run.err);
    nl_run_free(&run);
    expect_names_in_every_output(DIR "excel-windows-ansi.csv", "Windows-1252", false);
}

/* Excel on a German Windows: Windows-1252, ";", decimal commas and emptied rows, all at once. */
Test(enc, excel_on_a_german_windows_is_read_whole)
{
    nl_run run = RUN("inspect", "--template", IC, DIR "excel-windows-german.csv");
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "wide format, semicolon-delimited\n"
                                        "  encoding: Windows-1252 (the file is not UTF-8"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "rows read: 3, people accepted: 3, rows rejected: 0"), "%s",
              run.out);
    cr_assert(nl_test_contains(run.out, "empty rows skipped: 2"), "%s", run.out);
    nl_run_free(&run);
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "r.csv");
    run = RUN("evaluate", "--template", IC, "--out", csv, DIR "excel-windows-german.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char *text = nl_test_read_all(csv, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_eq(t.rows, 4, "header and three people");
    cr_assert_str_eq(nl_test_cell(&t, "E2001", "name"), "Anna M\xC3\xBCller");
    cr_assert_str_eq(nl_test_cell(&t, "E2002", "name"), "Jos\xC3\xA9 \xC3\x81lvarez");
    nl_test_free_table(&t);
    free(text);
    free(csv);
    nl_test_remove_tree(dir);
}

Test(enc, excel_csv_utf8_with_bom_is_read_without_a_warning)
{
    nl_run run = RUN("inspect", "--template", IC, DIR "excel-csv-utf8-bom.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "  encoding: UTF-8 with BOM\n"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "people accepted: 3, rows rejected: 0"), "%s", run.out);
    cr_assert(!nl_test_contains(run.err, "warning"), "%s", run.err);
    nl_run_free(&run);
    expect_names_in_every_output(DIR "excel-csv-utf8-bom.csv", "UTF-8", true);
}

Test(enc, excel_unicode_text_utf16le_tab_is_read)
{
    nl_run run = RUN("inspect", "--template", IC, DIR "excel-unicode-text.txt");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "wide format, tab-delimited"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "  encoding: UTF-16LE with BOM\n"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "people accepted: 3, rows rejected: 0"), "%s", run.out);
    cr_assert(!nl_test_contains(run.err, "warning"), "%s", run.err);
    nl_run_free(&run);
    expect_names_in_every_output(DIR "excel-unicode-text.txt", "UTF-16LE", true);
}

Test(enc, utf16be_with_bom_is_read)
{
    nl_run run = RUN("inspect", "--template", IC, DIR "utf16be-bom.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "  encoding: UTF-16BE with BOM\n"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "people accepted: 3, rows rejected: 0"), "%s", run.out);
    nl_run_free(&run);
    expect_names_in_every_output(DIR "utf16be-bom.csv", "UTF-16BE", true);
}

Test(enc, a_cp1250_export_is_noticed_by_its_sample_and_read_right_when_named)
{
    nl_run run = RUN("inspect", "--template", IC, DIR "cp1250-central-european.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    /* Ł and ś of Windows-1250 are £ and œ in Windows-1252: the sample shows it. */
    cr_assert(
        nl_test_contains(run.err, "its first such text reads \"\xC2\xA3ukasz Wi\xC5\x93niewski\""),
        "%s", run.err);
    nl_run_free(&run);

    run =
        RUN("inspect", "--encoding", "CP1250", "--template", IC, DIR "cp1250-central-european.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "  encoding: CP1250 (given with --encoding)\n"), "%s",
              run.out);
    cr_assert(nl_test_contains(run.out, "people accepted: 4, rows rejected: 0"), "%s", run.out);
    cr_assert(!nl_test_contains(run.err, "warning"), "%s", run.err);
    nl_run_free(&run);

    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "r.csv");
    run = RUN("evaluate", "--encoding", "windows-1250", "--template", IC, "--out", csv,
              DIR "cp1250-central-european.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char *text = nl_test_read_all(csv, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_str_eq(nl_test_cell(&t, "E3001", "name"), "\xC5\x81ukasz Wi\xC5\x9Bniewski");
    cr_assert_str_eq(nl_test_cell(&t, "E3002", "name"), "Zofia D\xC4\x85"
                                                        "browska");
    cr_assert_str_eq(nl_test_cell(&t, "E3003", "name"), "Ji\xC5\x99\xC3\xAD Dvo\xC5\x99\xC3\xA1k");
    cr_assert_str_eq(nl_test_cell(&t, "E3004", "name"), "Tom\xC3\xA1\xC5\xA1 \xC4\x8C"
                                                        "ern\xC3\xBD");
    nl_test_free_table(&t);
    free(text);
    free(csv);
    nl_test_remove_tree(dir);
}

Test(enc, an_unknown_encoding_is_a_usage_error)
{
    nl_run run =
        RUN("inspect", "--encoding", "CP9999-NOPE", "--template", IC, DIR "excel-windows-ansi.csv");
    cr_assert_eq(run.exit_code, 2, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "--encoding 'CP9999-NOPE' is not an encoding this system "
                                        "can read"),
              "%s", run.err);
    cr_assert_str_eq(run.out, "");
    nl_run_free(&run);
    run = RUN("evaluate", "--encoding", "", "--template", IC, "--out", "-",
              DIR "excel-windows-ansi.csv");
    cr_assert_eq(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
}

Test(enc, undefined_characters_reject_the_row_only_in_used_columns)
{
    nl_run run = RUN("inspect", "--template", IC, DIR "undefined-byte.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "people accepted: 3, rows rejected: 1"), "%s", run.out);
    cr_assert(nl_test_contains(run.out,
                               DIR "undefined-byte.csv:3:2: person E4002: the cell holds a "
                                   "character that is not Windows-1252 (code 0x81)"),
              "%s", run.out);
    nl_run_free(&run);

    /* The rejected row is listed in the rejected rows, with its person; the rows whose Notes
     * (a column the template does not use) hold 0x8D or a NUL are people. */
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "r.csv"), *rejected = nl_test_path_in(dir, "r.rejected.csv");
    run = RUN("evaluate", "-q", "--template", IC, "--out", csv, DIR "undefined-byte.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    char *text = nl_test_read_all(rejected, NULL);
    cr_assert(nl_test_contains(text, "undefined-byte.csv,3,2,E4002,"), "%s", text);
    free(text);
    text = nl_test_read_all(csv, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_str_eq(nl_test_cell(&t, "E4003", "name"), "Anna M\xC3\xBCller");
    cr_assert_str_eq(nl_test_cell(&t, "E4004", "name"), "Zo\xC3\xAB Laurent");
    nl_test_free_table(&t);
    free(text);
    free(csv);
    free(rejected);
    nl_test_remove_tree(dir);
}

/* A file: the header, `ascii_rows` rows of plain ASCII (more than one 64 KiB read), then the
 * rows given. */
static char *write_long_file(const char *dir, size_t ascii_rows, const char *last_rows)
{
    char *path = nl_test_path_in(dir, "late.csv");
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("Employee ID,Full name,Level,Notes\n", f);
    for (size_t i = 0; i < ascii_rows; i++)
        fprintf(f, "A%zu,Plain Name %zu,L2,plain\n", i, i);
    fputs(last_rows, f);
    cr_assert_eq(fclose(f), 0);
    return path;
}

Test(enc, a_byte_that_is_not_utf8_late_in_an_ascii_file_switches_to_windows_1252)
{
    char *dir = nl_test_temp_dir();
    char *path = write_long_file(dir, 5000, "Z1,Zo\xEB Laurent,L2,ok\n");
    char *csv = nl_test_path_in(dir, "r.csv");
    nl_run run = RUN("evaluate", "--allow-missing-columns", "--template", IC, "--out", csv, path);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "late.csv is not UTF-8: read as Windows-1252"), "%s",
              run.err);
    cr_assert(nl_test_contains(run.err, "\"Zo\xC3\xAB Laurent\""), "%s", run.err);
    nl_run_free(&run);
    /* Every row is there (the table parser is too slow for 5,000 rows: lines are counted). */
    char *text = nl_test_read_all(csv, NULL);
    size_t lines = 0;
    for (const char *at = text; (at = strchr(at, '\n')) != NULL; at++)
        lines++;
    cr_assert_eq(lines, 5002, "header, 5,000 plain rows and Z1");
    cr_assert(nl_test_contains(text, "\nZ1,Zo\xC3\xAB Laurent,"), "%.200s", strstr(text, "\nZ1"));
    free(text);
    free(csv);
    free(path);
    nl_test_remove_tree(dir);
}

Test(enc, a_utf8_file_with_some_windows_1252_keeps_both)
{
    char *dir = nl_test_temp_dir();
    /* Two exports pasted together: UTF-8 first, then a Windows-1252 row. */
    char *path = write_long_file(dir, 10,
                                 "U1,Anna M\xC3\xBCller,L2,ok\n"
                                 "W1,Jos\xE9 \xC1lvarez,L2,ok\n");
    char *csv = nl_test_path_in(dir, "r.csv");
    nl_run run = RUN("evaluate", "--allow-missing-columns", "--template", IC, "--out", csv, path);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "late.csv is UTF-8 but holds text that is not: that text "
                                        "was read as Windows-1252"),
              "%s", run.err);
    nl_run_free(&run);
    char *text = nl_test_read_all(csv, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_str_eq(nl_test_cell(&t, "U1", "name"), "Anna M\xC3\xBCller");
    cr_assert_str_eq(nl_test_cell(&t, "W1", "name"), "Jos\xC3\xA9 \xC3\x81lvarez");
    nl_test_free_table(&t);
    free(text);
    free(csv);
    free(path);
    nl_test_remove_tree(dir);
}

Test(enc, forced_utf8_rejects_what_is_not_utf8_in_used_cells)
{
    nl_run run =
        RUN("inspect", "--encoding", "UTF-8", "--template", IC, DIR "excel-windows-ansi.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "people accepted: 0, rows rejected: 3"), "%s", run.out);
    cr_assert(nl_test_contains(run.out,
                               "excel-windows-ansi.csv:2:2: person E2001: the cell holds a "
                               "character that is not UTF-8"),
              "%s", run.out);
    cr_assert(!nl_test_contains(run.err, "warning"), "%s", run.err);
    nl_run_free(&run);
}

Test(enc, utf16_without_a_bom_is_named_with_encoding)
{
    /* Excel's "Unicode Text" fixture without its BOM. */
    size_t len;
    char *data = nl_test_read_all(nl_test_path(DIR "excel-unicode-text.txt"), &len);
    cr_assert(len > 2 && memcmp(data, "\xFF\xFE", 2) == 0);
    char *path = nl_test_write_temp(".txt", data + 2, len - 2);
    free(data);
    nl_run run = RUN("inspect", "--template", IC, path);
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "needs --encoding UTF-16LE"), "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "--encoding", "UTF-16LE", "--template", IC, "--out", "-", path);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "\nE2001,Anna M\xC3\xBCller,"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "\nE2003,Zo\xC3\xAB Laurent,"), "%s", run.out);
    nl_run_free(&run);
    nl_test_remove(path);
}
