/* `nextlevel diff OLD.json NEW.json`: outcome changes with the gates that flipped (and what
 * they said before), the readiness change, new people and leavers, the closing count line; and
 * the refusals: invalid JSON (file:line:column), a JSON without "people", a missing file, the
 * wrong number of arguments.
 *
 * The crafted quarters are tests/cases/batch/trend/{previous,current} evaluated with
 * tests/cases/batch/tiny.ini; their numbers are worked out in tests/cli/test_cli_batch.c
 * ("last quarter: --previous"). In short (R = readiness score):
 *   T1 Developing (R 87.5; tech_bar and readiness fail) -> Ready now (R 90.625)
 *   T2 Ready now (R 100) -> Developing (R 90.625; tech_bar fails: coding 3 < 4)
 *   T3 Developing both times (R 90.625)
 *   T4 at A, Ready now (R 100) -> at B against C, Developing (R 86.875; tech_bar, readiness and
 *      tenure, 2 months of 12, fail)
 *   T5 new (Developing); T6 left (was Developing)
 *   T7 Not evaluated (design not assessed; R 87.5 over what was, 84.4 to 90.6 whatever design
 *      scores, so the readiness gate is not checked; tenure 10 months fails) ->
 *      Developing (R 95.3125, 13 months) */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define TINY     "tests/cases/batch/tiny.ini"
#define PREV     "tests/cases/batch/trend/previous"
#define CUR      "tests/cases/batch/trend/current"
#define CASES    "tests/cases/diff"
#define IC       "templates/engineering-ic.ini"

/* Evaluates the operands into a JSON file; returns its path. */
static char *evaluate_json(const char *dir, const char *name, const char *template,
                           const char *const *operands, size_t count)
{
    char *out = nl_test_path_in(dir, name);
    const char *args[16] = {"evaluate", "-q",   "--template", template,
                            "--format", "json", "--out",      out};
    size_t n = 8;
    for (size_t i = 0; i < count; i++)
        args[n++] = operands[i];
    args[n] = NULL;
    nl_run run = nl_test_run(args);
    cr_assert(run.exit_code == 0, "evaluate %s: exit %d: %s", name, run.exit_code, run.err);
    nl_run_free(&run);
    return out;
}

/* The lines of a text that do not start with a space: one per person, and the count line. */
static char *heading_lines(const char *text)
{
    char *out = malloc(strlen(text) + 1);
    cr_assert_not_null(out);
    size_t n = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        cr_assert_not_null(end, "a line without its end: [%s]", line);
        if (*line != ' ') {
            memcpy(out + n, line, (size_t)(end - line + 1));
            n += (size_t)(end - line + 1);
        }
        line = end + 1;
    }
    out[n] = '\0';
    return out;
}

/* The block of a person: from their heading line up to the next heading (not included). */
static char *block_of(const char *text, const char *heading)
{
    char needle[512];
    snprintf(needle, sizeof needle, "%s\n", heading);
    const char *start = strstr(text, needle);
    while (start != NULL && start != text && start[-1] != '\n')
        start = strstr(start + 1, needle);
    cr_assert_not_null(start, "no line [%s] in:\n%s", heading, text);
    const char *end = start + strlen(needle);
    while (*end == ' ') {
        end = strchr(end, '\n');
        cr_assert_not_null(end);
        end++;
    }
    char *block = malloc((size_t)(end - start) + 1);
    memcpy(block, start, (size_t)(end - start));
    block[end - start] = '\0';
    return block;
}

/* ---- crafted quarters ---- */

Test(cli_diff, crafted_quarters_changes_gates_scores_new_and_left)
{
    char *dir = nl_test_temp_dir();
    const char *prev[] = {PREV}, *cur[] = {CUR};
    char *old_json = evaluate_json(dir, "q3.json", TINY, prev, 1);
    char *new_json = evaluate_json(dir, "q4.json", TINY, cur, 1);
    nl_run run = RUN("diff", old_json, new_json);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_str_empty(run.err);

    /* One heading per change, in the new file's order; T3 (unchanged) is not listed; new
     * people among them, leavers after; then the counts: T1, T2, T4, T7 changed, T3 not. */
    char *headings = heading_lines(run.out);
    cr_assert_str_eq(headings, "T1 Ana Rise (Core): Developing -> Ready now\n"
                               "T2 Ben Fall (Core): Ready now -> Developing\n"
                               "T4 Dia Promoted (growth): Ready now -> Developing\n"
                               "T5 Eli New (growth): new, Developing\n"
                               "T7 Gus Unassessed (growth): Not evaluated -> Developing\n"
                               "T6 Fay Leaver (growth): left, was Developing\n"
                               "4 changed outcome, 1 unchanged, 1 new, 1 left\n");
    free(headings);

    /* T1: tech_bar (coding 3 -> 4) and readiness (87.5 -> 90.625 against 90) flipped; tenure
     * (12 and 15 months) and visibility (3) did not. */
    char *b = block_of(run.out, "T1 Ana Rise (Core): Developing -> Ready now");
    cr_assert(nl_test_contains(b, "\n  gate tech_bar (hard): fail -> pass: "), "%s", b);
    cr_assert(nl_test_contains(b, "\n    was: Technical bar failed: coding 3 < 4"), "%s", b);
    cr_assert(nl_test_contains(b, "\n  gate readiness (hard): fail -> pass: "), "%s", b);
    cr_assert(nl_test_contains(b, "\n    was: Readiness failed: readiness score 87.5"), "%s", b);
    cr_assert_not(nl_test_contains(b, "gate tenure"), "%s", b);
    cr_assert_not(nl_test_contains(b, "gate visibility"), "%s", b);
    /* 87.5 -> 90.625: one decimal each, +3.125 -> +3.1. */
    cr_assert(nl_test_contains(b, "\n  readiness score 87.5 -> 90.6 (+3.1)\n"), "%s", b);
    free(b);

    /* T2: only tech_bar flipped (readiness 100 -> 90.625 still passes 90). */
    b = block_of(run.out, "T2 Ben Fall (Core): Ready now -> Developing");
    cr_assert(nl_test_contains(b, "\n  gate tech_bar (hard): pass -> fail: Technical bar failed: "
                                  "coding 3 < 4"),
              "%s", b);
    cr_assert(nl_test_contains(b, "\n    was: Technical bar passed"), "%s", b);
    cr_assert_not(nl_test_contains(b, "gate readiness"), "%s", b);
    cr_assert(nl_test_contains(b, "\n  readiness score 100.0 -> 90.6 (-9.4)\n"), "%s", b);
    free(b);

    /* T4: promoted A -> B, now against C: the level and the target are said, and three gates
     * flipped (tenure: 14 months then, 2 now). */
    b = block_of(run.out, "T4 Dia Promoted (growth): Ready now -> Developing");
    cr_assert(nl_test_contains(b, "\n  level A -> B\n"), "%s", b);
    cr_assert(nl_test_contains(b, "\n  evaluated against C, was B\n"), "%s", b);
    cr_assert(nl_test_contains(b, "\n  gate tech_bar (hard): pass -> fail: "), "%s", b);
    cr_assert(nl_test_contains(b, "\n  gate readiness (hard): pass -> fail: "), "%s", b);
    cr_assert(nl_test_contains(b, "\n  gate tenure (soft): pass -> fail: "), "%s", b);
    cr_assert(nl_test_contains(b, "\n    was: Time in level passed: 14 months"), "%s", b);
    cr_assert(nl_test_contains(b, "\n  readiness score 100.0 -> 86.9 (-13.1)\n"), "%s", b);
    free(b);

    /* T7: readiness (not checked then: design was not assessed and could have taken it either
     * side of 90) and tenure (10 then 13 months) changed. */
    b = block_of(run.out, "T7 Gus Unassessed (growth): Not evaluated -> Developing");
    cr_assert(nl_test_contains(b, "\n  gate readiness (hard): not checked -> pass: "), "%s", b);
    cr_assert(nl_test_contains(b, "\n  gate tenure (soft): fail -> pass: "), "%s", b);
    cr_assert(nl_test_contains(b, "\n  readiness score 87.5 -> 95.3 (+7.8)\n"), "%s", b);
    free(b);
    nl_run_free(&run);

    /* The other way round: T6 is new and T5 left; the same people changed. */
    run = RUN("diff", new_json, old_json);
    cr_assert_eq(run.exit_code, 0);
    headings = heading_lines(run.out);
    cr_assert_str_eq(headings, "T1 Ana Rise (Core): Ready now -> Developing\n"
                               "T2 Ben Fall (Core): Developing -> Ready now\n"
                               "T4 Dia Promoted (growth): Developing -> Ready now\n"
                               "T6 Fay Leaver (growth): new, Developing\n"
                               "T7 Gus Unassessed (growth): Developing -> Not evaluated\n"
                               "T5 Eli New (growth): left, was Developing\n"
                               "4 changed outcome, 1 unchanged, 1 new, 1 left\n");
    free(headings);
    b = block_of(run.out, "T4 Dia Promoted (growth): Developing -> Ready now");
    cr_assert(nl_test_contains(b, "\n  level B -> A\n"), "%s", b);
    cr_assert(nl_test_contains(b, "\n  evaluated against B, was C\n"), "%s", b);
    free(b);
    nl_run_free(&run);

    /* A file against itself: nothing changed. */
    run = RUN("diff", new_json, new_json);
    cr_assert_eq(run.exit_code, 0);
    cr_assert_str_eq(run.out, "0 changed outcome, 6 unchanged, 0 new, 0 left\n");
    nl_run_free(&run);
    free(old_json);
    free(new_json);
    nl_test_remove_tree(dir);
}

Test(cli_diff, minimal_hand_written_files)
{
    /* old-min: M1 Developing, M2 Ready now (g1, g2 pass; 100), M3 Top of ladder, M5 Developing
     * (80). new-min: M2 Ready with risk (g2 fails, a new gate g3 passes; 95.5), M1 Ready now,
     * M4 new, M5 Developing (85). M1 has no readiness score: no score line. M5's score rose
     * but its outcome did not change: not listed. g3 did not exist: no "was:" line. */
    nl_run run = RUN("diff", CASES "/old-min.json", CASES "/new-min.json");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_str_eq(run.out, "M2 Max (Ops): Ready now -> Ready with risk\n"
                              "  gate g2 (soft): pass -> fail: G2 failed: 2 < 3\n"
                              "    was: G2 passed: 4 >= 3\n"
                              "  gate g3 (hard): absent -> pass: G3 passed\n"
                              "  readiness score 100.0 -> 95.5 (-4.5)\n"
                              "M1 Mia (Ops): Developing -> Ready now\n"
                              "M4 Moe (Ops): new, Not evaluated\n"
                              "M3 Meg (Ops): left, was Top of ladder\n"
                              "2 changed outcome, 1 unchanged, 1 new, 1 left\n");
    nl_run_free(&run);
}

/* ---- the samples: README's example ---- */

Test(cli_diff, the_samples_quarter_over_quarter)
{
    char *dir = nl_test_temp_dir();
    const char *prev[] = {"samples/previous-quarter"};
    const char *cur[] = {"samples/platform.csv", "samples/payments.csv", "samples/mobile.csv"};
    char *old_json = evaluate_json(dir, "q3.json", IC, prev, 1);
    char *new_json = evaluate_json(dir, "q4.json", IC, cur, 3);
    nl_run run = RUN("diff", old_json, new_json);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    /* E1003 and E1007 Developing -> Ready now, E1103 and E1204 Ready with risk -> Ready now
     * (tenure 10 -> 13 and 9 -> 12 months against 12); E1011 new, E1199 left; 30 people now,
     * 29 of them there before: 25 unchanged. */
    char *headings = heading_lines(run.out);
    cr_assert_str_eq(headings, "E1003 Sofia Lindqvist (Platform): Developing -> Ready now\n"
                               "E1007 Lucía Fernández (Platform): Developing -> Ready now\n"
                               "E1011 Chen Wei (Platform): new, Developing\n"
                               "E1103 Mateus Oliveira (Payments): Ready with risk -> Ready now\n"
                               "E1204 Zeynep Aksoy (Mobile): Ready with risk -> Ready now\n"
                               "E1199 Tomás Ibarra (Payments): left, was Developing\n"
                               "4 changed outcome, 25 unchanged, 1 new, 1 left\n");
    free(headings);
    /* E1003 on the M1 track: stakeholder_management 3 -> 4 (soft bar, tolerance 0.5) and
     * communication 3.5 -> 4.5 (critical); readiness 97.5 -> 100. */
    char *b = block_of(run.out, "E1003 Sofia Lindqvist (Platform): Developing -> Ready now");
    cr_assert(nl_test_contains(b, "\n  gate soft_bar (soft): fail -> pass: "), "%s", b);
    cr_assert(nl_test_contains(b, "stakeholder_management 3 < 4 expected at M1"), "%s", b);
    cr_assert(nl_test_contains(b, "\n  gate critical (hard): fail -> pass: "), "%s", b);
    cr_assert(nl_test_contains(b, "communication 3.5 < 4 expected at M1"), "%s", b);
    cr_assert(nl_test_contains(b, "\n  readiness score 97.5 -> 100.0 (+2.5)\n"), "%s", b);
    free(b);
    /* E1204: only the tenure gate, and a score that did not move. */
    b = block_of(run.out, "E1204 Zeynep Aksoy (Mobile): Ready with risk -> Ready now");
    cr_assert(nl_test_contains(b, "\n  gate tenure (soft): fail -> pass: Time in level passed: "
                                  "12 months in level, required 12\n"),
              "%s", b);
    cr_assert(nl_test_contains(b, "\n  readiness score 100.0 -> 100.0 (+0.0)\n"), "%s", b);
    free(b);
    nl_run_free(&run);
    free(old_json);
    free(new_json);
    nl_test_remove_tree(dir);
}

/* ---- refusals ---- */

Test(cli_diff, invalid_json_exits_3_with_file_line_and_column)
{
    /* broken.json line 3 is `    {"id": "X1", "outcome": "Ready now",}`: the '}' after the
     * trailing comma is column 41 (4 spaces, then 36 characters up to the comma). */
    const char *good = CASES "/old-min.json", *bad = CASES "/broken.json";
    const char *pairs[][2] = {{bad, good}, {good, bad}};
    for (int i = 0; i < 2; i++) {
        nl_run run = RUN("diff", pairs[i][0], pairs[i][1]);
        cr_assert_eq(run.exit_code, 3, "exit %d: %s", run.exit_code, run.err);
        cr_assert(nl_test_contains(run.err, "nextlevel: " CASES "/broken.json:3:41: "), "%s",
                  run.err);
        cr_assert(nl_test_contains(run.err, "not valid JSON"), "%s", run.err);
        cr_assert_str_empty(run.out, "nothing is printed before the refusal");
        nl_run_free(&run);
    }
}

Test(cli_diff, a_json_without_people_exits_3)
{
    nl_run run = RUN("diff", CASES "/no-people.json", CASES "/new-min.json");
    cr_assert_eq(run.exit_code, 3, "exit %d: %s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: " CASES "/no-people.json: "), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "\"people\""), "%s", run.err);
    cr_assert_str_empty(run.out);
    nl_run_free(&run);
    /* A JSON array is not a result file either; nor is "people" that is not a list. */
    static const char *const texts[] = {"[1, 2, 3]\n", "{\"people\": {\"id\": \"X1\"}}\n"};
    for (int i = 0; i < 2; i++) {
        char *path = nl_test_write_temp(".json", texts[i], strlen(texts[i]));
        run = RUN("diff", CASES "/old-min.json", path);
        cr_assert_eq(run.exit_code, 3, "%s: exit %d", texts[i], run.exit_code);
        cr_assert(nl_test_contains(run.err, path), "%s", run.err);
        cr_assert_str_empty(run.out);
        nl_run_free(&run);
        nl_test_remove(path);
    }
}

Test(cli_diff, a_missing_file_exits_3_naming_it)
{
    nl_run run = RUN("diff", CASES "/old-min.json", CASES "/no-such-file.json");
    cr_assert_eq(run.exit_code, 3, "exit %d: %s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, CASES "/no-such-file.json"), "%s", run.err);
    cr_assert_str_empty(run.out);
    nl_run_free(&run);
}

Test(cli_diff, wrong_argument_count_exits_2)
{
    nl_run runs[] = {
        RUN("diff"),
        RUN("diff", CASES "/old-min.json"),
        RUN("diff", CASES "/old-min.json", CASES "/new-min.json", CASES "/new-min.json"),
    };
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        cr_assert_eq(runs[i].exit_code, 2, "%zu arguments: exit %d", i, runs[i].exit_code);
        cr_assert(nl_test_contains(runs[i].err, "diff needs two result files"), "%s", runs[i].err);
        cr_assert_str_empty(runs[i].out);
        nl_run_free(&runs[i]);
    }
}
