/* Exports as HR systems and spreadsheets write them (issue 15, items 4 and 5): tenure in years
 * or as the date the level was reached, delimiter-only rows, a header repeated where two
 * exports were joined, every mix of line ends, folders in natural order with a hidden file, a
 * file named twice, rejections naming "person ID" and showing invisible characters.
 *
 * The fixtures are in tests/cases/exports/tenure and tests/cases/exports/small (NOTE.md says
 * how each was made). Tenure runs use tenure.ini: one skill and one hard gate, 24 months in
 * level, so that a person at level A is Ready now exactly when their tenure reaches 24 months.
 * The other runs use tests/cases/batch/tiny.ini (see test_cli_batch.c). */
#include "test_support.h"

#include "nextlevel/csvread.h"
#include "nextlevel/inputs.h"
#include "nextlevel/rundate.h"
#include "nextlevel/strutil.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define TENURE   "tests/cases/exports/tenure"
#define SMALL    "tests/cases/exports/small"
#define TINY     "tests/cases/batch/tiny.ini"
#define RUN_DATE "2026-03-15"

/* ---- helpers ---- */

/* Runs evaluate to a JSON file in a new folder and loads it; the run is kept in *run. */
static json_t *evaluate_json(nl_run *run, const char *const *args, size_t count)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.json");
    const char *argv[16];
    size_t n = 0;
    argv[n++] = "evaluate";
    for (size_t i = 0; i < count; i++)
        argv[n++] = args[i];
    argv[n++] = "--out";
    argv[n++] = out;
    argv[n] = NULL;
    *run = nl_test_run(argv);
    json_t *root = run->exit_code <= 1 ? nl_test_load_json(out) : NULL;
    int schema = root != NULL ? nl_test_check_json_schema(out) : 0;
    cr_assert(schema == 0 || schema == 77, "%s is not valid against the schema", out);
    nl_test_remove_tree(dir);
    free(out);
    return root;
}

#define EVALUATE_JSON(run, ...)                                                                    \
    evaluate_json(run, (const char *[]){__VA_ARGS__},                                              \
                  sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *))

static double months_of(json_t *root, const char *id)
{
    json_t *months = json_object_get(nl_test_json_person(root, id), "months_in_level");
    return json_is_number(months) ? json_number_value(months) : NAN;
}

static const char *outcome_of(json_t *root, const char *id)
{
    return nl_test_json_str(nl_test_json_person(root, id), "outcome");
}

/* ---- tenure in years ---- */

Test(tenure, a_years_column_feeds_a_24_month_gate)
{
    nl_run run;
    json_t *root = EVALUATE_JSON(&run, "--template", TENURE "/tenure.ini", TENURE "/years.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_eq(months_of(root, "E1"), 24.0);
    cr_assert_eq(months_of(root, "E2"), 18.0);
    cr_assert_eq(months_of(root, "E3"), 27.0);
    /* 1.99 years is 23.88 months, as exactly as a double holds 1.99 * 12: not 24. */
    cr_assert_eq(months_of(root, "E4"), 1.99 * 12);
    cr_assert(isnan(months_of(root, "E5")), "an empty cell is 'not given'");
    cr_assert_str_eq(outcome_of(root, "E1"), "Ready now");
    cr_assert_str_eq(outcome_of(root, "E2"), "Developing");
    cr_assert_str_eq(outcome_of(root, "E3"), "Ready now");
    cr_assert_str_eq(outcome_of(root, "E4"), "Developing");
    cr_assert_str_eq(outcome_of(root, "E5"), "Not evaluated");
    /* Reasons keep speaking in months. */
    char *e1 = json_dumps(nl_test_json_person(root, "E1"), 0);
    cr_assert(nl_test_contains(e1, "24 months in level, required 24"), "%s", e1);
    free(e1);
    json_decref(root);
    nl_run_free(&run);
}

Test(tenure, years_that_are_not_a_number_reject_the_row)
{
    static const char text[] = "Employee ID,Name,Team,Level,Years in level,Coding\n"
                               "Y1,Ana,Core,A,two,3\n"
                               "Y2,Ben,Core,A,101,3\n";
    char *csv = nl_test_write_temp(".csv", text, strlen(text));
    nl_run run = RUN("inspect", "--template", TENURE "/tenure.ini", csv);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.out, ":2:5: person Y1: Years in level 'two' is not a number "
                                        "of years from 0 to 100: correct the cell"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, ":3:5: person Y2: Years in level '101'"), "%s", run.out);
    nl_run_free(&run);
    nl_test_remove(csv);
}

/* ---- tenure from the date the level was reached ---- */

Test(tenure, start_dates_count_whole_months_to_the_run_date)
{
    nl_run run;
    json_t *root = EVALUATE_JSON(&run, "--template", TENURE "/tenure.ini", "--date", RUN_DATE,
                                 TENURE "/start-date.csv");
    cr_assert_eq(run.exit_code, 1, "three rows are rejected: %s", run.err);
    cr_assert_eq(months_of(root, "E1"), 24.0, "2024-03-15 to 2026-03-15");
    cr_assert_eq(months_of(root, "E2"), 23.0, "2024-03-16: one day short of 24");
    cr_assert_eq(months_of(root, "E3"), 72.0, "2020-02-29 (a leap day)");
    cr_assert_str_eq(outcome_of(root, "E1"), "Ready now");
    cr_assert_str_eq(outcome_of(root, "E2"), "Developing");
    const char *err = run.err;
    cr_assert(nl_test_contains(err, "start-date.csv:5:5: person E4: In level since '2026-02-31' "
                                    "is not a date written YYYY-MM-DD (or no such day)"),
              "%s", err);
    cr_assert(nl_test_contains(err, "start-date.csv:6:5: person E5: the In level since cell is "
                                    "empty: fill in the date the person reached their level, "
                                    "as YYYY-MM-DD"),
              "%s", err);
    cr_assert(nl_test_contains(err, "start-date.csv:7:5: person E6: In level since '15.03.2024'"),
              "%s", err);
    json_decref(root);
    nl_run_free(&run);
}

Test(tenure, source_date_epoch_gives_the_same_months_as_date)
{
    setenv("SOURCE_DATE_EPOCH", "1773532800", 1); /* 2026-03-15 00:00 UTC */
    nl_run run;
    json_t *root =
        EVALUATE_JSON(&run, "--template", TENURE "/tenure.ini", TENURE "/start-date.csv");
    unsetenv("SOURCE_DATE_EPOCH");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert_eq(months_of(root, "E1"), 24.0);
    cr_assert_eq(months_of(root, "E2"), 23.0);
    json_decref(root);
    nl_run_free(&run);
}

Test(tenure, a_start_date_column_without_a_run_date_is_a_usage_error)
{
    unsetenv("SOURCE_DATE_EPOCH");
    nl_run run =
        RUN("evaluate", "--template", TENURE "/tenure.ini", "--out", "-", TENURE "/start-date.csv");
    cr_assert_eq(run.exit_code, 2, "%s", run.err);
    cr_assert_str_empty(run.out, "nothing is written");
    cr_assert(nl_test_contains(run.err, "start-date.csv:1:5: the 'In level since' column holds "
                                        "the dates people reached their level"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "pass --date YYYY-MM-DD (or set SOURCE_DATE_EPOCH)"), "%s",
              run.err);
    nl_run_free(&run);
    /* inspect takes --date too, and needs it the same way. */
    run = RUN("inspect", "--template", TENURE "/tenure.ini", TENURE "/start-date.csv");
    cr_assert_eq(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    run = RUN("inspect", "--template", TENURE "/tenure.ini", "--date", RUN_DATE,
              TENURE "/start-date.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "people accepted: 3, rows rejected: 3"), "%s", run.out);
    nl_run_free(&run);
    /* A file without that column needs no date. */
    run = RUN("inspect", "--template", TENURE "/tenure.ini", TENURE "/years.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
}

Test(tenure, date_format_reads_day_first_dates)
{
    nl_run run;
    json_t *root = EVALUATE_JSON(&run, "--template", TENURE "/tenure-dmy.ini", "--date", RUN_DATE,
                                 TENURE "/start-date-dmy.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert_eq(months_of(root, "E1"), 24.0, "15.03.2024");
    cr_assert_eq(months_of(root, "E2"), 23.0, "16.3.2024");
    cr_assert(nl_test_contains(run.err, "start-date-dmy.csv:4:5: person E3: In level since "
                                        "'2024-03-15' is not a date written DD.MM.YYYY"),
              "%s", run.err);
    json_decref(root);
    nl_run_free(&run);
}

Test(tenure, months_then_years_then_the_start_date)
{
    nl_run run;
    json_t *root = EVALUATE_JSON(&run, "--template", TENURE "/tenure.ini", "--date", RUN_DATE,
                                 TENURE "/mixed.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_eq(months_of(root, "E1"), 30.0);
    cr_assert_eq(months_of(root, "E2"), 24.0);
    cr_assert_eq(months_of(root, "E3"), 14.0, "2025-01-01 to 2026-03-15");
    json_decref(root);
    nl_run_free(&run);
}

Test(tenure, check_accepts_the_keys_and_refuses_an_unknown_date_format)
{
    nl_run run = RUN("check", TENURE "/tenure-dmy.ini");
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "years_in_level = \"Years in level\""), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "level_start_date = \"In level since\""), "%s", run.out);
    nl_run_free(&run);
    char *ini = nl_test_read_all(nl_test_path(TENURE "/tenure.ini"), NULL);
    char *bad = nl_test_write_temp(".ini", "", 0);
    char *text = malloc(strlen(ini) + 64);
    char *at = strstr(ini, "level_start_date = In level since\n");
    cr_assert_not_null(at);
    at += strlen("level_start_date = In level since\n");
    sprintf(text, "%.*sdate_format = D/M/Y\n%s", (int)(at - ini), ini, at);
    nl_test_write_text(bad, text);
    run = RUN("check", bad);
    cr_assert_eq(run.exit_code, 3, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "'date_format' must be one of YYYY-MM-DD, DD.MM.YYYY, "
                                        "DD/MM/YYYY, MM/DD/YYYY, not 'D/M/Y'") ||
                  nl_test_contains(run.err, "'date_format' must be one of YYYY-MM-DD, DD.MM.YYYY, "
                                            "DD/MM/YYYY, MM/DD/YYYY, not 'D/M/Y'"),
              "%s%s", run.out, run.err);
    nl_run_free(&run);
    nl_test_remove(bad);
    free(text);
    free(ini);
}

Test(tenure, months_between_counts_a_month_on_the_same_day)
{
    long a, b;
    cr_assert(nl_civil_days(2024, 3, 15, &a));
    cr_assert(nl_civil_days(2026, 3, 15, &b));
    cr_assert_eq(nl_months_between(a, b), 24);
    cr_assert(nl_civil_days(2026, 3, 14, &b));
    cr_assert_eq(nl_months_between(a, b), 23);
    cr_assert_eq(nl_months_between(b, a), -23);
    cr_assert(nl_civil_days(2024, 1, 31, &a));
    cr_assert(nl_civil_days(2024, 2, 29, &b));
    cr_assert_eq(nl_months_between(a, b), 0, "no 31 February: the month is not complete");
    cr_assert(!nl_civil_days(2026, 2, 29, &a), "2026 is not a leap year");
    cr_assert(!nl_civil_days(2026, 2, 31, &a));
    cr_assert(!nl_civil_days(2026, 13, 1, &a));
    cr_assert(nl_civil_days(2000, 2, 29, &a), "2000 is");
    cr_assert(!nl_civil_days(1900, 2, 29, &a), "1900 is not");
    int y, m, d;
    nl_civil_from_days(a, &y, &m, &d);
    cr_assert(y == 2000 && m == 2 && d == 29, "%d-%d-%d", y, m, d);
}

/* ---- rows the reader handles ---- */

Test(reader, delimiter_only_and_empty_rows_are_skipped_and_counted)
{
    nl_run run = RUN("inspect", "--template", TINY, SMALL "/blank-rows.csv");
    cr_assert_eq(run.exit_code, 0, "blank rows are not rejections: %s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "rows read: 2, people accepted: 2, rows rejected: 0"), "%s",
              run.out);
    cr_assert(nl_test_contains(run.out, "empty rows skipped: 4"), "%s", run.out);
    nl_run_free(&run);
    run = RUN("evaluate", "--template", TINY, "--out", "-", SMALL "/blank-rows.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "0 rows rejected"), "%s", run.err);
    nl_run_free(&run);
}

Test(reader, a_repeated_header_is_reported_and_skipped)
{
    nl_run run = RUN("inspect", "--template", TINY, SMALL "/joined.csv");
    cr_assert_eq(run.exit_code, 1, "J4 has a bad score: %s", run.err);
    cr_assert(nl_test_contains(run.out, "rows read: 4, people accepted: 3, rows rejected: 1"), "%s",
              run.out);
    cr_assert(nl_test_contains(run.out, "line 4 repeats the header: were two exports joined?"),
              "%s", run.out);
    /* The bad row after the second header keeps its physical line. */
    cr_assert(nl_test_contains(run.out, "joined.csv:6:6: person J4: '7' for Coding"), "%s",
              run.out);
    cr_assert(!nl_test_contains(run.out, "is not one of the template's levels"), "%s", run.out);
    nl_run_free(&run);
    run = RUN("evaluate", "--template", TINY, "--out", "-", SMALL "/joined.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: warning: " SMALL "/joined.csv:4: line 4 "
                                        "repeats the header: were two exports joined? It was "
                                        "skipped"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "1 row rejected"), "%s", run.err);
    nl_run_free(&run);
}

Test(reader, line_numbers_hold_for_every_line_end)
{
    static const char *const files[] = {"lf", "crlf", "cr", "mixed"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[256], expected[300];
        snprintf(path, sizeof path, SMALL "/line-ends/%s.csv", files[i]);
        snprintf(expected, sizeof expected, "%s:5:6: person L4: '7' for Coding", path);
        nl_run run = RUN("inspect", "--template", TINY, path);
        cr_assert_eq(run.exit_code, 1, "%s: %s", path, run.err);
        cr_assert(nl_test_contains(run.out, expected), "%s:\n%s", expected, run.out);
        cr_assert(nl_test_contains(run.out, "rows read: 4, people accepted: 3"), "%s", run.out);
        nl_run_free(&run);
    }
    nl_run run = RUN("inspect", "--template", TINY, SMALL "/line-ends/quoted.csv");
    cr_assert(nl_test_contains(run.out, "quoted.csv:7:6: person Q3: '7' for Coding"), "%s",
              run.out);
    nl_run_free(&run);
}

Test(reader, a_folder_reads_in_natural_order_and_notes_hidden_files)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    nl_run run = RUN("evaluate", "--template", TINY, "--out", out, SMALL "/folder");
    cr_assert_eq(run.exit_code, 1, "N1 is in two files: %s", run.err);
    cr_assert(nl_test_contains(run.err,
                               "nextlevel: note: 1 hidden file skipped (a name starting "
                               "with '.'; rename it to read it): " SMALL "/folder/.hidden.csv"),
              "%s", run.err);
    /* file2 comes before file10, so its N1 wins and file10's is the duplicate. */
    cr_assert(nl_test_contains(run.err,
                               "rejected: " SMALL "/folder/file10.csv:2:1: person N1: "
                               "the same id is already on line 2 of " SMALL "/folder/file2.csv"),
              "%s", run.err);
    char *text = nl_test_read_file(out, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_str_eq(nl_test_cell(&t, "N1", "name"), "Ana From2");
    /* Rows come in reading order: a_file, B_file, file2, file10. */
    static const char *const order[] = {"N3", "N4", "N1", "N2"};
    cr_assert_eq(t.rows, 5, "four people, N5 is hidden");
    size_t id = nl_test_column(&t, "id");
    for (size_t i = 0; i < 4; i++)
        cr_assert_str_eq(t.cells[(i + 1) * t.width + id], order[i], "row %zu", i + 1);
    nl_test_free_table(&t);
    free(text);
    nl_run_free(&run);
    nl_test_remove(out);
    nl_test_remove(dir);
}

Test(reader, natural_compare_orders_numbers_by_value_and_ignores_case)
{
    cr_assert_lt(nl_natural_compare("file2.csv", "file10.csv"), 0);
    cr_assert_lt(nl_natural_compare("a_file.csv", "B_file.csv"), 0);
    cr_assert_gt(nl_natural_compare("B_file.csv", "a_file.csv"), 0);
    cr_assert_lt(nl_natural_compare("q1", "Q2"), 0);
    cr_assert_lt(nl_natural_compare("x09", "x10"), 0);
    cr_assert_lt(nl_natural_compare("team", "team2"), 0);
    /* Equal but for case: still one fixed order, never 0. */
    cr_assert_neq(nl_natural_compare("Team.csv", "team.csv"), 0);
    cr_assert_eq(nl_natural_compare("same", "same"), 0);
}

Test(reader, a_path_given_twice_is_read_once)
{
    nl_run run =
        RUN("inspect", "--template", TINY, SMALL "/line-ends/lf.csv", SMALL "/line-ends/lf.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: warning: " SMALL "/line-ends/lf.csv is named "
                                        "more than once (or with its folder): it is read once"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.out, "total: 1 file, 3 people accepted, 1 row rejected"), "%s",
              run.out);
    nl_run_free(&run);
    /* A folder and a file in it, named another way. */
    run =
        RUN("inspect", "--template", TINY, SMALL "/folder", SMALL "/line-ends/../folder/file2.csv");
    cr_assert(nl_test_contains(run.err, "folder/file2.csv is named more than once"), "%s", run.err);
    cr_assert(nl_test_contains(run.out, "total: 4 files, 4 people accepted, 1 row rejected"), "%s",
              run.out);
    nl_run_free(&run);
}

/* ---- messages ---- */

Test(messages, quoted_cells_show_invisible_characters)
{
    nl_run run = RUN("inspect", "--template", TINY, SMALL "/invisible.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "invisible.csv:2:4: person V1: level 'A<no-break space>' "
                                        "is not one of the template's levels (A to C): correct "
                                        "the cell"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "invisible.csv:3:6: person V2: '3<zero-width space>' for "
                                        "Coding"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "invisible.csv:4:10: person V3: visibility '3<tab>5' is "
                                        "not a number"),
              "%s", run.out);
    nl_run_free(&run);
}

Test(messages, long_format_cells_show_invisible_characters)
{
    nl_run run = RUN("inspect", "--template", TINY, SMALL "/invisible-long.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "invisible-long.csv:2:3: person L1: 'coding<no-break "
                                        "space>' is not one of the template's skills (by id or "
                                        "name): correct the cell, or remove the row"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "invisible-long.csv:3:4: person L1: '<zero-width "
                                        "space>4' for Design is neither a score from 1 to 5"),
              "%s", run.out);
    nl_run_free(&run);
}

Test(messages, the_rejected_rows_file_keeps_the_id_in_its_own_column)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv"), *rejected = nl_test_path_in(dir, "r.rejected.csv");
    nl_run run = RUN("evaluate", "--template", TINY, "--out", out, SMALL "/invisible.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    char *text = nl_test_read_file(rejected, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_eq(t.rows, 4);
    size_t id = nl_test_column(&t, "id"), reason = nl_test_column(&t, "reason");
    cr_assert_str_eq(t.cells[1 * t.width + id], "V1");
    cr_assert(strncmp(t.cells[1 * t.width + reason], "level 'A<no-break space>'", 25) == 0, "%s",
              t.cells[1 * t.width + reason]);
    nl_test_free_table(&t);
    free(text);
    nl_run_free(&run);
    nl_test_remove(out);
    nl_test_remove(rejected);
    nl_test_remove(dir);
}

Test(messages, visible_names_invisible_characters)
{
    char buf[128];
    cr_assert_str_eq(nl_visible("A\xC2\xA0", buf, sizeof buf), "A<no-break space>");
    cr_assert_str_eq(nl_visible("a\tb", buf, sizeof buf), "a<tab>b");
    cr_assert_str_eq(nl_visible("x\xE2\x80\x8By", buf, sizeof buf), "x<zero-width space>y");
    cr_assert_str_eq(nl_visible("\xEF\xBB\xBFid", buf, sizeof buf), "<byte order mark>id");
    cr_assert_str_eq(nl_visible("M\xC3\xBCller", buf, sizeof buf), "M\xC3\xBCller");
    cr_assert_str_eq(nl_visible("\x01", buf, sizeof buf), "<U+0001>");
    cr_assert_str_eq(nl_visible("\xFF", buf, sizeof buf), "<byte 0xFF>");
    char small[8];
    cr_assert_str_eq(nl_visible("abcdefghij", small, sizeof small), "abcd...");
    cr_assert_str_eq(nl_visible("abcdefg", small, sizeof small), "abcdefg");
}

/* ---- line numbers at every chunk size ---- */

typedef struct line_log {
    long lines[16];
    size_t count;
} line_log;

static bool log_line(const nl_csv_record *record, void *data)
{
    line_log *log = data;
    if (log->count < 16)
        log->lines[log->count++] = record->line;
    return true;
}

Test(reader, record_lines_hold_when_a_crlf_is_split_between_chunks)
{
    /* Lines: 1 header (LF), 2 lone CR, 3 LF, 4 CRLF, 5 empty (CRLF), 6 quoted break (CR LF)
     * spanning 6-7, 8 last without a line end. */
    static const char text[] = "h\n"
                               "a\r"
                               "b\n"
                               "c\r\n"
                               "\r\n"
                               "\"d\r\nd\",x\n"
                               "e";
    static const long expected[] = {1, 2, 3, 4, 6, 8};
    size_t len = sizeof text - 1;
    for (size_t chunk = 1; chunk <= len; chunk++) {
        line_log log = {0};
        nl_csv_reader *r = nl_csv_reader_new("t.csv", ',', log_line, NULL, &log);
        cr_assert_not_null(r);
        nl_error e = {0};
        for (size_t at = 0; at < len; at += chunk)
            cr_assert_eq(nl_csv_feed(r, text + at, at + chunk > len ? len - at : chunk, &e), NL_OK);
        cr_assert_eq(nl_csv_finish(r, &e), NL_OK);
        cr_assert_eq(log.count, 6, "chunk %zu: %zu records", chunk, log.count);
        for (size_t i = 0; i < 6; i++)
            cr_assert_eq(log.lines[i], expected[i], "chunk %zu, record %zu: line %ld", chunk, i,
                         log.lines[i]);
        cr_assert_eq(nl_csv_lines(r), 8, "chunk %zu", chunk);
        cr_assert_eq(nl_csv_blank_lines(r), 1, "chunk %zu", chunk);
        nl_csv_reader_free(r);
    }
}

Test(reader, a_folder_of_hidden_files_only_says_so)
{
    char *dir = nl_test_temp_dir();
    char *hidden = nl_test_path_in(dir, ".only.csv");
    nl_test_write_text(hidden, "id,name,level\nH1,Hid,A\n");
    nl_run run = RUN("inspect", "--template", TINY, dir);
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "the folder holds no .csv file but hidden ones (a name "
                                        "starting with '.'), which are not read: rename them"),
              "%s", run.err);
    nl_run_free(&run);
    nl_test_remove(hidden);
    nl_test_remove(dir);
}

Test(messages, header_cells_show_invisible_characters)
{
    nl_run run = RUN("inspect", "--template", TINY, SMALL "/invisible-header.csv");
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "invisible-header.csv:1: no 'level' column in the header "
                                        "(the template's [columns] level = level); column 4 "
                                        "reads 'level<no-break space>': retype that header cell "
                                        "without the invisible character"),
              "%s", run.err);
    nl_run_free(&run);
    run = RUN("inspect", "--template", TINY, SMALL "/invisible-column.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "unknown columns (ignored): \"visibility<no-break "
                                        "space>\""),
              "%s", run.out);
    nl_run_free(&run);
}
