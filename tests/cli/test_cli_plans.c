/* Development plans and readiness bands, read back from the workbook (tests/tools/
 * check_plans.py, with openpyxl) and compared with the JSON of the same run: rows ranked by
 * distance to ready; Manager, Band and Quarters to ready columns; raises in whole rating steps
 * (the template's [framework] step, or a skill's own step); at most [plans] max_raises raises
 * shown, hard-gate raises first, the rest counted; the mitigations repeated; and for every
 * person a band that follows from the distance by the README's rule ("Readiness bands").
 *
 * Data: the bundled samples with last quarter (growth measured for three teams, the template's
 * for the others), and the same with a template whose coding skill rates in whole points and
 * whose plans show two raises. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define PREVIOUS "samples/previous-quarter"

/* Evaluates the samples with template into dir/r.json and dir/r.xlsx, then runs check_plans.py
 * with the extra arguments; returns its report. */
static char *run_and_check(const char *dir, const char *template, const char *extra)
{
    char json[4096], xlsx[4096], command[16384];
    snprintf(json, sizeof json, "%s/r.json", dir);
    snprintf(xlsx, sizeof xlsx, "%s/r.xlsx", dir);
    const char *outs[] = {json, xlsx};
    for (size_t i = 0; i < 2; i++) {
        nl_run run = RUN("evaluate", "-q", "--template", template, "--previous", PREVIOUS,
                         "--calibrate", "--out", outs[i], "samples");
        cr_assert_eq(run.exit_code, 1, "%s", run.err); /* samples/messy-export.csv */
        nl_run_free(&run);
    }
    cr_assert_eq(nl_test_check_json_schema(json), 0, "the JSON does not match its schema");
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_plans.py '%s' '%s' %s 2>&1", json, xlsx, extra);
    return nl_test_capture(command);
}

Test(plans, ranked_by_distance_in_whole_steps_with_bands_that_follow, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *report = run_and_check(dir, IC, "--step 0.5 --max-raises 5 --expect-counted");
    cr_assert(strncmp(report, "ok", 2) == 0, "check_plans.py: %s", report);
    free(report);
    nl_test_remove_tree(dir);
}

/* text with the first old replaced by new (asserted to be there), as a new string. */
static char *replace_once(const char *text, const char *old, const char *new)
{
    const char *at = strstr(text, old);
    cr_assert_not_null(at, "no '%s' to replace", old);
    size_t size = strlen(text) - strlen(old) + strlen(new) + 1;
    char *out = malloc(size);
    cr_assert_not_null(out);
    snprintf(out, size, "%.*s%s%s", (int)(at - text), text, new, at + strlen(old));
    return out;
}

/* The template's keys: [skill coding] step = 1 (coding rates in whole points) and [plans]
 * max_raises = 2. */
Test(plans, a_skill_step_and_max_raises_from_the_template, .timeout = 120)
{
    size_t len;
    char *text = nl_test_read_file(nl_test_path(IC), &len);
    cr_assert_not_null(text);
    /* The template's own [plans] max_raises = 5 becomes 2, and coding gets step = 1. */
    char *edited = replace_once(text, "max_raises = 5\n", "max_raises = 2\n");
    char *twice = replace_once(edited, "[skill coding]\n", "[skill coding]\nstep = 1\n");
    free(edited);
    edited = twice;
    char *template = nl_test_write_temp(".ini", edited, strlen(edited));
    free(edited);
    free(text);
    char *dir = nl_test_temp_dir();
    char *report = run_and_check(dir, template,
                                 "--step 0.5 --skill-step Coding=1 --max-raises 2 "
                                 "--expect-counted --expect-skill Coding");
    cr_assert(strncmp(report, "ok", 2) == 0, "check_plans.py: %s", report);
    free(report);
    /* The same workbook checked against the defaults must fail: the checker can tell. */
    char json[4096], xlsx[4096], command[16384];
    snprintf(json, sizeof json, "%s/r.json", dir);
    snprintf(xlsx, sizeof xlsx, "%s/r.xlsx", dir);
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_plans.py '%s' '%s' --max-raises 1 >/dev/null",
             json, xlsx);
    cr_assert_neq(nl_test_shell(command), 0, "checked against max_raises 1, the workbook passed");
    nl_test_remove_tree(dir);
    nl_test_remove(template);
}
