/* Development plans (evaluate_plan.c): per-skill bars raised exactly to the bar, the greedy
 * for aggregate gates checked against a hand enumeration of every half-point plan, soft-gate
 * steps, blockers, and, for every person of the samples under every profile, that applying the
 * plan and evaluating again really clears the gates. */
#include "nextlevel/describe.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"

#include "eval_fixture.h"
#include "test_support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fixture: eval_fixture.h (a template and a wide CSV, every person evaluated) ---- */

/* Asserts plan step i: skill, from, to, phase. */
static void expect_step(const nl_test_fixture *fx, const nl_track_result *t, size_t i,
                        const char *name, double from, double to, bool soft)
{
    cr_assert_gt(t->plan_count, i, "the plan has %zu steps, expected at least %zu", t->plan_count,
                 i + 1);
    const nl_plan_step *step = &t->plan[i];
    cr_assert_str_eq(fx->fw->skills[step->skill].id, name, "step %zu", i);
    cr_assert_float_eq(step->from, from, 1e-9, "step %zu (%s) from %g", i, name, step->from);
    cr_assert_float_eq(step->to, to, 1e-9, "step %zu (%s) to %g", i, name, step->to);
    cr_assert_eq(step->for_soft_gates, soft, "step %zu (%s)", i, name);
}

static void expect_plan_text(const nl_test_fixture *fx, const nl_track_result *t, const char *want)
{
    char *text = nl_describe_plan(fx->fw, t);
    cr_assert_not_null(text);
    cr_assert_str_eq(text, want);
    free(text);
}

/* L1 -> L2; L2 expects coding 2, system_design 4 (technical), communication 4, mentoring 5
 * (soft). */
#define HEAD                                                                                       \
    "[framework]\nname = Plans\nscale = 1..5\n[attribute visibility]\n"                            \
    "[skill coding]\nname = Coding\nfamily = technical\n"                                          \
    "[skill system_design]\nname = System design\nfamily = technical\n"                            \
    "[skill communication]\nname = Communication\nfamily = soft\n"                                 \
    "[skill mentoring]\nname = Mentoring\nfamily = soft\n"                                         \
    "[level L1]\ntitle = One\nnext = L2\nexpectations = coding:1\n"                                \
    "[level L2]\ntitle = Two\n"                                                                    \
    "expectations = coding:2, system_design:4, communication:4, mentoring:5\n"                     \
    "[priorities balanced]\ntechnical = 1\nsoft = 1\n"
#define COLUMNS "id,level,months_in_level,coding,system_design,communication,mentoring,visibility\n"
#define GATE(id, severity, rest)                                                                   \
    "[gate " id "]\nseverity = " severity "\n" rest "mitigation = Something.\n"

/* ---- (a) per-skill bars ---- */

Test(plan_bars, each_failing_skill_is_raised_exactly_to_its_bar)
{
    nl_test_fixture fx;
    nl_test_fx_open(
        &fx,
        HEAD GATE("tech_bar", "hard", "kind = meets_expectations\nfamilies = technical\n") GATE(
            "soft_bar", "hard", "kind = meets_expectations\nfamilies = soft\ntolerance = 0.5\n"),
        COLUMNS "p,L1,24,1,2.5,3,4.5,3\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->outcome, NL_DEVELOPING);
    /* coding 1 -> 2 (+1), system_design 2.5 -> 4 (+1.5), communication 3 -> 4 - 0.5 = 3.5
     * (+0.5); mentoring 4.5 = 5 - 0.5 already passes: no step. By gain per point: R = 100 *
     * (A(t) + A(s)) / 2, two skills a family, so a point on coding (expected 2) earns
     * 100 / 2 / 2 / 2 = 12.5, on system_design or communication (expected 4) 6.25: coding
     * first, then the tie, largest raise first. */
    cr_assert_eq(t->plan_count, 3);
    expect_step(&fx, t, 0, "coding", 1, 2, false);
    expect_step(&fx, t, 1, "system_design", 2.5, 4, false);
    expect_step(&fx, t, 2, "communication", 3, 3.5, false);
    cr_assert_float_eq(t->plan[0].gain_per_point, 12.5, 1e-9);
    cr_assert_float_eq(t->plan[1].gain_per_point, 6.25, 1e-9);
    cr_assert_float_eq(t->plan[2].gain_per_point, 6.25, 1e-9);
    /* distance = 1.5 + 1 + 0.5 = 3, all of it for hard gates */
    cr_assert_float_eq(t->distance_hard, 3, 1e-9);
    cr_assert_float_eq(t->distance, 3, 1e-9);
    cr_assert_eq(t->blocker_count, 0);
    expect_plan_text(&fx, t,
                     "coding +1 (1 -> 2); system_design +1.5 (2.5 -> 4); communication +0.5 (3 -> "
                     "3.5)");
    nl_test_fx_close(&fx);
}

Test(plan_bars, floor_and_critical_skills_are_bars_too)
{
    nl_test_fixture fx;
    /* The floor (3) is above coding's expectation (2): coding 2.5 meets L2 but goes to 3.
     * critical_skills communication with tolerance 0.25: the bar 3.75 is not a whole number
     * of half points from 3, so the raise is two steps, 3 -> 4. coding earns no readiness
     * past its expectation (gain 0), so communication comes first. */
    nl_test_fx_open(&fx,
                    HEAD GATE("floor", "hard", "kind = floor\nmin_score = 3\n")
                        GATE("critical", "hard",
                             "kind = critical_skills\nskills = communication\ntolerance = 0.25\n"),
                    COLUMNS "p,L1,24,2.5,4,3,5,3\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->plan_count, 2);
    expect_step(&fx, t, 0, "communication", 3, 4, false); /* +1, never +0.75 */
    expect_step(&fx, t, 1, "coding", 2.5, 3, false);      /* +0.5 */
    cr_assert_float_eq(t->plan[1].gain_per_point, 0, 1e-12);
    cr_assert_float_eq(t->distance_hard, 1.5, 1e-9);
    nl_test_fx_close(&fx);
}

/* ---- (b) the greedy for aggregate gates, against an enumeration ---- */

/* One family, technical, two skills: p expected 2, q expected 4 (weight wq), one hard readiness
 * gate at threshold. With q_first, q comes first in the template's skill order, so that a
 * choice made by skill order alone differs from the right one. */
static char *single_family_template(bool q_first, double wq, double threshold)
{
    static char buf[1024];
    static const char p[] = "[skill p]\nname = P\nfamily = technical\n";
    static const char q[] = "[skill q]\nname = Q\nfamily = technical\n";
    snprintf(buf, sizeof buf,
             "[framework]\nname = Greedy\nscale = 1..5\n%s%s"
             "[level L1]\ntitle = One\nnext = L2\nexpectations = p:1, q:1\n"
             "[level L2]\ntitle = Two\nexpectations = p:2, q:4\n"
             "[priorities only]\ntechnical = 1\nskill.q = %g\n"
             "[gate readiness]\nkind = readiness_score\nthreshold = %g\nseverity = hard\n",
             q_first ? q : p, q_first ? p : q, wq, threshold);
    return buf;
}

/* Our own model of that template: R for scores x (p) and y (q). */
static double model_readiness(double x, double y, double wq)
{
    double ap = fmin(x / 2, 1), aq = fmin(y / 4, 1);
    return 100 * (ap + wq * aq) / (1 + wq);
}

/* The least total of half-point raises of p (from x) and q (from y) reaching the threshold. */
static double enumerate_minimum(double x, double y, double wq, double threshold)
{
    double best = INFINITY;
    for (double dp = 0; x + dp <= 5; dp += 0.5) {
        for (double dq = 0; y + dq <= 5; dq += 0.5) {
            if (model_readiness(x + dp, y + dq, wq) >= threshold - 1e-9 && dp + dq < best)
                best = dp + dq;
        }
    }
    return best;
}

Test(plan_greedy, lower_expectation_gives_more_per_point)
{
    nl_test_fixture fx;
    /* p 1 (a = 1/2), q 2 (a = 2/4): R = 100 * (0.5 + 0.5) / 2 = 50. Threshold 75.
     * A point on p is worth 1/2 attainment, on q 1/4: p first. p 1 -> 1.5 gives
     * R = 100 * (0.75 + 0.5) / 2 = 62.5, p -> 2 gives 75: done. Total 1. (q comes first in
     * skill order: only the gain per point makes p the choice.) */
    nl_test_fx_open(&fx, single_family_template(true, 1, 75), "id,level,p,q\nr,L1,1,2\n", NULL,
                    NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "r");
    cr_assert_float_eq(t->readiness, 50, 1e-9);
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "p", 1, 2, false);
    cr_assert_float_eq(t->distance_hard, 1, 1e-9);
    /* Enumerating every half-point plan: (dp, dq) = (1, 0) costs 1; q alone needs
     * dq = 2 (R = 100 * (0.5 + 1) / 2 = 75), p 0.5 + q 1 gives 68.75: the minimum is 1. */
    cr_assert_float_eq(enumerate_minimum(1, 2, 1, 75), 1, 1e-9);
    nl_test_fx_close(&fx);

    /* Threshold 87.5: sum of attainments 1.75. p is capped at 2 (a = 1), then q must give
     * 0.25 more: q 2 -> 3 (a = 3/4). Total 2 (both +1: p first, for its larger gain per
     * point, 25 against 12.5, although q comes first in skill order). */
    nl_test_fx_open(&fx, single_family_template(true, 1, 87.5), "id,level,p,q\nr,L1,1,2\n", NULL,
                    NULL);
    t = nl_test_fx_track(&fx, "r");
    cr_assert_eq(t->plan_count, 2);
    expect_step(&fx, t, 0, "p", 1, 2, false);
    expect_step(&fx, t, 1, "q", 2, 3, false);
    cr_assert_float_eq(t->distance_hard, 2, 1e-9);
    /* (1, 1) costs 2; (0.5, 2) 2.5; (0, 3) 3: minimum 2. */
    cr_assert_float_eq(enumerate_minimum(1, 2, 1, 87.5), 2, 1e-9);
    nl_test_fx_close(&fx);
}

Test(plan_greedy, a_higher_skill_weight_beats_a_lower_expectation)
{
    nl_test_fixture fx;
    /* q weighs 3: A = (a(p) + 3 a(q)) / 4 = (0.5 + 1.5) / 4 = 0.5, R = 50. Per point: p gives
     * 1/2 / 4 = 0.125, q gives 3 * 1/4 / 4 = 0.1875: q first. Threshold 59.375:
     * q 2 -> 2.5: A = (0.5 + 3 * 0.625) / 4 = 0.59375, R = 59.375: done, total 0.5.
     * (p 1 -> 1.5 would give (0.75 + 1.5) / 4 = 56.25: not enough.) */
    nl_test_fx_open(&fx, single_family_template(false, 3, 59.375), "id,level,p,q\nr,L1,1,2\n", NULL,
                    NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "r");
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "q", 2, 2.5, false);
    cr_assert_float_eq(t->distance_hard, 0.5, 1e-9);
    cr_assert_float_eq(enumerate_minimum(1, 2, 3, 59.375), 0.5, 1e-9);
    nl_test_fx_close(&fx);
}

Test(plan_greedy, equal_gain_goes_to_the_skill_the_priorities_weigh_more)
{
    nl_test_fixture fx;
    /* q weighs 2: per point p 1/2 / 3 = 1/6, q 2 * 1/4 / 3 = 1/6: a tie, and q weighs more
     * (p comes first in skill order, so order alone would pick p).
     * Threshold 55 (R = 50 now): q 2 -> 2.5 gives 100 * (0.5 + 2 * 0.625) / 3 = 58.3. */
    nl_test_fx_open(&fx, single_family_template(false, 2, 55), "id,level,p,q\nr,L1,1,2\n", NULL,
                    NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "r");
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "q", 2, 2.5, false);
    cr_assert_float_eq(enumerate_minimum(1, 2, 2, 55), 0.5, 1e-9);
    nl_test_fx_close(&fx);
}

Test(plan_greedy, family_weights_count_for_the_readiness_score)
{
    nl_test_fixture fx;
    /* p (technical, expected 2) at 1 and s (soft, expected 3) at 1.5: each family 0.5.
     * Family weights technical 1, soft 3: R = 100 * (0.5 + 3 * 0.5) / 4 = 50. Per point, p
     * gives 1 * 1/2 = 0.5 of weighted attainment, s gives 3 * 1/3 = 1: s first, although its
     * expectation is higher. Threshold 62.5: s 1.5 -> 2 gives 100 * (0.5 + 3 * 2/3) / 4 = 62.5;
     * p would need a full point (p 2: 100 * (1 + 1.5) / 4 = 62.5). */
    nl_test_fx_open(&fx,
                    "[framework]\nname = Greedy\nscale = 1..5\n"
                    "[skill p]\nname = P\nfamily = technical\n"
                    "[skill s]\nname = S\nfamily = soft\n"
                    "[level L1]\ntitle = One\nnext = L2\nexpectations = p:1, s:1\n"
                    "[level L2]\ntitle = Two\nexpectations = p:2, s:3\n"
                    "[priorities people]\ntechnical = 1\nsoft = 3\n"
                    "[gate readiness]\nkind = readiness_score\nthreshold = 62.5\nseverity = hard\n",
                    "id,level,p,s\nr,L1,1,1.5\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "r");
    cr_assert_float_eq(t->readiness, 50, 1e-9);
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "s", 1.5, 2, false);
    cr_assert_float_eq(t->distance_hard, 0.5, 1e-9);
    nl_test_fx_close(&fx);
}

Test(plan_greedy, a_raise_is_a_whole_step_even_from_an_off_grid_score)
{
    nl_test_fixture fx;
    /* p 2 (at its expectation), q 3.8 of 4: A = (1 + 0.95) / 2 = 0.975. Threshold 100 needs
     * q at 4: ratings move in half points, so the raise is +0.5 (to 4.3), never +0.2. */
    nl_test_fx_open(&fx, single_family_template(false, 1, 100), "id,level,p,q\nr,L1,2,3.8\n", NULL,
                    NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "r");
    cr_assert_float_eq(t->readiness, 97.5, 1e-9);
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "q", 3.8, 4.3, false);
    cr_assert_float_eq(t->distance_hard, 0.5, 1e-9);
    nl_test_fx_close(&fx);
}

Test(plan_greedy, family_average_raises_only_its_family)
{
    nl_test_fixture fx;
    /* soft: communication 4/4 = 1, mentoring 2/5 = 0.4: A = 0.7. Threshold 0.8 needs
     * mentoring/5 >= 0.6: mentoring 2 -> 3 (two half points). The technical gap (coding 1)
     * is no concern of this gate. */
    nl_test_fx_open(
        &fx, HEAD GATE("avg", "hard", "kind = family_average\nfamily = soft\nthreshold = 0.8\n"),
        COLUMNS "p,L1,24,1,4,4,2,3\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "mentoring", 2, 3, false);
    cr_assert_float_eq(t->distance_hard, 1, 1e-9);
    nl_test_fx_close(&fx);
}

/* ---- (c) soft-gate steps ---- */

Test(plan_soft, soft_steps_count_in_distance_but_not_in_distance_hard)
{
    nl_test_fixture fx;
    nl_test_fx_open(
        &fx,
        HEAD GATE("tech_bar", "hard", "kind = meets_expectations\nfamilies = technical\n")
            GATE("soft_bar", "soft", "kind = meets_expectations\nfamilies = soft\n"),
        COLUMNS "dev,L1,24,1,4,3,5,3\n"
                "risk,L1,24,2,4,3,5,3\n",
        NULL, NULL);
    /* dev: coding 1 -> 2 clears the hard bar (+1); communication 3 -> 4 the soft one (+1). */
    const nl_track_result *t = nl_test_fx_track(&fx, "dev");
    cr_assert_eq(t->outcome, NL_DEVELOPING);
    cr_assert_eq(t->plan_count, 2);
    expect_step(&fx, t, 0, "coding", 1, 2, false);
    expect_step(&fx, t, 1, "communication", 3, 4, true);
    cr_assert_float_eq(t->distance_hard, 1, 1e-9);
    cr_assert_float_eq(t->distance, 2, 1e-9);
    expect_plan_text(&fx, t, "coding +1 (1 -> 2); communication +1 (3 -> 4) [soft]");
    /* risk: every hard gate passes; 0 to Ready with risk, 1 to Ready now. */
    t = nl_test_fx_track(&fx, "risk");
    cr_assert_eq(t->outcome, NL_READY_WITH_RISK);
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "communication", 3, 4, true);
    cr_assert_float_eq(t->distance_hard, 0, 1e-9);
    cr_assert_float_eq(t->distance, 1, 1e-9);
    nl_test_fx_close(&fx);
}

Test(plan_soft, a_skill_raised_for_both_kinds_of_gate_gets_two_steps)
{
    nl_test_fixture fx;
    /* Hard bar with tolerance 0.5, soft bar without: communication 3 -> 3.5 (hard), then
     * 3.5 -> 4 (soft). */
    nl_test_fx_open(&fx,
                    HEAD GATE("hard_bar", "hard",
                              "kind = meets_expectations\nfamilies = soft\ntolerance = 0.5\n")
                        GATE("soft_bar", "soft", "kind = meets_expectations\nfamilies = soft\n"),
                    COLUMNS "p,L1,24,2,4,3,5,3\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->plan_count, 2);
    expect_step(&fx, t, 0, "communication", 3, 3.5, false);
    expect_step(&fx, t, 1, "communication", 3.5, 4, true);
    cr_assert_float_eq(t->distance_hard, 0.5, 1e-9);
    cr_assert_float_eq(t->distance, 1, 1e-9);
    expect_plan_text(&fx, t, "communication +0.5 (3 -> 3.5); communication +0.5 (3.5 -> 4) [soft]");
    nl_test_fx_close(&fx);
}

Test(plan_soft, balance_raises_the_weaker_family)
{
    nl_test_fixture fx;
    /* technical 1; soft (4/4 + 2.5/5) / 2 = 0.75: 0.25 apart, at most 0.15 (soft gate).
     * soft must reach 0.85: mentoring/5 >= 0.7, mentoring 2.5 -> 3.5 (communication is at
     * its expectation and can give nothing). */
    nl_test_fx_open(&fx,
                    HEAD GATE("balance", "soft",
                              "kind = balance\nfamilies = technical, soft\nmax_distance = 0.15\n"),
                    COLUMNS "p,L1,24,2,4,4,2.5,3\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->outcome, NL_READY_WITH_RISK);
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "mentoring", 2.5, 3.5, true);
    cr_assert_float_eq(t->distance_hard, 0, 1e-9);
    cr_assert_float_eq(t->distance, 1, 1e-9);
    nl_test_fx_close(&fx);
}

/* ---- (d) blockers ---- */

Test(plan_blockers, tenure_and_attribute_failures_are_blockers)
{
    nl_test_fixture fx;
    nl_test_fx_open(&fx,
                    HEAD GATE("tenure", "hard", "kind = tenure\nmin_months = 12\ntitle = Tenure\n")
                        GATE("vis", "soft",
                             "kind = attribute\nattribute = visibility\nop = >=\nthreshold = 3\n"
                             "title = Visibility\n"),
                    COLUMNS "p,L1,6,2,4,4,5,2\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    /* Every skill meets L2: no score increase helps, the plan is empty. */
    cr_assert_eq(t->outcome, NL_DEVELOPING);
    cr_assert_eq(t->plan_count, 0);
    cr_assert_float_eq(t->distance_hard, 0, 0);
    cr_assert_eq(t->blocker_count, 2);
    cr_assert_str_eq(t->blockers[0], "Tenure failed: 6 months in level, required 12");
    cr_assert_str_eq(t->blockers[1], "Visibility failed: visibility 2, required >= 3");
    nl_test_fx_close(&fx);
}

/* ---- (e) every plan of the samples is sufficient ---- */

static const char *const sample_files[] = {
    "samples/platform.csv",     "samples/payments.csv",
    "samples/mobile.csv",       "samples/design-systems-long.csv",
    "samples/messy-export.csv",
};

/* Gates that no score increase can clear. */
static bool unplannable(const nl_gate *gate)
{
    return gate->kind == NL_GATE_TENURE || gate->kind == NL_GATE_ATTRIBUTE;
}

/* Applies the steps (hard ones only, or all) of track t to a copy of p's scores, evaluates the
 * copy again and checks the gates the plan promises to clear. */
static void check_plan_clears(const nl_evaluator *ev, const nl_person *p, size_t t_index,
                              const nl_track_result *t, bool with_soft, const char *profile)
{
    const nl_framework *fw = nl_evaluator_framework(ev);
    double *scores = malloc(fw->skill_count * sizeof *scores);
    cr_assert_not_null(scores);
    memcpy(scores, p->scores, fw->skill_count * sizeof *scores);
    for (size_t i = 0; i < t->plan_count; i++) {
        if (t->plan[i].for_soft_gates && !with_soft)
            continue;
        cr_assert(t->plan[i].to <= fw->scale_max + 1e-9);
        if (t->plan[i].to > scores[t->plan[i].skill])
            scores[t->plan[i].skill] = t->plan[i].to;
    }
    nl_person copy = *p;
    copy.scores = scores;
    nl_person_result again;
    cr_assert_eq(nl_evaluate_person(ev, &copy, &again), NL_OK);
    cr_assert_lt(t_index, again.track_count);
    const nl_track_result *u = &again.tracks[t_index];
    cr_assert_eq(u->next_level, t->next_level);
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (unplannable(gate) || (gate->severity == NL_SOFT && !with_soft))
            continue;
        /* Pass, or not checked (missing_scores = skip) as before: never fail. */
        cr_assert_eq(u->gates[g].status,
                     t->gates[g].status == NL_GATE_SKIPPED ? NL_GATE_SKIPPED : NL_GATE_PASS,
                     "%s (%s profile) towards %s: after the plan%s, gate %s: %s", p->id, profile,
                     fw->levels[t->next_level].id, with_soft ? " with soft steps" : "", gate->id,
                     u->gates[g].reason);
    }
    nl_person_result_clear(&again);
    free(scores);
}

/* Checks the bookkeeping of a plan: steps raise, distances add up, blockers match. */
static void check_plan_shape(const nl_framework *fw, const nl_person *p, const nl_track_result *t)
{
    double hard = 0, all = 0;
    for (size_t i = 0; i < t->plan_count; i++) {
        const nl_plan_step *step = &t->plan[i];
        cr_assert_gt(step->to, step->from, "%s: a step that does not raise", p->id);
        if (!step->for_soft_gates) {
            cr_assert_float_eq(step->from, p->scores[step->skill], 1e-9,
                               "%s: a hard step not starting at the person's score", p->id);
            hard += step->to - step->from;
        }
        all += step->to - step->from;
    }
    cr_assert_float_eq(t->distance_hard, hard, 1e-9, "%s", p->id);
    cr_assert_float_eq(t->distance, all, 1e-9, "%s", p->id);
    size_t failing_unplannable = 0;
    for (size_t g = 0; g < fw->gate_count; g++)
        failing_unplannable += unplannable(&fw->gates[g]) && t->gates[g].status == NL_GATE_FAIL;
    cr_assert_eq(t->blocker_count, failing_unplannable, "%s: blockers", p->id);
}

Test(plan_samples, every_plan_of_every_sample_person_clears_its_gates)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(nl_test_path("templates/engineering-ic.ini"), &fw, &err), NL_OK,
                 "%s", err.message);
    nl_matrix *m = nl_matrix_new(fw);
    for (size_t f = 0; f < sizeof sample_files / sizeof *sample_files; f++)
        cr_assert_eq(nl_matrix_read_file(m, nl_test_path(sample_files[f]), 0, &err), NL_OK);
    size_t count;
    const nl_person *people = nl_matrix_people(m, &count);
    cr_assert_eq(count, 43); /* 11 + 10 + 9 + 5 + 8 accepted */
    size_t plans = 0, soft_plans = 0;
    for (size_t pr = 0; pr < fw->profile_count; pr++) {
        nl_evaluator *ev = NULL;
        cr_assert_eq(nl_evaluator_new(fw, fw->profiles[pr].name, NULL, &ev, &err), NL_OK);
        for (size_t i = 0; i < count; i++) {
            nl_person_result r;
            cr_assert_eq(nl_evaluate_person(ev, &people[i], &r), NL_OK);
            for (size_t t = 0; t < r.track_count; t++) {
                const nl_track_result *track = &r.tracks[t];
                if (track->outcome != NL_DEVELOPING && track->outcome != NL_READY_WITH_RISK) {
                    cr_assert_eq(track->plan_count, 0);
                    continue;
                }
                plans++;
                check_plan_shape(fw, &people[i], track);
                check_plan_clears(ev, &people[i], t, track, false, fw->profiles[pr].name);
                check_plan_clears(ev, &people[i], t, track, true, fw->profiles[pr].name);
                for (size_t k = 0; k < track->plan_count; k++)
                    soft_plans += track->plan[k].for_soft_gates;
            }
            nl_person_result_clear(&r);
        }
        nl_evaluator_free(ev);
    }
    /* The samples are meant to exercise this: many plans, some with soft steps. */
    cr_assert_gt(plans, 50, "only %zu plans checked", plans);
    cr_assert_gt(soft_plans, 10, "only %zu soft steps checked", soft_plans);
    nl_matrix_free(m);
    nl_framework_free(fw);
}

Test(plan_samples, hand_checked_sample_plans)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(nl_test_path("templates/engineering-ic.ini"), &fw, &err), NL_OK);
    nl_matrix *m = nl_matrix_new(fw);
    cr_assert_eq(nl_matrix_read_file(m, nl_test_path("samples/payments.csv"), 0, &err), NL_OK);
    nl_evaluator *ev = NULL;
    cr_assert_eq(nl_evaluator_new(fw, NULL, NULL, &ev, &err), NL_OK);
    size_t count;
    const nl_person *people = nl_matrix_people(m, &count);
    nl_test_fixture fx = {.fw = fw};
    for (size_t i = 0; i < count; i++) {
        nl_person_result r;
        cr_assert_eq(nl_evaluate_person(ev, &people[i], &r), NL_OK);
        const nl_track_result *t = nl_person_result_track(&r);
        if (strcmp(people[i].id, "E1107") == 0) {
            /* Jamal, L1 -> L2: testing_quality 2.5 against 3 is his only gap (technical bar,
             * hard): +0.5. Every soft gate passes (visibility 3, 14 months). */
            cr_assert_eq(t->plan_count, 1);
            expect_step(&fx, t, 0, "testing_quality", 2.5, 3, false);
            cr_assert_float_eq(t->distance_hard, 0.5, 1e-9);
            cr_assert_float_eq(t->distance, 0.5, 1e-9);
        } else if (strcmp(people[i].id, "E1105") == 0) {
            /* Emily, L4 -> L5, balanced: technical 1, soft 0.76, impact 0.7667, R = 84.22 < 85.
             * Hard plan: R needs 0.78 more points of 100 * sum(W a) / 3, i.e.
             * sum(W A) += 0.0233. Best gain per point: a soft or impact skill expected 4 in a
             * family of 5 or 3 skills; impact (3 skills): 1/3/4 = 0.0833 per point beats soft
             * (5 skills): 1/5/4 = 0.05. Half a point on scope_of_impact (expected 4, first
             * such impact skill) adds 0.0417 to A(impact) and 1.39 to R: 85.6. */
            cr_assert_eq(t->outcome, NL_DEVELOPING);
            cr_assert_gt(t->plan_count, 0);
            expect_step(&fx, t, 0, "scope_of_impact", 3, 3.5, false);
            cr_assert_float_eq(t->distance_hard, 0.5, 1e-9);
            /* Soft phase: the soft bar (tolerance 0.5) raises collaboration 4 -> 4.5 (L5: 5),
             * mentoring 3 -> 3.5, conflict_resolution and stakeholder_management 2.5 -> 3.5
             * (L5: 4). Soft is then (1 + 0.9 + 3 * 0.875) / 5 = 0.905, 0.095 from technical:
             * the balance gate passes with no further raise. Total 0.5 + 3 = 3.5. */
            cr_assert_eq(t->plan_count, 5);
            /* By gain per point: skills expected 4 earn 100 / 3 / 5 / 4 = 1.67 a point, those
             * expected 5 (collaboration) 1.33; ties go to the larger raise. */
            expect_step(&fx, t, 1, "conflict_resolution", 2.5, 3.5, true);
            expect_step(&fx, t, 2, "stakeholder_management", 2.5, 3.5, true);
            expect_step(&fx, t, 3, "mentoring", 3, 3.5, true);
            expect_step(&fx, t, 4, "collaboration", 4, 4.5, true);
            cr_assert_float_eq(t->distance, 3.5, 1e-9);
        }
        nl_person_result_clear(&r);
    }
    nl_evaluator_free(ev);
    nl_matrix_free(m);
    nl_framework_free(fw);
}

/* A small deterministic generator, so that the generated people are the same on every run. */
static unsigned long next_random(unsigned long *state)
{
    *state = *state * 6364136223846793005UL + 1442695040888963407UL;
    return *state >> 33;
}

Test(plan_samples, plans_for_generated_managers_clear_every_kind_of_gate)
{
    /* engineering-manager.ini has ten gates of every kind (two balance-like families,
     * leadership and business, a family_average, a floor, missing_scores = skip). 300 people
     * with random half-point scores, one in ten cells empty. */
    static const char *const skills[] = {"technical_judgement",
                                         "architecture_oversight",
                                         "delivery_practices",
                                         "communication",
                                         "coaching",
                                         "conflict_resolution",
                                         "stakeholder_management",
                                         "hiring",
                                         "team_health",
                                         "strategy",
                                         "org_design",
                                         "budgeting",
                                         "product_sense"};
    static const char *const levels[] = {"EM1", "EM2", "EM3", "EM4"};
    size_t cap = 1 << 16, len = 0;
    char *csv = malloc(cap);
    cr_assert_not_null(csv);
    len += (size_t)snprintf(csv + len, cap - len, "Employee ID,Level,Months in level");
    for (size_t s = 0; s < 13; s++)
        len += (size_t)snprintf(csv + len, cap - len, ",%s", skills[s]);
    len += (size_t)snprintf(csv + len, cap - len, ",Team engagement,Visibility\n");
    unsigned long state = 42;
    for (int i = 0; i < 300; i++) {
        len += (size_t)snprintf(csv + len, cap - len, "G%d,%s,%lu", i,
                                levels[next_random(&state) % 3], next_random(&state) % 40);
        for (size_t s = 0; s < 13; s++) {
            unsigned long r = next_random(&state);
            if (r % 10 == 0)
                len += (size_t)snprintf(csv + len, cap - len, ",");
            else /* 1, 1.5, ..., 5, weighted towards the upper half */
                len += (size_t)snprintf(csv + len, cap - len, ",%g",
                                        fmin(5, 1 + 0.5 * (double)(r % 11)));
        }
        len += (size_t)snprintf(csv + len, cap - len, ",%lu,%lu\n", 1 + next_random(&state) % 5,
                                1 + next_random(&state) % 5);
        cr_assert_lt(len, cap - 512);
    }
    char *csv_path = nl_test_write_temp(".csv", csv, len);
    free(csv);
    nl_framework *fw = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(nl_test_path("templates/engineering-manager.ini"), &fw, &err),
                 NL_OK, "%s", err.message);
    nl_matrix *m = nl_matrix_new(fw);
    cr_assert_eq(nl_matrix_read_file(m, csv_path, 0, &err), NL_OK, "%s", err.message);
    size_t count, rejected;
    const nl_person *people = nl_matrix_people(m, &count);
    nl_matrix_rejections(m, &rejected);
    cr_assert_eq(count, 300);
    cr_assert_eq(rejected, 0);
    size_t plans = 0;
    for (size_t pr = 0; pr < fw->profile_count; pr++) {
        nl_evaluator *ev = NULL;
        cr_assert_eq(nl_evaluator_new(fw, fw->profiles[pr].name, NULL, &ev, &err), NL_OK);
        for (size_t i = 0; i < count; i++) {
            nl_person_result r;
            cr_assert_eq(nl_evaluate_person(ev, &people[i], &r), NL_OK);
            for (size_t t = 0; t < r.track_count; t++) {
                const nl_track_result *track = &r.tracks[t];
                if (track->outcome != NL_DEVELOPING && track->outcome != NL_READY_WITH_RISK)
                    continue;
                plans++;
                check_plan_shape(fw, &people[i], track);
                check_plan_clears(ev, &people[i], t, track, false, fw->profiles[pr].name);
                check_plan_clears(ev, &people[i], t, track, true, fw->profiles[pr].name);
            }
            nl_person_result_clear(&r);
        }
        nl_evaluator_free(ev);
    }
    cr_assert_gt(plans, 500, "only %zu plans checked", plans);
    nl_matrix_free(m);
    nl_framework_free(fw);
    nl_test_remove(csv_path);
}

/* ---- (e) rating steps and the order of the raises ---- */

/* HEAD with extra [framework] keys and extra [skill coding] keys. */
#define HEAD_WITH(framework_extra, coding_extra)                                                   \
    "[framework]\nname = Plans\nscale = 1..5\n" framework_extra "[attribute visibility]\n"         \
    "[skill coding]\nname = Coding\nfamily = technical\n" coding_extra                             \
    "[skill system_design]\nname = System design\nfamily = technical\n"                            \
    "[skill communication]\nname = Communication\nfamily = soft\n"                                 \
    "[skill mentoring]\nname = Mentoring\nfamily = soft\n"                                         \
    "[level L1]\ntitle = One\nnext = L2\nexpectations = coding:1\n"                                \
    "[level L2]\ntitle = Two\n"                                                                    \
    "expectations = coding:2, system_design:4, communication:4, mentoring:5\n"                     \
    "[priorities balanced]\ntechnical = 1\nsoft = 1\n"

Test(plan_steps, the_template_step_applies_to_every_skill)
{
    nl_test_fixture fx;
    /* step = 0.25: communication 3 to the bar 4 - 0.25 = 3.75 is three steps (+0.75), a whole
     * number of quarter points; system_design 2.6 to 4 is six steps, to 4.1 (+1.5), of which
     * the last 0.1 earns nothing: 6.25 * 1.4 / 1.5 = 5.83 a point against communication's
     * 6.25, so communication comes first. */
    nl_test_fx_open(&fx,
                    HEAD_WITH("step = 0.25\n", "") GATE(
                        "tech_bar", "hard", "kind = meets_expectations\nfamilies = technical\n")
                        GATE("soft_bar", "hard",
                             "kind = meets_expectations\nfamilies = soft\ntolerance = 0.25\n"),
                    COLUMNS "p,L1,24,2,2.6,3,5,3\n", NULL, NULL);
    cr_assert_float_eq(fx.fw->step, 0.25, 1e-12);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->plan_count, 2);
    expect_step(&fx, t, 0, "communication", 3, 3.75, false);
    expect_step(&fx, t, 1, "system_design", 2.6, 4.1, false);
    cr_assert_float_eq(t->distance, 2.25, 1e-12);
    nl_test_fx_close(&fx);
}

Test(plan_steps, a_skill_step_overrides_the_template)
{
    nl_test_fixture fx;
    /* coding rates in whole points: 1.5 to its expectation 2 is +1 (to 2.5), never +0.5;
     * system_design keeps the default half point: 3.5 -> 4. */
    nl_test_fx_open(&fx,
                    HEAD_WITH("", "step = 1\n") GATE(
                        "tech_bar", "hard", "kind = meets_expectations\nfamilies = technical\n"),
                    COLUMNS "p,L1,24,1.5,3.5,4,5,3\n", NULL, NULL);
    cr_assert_float_eq(fx.fw->step, 0.5, 1e-12);
    size_t coding;
    cr_assert(nl_framework_find_skill(fx.fw, "coding", &coding));
    cr_assert_float_eq(fx.fw->skills[coding].step, 1, 1e-12);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->plan_count, 2);
    expect_step(&fx, t, 0, "coding", 1.5, 2.5, false);
    expect_step(&fx, t, 1, "system_design", 3.5, 4, false);
    cr_assert_float_eq(t->distance_hard, 1.5, 1e-12);
    nl_test_fx_close(&fx);
}

Test(plan_steps, a_raise_stops_at_the_top_of_the_scale)
{
    nl_test_fixture fx;
    /* mentoring 4.8 against 5: a half point would pass the top of the scale, so the raise stops
     * at 5 (+0.2): the one raise that is not a whole number of steps. */
    nl_test_fx_open(&fx,
                    HEAD GATE("soft_bar", "hard", "kind = meets_expectations\nfamilies = soft\n"),
                    COLUMNS "p,L1,24,2,4,4,4.8,3\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->plan_count, 1);
    expect_step(&fx, t, 0, "mentoring", 4.8, 5, false);
    nl_test_fx_close(&fx);
}

Test(plan_order, hard_gate_raises_come_first_then_gain_per_point)
{
    nl_test_fixture fx;
    /* A hard critical-skills gate on system_design (3 -> 4, 6.25 readiness points a point) and
     * a soft technical bar that also needs coding 1 -> 2 (12.5 a point): the hard raise comes
     * first although the soft one gains more per point. */
    nl_test_fx_open(
        &fx,
        HEAD GATE("critical", "hard", "kind = critical_skills\nskills = system_design\n")
            GATE("tech_bar", "soft", "kind = meets_expectations\nfamilies = technical\n"),
        COLUMNS "p,L1,24,1,3,4,5,3\n", NULL, NULL);
    const nl_track_result *t = nl_test_fx_track(&fx, "p");
    cr_assert_eq(t->plan_count, 2);
    expect_step(&fx, t, 0, "system_design", 3, 4, false);
    expect_step(&fx, t, 1, "coding", 1, 2, true);
    cr_assert_float_eq(t->plan[0].gain_per_point, 6.25, 1e-9);
    cr_assert_float_eq(t->plan[1].gain_per_point, 12.5, 1e-9);
    nl_test_fx_close(&fx);
}

/* Loads a template text; returns the framework (NULL when refused) and the status. */
static nl_framework *load_text(const char *ini, nl_status *status)
{
    char *path = nl_test_write_temp(".ini", ini, strlen(ini));
    nl_framework *fw = NULL;
    nl_error err = {0};
    *status = nl_framework_load(path, &fw, &err);
    nl_test_remove(path);
    return fw;
}

Test(plan_keys, step_max_raises_and_the_calibration_step)
{
    nl_status status;
    /* Defaults: half a point, five raises; calibration rounds to the template's step. */
    nl_framework *fw = load_text(HEAD, &status);
    cr_assert_eq(status, NL_OK);
    cr_assert_float_eq(fw->step, 0.5, 1e-12);
    cr_assert_float_eq(fw->skills[0].step, 0.5, 1e-12);
    cr_assert_float_eq(fw->plans.max_raises, 5, 1e-12);
    cr_assert_float_eq(fw->calibration.step, 0.5, 1e-12);
    nl_framework_free(fw);
    /* [framework] step = 1 applies to every skill and to calibration. */
    fw = load_text(HEAD_WITH("step = 1\n", "") "[plans]\nmax_raises = 3\n", &status);
    cr_assert_eq(status, NL_OK);
    cr_assert_float_eq(fw->skills[3].step, 1, 1e-12);
    cr_assert_float_eq(fw->calibration.step, 1, 1e-12);
    cr_assert_float_eq(fw->plans.max_raises, 3, 1e-12);
    nl_framework_free(fw);
    /* [calibration] step keeps working as the calibration's own rounding. */
    fw = load_text(HEAD_WITH("step = 1\n", "") "[calibration]\nstep = 0.25\n", &status);
    cr_assert_eq(status, NL_OK);
    cr_assert_float_eq(fw->calibration.step, 0.25, 1e-12);
    cr_assert_float_eq(fw->skills[0].step, 1, 1e-12);
    nl_framework_free(fw);
    /* A fraction of a raise, or a step of 0, is refused. */
    fw = load_text(HEAD "[plans]\nmax_raises = 2.5\n", &status);
    cr_assert_eq(status, NL_ERR_TEMPLATE);
    nl_framework_free(fw);
    fw = load_text(HEAD_WITH("step = 0\n", ""), &status);
    cr_assert_eq(status, NL_ERR_TEMPLATE);
    nl_framework_free(fw);
    /* [plans] twice is an error, not a second set of keys nobody reads. */
    fw = load_text(HEAD "[plans]\nmax_raises = 2\n[plans]\nmax_raises = 3\n", &status);
    cr_assert_eq(status, NL_ERR_TEMPLATE);
    nl_framework_free(fw);
}
