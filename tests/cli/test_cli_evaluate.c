/* `nextlevel evaluate`: outputs written atomically, the rejected-rows file, exit codes, byte-
 * identical reruns, and golden CSV/JSON for the bundled samples, with the outcomes of several
 * sample people argued by hand from the template's numbers.
 *
 * The golden files are tests/cases/golden/samples.{csv,rejected.csv,json}. After an intended
 * change of the output, regenerate them with NL_UPDATE_GOLDEN=1 and review the diff. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define SAMPLES                                                                                    \
    "samples/platform.csv", "samples/payments.csv", "samples/mobile.csv",                          \
        "samples/design-systems-long.csv", "samples/messy-export.csv"
#define CLEAN_SAMPLES                                                                              \
    "samples/platform.csv", "samples/payments.csv", "samples/mobile.csv",                          \
        "samples/design-systems-long.csv"
/* The counts of the one-line summary (the line also names the files and the time taken). */
#define SUMMARY                                                                                    \
    "43 people: 15 Ready now, 5 Ready with risk, 19 Developing, 2 Not evaluated, 2 Top of "        \
    "ladder; 6 rows rejected"

/* ---- helpers ---- */

/* The last line of a text (without its line end), in a static buffer. */
static const char *last_line(const char *text)
{
    static char line[4096];
    size_t len = strlen(text);
    cr_assert(len > 0 && text[len - 1] == '\n', "no line end at the end: [%s]", text);
    size_t start = len - 1;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    snprintf(line, sizeof line, "%.*s", (int)(len - 1 - start), text + start);
    return line;
}

/* DIR/name in a buffer of the caller's. */
static const char *in_dir(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

static bool have_python(void)
{
    return system("command -v python3 >/dev/null 2>&1") == 0;
}

static const long rejected_lines[] = {7, 9, 10, 12, 13, 14};

/* ---- a run over every sample ---- */

Test(cli_evaluate, samples_to_csv_exit_1_with_the_rejected_rows_beside)
{
    char *dir = nl_test_temp_dir();
    char out[4096], rej[4096];
    in_dir(out, sizeof out, dir, "r.csv");
    in_dir(rej, sizeof rej, dir, "r.rejected.csv");
    nl_run run = RUN("evaluate", "--template", IC, SAMPLES, "--out", out);
    cr_assert_eq(run.exit_code, 1, "rejected rows give exit 1; stderr: %s", run.err);
    cr_assert_str_empty(run.out);
    /* The summary is the last line of stderr, after one line per rejected row. */
    const char *summary = last_line(run.err);
    cr_assert(strncmp(summary, "nextlevel: ", 11) == 0 && nl_test_contains(summary, SUMMARY), "%s",
              run.err);
    cr_assert(nl_test_contains(summary, "5 files"), "%s", summary);
    cr_assert(nl_test_contains(run.err, "nextlevel: rejected: samples/messy-export.csv:7:10: "
                                        "person E1405: 'Excellent'"),
              "%s", run.err);
    /* r.csv, r.rejected.csv, r.summary.csv, r.managers.csv and r.fairness.csv (the IC
     * template has a fairness group column; no r.trend.csv without --previous). */
    cr_assert_eq(nl_test_count_entries(dir), 5, "the CSV files and no temporary file left");

    size_t len;
    char *text = nl_test_read_all(out, &len);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_eq(t.rows, 44, "header + 43 people");
    cr_assert_str_eq(t.cells[0], "id");
    cr_assert_str_eq(t.cells[t.width], "E1001"); /* input order */
    cr_assert_str_eq(nl_test_cell(&t, "E1402", "name"), "Ana\nMaria Costa");
    nl_test_free_table(&t);
    free(text);

    text = nl_test_read_all(rej, &len);
    t = nl_test_parse_csv(text);
    cr_assert_eq(t.width, 5);
    cr_assert_str_eq(t.cells[0], "file");
    cr_assert_str_eq(t.cells[1], "line");
    cr_assert_str_eq(t.cells[2], "column");
    cr_assert_str_eq(t.cells[3], "id");
    cr_assert_str_eq(t.cells[4], "reason");
    cr_assert_eq(t.rows, 7, "header + 6 rejected rows");
    for (size_t r = 1; r < t.rows; r++) {
        cr_assert_str_eq(t.cells[r * 5], "samples/messy-export.csv");
        cr_assert_eq(atol(t.cells[r * 5 + 1]), rejected_lines[r - 1]);
        cr_assert_str_not_empty(t.cells[r * 5 + 4]);
    }
    cr_assert_str_eq(t.cells[1 * 5 + 3], "E1405");
    cr_assert_str_eq(t.cells[6 * 5 + 3], "", "the row without an id");
    cr_assert_str_eq(t.cells[6 * 5 + 4],
                     "the Employee ID cell is empty: fill it in, or remove the row");
    nl_test_free_table(&t);
    free(text);
    nl_run_free(&run);
    nl_test_remove_tree(dir);
}

Test(cli_evaluate, samples_to_json_are_valid_with_the_rejected_rows_inside)
{
    char *dir = nl_test_temp_dir();
    char out[4096];
    in_dir(out, sizeof out, dir, "r.json");
    nl_run run = RUN("evaluate", "--template", IC, SAMPLES, "--out", out);
    cr_assert_eq(run.exit_code, 1, "stderr: %s", run.err);
    cr_assert(nl_test_contains(run.err, SUMMARY), "%s", run.err);
    cr_assert_eq(nl_test_count_entries(dir), 1,
                 "a JSON output has its rejected rows inside: one file");
    json_t *root = nl_test_load_json(out);
    json_t *rejected = json_object_get(root, "rejected");
    cr_assert_eq(json_array_size(rejected), 6);
    for (size_t i = 0; i < 6; i++) {
        json_t *row = json_array_get(rejected, i);
        cr_assert_str_eq(json_string_value(json_object_get(row, "file")),
                         "samples/messy-export.csv");
        cr_assert_eq(json_integer_value(json_object_get(row, "line")), rejected_lines[i]);
    }
    cr_assert_eq(json_array_size(json_object_get(root, "people")), 43);
    json_t *summary = json_object_get(root, "summary");
    cr_assert_eq(json_integer_value(json_object_get(summary, "Ready now")), 15);
    cr_assert_eq(json_integer_value(json_object_get(summary, "rejected rows")), 6);
    json_decref(root);
    if (have_python()) {
        char command[8192];
        snprintf(command, sizeof command, "python3 -m json.tool '%s' >/dev/null", out);
        cr_assert_eq(system(command), 0, "python3 -m json.tool refused %s", out);
    }
    nl_run_free(&run);
    nl_test_remove_tree(dir);
}

Test(cli_evaluate, two_runs_are_byte_identical)
{
    char *dir = nl_test_temp_dir();
    static const char *const names[] = {"a.csv",  "b.csv",          "a.json",
                                        "b.json", "a.rejected.csv", "b.rejected.csv"};
    char paths[6][4096];
    for (int i = 0; i < 4; i++) {
        in_dir(paths[i], sizeof paths[i], dir, names[i]);
        nl_run run = RUN("evaluate", "--template", IC, SAMPLES, "--out", paths[i]);
        cr_assert_eq(run.exit_code, 1, "%s", run.err);
        nl_run_free(&run);
    }
    in_dir(paths[4], sizeof paths[4], dir, names[4]);
    in_dir(paths[5], sizeof paths[5], dir, names[5]);
    for (int i = 0; i < 6; i += 2) {
        size_t la, lb;
        char *a = nl_test_read_all(paths[i], &la), *b = nl_test_read_all(paths[i + 1], &lb);
        cr_assert(la > 0 && la == lb && memcmp(a, b, la) == 0, "%s and %s differ", names[i],
                  names[i + 1]);
        free(a);
        free(b);
    }
    nl_test_remove_tree(dir);
}

Test(cli_evaluate, clean_files_only_exit_0_and_quiet_is_silent)
{
    char *dir = nl_test_temp_dir();
    char out[4096], rej[4096];
    in_dir(out, sizeof out, dir, "r.csv");
    nl_run run = RUN("evaluate", "--template", IC, CLEAN_SAMPLES, "--out", out);
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    /* No rejected row: the summary is all there is on stderr. */
    cr_assert(strncmp(run.err, "nextlevel: ", 11) == 0 &&
                  strchr(run.err, '\n') == run.err + strlen(run.err) - 1,
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "35 people: 11 Ready now, 4 Ready with risk, 16 "
                                        "Developing, 2 Not evaluated, 2 Top of ladder; 0 rows "
                                        "rejected"),
              "%s", run.err);
    nl_run_free(&run);
    /* The rejected-rows file is still written, with its header only. */
    char *text = nl_test_read_all(in_dir(rej, sizeof rej, dir, "r.rejected.csv"), NULL);
    cr_assert_str_eq(text, "file,line,column,id,reason\n");
    free(text);

    run = RUN("evaluate", "--quiet", "--template", IC, CLEAN_SAMPLES, "--out", out);
    cr_assert_eq(run.exit_code, 0);
    cr_assert_str_empty(run.err);
    cr_assert_str_empty(run.out);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", IC, SAMPLES, "--out", out);
    cr_assert_eq(run.exit_code, 1, "quiet does not change the exit code");
    cr_assert_str_empty(run.err);
    nl_run_free(&run);
    nl_test_remove_tree(dir);
}

/* A file with none of the template's skills is almost always a matrix run against the wrong
 * template: everybody in it comes out Not evaluated, so the run says so on stderr. */
Test(cli_evaluate, a_file_with_none_of_the_templates_skills_is_named_in_a_warning)
{
    char *dir = nl_test_temp_dir();
    char *wrong = nl_test_path_in(dir, "other-framework.csv");
    char *out = nl_test_path_in(dir, "r.csv");
    nl_test_write_text(
        wrong, "Employee ID,Full name,Level,s01,s02\nP1,Ann Lee,L3,3,4\nP2,Bo Chen,L2,2,2\n");
    nl_run run = RUN("evaluate", "--template", IC, "samples/payments.csv", wrong, "--out", out);
    cr_assert_eq(run.exit_code, 0, "a warning does not change the exit code: %s", run.err);
    cr_assert(nl_test_contains(run.err, "other-framework.csv has none of the template's 13 "
                                        "skills (its 2 people are Not evaluated)"),
              "%s", run.err);
    cr_assert_not(nl_test_contains(run.err, "payments.csv has none"), "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", IC, "samples/payments.csv", wrong, "--out", out);
    cr_assert_str_empty(run.err, "quiet keeps the warning back too");
    nl_run_free(&run);
    /* Alone, nobody could be checked on the hard skill gates: the run stops, naming what is
     * missing, unless the partial run is deliberate. */
    unlink(out);
    run = RUN("evaluate", "-q", "--template", IC, wrong, "--out", out);
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: error: no file has a rating of any of its "
                                        "skills (coding, system_design, testing_quality, "
                                        "operations, security), which the hard gate "
                                        "technical_bar reads"),
              "%s", run.err);
    cr_assert_eq(access(out, F_OK), -1, "nothing is written");
    nl_run_free(&run);
    run = RUN("evaluate", "--allow-missing-columns", "--template", IC, wrong, "--out", out);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: warning: no file has a rating of any of its "
                                        "skills"),
              "%s", run.err);
    nl_run_free(&run);
    free(out);
    free(wrong);
    nl_test_remove_tree(dir);
}

Test(cli_evaluate, out_dash_writes_csv_to_stdout)
{
    nl_run dash = RUN("evaluate", "--template", IC, "samples/payments.csv", "--out", "-");
    cr_assert_eq(dash.exit_code, 0, "%s", dash.err);
    cr_assert(strncmp(dash.out,
                      "id,name,team,manager,level,level_title,milestone_points,level_in_file,"
                      "next_level,",
                      81) == 0,
              "%.80s", dash.out);
    nl_test_table t = nl_test_parse_csv(dash.out);
    cr_assert_eq(t.rows, 11);
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "outcome"), "Developing");
    nl_test_free_table(&t);
    /* --format json to standard output */
    nl_run json =
        RUN("evaluate", "--format", "json", "--template", IC, "samples/payments.csv", "--out", "-");
    cr_assert_eq(json.exit_code, 0);
    json_error_t error;
    json_t *root = json_loads(json.out, 0, &error);
    cr_assert_not_null(root, "%s", error.text);
    cr_assert_eq(json_array_size(json_object_get(root, "people")), 10);
    json_decref(root);
    nl_run_free(&json);
    nl_run_free(&dash);
}

Test(cli_evaluate, priorities_and_weights_change_the_deciding_profile)
{
    /* E1105 is Developing under balanced (R 84.2) and Ready with risk under delivery_first
     * (R 90.5; see the golden test below). */
    nl_run run = RUN("evaluate", "--template", IC, "--priorities", "delivery_first",
                     "samples/payments.csv", "--out", "-");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(run.out);
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "outcome"), "Ready with risk");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "readiness_score"), "90.5");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "robust"), "no");
    nl_test_free_table(&t);
    nl_run_free(&run);
    /* The same family weights as a what-if: 0.6 / 0.25 / 0.15, but without delivery_first's
     * skill weight on system_design (which does not matter here: technical is 1 throughout). */
    run = RUN("evaluate", "--template", IC, "--weights", "technical=0.6,soft=0.25,impact=0.15",
              "samples/payments.csv", "--out", "-");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    t = nl_test_parse_csv(run.out);
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "outcome"), "Ready with risk");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "readiness_score"), "90.5");
    nl_test_free_table(&t);
    nl_run_free(&run);
}

/* ---- refusals ---- */

Test(cli_evaluate, out_equal_to_an_input_is_refused_and_the_input_kept)
{
    char *dir = nl_test_temp_dir();
    char input[4096], other[4096];
    size_t len;
    char *original = nl_test_read_all(nl_test_path("samples/payments.csv"), &len);
    nl_test_write_file(in_dir(input, sizeof input, dir, "in.csv"), original, len);
    /* The same file under another spelling. */
    snprintf(other, sizeof other, "%s/./in.csv", dir);
    const char *outs[] = {input, other};
    for (int i = 0; i < 2; i++) {
        nl_run run = RUN("evaluate", "--template", IC, input, "--out", outs[i]);
        cr_assert_eq(run.exit_code, 2, "--out %s: exit %d", outs[i], run.exit_code);
        cr_assert(nl_test_contains(run.err, "is one of the input files"), "%s", run.err);
        size_t now_len;
        char *now = nl_test_read_all(input, &now_len);
        cr_assert(now_len == len && memcmp(now, original, len) == 0, "the input was changed");
        free(now);
        nl_run_free(&run);
    }
    cr_assert_eq(nl_test_count_entries(dir), 1, "nothing but the input");
    free(original);
    nl_test_remove_tree(dir);
}

/* Regression: only --out itself used to be compared with the inputs, so an input named like the
 * rejected-rows file beside the output (FILE.rejected.csv) was overwritten. */
Test(cli_evaluate, a_rejected_rows_file_equal_to_an_input_is_refused)
{
    char *dir = nl_test_temp_dir();
    char input[4096], out[4096];
    size_t len;
    char *original = nl_test_read_all(nl_test_path("samples/payments.csv"), &len);
    nl_test_write_file(in_dir(input, sizeof input, dir, "r.rejected.csv"), original, len);
    nl_run run =
        RUN("evaluate", "--template", IC, input, "--out", in_dir(out, sizeof out, dir, "r.csv"));
    cr_assert_eq(run.exit_code, 2, "exit %d: %s", run.exit_code, run.err);
    size_t now_len;
    char *now = nl_test_read_all(input, &now_len);
    cr_assert(now_len == len && memcmp(now, original, len) == 0, "the input was overwritten");
    free(now);
    free(original);
    nl_run_free(&run);
    nl_test_remove_tree(dir);
}

Test(cli_evaluate, an_output_that_cannot_be_written_exits_4_and_leaves_nothing)
{
    char *dir = nl_test_temp_dir();
    char out[4096], sub[4096];
    /* A folder that does not exist. */
    snprintf(out, sizeof out, "%s/missing/r.csv", dir);
    nl_run run = RUN("evaluate", "--template", IC, "samples/payments.csv", "--out", out);
    cr_assert_eq(run.exit_code, 4, "exit %d: %s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, out), "the message names the output: %s", run.err);
    cr_assert(nl_test_contains(run.err, "cannot create the output"), "%s", run.err);
    cr_assert_str_empty(run.out);
    cr_assert_eq(nl_test_count_entries(dir), 0);
    nl_run_free(&run);
    /* A target that is a folder: the temporary file is written beside it, the rename fails,
     * and the temporary file must be gone. */
    cr_assert_eq(mkdir(in_dir(sub, sizeof sub, dir, "taken.csv"), 0755), 0);
    run = RUN("evaluate", "--template", IC, "samples/payments.csv", "--out", sub);
    cr_assert_eq(run.exit_code, 4, "exit %d: %s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, sub), "%s", run.err);
    cr_assert_eq(nl_test_count_entries(dir), 1, "only the folder itself: no temporary file left");
    cr_assert_eq(nl_test_count_entries(sub), 0);
    nl_run_free(&run);
    nl_test_remove_tree(dir);
}

Test(cli_evaluate, unknown_priorities_and_bad_weights_exit_2_and_write_nothing)
{
    char *dir = nl_test_temp_dir();
    char out[4096];
    in_dir(out, sizeof out, dir, "r.csv");
    nl_run run = RUN("evaluate", "--template", IC, "--priorities", "nope", "samples/payments.csv",
                     "--out", out);
    cr_assert_eq(run.exit_code, 2);
    cr_assert(nl_test_contains(run.err, "'nope'"), "%s", run.err);
    nl_run_free(&run);
    static const char *const bad[] = {"technical", "technical=x", "bogus=1", "technical=-1",
                                      "technical=0,soft=0,impact=0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        run = RUN("evaluate", "--template", IC, "--weights", bad[i], "samples/payments.csv",
                  "--out", out);
        cr_assert_eq(run.exit_code, 2, "--weights %s: exit %d", bad[i], run.exit_code);
        cr_assert(nl_test_contains(run.err, "--weights"), "%s", run.err);
        nl_run_free(&run);
    }
    cr_assert_eq(nl_test_count_entries(dir), 0, "nothing written");
    nl_test_remove_tree(dir);
}

Test(cli_evaluate, a_template_with_errors_exits_3_and_writes_nothing)
{
    char *dir = nl_test_temp_dir();
    char out[4096], ini[4096];
    static const char bad[] = "[framework]\nname = Broken\nscale = 1..5\n"
                              "[skill coding]\nname = Coding\nfamily = technical\n"
                              "[level L1]\ntitle = One\nnext = L7\n"
                              "[priorities p]\ntechnical = 1\n";
    nl_test_write_file(in_dir(ini, sizeof ini, dir, "bad.ini"), bad, strlen(bad));
    in_dir(out, sizeof out, dir, "r.csv");
    nl_run run = RUN("evaluate", "--template", ini, "samples/payments.csv", "--out", out);
    cr_assert_eq(run.exit_code, 3, "exit %d: %s", run.exit_code, run.err);
    char where[4200];
    snprintf(where, sizeof where, "%s:9:", ini); /* next = L7 is on line 9 */
    cr_assert(nl_test_contains(run.err, where), "%s", run.err);
    cr_assert_eq(nl_test_count_entries(dir), 1,
                 "only the template: no output, no rejected-rows file");
    nl_run_free(&run);
    /* An input that cannot be read: exit 3, nothing written either. */
    run = RUN("evaluate", "--template", IC, "samples/no-such-file.csv", "--out", out);
    cr_assert_eq(run.exit_code, 3, "exit %d: %s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, "samples/no-such-file.csv"), "%s", run.err);
    cr_assert_eq(nl_test_count_entries(dir), 1);
    nl_run_free(&run);
    nl_test_remove_tree(dir);
}

/* ---- golden files ---- */

/* How the samples are decided, argued from templates/engineering-ic.ini and the rows of
 * the sample files (balanced profile: technical 1, soft 1, impact 1; gates: technical_bar hard,
 * soft_bar soft with tolerance 0.5, no_weakness floor 2 hard, readiness >= 85 hard, balance
 * technical/soft <= 0.15 soft, critical system_design + communication hard, tenure >= 12 months
 * soft, visibility >= 3 soft). The golden_outcomes test checks each of these in the output.
 *
 * 1. E1206 Ngozi Eze (mobile.csv), L4 -> L5, 20 months, visibility 3: Ready now.
 *    L5 expects coding 5, system_design 4, testing_quality 4, operations 4, security 4;
 *    communication 4, collaboration 5, mentoring 4, conflict_resolution 4,
 *    stakeholder_management 4; scope_of_impact 4, ownership 5, influence 4.
 *    She has 5, 4.5, 4, 4, 4; 4, 5, 4, 4, 4; 4, 5, 4: every skill at or above, every
 *    attainment 1, R = 100, balance distance 0, lowest score 4 >= 2, 20 >= 12 months, and
 *    visibility exactly 3 passes ">= 3". Every gate passes.
 *
 * 2. E1203 Arjun Nair (mobile.csv), L2 -> L3, 19 months, visibility 3: Ready with risk.
 *    L3 expects coding 4, system_design 3, testing_quality 3, operations 3, security 2;
 *    communication 3, collaboration 3, mentoring 3, conflict_resolution 2,
 *    stakeholder_management 2; scope_of_impact 3, ownership 3, influence 2.
 *    Technical 4, 3, 3, 3, 2.5 all meet it; impact 3, 3, 2 too. Soft: collaboration 2 against
 *    3 is one point short, more than the soft bar's 0.5 tolerance: soft_bar (soft) fails.
 *    A(soft) = (1 + 2/3 + 1 + 1 + 1) / 5 = 0.9333, R = 100 * (1 + 0.9333 + 1) / 3 = 97.78;
 *    balance 1 - 0.9333 = 0.067 <= 0.15. Only a soft gate fails; the mitigation is the soft
 *    bar's (a mentor one level up). Plan: collaboration 2 -> 2.5 [soft] (3 minus tolerance),
 *    0 to Ready with risk, 0.5 to Ready now.
 *
 * 3. E1104 Yusuf Demir (payments.csv), L2 -> L3: Developing.
 *    Technical: coding 3 < 4, system_design 2 < 3, operations 2 < 3 (testing 3, security 2
 *    meet): technical_bar (hard) fails with worst gap -1, and critical fails on
 *    system_design 2 < 3. A(technical) = (3/4 + 2/3 + 1 + 2/3 + 1) / 5 = 0.8167; soft (4, 4,
 *    3, 3, 3) and impact (3, 3, 2) are at or above L3: 1. R = 100 * 2.8167 / 3 = 93.89
 *    passes the readiness gate; balance 0.183 > 0.15 fails (soft). Plan: coding, system_design
 *    and operations +1 each: 3 points to Ready with risk, which also clears the balance
 *    (technical then 1): 3 to Ready now.
 *
 * 4. E1108 Mei Lin Tan (payments.csv), L3: Not evaluated. Her stakeholder_management cell is
 *    empty, and both next levels (L4: 3, M1: 4) expect it; missing_scores = not_evaluated.
 *    Both tracks are Not evaluated; the one shown is the one with the higher readiness over
 *    what is assessed: L4 (technical (1 + 3/4 + 3/4 + 1 + 2/3) / 5 = 0.8333, soft
 *    (3/4 + 3/4 + 1 + 2/3) / 4 = 0.7917, impact (3/4 + 3/4 + 2/3) / 3 = 0.7222): R = 78.2;
 *    M1 (technical 4.6667 / 5 = 0.9333, soft (3/4 + 3/4 + 3/4 + 2/4) / 4 = 0.6875, impact
 *    (1 + 3/4 + 2/3) / 3 = 0.8056): R = 80.9.
 *    Not evaluated does not hide what already fails on M1 whatever stakeholder_management
 *    scores: technical_bar (security 2 < 3), critical (communication 3 < 4) and readiness: at
 *    best stakeholder_management meets M1's 4, soft (3 * 3/4 + 2/4 + 1) / 5 = 0.75 and
 *    R = 100 * (0.9333 + 0.75 + 0.8056) / 3 = 83.0 < 85. Her reasons say so after the missing
 *    skill. The floor (no_weakness) passes on what was assessed but is not checked.
 *
 * 5. E1102 Grace Muthoni (payments.csv), L6 Principal Engineer: L6 has no next level: Top of
 *    ladder.
 *
 * 6. E1105 Emily Carter (payments.csv), L4 -> L5, 25 months, visibility 3: the outcome
 *    depends on the profile. Technical 5, 5, 4.5, 4, 4 against 5, 4, 4, 4, 4: A = 1.
 *    Soft 4, 4, 3, 2.5, 2.5 against 4, 5, 4, 4, 4: (1 + 0.8 + 0.75 + 0.625 + 0.625) / 5 = 0.76.
 *    Impact 3, 4, 3 against 4, 5, 4: (0.75 + 0.8 + 0.75) / 3 = 0.7667.
 *    balanced: R = 100 * (1 + 0.76 + 0.7667) / 3 = 84.22 < 85: Developing (the readiness gate
 *    is the only hard gate that fails: lowest score 2.5 >= 2, system_design 5 >= 4,
 *    communication 4 >= 4).
 *    delivery_first (0.6 / 0.25 / 0.15): R = 60 + 25 * 0.76 + 15 * 0.7667 = 90.5: Ready with
 *    risk (soft bar: collaboration, mentoring, conflict_resolution, stakeholder_management
 *    below L5 by more than 0.5; balance 0.24 > 0.15).
 *    people_first (0.25 / 0.6 / 0.15, mentoring 2, communication 1.5): A(soft) = (1.5 * 1 +
 *    0.8 + 2 * 0.75 + 0.625 + 0.625) / 6.5 = 0.7769, R = 25 + 46.62 + 11.5 = 83.12: Developing.
 *    Not robust. Tipping weight (balanced, pair technical + soft = 2, impact 0.7667 fixed):
 *    100 * (0.7667 + 2 * (t + (1 - t) * 0.76)) / 3 = 85  ->  t = (2.55 - 0.7667) / 2 - 0.76
 *    divided by (1 - 0.76) = 0.13167 / 0.24 = 0.5486: above that share, Ready with risk.
 *
 * 7. E1003 Sofia Lindqvist (platform.csv), L3, two tracks: L4 expects system_design 4, she
 *    has 3: technical_bar and critical fail, Developing on L4 (technical (1 + 3/4 + 3/4 + 1 +
 *    1) / 5 = 0.9, soft 1, impact (3/4 + 1 + 1) / 3 = 0.9167: R = 93.9). M1 (coding 4,
 * system_design 3, testing 3, operations 3, security 3; communication 4, collaboration 4, mentoring
 * 4, conflict_resolution 4, stakeholder_management 4; scope 3, ownership 4, influence 3) she meets
 * exactly (4, 3, 3, 3, 3; 4.5, 4, 4, 4, 4; 3, 4, 3), 20 months, visibility 4: Ready now on M1,
 * which decides.
 */

static const char *const golden_names[] = {"samples.csv",          "samples.rejected.csv",
                                           "samples.summary.csv",  "samples.managers.csv",
                                           "samples.fairness.csv", "samples.json"};

/* Runs the samples into dir (samples.csv and its rejected rows, samples.json). */
static void run_samples(const char *dir)
{
    char csv[4096], json[4096];
    in_dir(csv, sizeof csv, dir, "samples.csv");
    in_dir(json, sizeof json, dir, "samples.json");
    nl_run run = RUN("evaluate", "--template", IC, SAMPLES, "--out", csv);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "--template", IC, SAMPLES, "--out", json);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
}

Test(golden, samples_match_the_golden_files_byte_for_byte)
{
    char *dir = nl_test_temp_dir();
    run_samples(dir);
    for (size_t i = 0; i < sizeof golden_names / sizeof *golden_names; i++) {
        char fresh_path[4096], golden_path[4096];
        in_dir(fresh_path, sizeof fresh_path, dir, golden_names[i]);
        snprintf(golden_path, sizeof golden_path, "%s/tests/cases/golden/%s", NL_SOURCE_DIR,
                 golden_names[i]);
        size_t fresh_len, golden_len;
        char *fresh = nl_test_read_all(fresh_path, &fresh_len);
        if (getenv("NL_UPDATE_GOLDEN") != NULL)
            nl_test_write_file(golden_path, fresh, fresh_len);
        char *golden = nl_test_read_all(golden_path, &golden_len);
        size_t at = 0;
        while (at < fresh_len && at < golden_len && fresh[at] == golden[at])
            at++;
        cr_assert(fresh_len == golden_len && at == fresh_len,
                  "%s differs from the golden file at byte %zu:\n  got:    [%.60s]\n"
                  "  golden: [%.60s]",
                  golden_names[i], at, fresh + (at > 20 ? at - 20 : 0),
                  golden + (at > 20 ? at - 20 : 0));
        free(fresh);
        free(golden);
    }
    nl_test_remove_tree(dir);
}

Test(golden, the_argued_outcomes)
{
    size_t len;
    char *text = nl_test_read_all(nl_test_path("tests/cases/golden/samples.csv"), &len);
    nl_test_table t = nl_test_parse_csv(text);
    /* 1. */
    cr_assert_str_eq(nl_test_cell(&t, "E1206", "outcome"), "Ready now");
    cr_assert_str_eq(nl_test_cell(&t, "E1206", "next_level"), "L5");
    cr_assert_str_eq(nl_test_cell(&t, "E1206", "readiness_score"), "100");
    cr_assert_str_eq(nl_test_cell(&t, "E1206", "visibility_margin"), "0");
    /* 2. */
    cr_assert_str_eq(nl_test_cell(&t, "E1203", "outcome"), "Ready with risk");
    cr_assert_str_eq(nl_test_cell(&t, "E1203", "soft_bar_status"), "fail");
    cr_assert_str_eq(nl_test_cell(&t, "E1203", "balance_status"), "pass");
    cr_assert_str_eq(nl_test_cell(&t, "E1203", "soft_attainment"), "0.933333");
    cr_assert_str_eq(nl_test_cell(&t, "E1203", "readiness_score"), "97.7778");
    cr_assert(nl_test_contains(nl_test_cell(&t, "E1203", "mitigations"),
                               "Soft skills at the next level: Pair with a mentor one level up"));
    cr_assert_str_eq(nl_test_cell(&t, "E1203", "development_plan"),
                     "collaboration +0.5 (2 -> 2.5) [soft]");
    cr_assert_str_eq(nl_test_cell(&t, "E1203", "distance_to_ready_with_risk"), "0");
    cr_assert_str_eq(nl_test_cell(&t, "E1203", "distance_to_ready"), "0.5");
    /* 3. */
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "outcome"), "Developing");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "technical_bar_status"), "fail");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "technical_bar_actual"), "-1");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "critical_status"), "fail");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "readiness_status"), "pass");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "balance_status"), "fail");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "technical_attainment"), "0.816667");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "readiness_score"), "93.8889");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "distance_to_ready_with_risk"), "3");
    cr_assert_str_eq(nl_test_cell(&t, "E1104", "distance_to_ready"), "3");
    /* 4. */
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "outcome"), "Not evaluated");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "missing"), "stakeholder_management");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "reasons"),
                     "Not evaluated: missing stakeholder_management; already fails: "
                     "Technical skills at the next level failed: security 2 < 3 expected at M1 "
                     "(Engineering Manager); Overall readiness failed: readiness score at most "
                     "83.0 whatever stakeholder_management scores (80.9 on the skills assessed), "
                     "required 85; Critical skills failed: communication 3 < 4 expected at M1 "
                     "(Engineering Manager)");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "technical_bar_status"), "fail");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "critical_status"), "fail");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "readiness_status"), "fail");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "no_weakness_status"), "not checked");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "tracks"),
                     "L4: Not evaluated (78.2; missing: stakeholder_management); M1: Not evaluated "
                     "(80.9; missing: stakeholder_management)");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "operating_level"), "");
    cr_assert_str_eq(nl_test_cell(&t, "E1108", "levels_above_title"), "");
    /* 5. */
    cr_assert_str_eq(nl_test_cell(&t, "E1102", "outcome"), "Top of ladder");
    cr_assert_str_eq(nl_test_cell(&t, "E1102", "next_level"), "");
    cr_assert_str_eq(nl_test_cell(&t, "E1102", "tracks"), "");
    /* 6. */
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "outcome"), "Developing");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "readiness_score"), "84.2222");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "soft_attainment"), "0.76");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "impact_attainment"), "0.766667");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "reasons"),
                     "Overall readiness failed: readiness score 84.2, required 85");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "robust"), "no");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "profile_outcomes"),
                     "balanced: Developing; delivery_first: Ready with risk; people_first: "
                     "Developing");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "tipping_weight"), "0.548611");
    cr_assert_str_eq(nl_test_cell(&t, "E1105", "tipping"),
                     "Ready with risk when technical's share of the technical+soft weight goes "
                     "above 0.549 (now 0.500)");
    /* 7. */
    cr_assert_str_eq(nl_test_cell(&t, "E1003", "outcome"), "Ready now");
    cr_assert_str_eq(nl_test_cell(&t, "E1003", "next_level"), "M1");
    cr_assert_str_eq(nl_test_cell(&t, "E1003", "tracks"),
                     "L4: Developing (93.9; short: system_design, testing_quality); M1: Ready now "
                     "(100.0)");
    /* M1 is the top of the manager track: one step up, no further. */
    cr_assert_str_eq(nl_test_cell(&t, "E1003", "operating_level"), "M1");
    cr_assert_str_eq(nl_test_cell(&t, "E1003", "levels_above_title"), "1");
    /* Only E1105 depends on the profile. */
    size_t robust = nl_test_column(&t, "robust"), not_robust = 0;
    for (size_t r = 1; r < t.rows; r++)
        not_robust += strcmp(t.cells[r * t.width + robust], "no") == 0;
    cr_assert_eq(not_robust, 1);
    nl_test_free_table(&t);
    free(text);
}
