/* Long-format ratings split over several files (issue 15, item 2): one export per assessor role
 * (manager.csv, peer_self.csv) combines per person before the scores are aggregated; every row
 * read is used or rejected, per file and in total; the same person, skill and assessor role in
 * two files is a rejection naming both places; a wide row for a person read already stays a
 * duplicate.
 *
 * tests/cases/exports/long/roles.ini: skills coding (technical) and mentoring (soft), level A
 * -> B, B expects coding 4 and mentoring 4, families weigh 1 each, aggregate = roles with
 * manager 0.5, peer 0.3, self 0.2 (roles averaged within, then weighted and renormalised over
 * the roles present); one hard gate, readiness >= 90.
 * R = 100 * (min(coding / 4, 1) + min(mentoring / 4, 1)) / 2.
 *
 * manager.csv: E1 coding 4, mentoring 3; E2 coding 2, mentoring 4.
 * peer_self.csv: E1 peers coding 2 and 3, peer mentoring 4, self coding 5, self mentoring 5;
 * E2 self coding 4.
 * By hand, combined:
 *   E1 coding    = 0.5 * 4 + 0.3 * (2 + 3) / 2 + 0.2 * 5 = 3.75
 *   E1 mentoring = 0.5 * 3 + 0.3 * 4 + 0.2 * 5 = 3.7
 *   E1 R = 100 * (3.75 / 4 + 3.7 / 4) / 2 = 93.125 -> Ready now
 *   E2 coding    = (0.5 * 2 + 0.2 * 4) / 0.7 = 2.571428...; mentoring = 4
 *   E2 R = 100 * (2.571428 / 4 + 1) / 2 = 82.142857 -> Developing
 * The manager's file alone (the old result, peer_self.csv's rows dropped): E1 R = 100 * (1 +
 * 0.75) / 2 = 87.5, Developing. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define DIR      "tests/cases/exports/long/"
#define ROLES    DIR "roles.ini"
#define MANAGER  DIR "manager.csv"
#define PEERS    DIR "peer_self.csv"
#define CONFLICT DIR "conflict.csv"
#define WIDE_E1  DIR "wide-e1.csv"

/* Evaluates the files into a CSV and returns its table; exit code in *exit_code. */
static nl_test_table evaluate_csv(const char *const *files, size_t count, int *exit_code,
                                  char **err)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    const char *args[16] = {"evaluate", "--template", ROLES, "--out", out};
    size_t n = 5;
    for (size_t i = 0; i < count; i++)
        args[n++] = files[i];
    args[n] = NULL;
    nl_run run = nl_test_run(args);
    *exit_code = run.exit_code;
    char *text = nl_test_read_all(out, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    free(text);
    *err = strdup(run.err);
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
    return t;
}

static double number(const nl_test_table *t, const char *id, const char *column)
{
    return strtod(nl_test_cell(t, id, column), NULL);
}

Test(cli_long_files, split_per_assessor_combines_before_aggregation)
{
    nl_run run = RUN("inspect", "--template", ROLES, MANAGER, PEERS);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "rows read: 4, people accepted: 2, rows rejected: 0\n"
                                        "  rows used: 4 (read 4 = used 4 + rejected 0)"),
              "%s", run.out);
    /* peer_self.csv: its 6 rows are used, for the 2 people of manager.csv. */
    cr_assert(nl_test_contains(run.out,
                               PEERS ": long format, comma-delimited\n"
                                     "  encoding: UTF-8\n"
                                     "  rows read: 6, people accepted: 0, rows rejected: 0\n"
                                     "  rows used: 6 (read 6 = used 6 + rejected 0)\n"
                                     "  people continued from earlier files: 2"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "total: 2 files, 2 people accepted, 0 rows rejected\n"
                                        "total rows: read 10 = used 10 + rejected 0\n"),
              "%s", run.out);
    /* Its own rows assess coding for both, mentoring for E1 only. */
    cr_assert(nl_test_contains(run.out, "mentoring                     50.0%  (1/2)"), "%s",
              run.out);
    nl_run_free(&run);

    int code;
    char *err;
    nl_test_table t = evaluate_csv((const char *[]){MANAGER, PEERS}, 2, &code, &err);
    cr_assert_eq(code, 0, "%s", err);
    cr_assert_eq(t.rows, 3, "two people, one row each");
    cr_assert_float_eq(number(&t, "E1", "readiness_score"), 93.125, 1e-9);
    cr_assert_str_eq(nl_test_cell(&t, "E1", "outcome"), "Ready now");
    cr_assert_float_eq(number(&t, "E2", "readiness_score"), 82.1429, 1e-4);
    cr_assert_str_eq(nl_test_cell(&t, "E2", "outcome"), "Developing");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "name"), "Ada Müller");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "source_file"), MANAGER);
    nl_test_free_table(&t);
    free(err);
}

Test(cli_long_files, the_order_of_the_files_does_not_change_the_scores)
{
    int code;
    char *err;
    nl_test_table t = evaluate_csv((const char *[]){PEERS, MANAGER}, 2, &code, &err);
    cr_assert_eq(code, 0, "%s", err);
    cr_assert_float_eq(number(&t, "E1", "readiness_score"), 93.125, 1e-9);
    cr_assert_float_eq(number(&t, "E2", "readiness_score"), 82.1429, 1e-4);
    /* The first file read gives the identity: peer_self.csv has no name column. */
    cr_assert_str_eq(nl_test_cell(&t, "E1", "source_file"), PEERS);
    nl_test_free_table(&t);
    free(err);
}

/* conflict.csv repeats E1's manager rating of coding (as "Manager": roles ignore case) and
 * adds a peer rating of mentoring 3 for E2. */
Test(cli_long_files, the_same_rating_in_two_files_is_a_listed_conflict)
{
    nl_run run = RUN("inspect", "--template", ROLES, MANAGER, PEERS, CONFLICT);
    cr_assert_eq(run.exit_code, 1, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out,
                               CONFLICT ":2:3: person E1: the Manager rating of Coding was "
                                        "already read from " MANAGER
                                        ":2; the two files overlap: keep one of the "
                                        "two rows\n"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "rows read: 2, people accepted: 0, rows rejected: 1\n"
                                        "  rows used: 1 (read 2 = used 1 + rejected 1)\n"
                                        "  people continued from earlier files: 1 "),
              "E1's only row here is rejected: %s", run.out);
    cr_assert(nl_test_contains(run.out, "total rows: read 12 = used 11 + rejected 1\n"), "%s",
              run.out);
    nl_run_free(&run);

    int code;
    char *err;
    nl_test_table t = evaluate_csv((const char *[]){MANAGER, PEERS, CONFLICT}, 3, &code, &err);
    cr_assert_eq(code, 1, "a rejected row: exit 1; %s", err);
    cr_assert(nl_test_contains(err, "nextlevel: rejected: " CONFLICT ":2:3: person E1: the Manager "
                                    "rating of Coding was already read from " MANAGER ":2"),
              "%s", err);
    /* E1 as before (the repeated rating is not used); E2 mentoring = (0.5 * 4 + 0.3 * 3) / 0.8
     * = 3.625, R = 100 * (2.571428 / 4 + 3.625 / 4) / 2 = 77.455357. */
    cr_assert_float_eq(number(&t, "E1", "readiness_score"), 93.125, 1e-9);
    cr_assert_float_eq(number(&t, "E2", "readiness_score"), 77.4554, 1e-4);
    nl_test_free_table(&t);
    free(err);
}

/* A wide row gives a person whole: it does not combine, and a second row for that person is a
 * duplicate (listed), whichever format comes first. */
Test(cli_long_files, a_wide_row_for_a_person_read_already_stays_a_duplicate)
{
    nl_run run = RUN("inspect", "--template", ROLES, MANAGER, WIDE_E1);
    cr_assert_eq(run.exit_code, 1, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, WIDE_E1
                               ":2:1: person E1: the same id is already on line 2 of " MANAGER
                               ": remove one of the two rows\n"),
              "%s", run.out);
    nl_run_free(&run);
    run = RUN("inspect", "--template", ROLES, WIDE_E1, PEERS);
    cr_assert_eq(run.exit_code, 1, "%s%s", run.out, run.err);
    /* Every one of E1's five rows in peer_self.csv is listed, not one for the person. */
    for (int line = 2; line <= 6; line++) {
        char expected[256];
        snprintf(expected, sizeof expected,
                 PEERS ":%d:1: person E1: the same id is already on line 2 of " WIDE_E1
                       ", a file with one row per person: remove one of the two\n",
                 line);
        cr_assert(nl_test_contains(run.out, expected), "%s in %s", expected, run.out);
    }
    cr_assert(nl_test_contains(run.out, "rows read: 6, people accepted: 1, rows rejected: 5\n"
                                        "  rows used: 1 (read 6 = used 1 + rejected 5)"),
              "%s", run.out);
    nl_run_free(&run);
}

/* Tenure given only by a later file of a split export, in years: it is read as any first row's
 * would be (1.5 years = 18 months), not only when that file has a months column. */
Test(cli_long_files, a_later_file_gives_tenure_in_years)
{
    char *dir = nl_test_temp_dir();
    char *first = nl_test_path_in(dir, "manager.csv"), *later = nl_test_path_in(dir, "peers.csv");
    char *json = nl_test_path_in(dir, "r.json");
    nl_test_write_text(first, "Employee ID,Name,Level,Skill,Score,Assessor\n"
                              "E9,Ida,A,Coding,4,manager\n"
                              "E9,Ida,A,Mentoring,4,manager\n");
    nl_test_write_text(later, "Employee ID,Level,years_in_level,Skill,Score,Assessor\n"
                              "E9,A,1.5,Coding,3,peer\n");
    nl_run run = RUN("evaluate", "--template", ROLES, "--out", json, first, later);
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    json_t *root = nl_test_load_json(json);
    json_t *months = json_object_get(nl_test_json_person(root, "E9"), "months_in_level");
    cr_assert(json_is_number(months), "no months in level for E9");
    cr_assert_float_eq(json_number_value(months), 18.0, 1e-9);
    json_decref(root);
    free(json);
    free(later);
    free(first);
    nl_test_remove_tree(dir);
}
