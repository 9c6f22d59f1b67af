/* The fairness check (fairness.h): per group, among people evaluated (Ready now, Ready with risk
 * or Developing), the rates of Ready now and of Ready now or with risk, their ratios to the
 * highest group's rate, the four-fifths flag, and small groups merged or left out; and the
 * [fairness] template section. Every expected number is worked out by hand beside its
 * assertion, from the README ("Fairness"). */
#include "nextlevel/fairness.h"
#include "nextlevel/framework.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building the people: (group, outcome) pairs ---- */

#define MAX_PEOPLE 512

typedef struct population {
    const char *groups[MAX_PEOPLE];
    nl_outcome outcomes[MAX_PEOPLE];
    size_t count;
} population;

/* Adds n people of group with outcome. */
static void add(population *p, const char *group, nl_outcome outcome, size_t n)
{
    cr_assert_leq(p->count + n, MAX_PEOPLE);
    for (size_t i = 0; i < n; i++) {
        p->groups[p->count] = group;
        p->outcomes[p->count++] = outcome;
    }
}

static nl_fairness_settings defaults(void)
{
    /* README: min_group_size 5, ratio_threshold 0.8, small_groups = merge. */
    return (nl_fairness_settings){.group_column = "Location",
                                  .min_group_size = 5,
                                  .ratio_threshold = 0.8,
                                  .suppress_small = false};
}

static nl_fairness *compute(const nl_fairness_settings *settings, const population *p)
{
    nl_fairness *f = NULL;
    cr_assert_eq(nl_fairness_compute(settings, p->groups, p->outcomes, p->count, &f), NL_OK);
    cr_assert_not_null(f);
    return f;
}

static void expect_number(double got, double want, const char *group, const char *what)
{
    if (isnan(want))
        cr_assert(isnan(got), "%s: %s %.17g, expected none", group, what, got);
    else
        cr_assert_float_eq(got, want, 1e-9, "%s: %s %.17g, expected %.17g", group, what, got, want);
}

/* Asserts group number index: its name, counts, rates, ratios and flag. */
static void expect_group(const nl_fairness *f, size_t index, const char *name, size_t evaluated,
                         size_t ready_now, size_t ready_or_risk, double rate_ready,
                         double ratio_ready, double rate_either, double ratio_either, bool flagged)
{
    cr_assert_lt(index, f->count, "no group %zu (%zu groups)", index, f->count);
    const nl_group_rates *r = &f->groups[index];
    cr_assert_str_eq(r->name, name, "group %zu is '%s', expected '%s'", index, r->name, name);
    cr_assert_eq(r->evaluated, evaluated, "%s: %zu evaluated, expected %zu", name, r->evaluated,
                 evaluated);
    cr_assert_eq(r->ready_now, ready_now, "%s: %zu ready now, expected %zu", name, r->ready_now,
                 ready_now);
    cr_assert_eq(r->ready_or_risk, ready_or_risk, "%s: %zu ready or risk, expected %zu", name,
                 r->ready_or_risk, ready_or_risk);
    expect_number(r->rate_ready, rate_ready, name, "rate");
    expect_number(r->ratio_ready, ratio_ready, name, "ratio");
    expect_number(r->rate_ready_or_risk, rate_either, name, "rate (with risk)");
    expect_number(r->ratio_ready_or_risk, ratio_either, name, "ratio (with risk)");
    cr_assert_eq(r->flagged, flagged, "%s: flagged %d, expected %d (ratios %.17g, %.17g)", name,
                 r->flagged, flagged, r->ratio_ready, r->ratio_ready_or_risk);
}

/* ---- 1. rates, ratios, the four-fifths rule ---- */

Test(fairness, rates_and_ratios_per_group)
{
    population p = {.count = 0};
    /* Interleaved, in no name order. */
    add(&p, "Osaka", NL_READY_NOW, 2);
    add(&p, "Lisbon", NL_READY_NOW, 5);
    add(&p, "Osaka", NL_READY_WITH_RISK, 2);
    add(&p, "Nairobi", NL_READY_NOW, 4);
    add(&p, "Osaka", NL_DEVELOPING, 2);
    add(&p, "Nairobi", NL_DEVELOPING, 1);
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    cr_assert_eq(f->count, 3);
    /* Lisbon 5/5 = 1 is the highest Ready now rate and, 5/5, the highest with risk. */
    expect_group(f, 0, "Lisbon", 5, 5, 5, 1.0, 1.0, 1.0, 1.0, false);
    /* Nairobi 4/5 = 0.8, ratio 0.8 / 1 = 0.8: exactly four fifths is not under 0.8. */
    expect_group(f, 1, "Nairobi", 5, 4, 4, 0.8, 0.8, 0.8, 0.8, false);
    /* Osaka 2/6 = 0.3333, ratio 0.3333 < 0.8: flagged; with risk 4/6 = 0.6667, ratio 0.6667. */
    expect_group(f, 2, "Osaka", 6, 2, 4, 2.0 / 6, 2.0 / 6, 4.0 / 6, 4.0 / 6, true);
    cr_assert_eq(f->merged_count, 0);
    cr_assert_eq(f->suppressed_count, 0);
    cr_assert_eq(f->suppressed_people, 0);
    nl_fairness_free(f);
}

Test(fairness, exactly_four_fifths_is_not_flagged_but_079_is)
{
    population p = {.count = 0};
    add(&p, "A", NL_READY_NOW, 100);
    add(&p, "B", NL_READY_NOW, 80);
    add(&p, "B", NL_DEVELOPING, 20);
    add(&p, "C", NL_READY_NOW, 79);
    add(&p, "C", NL_READY_WITH_RISK, 21);
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    /* A: 100/100 = 1 on both rates: the reference. */
    expect_group(f, 0, "A", 100, 100, 100, 1.0, 1.0, 1.0, 1.0, false);
    /* B: 80/100 = 0.8 on both, ratios 0.8: not under 0.8, not flagged. */
    expect_group(f, 1, "B", 100, 80, 80, 0.8, 0.8, 0.8, 0.8, false);
    /* C: Ready now 79/100 = 0.79, ratio 0.79 < 0.8: flagged, although Ready now or with risk
     * is 100/100 (ratio 1): one ratio under the threshold is enough. */
    expect_group(f, 2, "C", 100, 79, 100, 0.79, 0.79, 1.0, 1.0, true);
    nl_fairness_free(f);
}

Test(fairness, a_ratio_of_four_fifths_up_to_rounding_is_not_flagged)
{
    population p = {.count = 0};
    add(&p, "A", NL_READY_NOW, 5);
    add(&p, "A", NL_DEVELOPING, 1);
    add(&p, "B", NL_READY_NOW, 4);
    add(&p, "B", NL_DEVELOPING, 2);
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    /* A 5/6 = 0.8333 is the highest; B 4/6 = 0.6667, ratio (4/6) / (5/6) = 4/5 = 0.8, which
     * in floating point is 0.7999999999999999: still four fifths, not flagged. */
    cr_assert_lt((4.0 / 6) / (5.0 / 6), 0.8, "the premise: the division falls short of 0.8");
    expect_group(f, 0, "A", 6, 5, 5, 5.0 / 6, 1.0, 5.0 / 6, 1.0, false);
    expect_group(f, 1, "B", 6, 4, 4, 4.0 / 6, 0.8, 4.0 / 6, 0.8, false);
    nl_fairness_free(f);
}

Test(fairness, flagged_by_the_ready_or_risk_ratio_alone)
{
    population p = {.count = 0};
    add(&p, "A", NL_READY_NOW, 5);
    add(&p, "A", NL_READY_WITH_RISK, 5);
    add(&p, "D", NL_READY_NOW, 5);
    add(&p, "D", NL_DEVELOPING, 5);
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    /* Ready now: A 5/10 = 0.5, D 5/10 = 0.5, both ratio 1.
     * With risk: A 10/10 = 1, D 5/10 = 0.5, ratio 0.5 < 0.8: D flagged. */
    expect_group(f, 0, "A", 10, 5, 10, 0.5, 1.0, 1.0, 1.0, false);
    expect_group(f, 1, "D", 10, 5, 5, 0.5, 1.0, 0.5, 0.5, true);
    nl_fairness_free(f);
}

Test(fairness, ratio_threshold_from_the_settings)
{
    population p = {.count = 0};
    add(&p, "A", NL_READY_NOW, 10);
    add(&p, "B", NL_READY_NOW, 6);
    add(&p, "B", NL_DEVELOPING, 4);
    add(&p, "C", NL_READY_NOW, 5);
    add(&p, "C", NL_DEVELOPING, 5);
    nl_fairness_settings s = defaults();
    s.ratio_threshold = 0.6;
    nl_fairness *f = compute(&s, &p);
    /* B 6/10, ratio 0.6: not under 0.6. C 5/10, ratio 0.5 < 0.6: flagged.
     * (At the default 0.8 both would be flagged.) */
    expect_group(f, 1, "B", 10, 6, 6, 0.6, 0.6, 0.6, 0.6, false);
    expect_group(f, 2, "C", 10, 5, 5, 0.5, 0.5, 0.5, 0.5, true);
    nl_fairness_free(f);
}

Test(fairness, nobody_ready_gives_no_ratio_and_no_flag)
{
    population p = {.count = 0};
    add(&p, "A", NL_DEVELOPING, 5);
    add(&p, "B", NL_READY_WITH_RISK, 1);
    add(&p, "B", NL_DEVELOPING, 4);
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    /* Ready now: 0/5 in both groups; the highest rate is 0, so no ratio (none, not 0 and not
     * flagged for it). With risk: A 0/5 = 0, B 1/5 = 0.2 the highest; A's ratio 0: flagged. */
    expect_group(f, 0, "A", 5, 0, 0, 0.0, NAN, 0.0, 0.0, true);
    expect_group(f, 1, "B", 5, 0, 1, 0.0, NAN, 0.2, 1.0, false);
    nl_fairness_free(f);
}

/* ---- 2. who counts ---- */

Test(fairness, not_evaluated_and_top_of_ladder_are_not_counted)
{
    population p = {.count = 0};
    add(&p, "A", NL_READY_NOW, 4);
    add(&p, "A", NL_DEVELOPING, 1);
    add(&p, "A", NL_NOT_EVALUATED, 3);
    add(&p, "A", NL_TOP_OF_LADDER, 2);
    add(&p, "B", NL_NOT_EVALUATED, 6); /* nobody evaluated: no group B at all */
    add(&p, "", NL_READY_WITH_RISK, 2);
    add(&p, "", NL_DEVELOPING, 3);
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    /* "" counts as "(not given)", which sorts before "A" ('(' < 'A'). */
    cr_assert_eq(f->count, 2);
    /* (not given): 5 evaluated, 0 Ready now, 2 with risk: rates 0 and 0.4; the highest are
     * A's 4/5 = 0.8 and 4/5 = 0.8: ratios 0 and 0.5, flagged. */
    expect_group(f, 0, "(not given)", 5, 0, 2, 0.0, 0.0, 0.4, 0.5, true);
    /* A: 10 people, 5 evaluated (3 Not evaluated and 2 Top of ladder left out): 4/5 = 0.8
     * (not 4/10 = 0.4). */
    expect_group(f, 1, "A", 5, 4, 4, 0.8, 1.0, 0.8, 1.0, false);
    nl_fairness_free(f);
}

Test(fairness, nobody_evaluated_gives_no_group)
{
    population p = {.count = 0};
    add(&p, "A", NL_TOP_OF_LADDER, 5);
    add(&p, "B", NL_NOT_EVALUATED, 5);
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    cr_assert_eq(f->count, 0);
    cr_assert_eq(f->merged_count, 0);
    cr_assert_eq(f->suppressed_count, 0);
    nl_fairness_free(f);
}

/* ---- 3. small groups ---- */

Test(fairness, small_groups_are_merged_into_other_which_comes_last)
{
    population p = {.count = 0};
    add(&p, "Zulu", NL_READY_NOW, 1);
    add(&p, "Zulu", NL_DEVELOPING, 4);
    add(&p, "Bravo", NL_READY_NOW, 3);
    add(&p, "Alpha", NL_READY_NOW, 2);
    add(&p, "Alpha", NL_DEVELOPING, 3);
    add(&p, "Charlie", NL_READY_WITH_RISK, 2);
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    /* Alpha 5 and Zulu 5 stay; Bravo 3 and Charlie 2 (< 5) merge: Other 5 evaluated,
     * 3 Ready now, 5 with risk. "Other (small groups)" comes last although "O" < "Z". */
    cr_assert_eq(f->count, 3);
    /* Other's 3/5 = 0.6 and 5/5 = 1 are the highest rates.
     * Alpha: 2/5 = 0.4, ratio 0.4 / 0.6 = 0.6667; 2/5 with risk, ratio 0.4: flagged. */
    expect_group(f, 0, "Alpha", 5, 2, 2, 0.4, 0.4 / 0.6, 0.4, 0.4, true);
    /* Zulu: 1/5 = 0.2, ratio 0.3333; with risk 0.2, ratio 0.2: flagged. */
    expect_group(f, 1, "Zulu", 5, 1, 1, 0.2, 0.2 / 0.6, 0.2, 0.2, true);
    expect_group(f, 2, "Other (small groups)", 5, 3, 5, 0.6, 1.0, 1.0, 1.0, false);
    /* The merged groups are named, by name. */
    cr_assert_eq(f->merged_count, 2);
    cr_assert_str_eq(f->merged[0], "Bravo");
    cr_assert_str_eq(f->merged[1], "Charlie");
    cr_assert_eq(f->suppressed_count, 0);
    cr_assert_eq(f->suppressed_people, 0);
    nl_fairness_free(f);
}

Test(fairness, merged_groups_still_too_small_are_left_out)
{
    population p = {.count = 0};
    add(&p, "Alpha", NL_READY_NOW, 2);
    add(&p, "Alpha", NL_DEVELOPING, 3);
    add(&p, "Bravo", NL_READY_NOW, 2);
    add(&p, "Charlie", NL_READY_NOW, 1);
    add(&p, "Charlie", NL_NOT_EVALUATED, 4); /* not evaluated: does not make Charlie bigger */
    nl_fairness_settings s = defaults();
    nl_fairness *f = compute(&s, &p);
    /* Bravo 2 + Charlie 1 = 3 evaluated < 5: no Other group; both are left out, with 3 people.
     * Only Alpha is shown, and it is its own reference: 2/5 = 0.4, ratio 1 (the left-out
     * groups' 100% does not count). */
    cr_assert_eq(f->count, 1);
    expect_group(f, 0, "Alpha", 5, 2, 2, 0.4, 1.0, 0.4, 1.0, false);
    cr_assert_eq(f->merged_count, 0);
    cr_assert_eq(f->suppressed_count, 2);
    cr_assert_str_eq(f->suppressed[0], "Bravo");
    cr_assert_str_eq(f->suppressed[1], "Charlie");
    cr_assert_eq(f->suppressed_people, 3);
    nl_fairness_free(f);
}

Test(fairness, suppress_leaves_small_groups_out_even_when_merged_they_would_do)
{
    population p = {.count = 0};
    add(&p, "Alpha", NL_READY_NOW, 5);
    add(&p, "Bravo", NL_READY_NOW, 3);
    add(&p, "Charlie", NL_DEVELOPING, 2);
    nl_fairness_settings s = defaults();
    s.suppress_small = true;
    nl_fairness *f = compute(&s, &p);
    /* Bravo 3 + Charlie 2 = 5 would make an Other group; suppress leaves both out. */
    cr_assert_eq(f->count, 1);
    expect_group(f, 0, "Alpha", 5, 5, 5, 1.0, 1.0, 1.0, 1.0, false);
    cr_assert_eq(f->merged_count, 0);
    cr_assert_eq(f->suppressed_count, 2);
    cr_assert_str_eq(f->suppressed[0], "Bravo");
    cr_assert_str_eq(f->suppressed[1], "Charlie");
    cr_assert_eq(f->suppressed_people, 5);
    nl_fairness_free(f);
}

Test(fairness, min_group_size_from_the_settings)
{
    population p = {.count = 0};
    add(&p, "Alpha", NL_READY_NOW, 2);
    add(&p, "Bravo", NL_READY_NOW, 1);
    add(&p, "Bravo", NL_DEVELOPING, 1);
    add(&p, "Charlie", NL_DEVELOPING, 1);
    nl_fairness_settings s = defaults();
    s.min_group_size = 2;
    nl_fairness *f = compute(&s, &p);
    /* At 2: Alpha (2) and Bravo (2) are shown; Charlie (1) alone is too small even as Other
     * (1 < 2): left out with 1 person. Bravo 1/2 = 0.5, ratio 0.5: flagged. */
    cr_assert_eq(f->count, 2);
    expect_group(f, 0, "Alpha", 2, 2, 2, 1.0, 1.0, 1.0, 1.0, false);
    expect_group(f, 1, "Bravo", 2, 1, 1, 0.5, 0.5, 0.5, 0.5, true);
    cr_assert_eq(f->suppressed_count, 1);
    cr_assert_str_eq(f->suppressed[0], "Charlie");
    cr_assert_eq(f->suppressed_people, 1);
    nl_fairness_free(f);
}

/* ---- 4. the [fairness] section ---- */

static const char base_template[] = "[framework]\nname = F\nscale = 1..5\n"
                                    "[skill a]\nname = A\nfamily = technical\n"
                                    "[level L1]\ntitle = One\nnext = L2\nexpectations = a:3\n"
                                    "[level L2]\ntitle = Two\nexpectations = a:4\n"
                                    "[priorities p]\ntechnical = 1\n"
                                    "[gate g]\nkind = meets_expectations\nseverity = hard\n";

/* Loads base_template followed by extra; returns the status and the framework in *out. */
static nl_status load(const char *extra, nl_framework **out)
{
    size_t len = sizeof base_template + strlen(extra);
    char *text = malloc(len);
    snprintf(text, len, "%s%s", base_template, extra);
    char *path = nl_test_write_temp(".ini", text, strlen(text));
    free(text);
    nl_error err = {0};
    *out = NULL;
    nl_status status = nl_framework_load(path, out, &err);
    nl_test_remove(path);
    return status;
}

Test(fairness_template, defaults_and_no_group_column_without_the_section)
{
    nl_framework *fw;
    cr_assert_eq(load("", &fw), NL_OK);
    /* No [fairness]: no group column, so no check; the defaults 5, 0.8, merge. */
    cr_assert_null(fw->fairness.group_column);
    cr_assert_float_eq(fw->fairness.min_group_size, 5.0, 1e-12);
    cr_assert_float_eq(fw->fairness.ratio_threshold, 0.8, 1e-12);
    cr_assert(!fw->fairness.suppress_small);
    nl_framework_free(fw);
}

Test(fairness_template, every_key_is_read)
{
    nl_framework *fw;
    cr_assert_eq(load("[fairness]\ngroup_column = Location\nmin_group_size = 8\n"
                      "small_groups = suppress\nratio_threshold = 0.75\n",
                      &fw),
                 NL_OK);
    cr_assert_str_eq(fw->fairness.group_column, "Location");
    cr_assert_float_eq(fw->fairness.min_group_size, 8.0, 1e-12);
    cr_assert_float_eq(fw->fairness.ratio_threshold, 0.75, 1e-12);
    cr_assert(fw->fairness.suppress_small);
    nl_framework_free(fw);
    cr_assert_eq(load("[fairness]\ngroup_column = Location\nsmall_groups = merge\n", &fw), NL_OK);
    cr_assert(!fw->fairness.suppress_small);
    nl_framework_free(fw);
}

Test(fairness_template, bad_sections_are_errors)
{
    static const char *const bad[] = {
        "[fairness]\nmin_group_size = 5\n",                           /* group_column is required */
        "[fairness]\ngroup_column = Location\nsmall_groups = hide\n", /* merge or suppress */
        "[fairness]\ngroup_column = Location\nmin_group_size = 0\n",  /* at least 1 */
        "[fairness]\ngroup_column = Location\nratio_threshold = 1.5\n", /* a ratio: at most 1 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        nl_framework *fw;
        cr_assert_eq(load(bad[i], &fw), NL_ERR_TEMPLATE, "accepted: %s", bad[i]);
        nl_framework_free(fw);
    }
}
