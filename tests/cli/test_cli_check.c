/* `nextlevel check`: template summaries, level diffs, findings on stderr, exit codes. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})

/* Counts the lines of text that contain part. */
static int count_lines_with(const char *text, const char *part)
{
    int count = 0;
    for (const char *line = text; line != NULL && *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *hit = strstr(line, part);
        count += hit != NULL && hit < line + len;
        line = end ? end + 1 : NULL;
    }
    return count;
}

Test(cli_check, both_shipped_templates_are_usable)
{
    nl_run run = RUN("check", "templates/engineering-ic.ini", "templates/engineering-manager.ini");
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    cr_assert_str_empty(run.err, "no findings expected: %s", run.err);
    cr_assert(nl_test_contains(run.out,
                               "templates/engineering-ic.ini: Engineering ladder (IC and manager "
                               "track)"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out,
                               "templates/engineering-manager.ini: Engineering management ladder"));
    cr_assert(nl_test_contains(run.out, "skills (13) in 3 families"));
    cr_assert(nl_test_contains(run.out, "skills (13) in 4 families"));
    cr_assert(nl_test_contains(run.out, "levels (8)"));
    cr_assert(nl_test_contains(run.out, "rating step 0.5; development plans show 5 raises"));
    cr_assert(nl_test_contains(run.out, "L3     Senior Engineer"));
    cr_assert(nl_test_contains(run.out, "-> L4 | M1"), "L3 leads to two tracks");
    cr_assert(nl_test_contains(run.out, "gates (8, checked in this order)"));
    cr_assert(nl_test_contains(run.out, "gates (10, checked in this order)"));
    cr_assert_eq(count_lines_with(run.out, "result: usable, 0 warnings"), 2, "%s", run.out);
    nl_run_free(&run);
}

Test(cli_check, diff_lists_every_skill_before_and_after)
{
    nl_run run = RUN("check", "--diff", "L3", "L4", "templates/engineering-ic.ini");
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    cr_assert(nl_test_contains(run.out, "L3 (Senior Engineer) -> L4 (Staff Engineer)"), "%s",
              run.out);
    static const char *const skills[] = {
        "coding",
        "system_design",
        "testing_quality",
        "operations",
        "security",
        "communication",
        "collaboration",
        "mentoring",
        "conflict_resolution",
        "stakeholder_management",
        "scope_of_impact",
        "ownership",
        "influence",
    };
    for (size_t i = 0; i < sizeof skills / sizeof *skills; i++)
        cr_assert_eq(count_lines_with(run.out, skills[i]), 1, "%s once in:\n%s", skills[i],
                     run.out);
    /* Before and after, per skill (values from the template's expectations). */
    cr_assert_eq(count_lines_with(run.out, "system_design                technical         3      "
                                           "4  +1"),
                 1, "%s", run.out);
    cr_assert_eq(count_lines_with(run.out, "coding                       technical         4      "
                                           "4  ="),
                 1, "%s", run.out);
    cr_assert_eq(count_lines_with(run.out, "influence                    impact            2      "
                                           "3  +1"),
                 1, "%s", run.out);
    cr_assert(nl_test_contains(run.out, "10 expectations raised, 0 lowered"));
    nl_run_free(&run);
}

Test(cli_check, diff_by_level_titles_and_onto_the_manager_track)
{
    nl_run run = RUN("check", "--diff", "Senior Engineer", "M1", "templates/engineering-ic.ini");
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    cr_assert(nl_test_contains(run.out, "L3 (Senior Engineer) -> M1 (Engineering Manager)"));
    cr_assert_eq(count_lines_with(run.out, "mentoring                    soft              3      "
                                           "4  +1"),
                 1, "%s", run.out);
    nl_run_free(&run);
}

Test(cli_check, diff_with_an_unknown_level_is_a_usage_error)
{
    nl_run run = RUN("check", "--diff", "L3", "L9", "templates/engineering-ic.ini");
    cr_assert_eq(run.exit_code, 2);
    cr_assert(nl_test_contains(run.err, "L9"), "%s", run.err);
    nl_run_free(&run);
    run = RUN("check", "--diff", "L3");
    cr_assert_eq(run.exit_code, 2);
    nl_run_free(&run);
}

Test(cli_check, a_bad_template_lists_every_error_and_exits_3)
{
    nl_run run = RUN("check", "tests/cases/bad/two-errors.ini");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err,
                               "tests/cases/bad/two-errors.ini:9: error: unknown key 'colour' in "
                               "[skill coding]\n"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "tests/cases/bad/two-errors.ini:14: error: next level "
                                        "'L9' of L1 does not exist\n"),
              "%s", run.err);
    /* Line 9 is printed before line 14. */
    cr_assert_lt(strstr(run.err, ":9: error"), strstr(run.err, ":14: error"));
    cr_assert(nl_test_contains(run.err, "2 errors"), "%s", run.err);
    cr_assert_not(nl_test_contains(run.out, "result: usable"));
    nl_run_free(&run);
}

Test(cli_check, the_worst_template_decides_the_exit_code)
{
    nl_run run = RUN("check", "templates/engineering-ic.ini", "tests/cases/bad/two-errors.ini");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.out, "templates/engineering-ic.ini: Engineering ladder"),
              "the good template is still summarised: %s", run.out);
    cr_assert(nl_test_contains(run.err, "two-errors.ini:9: error:"));
    nl_run_free(&run);
}

Test(cli_check, warnings_are_printed_and_the_template_is_usable)
{
    nl_run run = RUN("check", "tests/cases/lint/unreachable-level.ini");
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    cr_assert(nl_test_contains(run.err, "tests/cases/lint/unreachable-level.ini:21: warning: "
                                        "level X1 cannot be reached"),
              "%s", run.err);
    cr_assert_not(nl_test_contains(run.err, "error"), "%s", run.err);
    cr_assert(nl_test_contains(run.out, "result: usable, 1 warning\n"), "%s", run.out);
    nl_run_free(&run);
}

Test(cli_check, a_missing_template_exits_3)
{
    nl_run run = RUN("check", "tests/cases/no-such-template.ini");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, "tests/cases/no-such-template.ini"), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "No such file"), "%s", run.err);
    cr_assert_str_empty(run.out);
    nl_run_free(&run);
}

Test(cli_check, quiet_prints_no_summary)
{
    nl_run run = RUN("check", "--quiet", "templates/engineering-ic.ini");
    cr_assert_eq(run.exit_code, 0);
    cr_assert_str_empty(run.out, "%s", run.out);
    cr_assert_str_empty(run.err);
    nl_run_free(&run);
    run = RUN("check", "-q", "tests/cases/bad/two-errors.ini");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, "two-errors.ini:14: error:"), "findings stay: %s", run.err);
    nl_run_free(&run);
}

Test(cli_check, usage_errors_exit_2)
{
    nl_run run = RUN("check");
    cr_assert_eq(run.exit_code, 2);
    cr_assert(nl_test_contains(run.err, "TEMPLATE"), "%s", run.err);
    cr_assert_str_empty(run.out);
    nl_run_free(&run);

    nl_run none = nl_test_run((const char *[]){NULL});
    cr_assert_eq(none.exit_code, 2);
    cr_assert(nl_test_contains(none.err, "nextlevel: "), "%s", none.err);
    nl_run_free(&none);

    run = RUN("check", "--frobnicate", "templates/engineering-ic.ini");
    cr_assert_eq(run.exit_code, 2);
    cr_assert(nl_test_contains(run.err, "unknown option '--frobnicate'"), "%s", run.err);
    cr_assert_str_empty(run.out);
    nl_run_free(&run);
}

Test(cli_check, version_exits_0)
{
    nl_run run = RUN("--version");
    cr_assert_eq(run.exit_code, 0);
    cr_assert(strncmp(run.out, "nextlevel ", 10) == 0, "%s", run.out);
    cr_assert(run.out[10] >= '0' && run.out[10] <= '9', "%s", run.out);
    cr_assert_str_empty(run.err);
    nl_run_free(&run);
    run = RUN("check", "--version");
    cr_assert_eq(run.exit_code, 0);
    cr_assert(strncmp(run.out, "nextlevel ", 10) == 0, "%s", run.out);
    nl_run_free(&run);
}
