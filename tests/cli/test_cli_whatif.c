/* The workbook's What if sheet, read without recalculating (tests/tools/check_whatif_sheet.py):
 * second after the Summary, its dials unlocked and validated under sheet protection without a
 * password, only whitelisted functions, and cached values that are the run's own results as
 * its JSON states them; one budget row per team with per-team budgets and one threshold input
 * per next level where the template sets it per level; the slate candidates only with
 * --detail summary; none with --what-if off or in a team's pack. That the formulas recompute
 * what nextlevel computes for other dials is tests/tools/check_whatif.py's (LibreOffice).
 *
 * The fixture: L1 has two tracks, L2 (the IC track) and M2 (a manager track expecting more of
 * soft skills); a hard bar on technical skills and a soft readiness gate, 90 for L2 and 80 for
 * M2; two teams with budgets A = 1 and B = 2, and two profiles, so that robustness varies. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})

static const char framework[] = "[framework]\nname = What if\nscale = 1..5\n"
                                "[skill a]\nname = A\nfamily = technical\n"
                                "[skill b]\nname = B\nfamily = soft\n"
                                "[level L1]\ntitle = Engineer\nnext = L2, M2\n"
                                "expectations = a:1, b:1\n"
                                "[level L2]\ntitle = Senior Engineer\nexpectations = a:4, b:4\n"
                                "[level M2]\ntitle = Manager\nexpectations = a:3, b:5\n"
                                "[priorities balanced]\ntechnical = 1\nsoft = 1\n"
                                "[priorities delivery]\ntechnical = 3\nsoft = 1\n"
                                "[gate bar]\ntitle = Technical bar\nseverity = hard\n"
                                "kind = meets_expectations\nfamilies = technical\n"
                                "[gate ready]\ntitle = Overall readiness\nseverity = soft\n"
                                "kind = readiness_score\nthreshold = 90\nthreshold.M2 = 80\n"
                                "mitigation = Review the evidence.\n"
                                "[slate]\nbudget.A = 1\nbudget.B = 2\n";

static const char people[] = "id,name,team,level,a,b\n"
                             "p1,Ana One,A,L1,4,4\n"
                             "p2,Ben Two,A,L1,4,4\n"
                             "p3,Cy Three,B,L1,4,4.5\n"
                             "p4,Di Four,A,L1,4,3.8\n"
                             "p5,Ed Five,B,L1,4,3\n"
                             "p6,Flo Six,B,L1,3,4\n"
                             "p7,Gus Seven,B,L1,3,5\n"
                             "p8,Hal Eight,A,L2,5,5\n";

/* Runs the What if sheet's checker on a workbook and the JSON of the same run. */
static void expect_sheet(const char *xlsx, const char *json, const char *options)
{
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_whatif_sheet.py '%s' '%s' %s 2>&1", xlsx, json,
             options);
    char *report = nl_test_capture(command);
    cr_expect(strncmp(report, "ok", 2) == 0, "check_whatif_sheet.py %s:\n%s", options, report);
    free(report);
}

/* Writes a workbook and the JSON of the same run into dir, with the extra options. */
static void evaluate_both(const char *template, const char *matrix, const char *xlsx,
                          const char *json, const char *extra)
{
    const char *const outs[] = {xlsx, json};
    for (size_t i = 0; i < 2; i++) {
        const char *args[16] = {"evaluate", "-q", "--template", template, "--out", outs[i]};
        size_t n = 6;
        if (i == 1)
            args[n++] = "--format", args[n++] = "json";
        if (extra != NULL)
            args[n++] = extra;
        if (extra != NULL && strcmp(extra, "--detail") == 0)
            args[n++] = "summary";
        if (extra != NULL && strcmp(extra, "--budget") == 0)
            args[n++] = "8";
        args[n++] = matrix;
        args[n] = NULL;
        nl_run run = nl_test_run(args);
        cr_assert_lt(run.exit_code, 2, "%s", run.err);
        nl_run_free(&run);
    }
}

Test(whatif, samples_sheet_states_the_run_and_follows_only_whitelisted_formulas, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "r.xlsx"), *json = nl_test_path_in(dir, "r.json");
    evaluate_both("templates/engineering-ic.ini", "samples", xlsx, json, "--budget");
    expect_sheet(xlsx, json, "--thresholds readiness");
    /* The milestone ladder: points gates, no readiness_score gate, so no threshold dial. */
    evaluate_both("templates/milestones.ini", "samples/milestones", xlsx, json, NULL);
    expect_sheet(xlsx, json, "--thresholds ''");
    /* --detail summary: the candidates only, and the Summary's counts stay as run. */
    evaluate_both("templates/engineering-ic.ini", "samples", xlsx, json, "--detail");
    expect_sheet(xlsx, json, "--candidates-only --thresholds readiness");
    free(xlsx);
    free(json);
    nl_test_remove_tree(dir);
}

Test(whatif, per_team_budgets_per_level_thresholds_and_tracks, .timeout = 60)
{
    nl_test_files f = nl_test_files_open(framework, people);
    char *xlsx = nl_test_path_in(f.dir, "r.xlsx"), *json = nl_test_path_in(f.dir, "r.json");
    evaluate_both(f.ini, f.csv, xlsx, json, NULL);
    expect_sheet(xlsx, json, "--teams 2 --thresholds ready.L2,ready.M2");
    /* The checker fails on a run that is not the workbook's: here, one slot for the whole
     * organisation instead of the teams' three. */
    char *other = nl_test_path_in(f.dir, "other.json");
    nl_run run = RUN("evaluate", "-q", "--template", f.ini, "--format", "json", "--out", other,
                     "--budget", "1", f.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_whatif_sheet.py '%s' '%s' --teams 2 >/dev/null",
             xlsx, other);
    cr_expect_neq(nl_test_shell(command), 0, "the checker passed a run with other budgets");
    free(other);
    free(xlsx);
    free(json);
    nl_test_files_close(&f);
}

Test(whatif, off_and_in_team_packs_there_is_no_sheet, .timeout = 60)
{
    nl_test_files f = nl_test_files_open(framework, people);
    char *off = nl_test_path_in(f.dir, "off.xlsx"), *whole = nl_test_path_in(f.dir, "r.xlsx");
    char *packs = nl_test_path_in(f.dir, "teams");
    nl_run run =
        RUN("evaluate", "-q", "--template", f.ini, "--out", off, "--what-if", "off", f.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", f.ini, "--out", whole, "--split-by", "team",
              "--out-dir", packs, f.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"import openpyxl, sys, glob\n"
             "for p in sys.argv[1:3] + sorted(glob.glob(sys.argv[3] + '/*.xlsx')):\n"
             "    wb = openpyxl.load_workbook(p)\n"
             "    f = sum(c.data_type == 'f' for r in wb['Summary'].iter_rows() for c in r)\n"
             "    print(p.rsplit('/', 1)[1], 'What if' in wb.sheetnames, f)\n"
             "\" '%s' '%s' '%s'",
             off, whole, packs);
    char *listing = nl_test_capture(command);
    /* Without the sheet the Summary has no formula; with it, its five counts and their shares
     * read the sheet's. */
    cr_expect(nl_test_contains(listing, "off.xlsx False 0\n"), "%s", listing);
    cr_expect(nl_test_contains(listing, "r.xlsx True 10\n"), "%s", listing);
    cr_expect(nl_test_contains(listing, "A.xlsx False 0\n") &&
                  nl_test_contains(listing, "B.xlsx False 0\n"),
              "%s", listing);
    free(listing);
    run = RUN("evaluate", "-q", "--template", f.ini, "--out", off, "--what-if", "maybe", f.csv);
    cr_expect_eq(run.exit_code, 2);
    cr_expect(nl_test_contains(run.err, "--what-if must be live or off"), "%s", run.err);
    nl_run_free(&run);
    free(packs);
    free(whole);
    free(off);
    nl_test_files_close(&f);
}
