/* `nextlevel evaluate` to xlsx: the workbook checked by an independent reader (openpyxl,
 * tests/tools/check_workbook.py), reproducibility, packs with hostile group names, spilling
 * onto continuation sheets, and failures that must leave no partial file. */
#include "test_support.h"

#include "nextlevel/review.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"
#include "nextlevel/report_machine.h"
#include "nextlevel/report_xlsx.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define SAMPLES                                                                                    \
    "samples/platform.csv", "samples/payments.csv", "samples/mobile.csv",                          \
        "samples/design-systems-long.csv", "samples/messy-export.csv"

/* Checks a workbook against the JSON results of the same run with openpyxl. */
static int check_workbook(const char *xlsx, const char *json, const char *extra)
{
    char command[4096];
    snprintf(command, sizeof command, "/usr/bin/python3 tests/tools/check_workbook.py '%s' '%s' %s",
             xlsx, json, extra);
    return nl_test_shell(command);
}

static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

Test(cli_workbook, samples_workbook_passes_the_independent_reader, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "report.xlsx"), *json = nl_test_path_in(dir, "report.json");
    nl_run run = RUN("evaluate", "--template", IC, "--out", xlsx, "--date", "2026-11-26", SAMPLES);
    cr_assert_eq(run.exit_code, 1, "rejected rows give 1; stderr: %s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", IC, "--out", json, SAMPLES);
    cr_assert_eq(run.exit_code, 1);
    nl_run_free(&run);
    cr_assert_eq(check_workbook(xlsx, json, "--template " IC), 0);
    /* The checker can fail: the same workbook is not a pack of one team. */
    cr_assert_neq(check_workbook(xlsx, json, "--team Payments >/dev/null"), 0);
    free(xlsx);
    free(json);
    nl_test_remove_tree(dir);
}

Test(cli_workbook, same_inputs_and_date_give_identical_workbooks, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *a = nl_test_path_in(dir, "a.xlsx"), *b = nl_test_path_in(dir, "b.xlsx"),
         *c = nl_test_path_in(dir, "c.xlsx");
    nl_run run =
        RUN("evaluate", "-q", "--template", IC, "--out", a, "--date", "2026-01-31", SAMPLES);
    nl_run_free(&run);
    setenv("SOURCE_DATE_EPOCH", "1769817600", 1); /* 2026-01-31 00:00 UTC */
    run = RUN("evaluate", "-q", "--template", IC, "--out", b, SAMPLES);
    nl_run_free(&run);
    unsetenv("SOURCE_DATE_EPOCH");
    run = RUN("evaluate", "-q", "--template", IC, "--out", c, "--date", "2026-02-01", SAMPLES);
    nl_run_free(&run);
    size_t la, lb, lc;
    char *da = nl_test_read_file(a, &la), *db = nl_test_read_file(b, &lb),
         *dc = nl_test_read_file(c, &lc);
    cr_assert(da && db && dc);
    cr_assert(la == lb && memcmp(da, db, la) == 0, "--date and SOURCE_DATE_EPOCH differ");
    cr_assert(la != lc || memcmp(da, dc, la) != 0, "another date must change the file");
    free(da);
    free(db);
    free(dc);
    free(a);
    free(b);
    free(c);
    nl_test_remove_tree(dir);
}

Test(cli_workbook, team_packs_hold_only_their_team, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "report.xlsx"), *json = nl_test_path_in(dir, "report.json");
    char *packs = nl_test_path_in(dir, "packs");
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", xlsx, "--split-by", "team",
                     "--out-dir", packs, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", IC, "--out", json, SAMPLES);
    nl_run_free(&run);
    cr_assert_eq(count_files(packs), 5, "five teams in the samples");
    static const char *const teams[] = {"Data", "Design Systems", "Mobile", "Payments", "Platform"};
    for (size_t i = 0; i < 5; i++) {
        char name[64], extra[128];
        snprintf(name, sizeof name, "%s.xlsx", teams[i]);
        char *pack = nl_test_path_in(packs, name);
        snprintf(extra, sizeof extra, "--team '%s'", teams[i]);
        cr_assert_eq(check_workbook(pack, json, extra), 0, "pack %s", teams[i]);
        free(pack);
    }
    free(xlsx);
    free(json);
    free(packs);
    nl_test_remove_tree(dir);
}

/* libxlsxwriter writes each part of a workbook to a temporary file; for packs (small
 * workbooks) those belong in /dev/shm, because creating some 27 files per pack in the output
 * folder on a disk file system was most of a --split-by run's time. The only entries a pack
 * run creates in its folder are the finished workbooks. */
NL_ENV_TEST(cli_workbook, small_workbooks_keep_their_temporary_parts_out_of_the_folder,
            .timeout = 60)
{
    if (access("/dev/shm", W_OK | X_OK) != 0)
        nl_test_skip_env("no writable /dev/shm here");
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "report.xlsx");
    char *packs = nl_test_path_in(dir, "packs");
    cr_assert_eq(mkdir(packs, 0755), 0);
    int watch = inotify_init1(IN_NONBLOCK);
    cr_assert_geq(watch, 0);
    cr_assert_geq(inotify_add_watch(watch, packs, IN_CREATE), 0);
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", xlsx, "--split-by", "team",
                     "--out-dir", packs, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    size_t created = 0;
    char events[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (ssize_t len; (len = read(watch, events, sizeof events)) > 0;) {
        for (char *at = events; at < events + len;) {
            const struct inotify_event *event = (const struct inotify_event *)at;
            cr_expect(event->len > 0 && strstr(event->name, ".xlsx") != NULL,
                      "created in the pack folder: %s", event->len ? event->name : "?");
            created++;
            at += sizeof *event + event->len;
        }
    }
    close(watch);
    cr_expect_eq(created, 5, "five packs, and nothing else created: %zu", created);
    free(xlsx);
    free(packs);
    nl_test_remove_tree(dir);
}

Test(cli_workbook, hostile_team_names_stay_inside_the_out_dir, .timeout = 60)
{
    static const char matrix[] = "id,name,team,level\n"
                                 "A1,Ann,../../escape,L1\n"
                                 "A2,Bob,/etc/passwd,L1\n"
                                 "A3,Cy,CON,L1\n"
                                 "A4,Di,con.txt,L1\n"
                                 "A5,Ed,\"a\\b:c*d?e\"\"f<g>h|i\",L1\n"
                                 "A6,Fay,..,L1\n"
                                 "A7,Gus,Team,L1\n"
                                 "A8,Hal,team,L1\n"
                                 "A9,Ida,,L1\n";
    static const char ini[] = "[framework]\nname = T\nscale = 1..5\n"
                              "[skill s]\nname = S\nfamily = technical\n"
                              "[level L1]\ntitle = One\nnext = L2\nexpectations = s:2\n"
                              "[level L2]\ntitle = Two\nexpectations = s:3\n"
                              "[priorities p]\ntechnical = 1\n"
                              "[gate g]\nkind = meets_expectations\nseverity = hard\n";
    char *csv = nl_test_write_temp(".csv", matrix, sizeof matrix - 1);
    char *template = nl_test_write_temp(".ini", ini, sizeof ini - 1);
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "all.xlsx"), *packs = nl_test_path_in(dir, "packs");
    /* The rows have no ratings (the names are what is tested): a deliberate partial run. */
    nl_run run = RUN("evaluate", "-q", "--allow-missing-columns", "--template", template, "--out",
                     xlsx, "--split-by", "team", "--out-dir", packs, csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    /* Nine groups (Team and team are two teams but must not share a file). */
    cr_assert_eq(count_files(packs), 9);
    cr_assert_eq(count_files(dir), 2, "nothing written beside the packs folder");
    struct stat st;
    static const char *const expected[] = {
        "_etc_passwd.xlsx", "_CON.xlsx", "_con.txt.xlsx",  "a_b_c_d_e_f_g_h_i.xlsx",
        "unnamed.xlsx",     "Team.xlsx", "(no team).xlsx", "_.._escape.xlsx"};
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        char *p = nl_test_path_in(packs, expected[i]);
        cr_expect_eq(stat(p, &st), 0, "missing %s", expected[i]);
        free(p);
    }
    free(xlsx);
    free(packs);
    nl_test_remove_tree(dir);
    nl_test_remove(csv);
    nl_test_remove(template);
}

Test(cli_workbook, failures_leave_the_previous_report_and_no_partial_file, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "report.xlsx");
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", xlsx, "samples/platform.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    size_t before_len;
    char *before = nl_test_read_file(xlsx, &before_len);
    /* An unusable template: exit 3, the old report untouched, no temporary file left. */
    run = RUN("evaluate", "-q", "--template", "tests/cases/bad/no-such-template.ini", "--out", xlsx,
              "samples/platform.csv");
    cr_assert_eq(run.exit_code, 3);
    nl_run_free(&run);
    size_t after_len;
    char *after = nl_test_read_file(xlsx, &after_len);
    cr_assert(after && after_len == before_len && memcmp(before, after, after_len) == 0);
    cr_assert_eq(count_files(dir), 1, "only the report");
    /* A folder that does not exist: exit 4 and a message naming it. */
    run = RUN("evaluate", "-q", "--template", IC, "--out", "/nonexistent-dir/report.xlsx",
              "samples/platform.csv");
    cr_assert_eq(run.exit_code, 4, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "/nonexistent-dir/report.xlsx"), "%s", run.err);
    nl_run_free(&run);
    /* xlsx cannot go to standard output. */
    run =
        RUN("evaluate", "--template", IC, "--format", "xlsx", "--out", "-", "samples/platform.csv");
    cr_assert_eq(run.exit_code, 2);
    nl_run_free(&run);
    free(before);
    free(after);
    free(xlsx);
    nl_test_remove_tree(dir);
}

Test(cli_workbook, a_cell_over_excels_limit_is_cut_with_a_marker, .timeout = 60)
{
    size_t long_len = 40000;
    char *matrix = malloc(long_len + 200);
    int n = sprintf(matrix, "Employee ID,Full name,Level\nE1,");
    memset(matrix + n, 'x', long_len);
    n += (int)long_len;
    n += sprintf(matrix + n, ",L1\n");
    char *csv = nl_test_write_temp(".csv", matrix, (size_t)n);
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "long.xlsx");
    nl_run run =
        RUN("evaluate", "-q", "--allow-missing-columns", "--template", IC, "--out", xlsx, csv);
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"import openpyxl,sys; v=openpyxl.load_workbook(sys.argv[1])"
             "['Readiness']['B2'].value; sys.exit(0 if len(v) <= 32767 and "
             "v.endswith('[truncated by nextlevel]') else 1)\" '%s'",
             xlsx);
    cr_assert_eq(nl_test_shell(command), 0, "the long name must be cut to 32,767 characters");
    free(matrix);
    free(xlsx);
    nl_test_remove_tree(dir);
    nl_test_remove(csv);
}

/* Rows past a sheet's limit continue on "Readiness (2)": tried with a limit of 10 rows. */
Test(cli_workbook, sheets_continue_when_rows_run_out, .timeout = 120)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(nl_test_path(IC), &fw, &err), NL_OK, "%s", err.message);
    nl_matrix *m = nl_matrix_new(fw);
    const char *files[] = {"samples/platform.csv", "samples/payments.csv", "samples/mobile.csv",
                           "samples/design-systems-long.csv", "samples/messy-export.csv"};
    for (size_t i = 0; i < 5; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s", nl_test_path(files[i]));
        cr_assert_eq(nl_matrix_read_file(m, path, 0, &err), NL_OK, "%s", err.message);
    }
    nl_evaluator *ev = NULL;
    cr_assert_eq(nl_evaluator_new(fw, NULL, NULL, &ev, &err), NL_OK);
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "spill.xlsx"), *json = nl_test_path_in(dir, "spill.json");
    nl_review *rv = NULL;
    cr_assert_eq(nl_review_build(&(nl_review_inputs){.ev = ev, .m = m}, &rv, &err), NL_OK);
    nl_review_view whole;
    cr_assert_eq(nl_review_view_make(rv, NULL, &whole), NL_OK);
    nl_xlsx_options options = {.run_date = 0, .max_rows_per_sheet = 10};
    cr_assert_eq(nl_write_workbook(xlsx, dir, &whole, &options, &err), NL_OK, "%s", err.message);
    nl_review_view_clear(&whole);
    FILE *out = fopen(json, "wb");
    cr_assert_eq(nl_write_results_json(out, rv, &(nl_machine_options){0}), NL_OK);
    fclose(out);
    int schema = nl_test_check_json_schema(json);
    cr_assert(schema == 0 || schema == 77, "spill.json does not match the schema");
    nl_review_free(rv);
    /* 43 people at 10 a sheet: Readiness to Readiness (5); the checker reads them all. */
    cr_assert_eq(check_workbook(xlsx, json, ""), 0);
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"import openpyxl,sys; n=openpyxl.load_workbook(sys.argv[1])"
             ".sheetnames; sys.exit(0 if 'Readiness (5)' in n and 'Readiness (6)' not in n and "
             "'Gates (2)' in n else 1)\" '%s'",
             xlsx);
    cr_assert_eq(nl_test_shell(command), 0);
    nl_evaluator_free(ev);
    nl_matrix_free(m);
    nl_framework_free(fw);
    free(xlsx);
    free(json);
    nl_test_remove_tree(dir);
}

Test(cli_workbook, summary_detail_leaves_out_gates_and_skill_gaps, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "summary.xlsx");
    nl_run run = RUN("evaluate", "-q", "--detail", "summary", "--template", IC, "--out", xlsx,
                     "samples/platform.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"import openpyxl,sys; n=openpyxl.load_workbook(sys.argv[1])"
             ".sheetnames; sys.exit(0 if 'Gates' not in n and 'Skill gaps' not in n and "
             "'Readiness' in n and 'Development plans' in n else 1)\" '%s'",
             xlsx);
    cr_assert_eq(nl_test_shell(command), 0);
    run = RUN("evaluate", "--detail", "some", "--template", IC, "--out", xlsx,
              "samples/platform.csv");
    cr_assert_eq(run.exit_code, 2);
    nl_run_free(&run);
    free(xlsx);
    nl_test_remove_tree(dir);
}

/* Packs written by two processes are the same files, byte for byte, as by one. */
Test(cli_workbook, packs_are_the_same_whatever_the_jobs, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *one = nl_test_path_in(dir, "one"), *two = nl_test_path_in(dir, "two");
    char *xlsx1 = nl_test_path_in(dir, "1.xlsx"), *xlsx2 = nl_test_path_in(dir, "2.xlsx");
    nl_run run = RUN("evaluate", "-q", "--jobs", "1", "--date", "2026-01-01", "--template", IC,
                     "--out", xlsx1, "--split-by", "manager", "--out-dir", one, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--jobs", "2", "--date", "2026-01-01", "--template", IC, "--out",
              xlsx2, "--split-by", "manager", "--out-dir", two, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    cr_assert_gt(count_files(one), 1);
    cr_assert_eq(count_files(one), count_files(two));
    char command[4096];
    snprintf(command, sizeof command, "diff -r '%s' '%s' >/dev/null", one, two);
    cr_assert_eq(system(command), 0, "packs differ between --jobs 1 and --jobs 2");
    /* More processes than a pack each, taking packs from one queue: still every pack once. */
    char *three = nl_test_path_in(dir, "three"), *xlsx3 = nl_test_path_in(dir, "3.xlsx");
    run = RUN("evaluate", "-q", "--jobs", "7", "--date", "2026-01-01", "--template", IC, "--out",
              xlsx3, "--split-by", "manager", "--out-dir", three, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    snprintf(command, sizeof command, "diff -r '%s' '%s' >/dev/null", one, three);
    cr_assert_eq(system(command), 0, "packs differ between --jobs 1 and --jobs 7");
    run = RUN("evaluate", "--jobs", "0", "--template", IC, "samples/platform.csv");
    cr_assert_eq(run.exit_code, 2);
    nl_run_free(&run);
    free(three);
    free(xlsx3);
    free(one);
    free(two);
    free(xlsx1);
    free(xlsx2);
    nl_test_remove_tree(dir);
}

/* Packs are written while the combined workbook is: when that one cannot be written, the run
 * says so, with its exit code, once the pack processes have stopped. */
Test(cli_workbook, a_failed_combined_workbook_fails_a_pack_run, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *packs = nl_test_path_in(dir, "packs");
    char *xlsx = nl_test_path_in(dir, "missing/report.xlsx");
    nl_run run = RUN("evaluate", "--jobs", "2", "--template", IC, "--out", xlsx, "--split-by",
                     "team", "--out-dir", packs, SAMPLES);
    cr_assert_eq(run.exit_code, 4, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "report.xlsx: cannot create the output"), "%s", run.err);
    cr_assert_not(nl_test_contains(run.err, "wrote"), "%s", run.err);
    nl_run_free(&run);
    free(xlsx);
    free(packs);
    nl_test_remove_tree(dir);
}

/* From 2,000 people evaluation runs on --jobs threads: no output may change. */
Test(cli_workbook, threads_do_not_change_any_output, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *data = nl_test_path_in(dir, "data");
    char command[4096];
    /* Past 2,000 every writer runs on threads; the sanitizer build stays just past it. */
#if defined(__SANITIZE_ADDRESS__)
    int people = 2100;
#else
    int people = 3000;
#endif
    snprintf(command, sizeof command,
             "python3 bench/gen.py --people %d --skills 12 '%s' >/dev/null", people, data);
    cr_assert_eq(nl_test_shell(command), 0);
    char *template = nl_test_path_in(data, "template.ini");
    char *one = nl_test_path_in(dir, "one.xlsx"), *two = nl_test_path_in(dir, "two.xlsx");
    nl_run run = RUN("evaluate", "-q", "--jobs", "1", "--date", "2026-01-01", "--template",
                     template, "--out", one, data);
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--jobs", "2", "--date", "2026-01-01", "--template", template,
              "--out", two, data);
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    snprintf(command, sizeof command, "cmp -s '%s' '%s'", one, two);
    cr_assert_eq(nl_test_shell(command), 0, "--jobs 2 changed the workbook");
    /* The machine outputs too are the same, evaluated on one thread or two. The sanitizer
     * build checks the threaded workbook only: its CSV and JSON writers run the same evaluation
     * threads, and four more runs of 2,100 people there cost the test command ten seconds. */
    static const char *const kinds[] = {"csv", "json"};
#if defined(__SANITIZE_ADDRESS__)
    size_t kind_count = 0;
#else
    size_t kind_count = 2;
#endif
    for (size_t k = 0; k < kind_count; k++) {
        char a[1024], b[1024];
        snprintf(a, sizeof a, "%s/one.%s", dir, kinds[k]);
        snprintf(b, sizeof b, "%s/two.%s", dir, kinds[k]);
        run = RUN("evaluate", "-q", "--jobs", "1", "--template", template, "--out", a, data);
        nl_run_free(&run);
        run = RUN("evaluate", "-q", "--jobs", "2", "--template", template, "--out", b, data);
        nl_run_free(&run);
        snprintf(command, sizeof command, "cmp -s '%s' '%s'", a, b);
        cr_assert_eq(nl_test_shell(command), 0, "--jobs 2 changed the %s output", kinds[k]);
    }
    free(template);
    free(one);
    free(two);
    free(data);
    nl_test_remove_tree(dir);
}

/* A pack's sheets are sized by its own people: a team of captains (top of the ladder, no gate
 * rows) gets one Gates sheet even when the organisation's first people fill several. */
Test(cli_workbook, a_packs_sheets_are_sized_by_its_own_people, .timeout = 60)
{
    static const char csv[] = "id,name,team,level,months,visibility,coding,design,mentoring,"
                              "communication\n"
                              "A1,Ann,Apprentices,A,12,3,2,1,1,2\n"
                              "A2,Abe,Apprentices,A,12,3,2,1,1,2\n"
                              "A3,Ada,Apprentices,A,12,3,2,1,1,2\n"
                              "A4,Ari,Apprentices,A,12,3,2,1,1,2\n"
                              "C1,Cat,Captains,C,12,3,5,4,4,4\n"
                              "C2,Cid,Captains,C,12,3,5,4,4,4\n"
                              "C3,Cy,Captains,C,12,3,5,4,4,4\n"
                              "C4,Col,Captains,C,12,3,5,4,4,4\n";
    char *csv_path = nl_test_write_temp(".csv", csv, sizeof csv - 1);
    nl_framework *fw = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(nl_test_path("tests/cases/batch/tiny.ini"), &fw, &err), NL_OK,
                 "%s", err.message);
    nl_matrix *m = nl_matrix_new(fw);
    cr_assert_eq(nl_matrix_read_file(m, csv_path, 0, &err), NL_OK, "%s", err.message);
    nl_evaluator *ev = NULL;
    cr_assert_eq(nl_evaluator_new(fw, NULL, NULL, &ev, &err), NL_OK);
    nl_review *rv = NULL;
    cr_assert_eq(nl_review_build(&(nl_review_inputs){.ev = ev, .m = m}, &rv, &err), NL_OK);
    static const size_t captains[] = {4, 5, 6, 7};
    nl_view_scope scope = {NL_VIEW_TEAM, "Captains", captains, 4};
    nl_review_view view;
    cr_assert_eq(nl_review_view_make(rv, &scope, &view), NL_OK);
    cr_assert_eq(view.count, 4);
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "captains.xlsx");
    nl_xlsx_options options = {.run_date = 0, .max_rows_per_sheet = 3};
    cr_assert_eq(nl_write_workbook(xlsx, dir, &view, &options, &err), NL_OK, "%s", err.message);
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"import openpyxl,sys; n=openpyxl.load_workbook(sys.argv[1])"
             ".sheetnames; print(n); sys.exit(0 if 'Gates' in n and 'Gates (2)' not in n and "
             "'Readiness (2)' in n else 1)\" '%s'",
             xlsx);
    cr_assert_eq(nl_test_shell(command), 0, "the Captains pack has more than one Gates sheet");
    nl_review_view_clear(&view);
    nl_review_free(rv);
    nl_evaluator_free(ev);
    nl_matrix_free(m);
    nl_framework_free(fw);
    free(xlsx);
    nl_test_remove_tree(dir);
    free(csv_path);
}
