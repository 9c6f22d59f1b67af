/* HR batch runs and quarter over quarter on the command line: folders of exports (name order,
 * --recursive, what is ignored), the team taken from the file name, the same id in two files,
 * standard input, `evaluate --previous` (continuing, new, left, promoted people and their trend
 * figures), readiness bands at their boundaries, exit codes, the progress line and the run
 * summary, and the bundled samples of two quarters.
 *
 * Most runs use tests/cases/batch/tiny.ini: skills coding (technical, profile weight 3), design
 * (technical, 1), mentoring and communication (soft, 1 each); levels A -> B -> C; gates tech_bar
 * (meets_expectations on technical, hard), readiness (>= 90, hard), tenure (>= 12 months, soft),
 * visibility (>= 3, soft); growth_per_quarter = 0.5. B expects coding 4, design 2, mentoring 2,
 * communication 4; C expects coding 5, design 4, mentoring 4, communication 4.
 * With a(s) = min(score / expected, 1): A(technical) = (3 * a(coding) + a(design)) / 4,
 * A(soft) = (a(mentoring) + a(communication)) / 2, R = 100 * (A(technical) + A(soft)) / 2. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define TINY     "tests/cases/batch/tiny.ini"
#define TEAMS    "tests/cases/batch/teams"
#define DUP      "tests/cases/batch/dup"
#define PREV     "tests/cases/batch/trend/previous"
#define CUR      "tests/cases/batch/trend/current"
#define IC       "templates/engineering-ic.ini"

/* ---- helpers ---- */

/* The number of lines of a text (each ended by '\n'). */
static size_t line_count(const char *text)
{
    size_t n = 0;
    for (const char *p = text; p && *p; p++)
        n += *p == '\n';
    return n;
}

#define RUN_STDIN(input, ...) nl_test_run_stdin(input, (const char *[]){__VA_ARGS__, NULL})

/* The cell of row r (1 = first data row) in the named column. */
static const char *at(const nl_test_table *t, size_t r, const char *name)
{
    cr_assert(r >= 1 && r < t->rows, "no row %zu", r);
    return t->cells[r * t->width + nl_test_column(t, name)];
}

static bool has_row(const nl_test_table *t, const char *id)
{
    size_t idc = nl_test_column(t, "id");
    for (size_t r = 1; r < t->rows; r++) {
        if (strcmp(t->cells[r * t->width + idc], id) == 0)
            return true;
    }
    return false;
}

/* Asserts that the data rows hold exactly these ids, in this order, from these files. */
static void expect_rows(const nl_test_table *t, const char *const *ids, const char *const *files,
                        size_t count)
{
    cr_assert_eq(t->rows - 1, count, "%zu rows, expected %zu", t->rows - 1, count);
    for (size_t i = 0; i < count; i++) {
        cr_assert_str_eq(at(t, i + 1, "id"), ids[i], "row %zu", i + 1);
        cr_assert_str_eq(at(t, i + 1, "source_file"), files[i], "row %zu (%s)", i + 1, ids[i]);
    }
}

static double jnum(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    cr_assert(json_is_number(value), "no number %s", key);
    return json_number_value(value);
}

/* The seconds at the end of the run summary ("...; 1.23 s"), or -1. */
static double summary_seconds(const char *err)
{
    const char *line = strstr(err, "rows rejected; ");
    if (line == NULL)
        line = strstr(err, "row rejected; ");
    if (line == NULL)
        return -1;
    return strtod(strchr(line, ';') + 1, NULL);
}

/* ---- 1. folders ---- */

/* tests/cases/batch/teams holds alpha.csv (A1, A2, A3, with a team column), beta.csv (B1, B2)
 * and zulu.csv (Z1) without one, notes.txt and ._alpha.csv (a valid matrix each, with X1 and
 * X2: they must not be read), and the sub-folders sub-a (charlie.csv: C1; deeper/delta.csv:
 * D1) and sub-b (echo.csv: E1, foxtrot.CSV: F1). */
static const char *const top_ids[] = {"A1", "A2", "A3", "B1", "B2", "Z1"};
static const char *const top_files[] = {TEAMS "/alpha.csv", TEAMS "/alpha.csv", TEAMS "/alpha.csv",
                                        TEAMS "/beta.csv",  TEAMS "/beta.csv",  TEAMS "/zulu.csv"};
static const char *const all_ids[] = {"A1", "A2", "A3", "B1", "B2", "Z1", "C1", "D1", "E1", "F1"};
static const char *const all_files[] = {TEAMS "/alpha.csv",         TEAMS "/alpha.csv",
                                        TEAMS "/alpha.csv",         TEAMS "/beta.csv",
                                        TEAMS "/beta.csv",          TEAMS "/zulu.csv",
                                        TEAMS "/sub-a/charlie.csv", TEAMS "/sub-a/deeper/delta.csv",
                                        TEAMS "/sub-b/echo.csv",    TEAMS "/sub-b/foxtrot.CSV"};

Test(batch_dirs, a_folder_is_read_in_name_order_without_other_files_or_sub_folders)
{
    nl_run run = RUN("evaluate", "--template", TINY, "--out", "-", TEAMS);
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    /* alpha, beta, zulu: name order, and each file's rows in file order (lines 2, 3, 4). */
    expect_rows(&t, top_ids, top_files, 6);
    cr_assert_str_eq(nl_test_cell(&t, "A3", "source_line"), "4");
    cr_assert_str_eq(nl_test_cell(&t, "B2", "source_line"), "3");
    /* notes.txt is no CSV, ._alpha.csv is hidden (as a shell's *.csv leaves it out, and as
     * the "._" copies that macOS leaves on shared drives should be), sub-folders need -r. */
    cr_assert_not(has_row(&t, "X1"));
    cr_assert_not(has_row(&t, "X2"));
    cr_assert_not(has_row(&t, "C1"));
    nl_test_free_table(&t);
    /* The summary counts the three files read. */
    cr_assert(nl_test_contains(run.err, "nextlevel: 3 files, 6 people: "), "%s", run.err);
    nl_run_free(&run);
}

Test(batch_dirs, recursive_reads_the_files_first_then_the_sub_folders_in_name_order)
{
    /* zulu.csv comes before sub-a/ although "sub-a" < "zulu.csv": the folder's own files
     * first; sub-a (with its own sub-folder deeper/ after charlie.csv) before sub-b; the
     * extension is matched in any case (foxtrot.CSV). */
    static const char *const flags[] = {"-r", "--recursive"};
    for (int i = 0; i < 2; i++) {
        nl_run run = RUN("evaluate", flags[i], "--template", TINY, "--out", "-", TEAMS);
        cr_assert_eq(run.exit_code, 0, "%s: %s", flags[i], run.err);
        nl_test_table t = nl_test_parse_csv(run.out);
        expect_rows(&t, all_ids, all_files, 10);
        cr_assert_not(has_row(&t, "X1"));
        cr_assert_not(has_row(&t, "X2"));
        nl_test_free_table(&t);
        cr_assert(nl_test_contains(run.err, "nextlevel: 7 files, 10 people: "), "%s", run.err);
        nl_run_free(&run);
    }
    /* A trailing slash gives the same paths, without a doubled slash. */
    nl_run run = RUN("evaluate", "-r", "--template", TINY, "--out", "-", TEAMS "/");
    cr_assert_eq(run.exit_code, 0);
    nl_test_table t = nl_test_parse_csv(run.out);
    expect_rows(&t, all_ids, all_files, 10);
    nl_test_free_table(&t);
    nl_run_free(&run);
}

Test(batch_dirs, json_output_keeps_the_read_order)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.json");
    nl_run run = RUN("evaluate", "--recursive", "--template", TINY, "--out", out, TEAMS);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    json_t *root = nl_test_load_json(out);
    json_t *people = json_object_get(root, "people");
    cr_assert_eq(json_array_size(people), 10);
    for (size_t i = 0; i < 10; i++) {
        json_t *p = json_array_get(people, i);
        cr_assert_str_eq(nl_test_json_str(p, "id"), all_ids[i]);
        cr_assert_str_eq(nl_test_json_str(json_object_get(p, "source"), "file"), all_files[i]);
    }
    json_decref(root);
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
}

Test(batch_dirs, inspect_reports_the_files_in_read_order)
{
    nl_run run = RUN("inspect", "-r", "--template", TINY, TEAMS);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    static const char *const files[] = {"alpha.csv",
                                        "beta.csv",
                                        "zulu.csv",
                                        "sub-a/charlie.csv",
                                        "sub-a/deeper/delta.csv",
                                        "sub-b/echo.csv",
                                        "sub-b/foxtrot.CSV"};
    const char *from = run.out;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char header[256];
        snprintf(header, sizeof header, "%s/%s: wide format, comma-delimited\n", TEAMS, files[i]);
        const char *found = strstr(run.out, header);
        cr_assert_not_null(found, "no report for %s:\n%s", files[i], run.out);
        cr_assert(found >= from, "%s is reported out of order", files[i]);
        from = found;
    }
    cr_assert_not(nl_test_contains(run.out, "notes.txt"));
    cr_assert_not(nl_test_contains(run.out, "._alpha"));
    /* 3 + 2 + 1 + 1 + 1 + 1 + 1 people. */
    cr_assert(nl_test_contains(run.out, "total: 7 files, 10 people accepted, 0 rows rejected\n"),
              "%s", run.out);
    nl_run_free(&run);
}

Test(batch_dirs, a_folder_without_csv_exits_3_naming_it_and_writes_nothing)
{
    char *dir = nl_test_temp_dir();
    char *in = nl_test_path_in(dir, "exports"), *sub = nl_test_path_in(dir, "exports/2026-q4");
    char *notes = nl_test_path_in(dir, "exports/notes.txt"),
         *csv = nl_test_path_in(dir, "exports/2026-q4/t.csv");
    char *outdir = nl_test_path_in(dir, "out"), *out = nl_test_path_in(dir, "out/r.csv");
    cr_assert_eq(mkdir(in, 0755), 0);
    cr_assert_eq(mkdir(sub, 0755), 0);
    cr_assert_eq(mkdir(outdir, 0755), 0);
    nl_test_write_text(notes, "not a matrix\n");
    nl_test_write_text(csv,
                       "id,name,level,months,visibility,coding,design,mentoring,communication\n"
                       "Q1,Quinn,A,12,3,4,2,2,4\n");
    /* Only a sub-folder holds a CSV: without --recursive the folder has none. */
    nl_run run = RUN("evaluate", "--template", TINY, "--out", out, in);
    cr_assert_eq(run.exit_code, 3, "exit %d: %s", run.exit_code, run.err);
    char expected[4200];
    snprintf(expected, sizeof expected, "nextlevel: %s: the folder holds no .csv file", in);
    cr_assert(nl_test_contains(run.err, expected), "%s", run.err);
    cr_assert_eq(nl_test_count_entries(outdir), 0, "nothing written");
    nl_run_free(&run);
    /* inspect says the same. */
    run = RUN("inspect", "--template", TINY, in);
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, expected), "%s", run.err);
    nl_run_free(&run);
    /* With --recursive the sub-folder's file is read. */
    run = RUN("evaluate", "-r", "--template", TINY, "--out", out, in);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    /* An empty folder, with or without -r. */
    cr_assert_eq(unlink(csv), 0);
    run = RUN("evaluate", "-r", "--template", TINY, "--out", out, sub);
    cr_assert_eq(run.exit_code, 3);
    snprintf(expected, sizeof expected, "nextlevel: %s: the folder holds no .csv file", sub);
    cr_assert(nl_test_contains(run.err, expected), "%s", run.err);
    nl_run_free(&run);
    free(in);
    free(sub);
    free(notes);
    free(csv);
    free(outdir);
    free(out);
    nl_test_remove_tree(dir);
}

Test(batch_dirs, a_missing_path_exits_3_naming_it_and_writes_nothing)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    /* A missing operand among good ones: nothing is evaluated. */
    nl_run run = RUN("evaluate", "--template", TINY, "--out", out, TEAMS,
                     "tests/cases/batch/no-such-folder");
    cr_assert_eq(run.exit_code, 3, "exit %d: %s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: tests/cases/batch/no-such-folder: "), "%s",
              run.err);
    cr_assert_eq(nl_test_count_entries(dir), 0);
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
}

/* Regression: --recursive followed links to folders without noticing a loop. A link to the
 * folder itself ("self -> .") read every file once per level, until the system refused the
 * path (41 times, 40 of them as duplicates); a second link back up ("back -> ..") made the
 * walk exponential and the run never ended. Each folder is now read once. */
Test(batch_dirs, recursive_reads_a_folder_reached_through_links_only_once, .timeout = 30)
{
    char *dir = nl_test_temp_dir();
    char *data = nl_test_path_in(dir, "data"), *csv = nl_test_path_in(dir, "data/team.csv");
    char *self = nl_test_path_in(dir, "data/self"), *back = nl_test_path_in(dir, "data/back");
    cr_assert_eq(mkdir(data, 0755), 0);
    nl_test_write_text(csv,
                       "id,name,level,months,visibility,coding,design,mentoring,communication\n"
                       "L1,Lou Loop,A,12,3,4,2,2,4\n"
                       "L2,Lee Loop,A,12,3,4,2,2,4\n");
    cr_assert_eq(symlink(".", self), 0);
    nl_run run = RUN("evaluate", "-r", "--template", TINY, "--out", "-", data);
    cr_assert_eq(run.exit_code, 0, "exit %d: %.300s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: 1 file, 2 people: "), "%.300s", run.err);
    cr_assert(nl_test_contains(run.err, "; 0 rows rejected;"), "%.300s", run.err);
    nl_run_free(&run);
    cr_assert_eq(symlink("..", back), 0);
    run = RUN("evaluate", "-r", "--template", TINY, "--out", "-", data);
    cr_assert_eq(run.exit_code, 0, "exit %d: %.300s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: 1 file, 2 people: "), "%.300s", run.err);
    nl_run_free(&run);
    free(data);
    free(csv);
    free(self);
    free(back);
    nl_test_remove_tree(dir);
}

/* ---- 2. the team from the file name ---- */

Test(batch_team, a_file_without_team_column_names_the_team_and_a_team_column_wins)
{
    nl_run run = RUN("evaluate", "-r", "--template", TINY, "--out", "-", TEAMS);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    /* No team column: the file name without folder and extension. */
    cr_assert_str_eq(nl_test_cell(&t, "B1", "team"), "beta");
    cr_assert_str_eq(nl_test_cell(&t, "B2", "team"), "beta");
    cr_assert_str_eq(nl_test_cell(&t, "Z1", "team"), "zulu");
    cr_assert_str_eq(nl_test_cell(&t, "C1", "team"), "charlie");
    cr_assert_str_eq(nl_test_cell(&t, "D1", "team"), "delta");   /* sub-a/deeper/ removed */
    cr_assert_str_eq(nl_test_cell(&t, "F1", "team"), "foxtrot"); /* .CSV removed too */
    /* alpha.csv has a team column: "Alpha Squad", not "alpha"; and the column wins even where
     * its cell is empty (A3 has no team, not "alpha"). */
    cr_assert_str_eq(nl_test_cell(&t, "A1", "team"), "Alpha Squad");
    cr_assert_str_eq(nl_test_cell(&t, "A2", "team"), "Alpha Squad");
    cr_assert_str_eq(nl_test_cell(&t, "A3", "team"), "");
    nl_test_free_table(&t);
    nl_run_free(&run);
}

Test(batch_team, only_the_last_extension_is_removed)
{
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "payments.2026-q4.csv");
    nl_test_write_text(csv,
                       "id,name,level,months,visibility,coding,design,mentoring,communication\n"
                       "P1,Pat,A,12,3,4,2,2,4\n");
    nl_run run = RUN("evaluate", "--template", TINY, "--out", "-", csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    cr_assert_str_eq(nl_test_cell(&t, "P1", "team"), "payments.2026-q4");
    nl_test_free_table(&t);
    nl_run_free(&run);
    free(csv);
    nl_test_remove_tree(dir);
}

/* ---- 3. the same id in two files ---- */

/* dup/one.csv: K1 (line 2), D1 (line 3, every skill at B: Ready now); dup/two.csv: D1 (line 2,
 * coding 3 < 4: Developing), K2 (line 3). */
Test(batch_dup, the_first_file_read_wins_and_the_message_names_both_places)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv"), *rejected = nl_test_path_in(dir, "r.rejected.csv");
    nl_run run = RUN("evaluate", "--template", TINY, "--out", out, DUP);
    cr_assert_eq(run.exit_code, 1, "a rejected row gives 1: %s", run.err);
    /* one.csv is read first (name order): its D1 is evaluated, two.csv's row 2 is rejected. */
    cr_assert(nl_test_contains(run.err, "nextlevel: rejected: " DUP "/two.csv:2:1: "), "%s",
              run.err);
    cr_assert(nl_test_contains(run.err, "D1"), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "the same id is already on line"), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "already on line 3 of " DUP "/one.csv"), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: 2 files, 3 people: 3 Ready now, "), "%s",
              run.err);
    cr_assert(nl_test_contains(run.err, "; 1 row rejected;"), "%s", run.err);
    char *text = nl_test_read_file(out, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    static const char *const ids[] = {"K1", "D1", "K2"};
    static const char *const files[] = {DUP "/one.csv", DUP "/one.csv", DUP "/two.csv"};
    expect_rows(&t, ids, files, 3);
    cr_assert_str_eq(nl_test_cell(&t, "D1", "outcome"), "Ready now"); /* one.csv's scores */
    cr_assert_str_eq(nl_test_cell(&t, "D1", "source_line"), "3");
    nl_test_free_table(&t);
    free(text);
    /* The rejected-rows file has the row, with both places. */
    text = nl_test_read_file(rejected, NULL);
    t = nl_test_parse_csv(text);
    cr_assert_eq(t.rows, 2, "header + 1 row");
    cr_assert_str_eq(at(&t, 1, "file"), DUP "/two.csv");
    cr_assert_str_eq(at(&t, 1, "line"), "2");
    cr_assert(nl_test_contains(at(&t, 1, "reason"), "line 3 of " DUP "/one.csv"), "%s",
              at(&t, 1, "reason"));
    nl_test_free_table(&t);
    free(text);
    nl_run_free(&run);
    free(out);
    free(rejected);
    nl_test_remove_tree(dir);
}

Test(batch_dup, files_given_in_another_order_make_the_other_row_win)
{
    nl_run run = RUN("evaluate", "--template", TINY, "--out", "-", DUP "/two.csv", DUP "/one.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    static const char *const ids[] = {"D1", "K2", "K1"};
    static const char *const files[] = {DUP "/two.csv", DUP "/two.csv", DUP "/one.csv"};
    expect_rows(&t, ids, files, 3);
    cr_assert_str_eq(nl_test_cell(&t, "D1", "outcome"), "Developing"); /* two.csv: coding 3 < 4 */
    nl_test_free_table(&t);
    cr_assert(nl_test_contains(run.err, "nextlevel: rejected: " DUP "/one.csv:3:1: "), "%s",
              run.err);
    cr_assert(nl_test_contains(run.err, "already on line 2 of " DUP "/two.csv"), "%s", run.err);
    nl_run_free(&run);
}

/* ---- 4. standard input ---- */

static const char stdin_matrix[] =
    "id,name,level,months,visibility,coding,design,mentoring,communication\n"
    "S1,Sam Stdin,A,12,3,4,2,2,4\n"  /* line 2: Ready now */
    "S2,Sid Stdin,A,12,3,7,2,2,4\n"  /* line 3: 7 is off the scale, column 6 */
    "T1,Tia Twice,A,12,3,4,2,2,4\n"; /* line 4: T1 is also in trend/current/core.csv:2 */

Test(batch_stdin, dash_reads_standard_input_named_stdin_with_files)
{
    char *input = nl_test_write_temp(".csv", stdin_matrix, strlen(stdin_matrix));
    nl_run run =
        RUN_STDIN(input, "evaluate", "--template", TINY, "--out", "-", "-", CUR "/core.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    /* stdin first (S1, T1), then core.csv, whose T1 is rejected (T2, T3). */
    static const char *const ids[] = {"S1", "T1", "T2", "T3"};
    static const char *const files[] = {"<stdin>", "<stdin>", CUR "/core.csv", CUR "/core.csv"};
    expect_rows(&t, ids, files, 4);
    cr_assert_str_eq(nl_test_cell(&t, "S1", "source_line"), "2");
    cr_assert_str_eq(nl_test_cell(&t, "T1", "name"), "Tia Twice");
    /* Standard input has no file name to take a team from. */
    cr_assert_str_eq(nl_test_cell(&t, "S1", "team"), "");
    nl_test_free_table(&t);
    cr_assert(nl_test_contains(run.err, "nextlevel: rejected: <stdin>:3:6: "), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: rejected: " CUR "/core.csv:2:1: "), "%s",
              run.err);
    cr_assert(nl_test_contains(run.err, "already on line 4 of <stdin>"), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: 2 files, 4 people: "), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "; 2 rows rejected;"), "%s", run.err);
    nl_run_free(&run);

    /* After a file, the file's T1 wins and the message names it from stdin's line. */
    run = RUN_STDIN(input, "evaluate", "--template", TINY, "--out", "-", CUR "/core.csv", "-");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    t = nl_test_parse_csv(run.out);
    cr_assert_str_eq(nl_test_cell(&t, "T1", "name"), "Ana Rise");
    cr_assert_str_eq(nl_test_cell(&t, "T1", "source_file"), CUR "/core.csv");
    cr_assert_str_eq(nl_test_cell(&t, "S1", "source_file"), "<stdin>");
    nl_test_free_table(&t);
    cr_assert(nl_test_contains(run.err, "nextlevel: rejected: <stdin>:4:1: "), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "already on line 2 of " CUR "/core.csv"), "%s", run.err);
    nl_run_free(&run);

    /* inspect names it the same way. */
    run = RUN_STDIN(input, "inspect", "--template", TINY, "-");
    cr_assert_eq(run.exit_code, 1);
    cr_assert(nl_test_contains(run.out, "<stdin>: wide format, comma-delimited\n"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "    <stdin>:3:6: "), "%s", run.out);
    nl_run_free(&run);
    nl_test_remove(input);
}

Test(batch_stdin, json_names_standard_input_too)
{
    char *input = nl_test_write_temp(".csv", stdin_matrix, strlen(stdin_matrix));
    nl_run run =
        RUN_STDIN(input, "evaluate", "--template", TINY, "--format", "json", "--out", "-", "-");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    json_error_t error;
    json_t *root = json_loads(run.out, 0, &error);
    cr_assert_not_null(root, "%s", error.text);
    json_t *s1 = nl_test_json_person(root, "S1");
    cr_assert_str_eq(nl_test_json_str(json_object_get(s1, "source"), "file"), "<stdin>");
    json_t *rejected = json_array_get(json_object_get(root, "rejected"), 0);
    cr_assert_str_eq(nl_test_json_str(rejected, "file"), "<stdin>");
    cr_assert_eq(jnum(rejected, "line"), 3);
    json_decref(root);
    nl_run_free(&run);
    nl_test_remove(input);
}

/* ---- 5. last quarter: --previous ---- */

/* trend/previous: core.csv (team column Core: T1, T2, T3), growth.csv (no team column: T4, T6,
 * T7); trend/current: core.csv (T1, T2, T3), growth.csv (T4, T5, T7). Every person is at A
 * (evaluated against B) unless said otherwise. Columns: months, visibility, coding, design,
 * mentoring, communication.
 *
 * T1 then 12, 3, 3, 2, 2, 3.5: A(t) = (3 * 0.75 + 1) / 4 = 0.8125, A(s) = (1 + 0.875) / 2 =
 *    0.9375, R = 87.5, Developing (coding 3 < 4; 87.5 < 90).
 *    now 15, 3, 4, 2, 1.5, 3.5: A(t) = 1, A(s) = (0.75 + 0.875) / 2 = 0.8125, R = 90.625, every
 *    gate passes: Ready now. Change +3.125; skills coding +1, mentoring -0.5.
 * T2 then 17, 4, 4, 2, 2, 4: R = 100, Ready now. now 20, 4, 3, 3, 2, 4: A(t) = (2.25 + 1) / 4 =
 *    0.8125, R = 90.625, Developing (coding 3 < 4). Change -9.375; coding -1, design +1.
 *    Growth measured: design +1 = 1 (coding's -1 not subtracted); distance 1 (coding 3 -> 4):
 *    1 quarter, Next quarter.
 * T3 the same scores both quarters (3, 2, 2, 4): R = 90.625 both times, Developing, change 0,
 *    no skill change, growth 0 measured: Later, no quarters (never).
 * T4 then A, 14 months, 4, 2, 2, 4: Ready now, R = 100. now B (against C: 5, 4, 4, 4), 2
 *    months, 4.5, 3, 3, 4: A(t) = (3 * 0.9 + 0.75) / 4 = 0.8625, A(s) = (0.75 + 1) / 2 = 0.875,
 *    R = 86.875, Developing: promoted, last quarter's level A. Change -13.125; skills design
 *    +1, mentoring +1, coding +0.5 (ties in template order). Growth 0.5 + 1 + 1 = 2.5;
 *    distance 0.5 + 1 = 1.5 (then R = 50 * (1 + 0.875) = 93.75 passes): 0.6 quarters, but the
 *    tenure gate needs ceil((12 - 2) / 3) = 4 quarters: Later.
 * T5 only now: A, 12 months, 3.5, 2, 2, 4: new; distance 0.5, template growth 0.5: 1 quarter,
 *    Next quarter.
 * T6 only then: B, 4, 4, 4, 4 against C: A(t) = (3 * 0.8 + 1) / 4 = 0.85, A(s) = 1, R = 92.5,
 *    Developing: left.
 * T7 then design not assessed: Not evaluated, R over what was assessed: A(t) = 0.75 (coding
 *    alone), A(s) = 1, R = 87.5. now 3.5, 2, 2, 4: A(t) = (2.625 + 1) / 4 = 0.90625, R = 95.3125,
 *    Developing. Change +7.8125; skills coding +0.5 (design was not assessed: no change
 *    shown, no growth counted): growth 0.5, distance 0.5, 1 quarter. */

typedef struct trend_row {
    const char *id, *team, *outcome, *readiness, *band, *quarters, *growth, *source, *status,
        *outcome_then, *readiness_then, *change, *skills;
} trend_row;

static const trend_row trend_rows[] = {
    /* Growth is how much closer to Ready now a person came (README, "Readiness bands"). */
    {"T1", "Core", "Ready now", "90.625", "Ready now", "0", "", "", "continuing", "Developing",
     "87.5", "3.125", "coding +1, mentoring -0.5"},
    /* Ready now last quarter (0 points away), 1 point away now: growth -1, no estimate. A
     * rise in design (already at its bar) brings nobody closer. */
    {"T2", "Core", "Developing", "90.625", "Later", "", "-1", "measured", "continuing", "Ready now",
     "100", "-9.375", "coding -1, design +1"},
    {"T3", "Core", "Developing", "90.625", "Later", "", "0", "measured", "continuing", "Developing",
     "90.625", "0", ""},
    /* Promoted: last quarter's distance was to another level, so the template's 0.5: 1.5 / 0.5
     * = 3 quarters; the soft tenure gate (2 months of 12) is a risk, it does not delay. */
    {"T4", "growth", "Developing", "86.875", "In 2-3 quarters", "3", "0.5", "template", "promoted",
     "Ready now", "100", "-13.125", "design +1, mentoring +1, coding +0.5"},
    {"T5", "growth", "Developing", "95.3125", "Next quarter", "1", "0.5", "template", "new", "", "",
     "", ""},
    /* Not evaluated last quarter: no distance then, the template's growth. */
    {"T7", "growth", "Developing", "95.3125", "Next quarter", "1", "0.5", "template", "continuing",
     "Not evaluated", "87.5", "7.8125", "coding +0.5"},
};

static void expect_trend_rows(const char *csv)
{
    nl_test_table t = nl_test_parse_csv(csv);
    cr_assert_eq(t.rows - 1, 6, "T6 left: not a row; %zu rows", t.rows - 1);
    cr_assert_not(has_row(&t, "T6"));
    static const char *const columns[] = {"team",
                                          "outcome",
                                          "readiness_score",
                                          "band",
                                          "quarters_to_ready",
                                          "growth_per_quarter",
                                          "growth_source",
                                          "trend_status",
                                          "outcome_last_quarter",
                                          "readiness_last_quarter",
                                          "readiness_change",
                                          "skill_changes"};
    for (size_t i = 0; i < sizeof trend_rows / sizeof *trend_rows; i++) {
        const trend_row *w = &trend_rows[i];
        cr_assert_str_eq(at(&t, i + 1, "id"), w->id, "row %zu", i + 1);
        const char *want[] = {w->team,         w->outcome,        w->readiness, w->band,
                              w->quarters,     w->growth,         w->source,    w->status,
                              w->outcome_then, w->readiness_then, w->change,    w->skills};
        for (size_t c = 0; c < sizeof columns / sizeof *columns; c++)
            cr_assert_str_eq(nl_test_cell(&t, w->id, columns[c]), want[c], "%s %s", w->id,
                             columns[c]);
    }
    nl_test_free_table(&t);
}

Test(batch_trend, continuing_new_left_and_promoted_people_in_the_csv)
{
    nl_run run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", "-", CUR);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    expect_trend_rows(run.out);
    /* The summary counts this quarter only: 2 files, 6 people, T1 the one Ready now. */
    cr_assert(nl_test_contains(run.err, "nextlevel: 2 files, 6 people: 1 Ready now, 0 Ready with "
                                        "risk, 5 Developing, 0 Not evaluated, 0 Top of ladder; 0 "
                                        "rows rejected;"),
              "%s", run.err);
    nl_run_free(&run);
}

Test(batch_trend, previous_files_one_by_one_equal_the_folder)
{
    nl_run folder = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", "-", CUR);
    nl_run files = RUN("evaluate", "--template", TINY, "--previous", PREV "/core.csv", "--previous",
                       PREV "/growth.csv", "--out", "-", CUR "/core.csv", CUR "/growth.csv");
    cr_assert_eq(files.exit_code, 0, "%s", files.err);
    cr_assert_str_eq(files.out, folder.out);
    expect_trend_rows(files.out);
    nl_run_free(&folder);
    nl_run_free(&files);
    /* Only one of the two files: T4, T6, T7 were not there, so T4 and T7 are new; growth.csv
     * has no team column, and last quarter had nobody without a team: their team is new. */
    nl_run run =
        RUN("evaluate", "--template", TINY, "--previous", PREV "/core.csv", "--out", "-", CUR);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    cr_assert_str_eq(nl_test_cell(&t, "T1", "trend_status"), "continuing");
    cr_assert_str_eq(nl_test_cell(&t, "T4", "trend_status"), "new team");
    cr_assert_str_eq(nl_test_cell(&t, "T7", "trend_status"), "new team");
    cr_assert_str_eq(nl_test_cell(&t, "T7", "growth_source"), "template");
    nl_test_free_table(&t);
    nl_run_free(&run);
}

Test(batch_trend, without_previous_the_trend_is_empty_and_growth_comes_from_the_template)
{
    nl_run run = RUN("evaluate", "--template", TINY, "--out", "-", CUR);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    static const char *const ids[] = {"T1", "T2", "T3", "T4", "T5", "T7"};
    for (size_t i = 0; i < 6; i++) {
        cr_assert_str_eq(nl_test_cell(&t, ids[i], "trend_status"), "", "%s", ids[i]);
        cr_assert_str_eq(nl_test_cell(&t, ids[i], "readiness_change"), "", "%s", ids[i]);
        cr_assert_str_eq(nl_test_cell(&t, ids[i], "skill_changes"), "", "%s", ids[i]);
    }
    /* T2: distance 1 at the template's 0.5 a quarter: 2 quarters (never with the measured
     * growth of -1). T3: 1 / 0.5 = 2 (never with no growth). T4: 1.5 / 0.5 = 3. */
    cr_assert_str_eq(nl_test_cell(&t, "T2", "quarters_to_ready"), "2");
    cr_assert_str_eq(nl_test_cell(&t, "T2", "band"), "In 2-3 quarters");
    cr_assert_str_eq(nl_test_cell(&t, "T2", "growth_source"), "template");
    cr_assert_str_eq(nl_test_cell(&t, "T3", "quarters_to_ready"), "2");
    cr_assert_str_eq(nl_test_cell(&t, "T4", "quarters_to_ready"), "3");
    cr_assert_str_eq(nl_test_cell(&t, "T4", "band"), "In 2-3 quarters");
    nl_test_free_table(&t);
    nl_run_free(&run);
}

Test(batch_trend, json_trend_and_left_list)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "q.json");
    nl_run run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", out, CUR);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    json_t *root = nl_test_load_json(out);

    json_t *t1 = json_object_get(nl_test_json_person(root, "T1"), "trend");
    cr_assert_str_eq(nl_test_json_str(t1, "status"), "continuing");
    cr_assert_str_eq(nl_test_json_str(t1, "level_last_quarter"), "A");
    cr_assert_str_eq(nl_test_json_str(t1, "outcome_last_quarter"), "Developing");
    cr_assert_float_eq(jnum(t1, "readiness_last_quarter"), 87.5, 1e-9);
    cr_assert_float_eq(jnum(t1, "readiness_change"), 3.125, 1e-9);
    json_t *changes = json_object_get(t1, "skill_changes");
    cr_assert_eq(json_object_size(changes), 2);
    cr_assert_float_eq(jnum(changes, "coding"), 1, 1e-9);
    cr_assert_float_eq(jnum(changes, "mentoring"), -0.5, 1e-9);

    json_t *t4 = nl_test_json_person(root, "T4");
    cr_assert_str_eq(nl_test_json_str(t4, "level"), "B");
    json_t *trend = json_object_get(t4, "trend");
    cr_assert_str_eq(nl_test_json_str(trend, "status"), "promoted");
    cr_assert_str_eq(nl_test_json_str(trend, "level_last_quarter"), "A");
    cr_assert_float_eq(jnum(trend, "readiness_change"), -13.125, 1e-9);
    json_t *band = json_object_get(t4, "band");
    /* Promoted: the template's growth; the soft tenure gate does not delay the band. */
    cr_assert_str_eq(nl_test_json_str(band, "name"), "In 2-3 quarters");
    cr_assert_float_eq(jnum(band, "quarters_to_ready"), 3, 1e-9);
    cr_assert_float_eq(jnum(band, "distance_to_ready"), 1.5, 1e-9);
    cr_assert_float_eq(jnum(band, "growth_per_quarter"), 0.5, 1e-9);
    cr_assert_str_eq(nl_test_json_str(band, "growth_source"), "template");
    cr_assert_float_eq(jnum(band, "tenure_quarters"), 0, 1e-9);

    json_t *t5 = json_object_get(nl_test_json_person(root, "T5"), "trend");
    cr_assert_str_eq(nl_test_json_str(t5, "status"), "new");
    cr_assert_null(json_object_get(t5, "outcome_last_quarter"));

    json_t *left = json_object_get(root, "left");
    cr_assert_eq(json_array_size(left), 1);
    json_t *t6 = json_array_get(left, 0);
    cr_assert_str_eq(nl_test_json_str(t6, "id"), "T6");
    cr_assert_str_eq(nl_test_json_str(t6, "team"), "growth");
    cr_assert_str_eq(nl_test_json_str(t6, "level_last_quarter"), "B");
    cr_assert_str_eq(nl_test_json_str(t6, "outcome_last_quarter"), "Developing");
    cr_assert_float_eq(jnum(t6, "readiness_last_quarter"), 92.5, 1e-9);
    json_decref(root);
    nl_run_free(&run);

    /* Without --previous: no trend objects and no left list. */
    run = RUN("evaluate", "--template", TINY, "--out", out, CUR);
    root = nl_test_load_json(out);
    cr_assert_null(json_object_get(nl_test_json_person(root, "T1"), "trend"));
    cr_assert_null(json_object_get(root, "left"));
    json_decref(root);
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
}

/* ---- 6. readiness bands, end to end ---- */

/* tests/cases/batch/bands.csv, all at A against B (coding 4, design 2, mentoring 2,
 * communication 4) unless said otherwise; no --previous, so growth is the template's 0.5. */
Test(batch_bands, band_columns_at_every_boundary)
{
    nl_run run = RUN("evaluate", "--template", TINY, "--out", "-", "tests/cases/batch/bands.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    static const struct {
        const char *id, *outcome, *band, *quarters, *growth, *source;
    } want[] = {
        /* Every gate passes: 0 points and 0 quarters away. */
        {"N1", "Ready now", "Ready now", "0", "", ""},
        /* coding 3.5: distance 0.5, 0.5 / 0.5 = exactly 1 quarter. */
        {"N2", "Developing", "Next quarter", "1", "0.5", "template"},
        /* coding 3.45: ratings move in half points, so +1 (to 4.45): distance 1, 2 quarters. */
        {"N3", "Developing", "In 2-3 quarters", "2", "0.5", "template"},
        /* coding 2.5: distance 1.5 (the readiness gate, R = 50 * ((3 * 0.625 + 1) / 4 + 1) =
         * 85.9375, passes once coding is 4): exactly 3 quarters. */
        {"N4", "Developing", "In 2-3 quarters", "3", "0.5", "template"},
        /* coding 2.45: +2 (to 4.45), distance 2, 4 quarters. */
        {"N5", "Developing", "Later", "4", "0.5", "template"},
        /* Skills ready, 5 months of 12: the soft tenure gate is a risk with a mitigation, so
         * 0 points away is one quarter, as the distance says. */
        {"N6", "Ready with risk", "Next quarter", "1", "0.5", "template"},
        /* Distance 0.5 (1 quarter), 6 months: the soft tenure gate does not delay it. */
        {"N7", "Developing", "Next quarter", "1", "0.5", "template"},
        /* Distance 1.5 (3 quarters), 9 months: 3. */
        {"N8", "Developing", "In 2-3 quarters", "3", "0.5", "template"},
        /* Skills ready, 2 months: one quarter, like N6. */
        {"N9", "Ready with risk", "Next quarter", "1", "0.5", "template"},
        /* Only visibility 2 < 3 open, which no score clears: one quarter. */
        {"N10", "Ready with risk", "Next quarter", "1", "0.5", "template"},
        /* design not assessed: Not evaluated, no band. */
        {"N11", "Not evaluated", "", "", "", ""},
        /* Level C: Top of ladder, no band. */
        {"N12", "Top of ladder", "", "", "", ""},
    };
    cr_assert_eq(t.rows - 1, sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const char *id = want[i].id;
        cr_assert_str_eq(nl_test_cell(&t, id, "outcome"), want[i].outcome, "%s", id);
        cr_assert_str_eq(nl_test_cell(&t, id, "band"), want[i].band, "%s", id);
        cr_assert_str_eq(nl_test_cell(&t, id, "quarters_to_ready"), want[i].quarters, "%s", id);
        cr_assert_str_eq(nl_test_cell(&t, id, "growth_per_quarter"), want[i].growth, "%s", id);
        cr_assert_str_eq(nl_test_cell(&t, id, "growth_source"), want[i].source, "%s", id);
    }
    /* The distances behind them. */
    cr_assert_str_eq(nl_test_cell(&t, "N3", "distance_to_ready"), "1");
    cr_assert_str_eq(nl_test_cell(&t, "N3", "development_plan"), "coding +1 (3.45 -> 4.45)");
    cr_assert_str_eq(nl_test_cell(&t, "N4", "distance_to_ready"), "1.5");
    cr_assert_str_eq(nl_test_cell(&t, "N4", "readiness_score"), "85.9375");
    cr_assert_str_eq(nl_test_cell(&t, "N5", "distance_to_ready"), "2");
    nl_test_free_table(&t);
    nl_run_free(&run);
}

/* Regression (see test_trend.c): distances that are whole steps from off-grid scores (coding
 * 2.6 -> 4.1 then and 3.3 -> 4.3 now: 1.5 and 1 point) must compare without float noise:
 * growth exactly 0.5, 2 quarters; coding 3.2 -> 4.2 and 3.4 -> 4.4 (1 point both quarters,
 * 1.0000000000000004 in doubles) is no growth, exactly 0, not -4.4e-16. */
Test(batch_bands, measured_growth_at_a_decimal_boundary)
{
    nl_run run =
        RUN("evaluate", "--template", TINY, "--previous", "tests/cases/batch/rounding-previous.csv",
            "--out", "-", "tests/cases/batch/rounding-current.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    cr_assert_str_eq(nl_test_cell(&t, "R1", "growth_per_quarter"), "0.5");
    cr_assert_str_eq(nl_test_cell(&t, "R1", "growth_source"), "measured");
    cr_assert_str_eq(nl_test_cell(&t, "R1", "distance_to_ready"), "1");
    cr_assert_str_eq(nl_test_cell(&t, "R1", "quarters_to_ready"), "2");
    cr_assert_str_eq(nl_test_cell(&t, "R1", "band"), "In 2-3 quarters");
    cr_assert_str_eq(nl_test_cell(&t, "R3", "growth_per_quarter"), "0");
    cr_assert_str_eq(nl_test_cell(&t, "R3", "quarters_to_ready"), "");
    cr_assert_str_eq(nl_test_cell(&t, "R3", "band"), "Later");
    nl_test_free_table(&t);
    nl_run_free(&run);
}

/* ---- 8. exit codes with --previous and folders ---- */

Test(batch_exit, each_situation_has_its_exit_code)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv"), *empty = nl_test_path_in(dir, "empty");
    char *notes = nl_test_path_in(dir, "empty/notes.txt");
    cr_assert_eq(mkdir(empty, 0755), 0);
    nl_test_write_text(notes, "nothing here\n");
    char missing_out[4200];
    snprintf(missing_out, sizeof missing_out, "%s/no-such-folder/r.csv", dir);
    static const char *const bad_previous[] = {
        "tests/cases/batch/no-such-quarter", /* missing */
        NULL,                                /* a folder without CSV: set below */
        TEAMS "/notes.txt",                  /* a file with no id or level column */
    };
    /* 0: everything read, nothing rejected. */
    nl_run run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", out, CUR);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    /* 1: a row of this quarter is rejected (the duplicate D1 of dup/). */
    run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", out, DUP);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    cr_assert_eq(unlink(out), 0);
    /* The CSV files beside r.csv: rejected rows, summary, managers, trend (no fairness). */
    static const char *const siblings[] = {"r.rejected.csv", "r.summary.csv", "r.managers.csv",
                                           "r.trend.csv"};
    for (size_t i = 0; i < sizeof siblings / sizeof *siblings; i++) {
        char *sibling = nl_test_path_in(dir, siblings[i]);
        cr_assert_eq(unlink(sibling), 0, "%s", siblings[i]);
        free(sibling);
    }
    /* 2: usage. */
    run = RUN("evaluate", "--template", TINY, "--out", out, CUR, "--previous");
    cr_assert_eq(run.exit_code, 2, "--previous without a value: %s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", out);
    cr_assert_eq(run.exit_code, 2, "no MATRIX: %s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--bogus", "--out", out, CUR);
    cr_assert_eq(run.exit_code, 2, "a misspelt option: %s", run.err);
    nl_run_free(&run);
    /* 3: last quarter unusable, in three ways; nothing written. */
    for (size_t i = 0; i < 3; i++) {
        const char *previous = bad_previous[i] ? bad_previous[i] : empty;
        run = RUN("evaluate", "--template", TINY, "--previous", previous, "--out", out, CUR);
        cr_assert_eq(run.exit_code, 3, "--previous %s: exit %d: %s", previous, run.exit_code,
                     run.err);
        char named[4200];
        snprintf(named, sizeof named, "nextlevel: %s", previous);
        cr_assert(nl_test_contains(run.err, named), "the message names %s: %s", previous, run.err);
        nl_run_free(&run);
    }
    /* 3: this quarter's folder has no CSV. */
    run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", out, empty);
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    nl_run_free(&run);
    cr_assert_eq(nl_test_count_entries(dir), 1, "nothing written besides the empty folder");
    /* 4: the output cannot be written. */
    run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", missing_out, CUR);
    cr_assert_eq(run.exit_code, 4, "%s", run.err);
    cr_assert(nl_test_contains(run.err, missing_out), "%s", run.err);
    nl_run_free(&run);
    cr_assert_eq(nl_test_count_entries(dir), 1);
    free(out);
    free(empty);
    free(notes);
    nl_test_remove_tree(dir);
}

/* Regression: rows of last quarter's files that were rejected (a score off the scale, a
 * duplicate id) used to be dropped without a word. They are listed on stderr and count in the
 * exit code ("nothing is dropped silently"). */
Test(batch_exit, rejected_rows_of_last_quarter_are_listed)
{
    char *dir = nl_test_temp_dir();
    char *previous = nl_test_path_in(dir, "q3.csv");
    nl_test_write_text(
        previous, "id,name,team,level,months,visibility,coding,design,mentoring,communication\n"
                  "T1,Ana Rise,Core,A,12,3,9,2,2,3.5\n" /* line 2: 9 is off the scale */
                  "T2,Ben Fall,Core,A,17,4,4,2,2,4\n"
                  "T2,Ben Again,Core,A,17,4,4,2,2,4\n"); /* line 4: duplicate */
    nl_run run =
        RUN("evaluate", "--template", TINY, "--previous", previous, "--out", "-", CUR "/core.csv");
    char where[4200];
    snprintf(where, sizeof where, "%s:2:", previous);
    cr_assert(nl_test_contains(run.err, where), "last quarter's bad row is not listed: %s",
              run.err);
    snprintf(where, sizeof where, "%s:4:", previous);
    cr_assert(nl_test_contains(run.err, where), "last quarter's duplicate is not listed: %s",
              run.err);
    nl_run_free(&run);
    free(previous);
    nl_test_remove_tree(dir);
}

/* Regression: a person whose row this quarter is rejected (a typo in one score) used to be
 * listed as having left, although they are in this quarter's export. */
Test(batch_exit, a_rejected_row_this_quarter_is_not_a_leaver)
{
    char *dir = nl_test_temp_dir();
    char *current = nl_test_path_in(dir, "q4.csv"), *out = nl_test_path_in(dir, "q4.json");
    nl_test_write_text(
        current, "id,name,team,level,months,visibility,coding,design,mentoring,communication\n"
                 "T1,Ana Rise,Core,A,15,3,4,2,1.5,35\n" /* 35 for 3.5: rejected */
                 "T2,Ben Fall,Core,A,20,4,3,3,2,4\n"
                 "T3,Cai Still,Core,A,20,3,3,2,2,4\n");
    nl_run run =
        RUN("evaluate", "--template", TINY, "--previous", PREV "/core.csv", "--out", out, current);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    json_t *root = nl_test_load_json(out);
    json_t *left = json_object_get(root, "left");
    size_t i;
    json_t *p;
    json_array_foreach(left, i, p)
    {
        cr_assert_str_neq(nl_test_json_str(p, "id"), "T1", "T1 was rejected, not gone");
    }
    json_decref(root);
    nl_run_free(&run);
    free(current);
    free(out);
    nl_test_remove_tree(dir);
}

/* ---- 9. progress and the run summary ---- */

Test(batch_progress, one_summary_line_and_nothing_with_quiet)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    nl_run run = RUN("evaluate", "--template", TINY, "--previous", PREV, "--out", out, CUR);
    cr_assert_eq(run.exit_code, 0);
    /* One line: files, people, the five outcomes, rejected rows, seconds. */
    cr_assert_eq(line_count(run.err), 1, "%s", run.err);
    cr_assert(strncmp(run.err,
                      "nextlevel: 2 files, 6 people: 1 Ready now, 0 Ready with risk, 5 "
                      "Developing, 0 Not evaluated, 0 Top of ladder; 0 rows rejected; ",
                      strlen("nextlevel: 2 files, 6 people: 1 Ready now, 0 Ready with risk, 5 "
                             "Developing, 0 Not evaluated, 0 Top of ladder; 0 rows rejected; ")) ==
                  0,
              "%s", run.err);
    size_t len = strlen(run.err);
    cr_assert(len > 3 && strcmp(run.err + len - 3, " s\n") == 0, "%s", run.err);
    double seconds = summary_seconds(run.err);
    cr_assert(seconds >= 0 && seconds < 30, "%s", run.err);
    cr_assert_str_empty(run.out);
    nl_run_free(&run);
    /* --quiet on a clean run: nothing at all. */
    run = RUN("evaluate", "--quiet", "--template", TINY, "--previous", PREV, "--out", out, CUR);
    cr_assert_eq(run.exit_code, 0);
    cr_assert_str_empty(run.err);
    cr_assert_str_empty(run.out);
    nl_run_free(&run);
    /* -q with a rejected row: still nothing on stderr, and still exit 1. */
    run = RUN("evaluate", "-q", "--template", TINY, "--out", out, DUP);
    cr_assert_eq(run.exit_code, 1);
    cr_assert_str_empty(run.err);
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
}

/* A matrix for templates/engineering-ic.ini with rows people, deterministic. */
static void write_big_matrix(const char *path, size_t rows)
{
    static const char *const levels[] = {"L1", "L2", "L3", "L4", "L5", "M1"};
    static const char *const scores[] = {"1", "2", "2.5", "3", "3.5", "4", "5"};
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("Employee ID,Full name,Team,Manager,Level,Months in level,Coding,System design,"
          "Testing and quality,Operations and reliability,Security,Communication,Collaboration,"
          "Mentoring,Conflict resolution,Stakeholder management,Scope of impact,Ownership,"
          "Influence,Visibility,Performance rating\n",
          f);
    unsigned long state = 12345;
    for (size_t i = 0; i < rows; i++) {
        fprintf(f, "P%07zu,Person %zu,Team %zu,Manager %zu,%s,%zu", i, i, i % 97, i % 97,
                levels[i % 6], i % 40);
        for (int s = 0; s < 13; s++) {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            fprintf(f, ",%s", scores[(state >> 33) % 7]);
        }
        fputs(",3,3\n", f);
    }
    cr_assert_eq(fclose(f), 0);
}

NL_ENV_TEST(batch_progress, a_long_run_shows_progress_only_on_a_terminal, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *big = nl_test_path_in(dir, "big.csv"), *out = nl_test_path_in(dir, "r.csv");
    /* The progress line appears once a run has taken a second: size the input so that this
     * run takes from 1.25 to 1.5 s (about 42,000 rows on the development machine), whatever the
     * machine's speed. */
    size_t rows = 42000;
#if defined(__SANITIZE_ADDRESS__)
    rows = 10000; /* AddressSanitizer: about four times slower */
#endif
    nl_run run = {0};
    double seconds = 0;
    for (int attempt = 0; attempt < 5; attempt++) {
        write_big_matrix(big, rows);
        nl_run_free(&run);
        run = RUN("evaluate", "--template", IC, "--out", out, big);
        cr_assert_eq(run.exit_code, 0, "%.300s", run.err);
        seconds = summary_seconds(run.err);
        cr_log_info("%zu rows: %.2f s", rows, seconds);
        cr_assert(seconds >= 0, "%s", run.err);
        if (seconds >= 1.25)
            break;
        rows = (size_t)((double)rows * 1.6 / (seconds > 0.05 ? seconds : 0.05));
    }
    cr_assert(seconds > 1.0, "the run must take over a second for this test to mean anything");
    /* stderr is a file: only the summary line, no carriage return, no rate. */
    cr_assert_eq(line_count(run.err), 1, "%s", run.err);
    cr_assert_null(strchr(run.err, '\r'), "a progress line went to a file: %s", run.err);
    cr_assert_not(nl_test_contains(run.err, "rows/s"), "%s", run.err);
    char expected[128];
    snprintf(expected, sizeof expected, "nextlevel: 1 file, %zu people: ", rows);
    cr_assert(nl_test_contains(run.err, expected), "%s", run.err);
    nl_run_free(&run);

    /* stderr is a terminal (script(1) runs the command on a pseudo-terminal): progress. */
    if (system("command -v script >/dev/null 2>&1") != 0) {
        free(big);
        free(out);
        nl_test_remove_tree(dir);
        nl_test_skip_env("script(1) is missing: the terminal half is not tested");
    }
    char *tty = nl_test_path_in(dir, "tty.txt");
    char command[8192];
    snprintf(command, sizeof command,
             "cd '%s' && script -qec \"'%s' evaluate --template %s --out '%s' '%s'\" /dev/null "
             "</dev/null >'%s' 2>&1",
             NL_SOURCE_DIR, NL_BINARY, IC, out, big, tty);
    int status = system(command);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "script: status %d", status);
    char *text = nl_test_read_file(tty, NULL);
    cr_assert_not_null(text);
    /* The review evaluates everyone, then the CSV is written: either phase may be long enough
     * to be shown. */
    cr_assert(nl_test_contains(text, "\r\033[Kevaluating: ") ||
                  nl_test_contains(text, "\r\033[Kwriting: "),
              "no progress line: %.400s", text);
    cr_assert(nl_test_contains(text, " rows/s"), "%.400s", text);
    /* The progress line is cleared before the summary. */
    cr_assert(nl_test_contains(text, "\r\033[Knextlevel: 1 file, "), "%.400s", text);
    free(text);
    free(tty);
    free(big);
    free(out);
    nl_test_remove_tree(dir);
}

/* ---- 10. the bundled samples, two quarters ---- */

/* From the files of samples/previous-quarter/ against samples/{platform,payments,mobile}.csv, with
 * templates/engineering-ic.ini (balanced: technical, soft, impact weigh 1 each):
 * - E1011 Chen Wei is only in this quarter's platform.csv: new.
 * - E1199 Tomás Ibarra is only in last quarter's payments.csv: left. L3, all 3s but coding 4:
 *   on the M1 track technical 1, soft 3/4 = 0.75, impact (1 + 3/4 + 1) / 3 = 0.9167,
 *   R = 88.89; on L4 (technical 0.9, soft 0.9, impact 0.8333) 87.78: both Developing, the
 *   higher decides: 88.89.
 * - E1206 Ngozi Eze was L3, is L4: promoted.
 * - E1003 Sofia Lindqvist (L3, M1 track decides): last quarter communication 3.5 and
 *   stakeholder_management 3 against M1's 4: critical fails, Developing, soft
 *   (0.875 + 1 + 1 + 1 + 0.75) / 5 = 0.925, R = 100 * (1 + 0.925 + 1) / 3 = 97.5. Now 4.5 and
 *   4: Ready now, 100. Change +2.5.
 * - E1007 Lucía Fernández (L2 -> L3): last quarter testing_quality 2.5 < 3: technical_bar fails,
 *   technical (1 + 1 + 2.5/3 + 1 + 1) / 5 = 0.96667, R = 98.89, Developing. Now 3.5: Ready now.
 * - E1010 Ravi Iyer (L4 -> L5: coding 5, system_design 4, testing 4, operations 4, security 4):
 *   last quarter 5, 3.5, 3.5, 4, 3: technical (1 + 0.875 + 0.875 + 1 + 0.75) / 5 = 0.9, soft
 *   and impact 1: R = 96.667. Now 4, 4, 3.5, 3, 3: (0.8 + 1 + 0.875 + 0.75 + 0.75) / 5 = 0.835,
 *   R = 94.5. Change -2.1667; coding -1, operations -1, system_design +0.5. */
#define THIS_QUARTER "samples/platform.csv", "samples/payments.csv", "samples/mobile.csv"

Test(batch_samples, two_quarters_of_the_samples)
{
    char *dir = nl_test_temp_dir();
    char *json = nl_test_path_in(dir, "q.json"), *csv = nl_test_path_in(dir, "q.csv");
    nl_run run = RUN("evaluate", "--template", IC, "--previous", "samples/previous-quarter",
                     THIS_QUARTER, "--out", json);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    json_t *root = nl_test_load_json(json);
    cr_assert_eq(json_array_size(json_object_get(root, "people")), 30);

    cr_assert_str_eq(
        nl_test_json_str(json_object_get(nl_test_json_person(root, "E1011"), "trend"), "status"),
        "new");

    json_t *left = json_object_get(root, "left");
    cr_assert_eq(json_array_size(left), 1);
    json_t *e1199 = json_array_get(left, 0);
    cr_assert_str_eq(nl_test_json_str(e1199, "id"), "E1199");
    cr_assert_str_eq(nl_test_json_str(e1199, "team"), "Payments");
    cr_assert_str_eq(nl_test_json_str(e1199, "level_last_quarter"), "L3");
    cr_assert_str_eq(nl_test_json_str(e1199, "outcome_last_quarter"), "Developing");
    cr_assert_float_eq(jnum(e1199, "readiness_last_quarter"), 88.8889, 1e-4);

    json_t *e1206 = nl_test_json_person(root, "E1206");
    cr_assert_str_eq(nl_test_json_str(e1206, "level"), "L4");
    cr_assert_str_eq(nl_test_json_str(json_object_get(e1206, "trend"), "status"), "promoted");
    cr_assert_str_eq(nl_test_json_str(json_object_get(e1206, "trend"), "level_last_quarter"), "L3");

    json_t *e1003 = nl_test_json_person(root, "E1003");
    cr_assert_str_eq(nl_test_json_str(e1003, "outcome"), "Ready now");
    json_t *trend = json_object_get(e1003, "trend");
    cr_assert_str_eq(nl_test_json_str(trend, "outcome_last_quarter"), "Developing");
    cr_assert_float_eq(jnum(trend, "readiness_last_quarter"), 97.5, 1e-9);
    cr_assert_float_eq(jnum(trend, "readiness_change"), 2.5, 1e-9);

    json_t *e1007 = nl_test_json_person(root, "E1007");
    cr_assert_str_eq(nl_test_json_str(e1007, "outcome"), "Ready now");
    trend = json_object_get(e1007, "trend");
    cr_assert_str_eq(nl_test_json_str(trend, "outcome_last_quarter"), "Developing");
    cr_assert_float_eq(jnum(trend, "readiness_last_quarter"), 98.8889, 1e-4);

    json_t *e1010 = nl_test_json_person(root, "E1010");
    trend = json_object_get(e1010, "trend");
    cr_assert_float_eq(jnum(trend, "readiness_last_quarter"), 96.6667, 1e-4);
    cr_assert_float_eq(jnum(e1010, "readiness_score"), 94.5, 1e-9);
    cr_assert_float_eq(jnum(trend, "readiness_change"), -2.16667, 1e-4);
    cr_assert(jnum(trend, "readiness_change") < 0, "E1010's readiness fell");
    json_decref(root);

    /* The CSV says the same, with the skill changes in words. */
    run = RUN("evaluate", "-q", "--template", IC, "--previous", "samples/previous-quarter",
              THIS_QUARTER, "--out", csv);
    cr_assert_eq(run.exit_code, 0);
    char *text = nl_test_read_file(csv, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_str_eq(nl_test_cell(&t, "E1010", "skill_changes"),
                     "coding -1, operations -1, system_design +0.5");
    cr_assert_str_eq(nl_test_cell(&t, "E1011", "trend_status"), "new");
    cr_assert_str_eq(nl_test_cell(&t, "E1011", "growth_source"), "template");
    cr_assert_str_eq(nl_test_cell(&t, "E1206", "trend_status"), "promoted");
    cr_assert_str_eq(nl_test_cell(&t, "E1003", "outcome_last_quarter"), "Developing");
    cr_assert_str_eq(nl_test_cell(&t, "E1003", "trend_status"), "continuing");
    nl_test_free_table(&t);
    free(text);
    nl_run_free(&run);
    free(json);
    free(csv);
    nl_test_remove_tree(dir);
}

NL_ENV_TEST(batch_samples, the_workbook_with_last_quarter_has_a_trend_sheet, .timeout = 120)
{
    if (nl_test_shell("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0)
        nl_test_skip_env("openpyxl is missing");
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "trend.xlsx"), *json = nl_test_path_in(dir, "trend.json");
    char *listing = nl_test_path_in(dir, "trend.txt");
    nl_run run = RUN("evaluate", "--template", IC, "--previous", "samples/previous-quarter",
                     "--date", "2026-01-15", "--out", xlsx, THIS_QUARTER);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", IC, "--previous", "samples/previous-quarter", "--out",
              json, THIS_QUARTER);
    cr_assert_eq(run.exit_code, 0);
    nl_run_free(&run);
    char command[8192];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_workbook.py '%s' '%s' --template %s >/dev/null",
             xlsx, json, IC);
    cr_assert_eq(nl_test_shell(command), 0, "check_workbook.py refused the workbook");
    /* The Trend sheet: id and status per row. */
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"import openpyxl, sys\n"
             "wb = openpyxl.load_workbook(sys.argv[1])\n"
             "print(','.join(wb.sheetnames))\n"
             "ws = wb['Trend']\n"
             "for r in ws.iter_rows(min_row=2, values_only=True):\n"
             "    print(r[0], r[3])\n\" '%s' > '%s'",
             xlsx, listing);
    cr_assert_eq(nl_test_shell(command), 0);
    char *text = nl_test_read_file(listing, NULL);
    cr_assert_not_null(text);
    /* Trend comes after Development plans and before Rejected rows (other sheets may come
     * between: only the order of these three is checked). */
    const char *plans = strstr(text, "Development plans,"), *trend = strstr(text, ",Trend,");
    const char *rejected = strstr(text, ",Rejected rows,"), *first_line_end = strchr(text, '\n');
    cr_assert(plans && trend && rejected && plans < trend && trend < rejected &&
                  rejected < first_line_end,
              "sheets: %.200s", text);
    /* 30 people of this quarter and the one who left: 31 rows after the sheet names. */
    cr_assert_eq(line_count(text), 1 + 31, "%s", text);
    cr_assert(nl_test_contains(text, "\nE1199 left\n"), "%s", text);
    cr_assert(nl_test_contains(text, "\nE1011 new\n"), "%s", text);
    cr_assert(nl_test_contains(text, "\nE1206 promoted\n"), "%s", text);
    cr_assert(nl_test_contains(text, "\nE1010 continuing\n"), "%s", text);
    /* Leavers come last. */
    size_t len = strlen(text), tail = strlen("\nE1199 left\n");
    cr_assert(len > tail && strcmp(text + len - tail, "\nE1199 left\n") == 0, "%s", text);
    free(text);
    free(listing);
    free(xlsx);
    free(json);
    nl_test_remove_tree(dir);
}
