#include "evaluate_internal.h"

#include "nextlevel/strutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Development plans. Ratings move in steps (the template's step, or the skill's own), so every
 * raise is a whole number of the skill's steps, counted from the person's score (a score of
 * 2.8 rises to 3.3 or 3.8, never by 0.7), and stops at the top of the scale. Per-skill bars
 * (meets_expectations, critical_skills, floor) give exact lower bounds: any plan that clears
 * the gate must raise each failing skill at least to its bar, so those raises (in whole steps)
 * are part of every plan. Aggregate gates (family_average, readiness_score, balance) are then
 * cleared one at a time, in template order, by raising by one step the skill with the largest
 * gain per point: for a single linear constraint with per-skill caps that greedy order is
 * optimal (fractional knapsack), so each gate's increase is within one step of its minimum.
 * Hard gates are planned first, then soft gates on top; the result is re-checked by the
 * caller's tests, not assumed. */

/* Safety bound on greedy steps: each raises a score by a step, so a plan for any realistic
 * framework needs far fewer. */
#define MAX_STEPS 100000

typedef struct planner {
    const track_view *base;
    track_view view; /* base with scores replaced by the plan's */
    double *scores;
    double *family_attainment;
    double readiness;
    bool *unfixable; /* per gate: no raise helps */
} planner;

static bool applies(const nl_gate *gate, nl_severity phase)
{
    /* The soft phase keeps hard gates in view: a raise for a soft gate must not undo one. */
    return gate->severity == NL_HARD || phase == NL_SOFT;
}

/* Raises skill s by n of its steps, stopping at the top of the scale. */
static void raise_by_steps(planner *p, size_t s, double n)
{
    const nl_framework *fw = p->base->ev->fw;
    double to = p->scores[s] + n * fw->skills[s].step;
    p->scores[s] = to < fw->skills[s].scale_max ? to : fw->skills[s].scale_max;
}

/* Raises skill s to at least the bar, in whole steps. */
static void raise_to(planner *p, size_t s, double bar)
{
    if (p->scores[s] >= bar - NL_EPSILON)
        return;
    double steps = ceil((bar - p->scores[s]) / p->base->ev->fw->skills[s].step - NL_EPSILON);
    raise_by_steps(p, s, steps);
}

/* The exact part: every skill below a bar goes to the bar. */
static void apply_bars(planner *p, nl_severity phase)
{
    const nl_framework *fw = p->base->ev->fw;
    const nl_level *next = p->base->next;
    size_t level = (size_t)(next - fw->levels);
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (!applies(gate, phase) || !nl_gate_applies(gate, level))
            continue;
        double tolerance = nl_gate_param(gate, NL_GATE_TOLERANCE, level);
        double floor = nl_gate_param(gate, NL_GATE_THRESHOLD, level);
        for (size_t s = 0; s < fw->skill_count; s++) {
            if (isnan(p->scores[s]))
                continue;
            if (nl_gate_checks_expectation(fw, gate, s) && !isnan(next->expected[s]))
                raise_to(p, s, next->expected[s] - tolerance);
            if (gate->kind == NL_GATE_FLOOR && nl_gate_covers_family(gate, fw->skills[s].family))
                raise_to(p, s, floor);
        }
    }
}

/* Gain in attainment terms per point raised on skill s, or 0 when s cannot help. */
static double gain_per_point(const planner *p, size_t s, size_t family)
{
    const nl_framework *fw = p->base->ev->fw;
    double e = p->base->next->expected[s], origin = nl_attainment_origin(fw, s);
    if (fw->skills[s].family != family || !nl_skill_counts(&p->view, s) || e <= origin ||
        p->scores[s] >= e - NL_EPSILON)
        return 0;
    double weights = 0;
    for (size_t k = 0; k < fw->skill_count; k++) {
        if (fw->skills[k].family == family && nl_skill_counts(&p->view, k))
            weights += p->view.skill_weight[k];
    }
    return weights > 0 ? p->view.skill_weight[s] / weights / (e - origin) : 0;
}

/* Picks the skill to raise: family_factor says how much each family's attainment counts for
 * the gate being cleared (0: not at all). Returns false when nothing can help. */
static bool pick_skill(const planner *p, const double *family_factor, size_t *chosen)
{
    const nl_framework *fw = p->base->ev->fw;
    double best_rate = 0, best_weight = -1;
    bool found = false;
    for (size_t s = 0; s < fw->skill_count; s++) {
        size_t f = fw->skills[s].family;
        double rate = family_factor[f] * gain_per_point(p, s, f);
        if (rate <= 0)
            continue;
        double weight = p->view.family_weight[f] * p->view.skill_weight[s];
        /* Largest gain first; ties go to what the priorities weigh more, then skill order. */
        if (!found || rate > best_rate * (1 + 1e-12) ||
            (fabs(rate - best_rate) <= best_rate * 1e-12 && weight > best_weight)) {
            best_rate = rate;
            best_weight = weight;
            *chosen = s;
            found = true;
        }
    }
    return found;
}

/* One greedy step towards clearing gate g; false when no raise can help it. */
static bool step_towards(planner *p, const nl_gate *gate, double *family_factor)
{
    const nl_framework *fw = p->base->ev->fw;
    for (size_t f = 0; f < fw->family_count; f++)
        family_factor[f] = 0;
    if (gate->kind == NL_GATE_READINESS_SCORE) {
        for (size_t f = 0; f < fw->family_count; f++)
            family_factor[f] = isnan(p->family_attainment[f]) ? 0 : p->view.family_weight[f];
    } else if (gate->kind == NL_GATE_FAMILY_AVERAGE) {
        family_factor[gate->families[0]] = 1;
    } else if (gate->kind == NL_GATE_BALANCE) {
        size_t a = gate->families[0], b = gate->families[1];
        family_factor[p->family_attainment[a] < p->family_attainment[b] ? a : b] = 1;
    }
    size_t s = 0;
    if (gate->kind == NL_GATE_POINTS) {
        double to, gain;
        if (!nl_points_best_raise(&p->view, gate, &s, &to, &gain))
            return false;
        raise_to(p, s, to);
        return true;
    }
    if (!pick_skill(p, family_factor, &s))
        return false;
    raise_by_steps(p, s, 1);
    return true;
}

static bool is_aggregate(nl_gate_kind kind)
{
    return kind == NL_GATE_READINESS_SCORE || kind == NL_GATE_FAMILY_AVERAGE ||
           kind == NL_GATE_BALANCE || kind == NL_GATE_POINTS;
}

static void plan_phase(planner *p, nl_severity phase, double *family_factor)
{
    const nl_framework *fw = p->base->ev->fw;
    apply_bars(p, phase);
    for (int steps = 0; steps < MAX_STEPS; steps++) {
        nl_attainments(&p->view, p->family_attainment, &p->readiness);
        const nl_gate *failing = NULL;
        size_t failing_index = 0;
        for (size_t g = 0; g < fw->gate_count && failing == NULL; g++) {
            const nl_gate *gate = &fw->gates[g];
            if (!applies(gate, phase) || !is_aggregate(gate->kind) || p->unfixable[g])
                continue;
            nl_gate_result r;
            nl_check_gate(&p->view, g, p->family_attainment, p->readiness, &r, NULL);
            if (r.status == NL_GATE_FAIL) {
                failing = gate;
                failing_index = g;
            }
        }
        if (failing == NULL)
            return;
        if (!step_towards(p, failing, family_factor))
            p->unfixable[failing_index] = true;
    }
}

/* Sets each step's gain: the readiness score points it earns per score point. The score is a
 * weighted sum over skills, so the gain of one raise does not depend on the others:
 * 100 * W(f) / sum(W) * w(s) / sum(w in f) * (min(to, e) - min(from, e)) / (e - o), per
 * point, o the attainment's origin (nl_attainment_origin).
 * family_skills is scratch room for one value per family. */
static void set_gains(const planner *p, nl_track_result *t, double *family_skills)
{
    const nl_framework *fw = p->base->ev->fw;
    const track_view *v = p->base;
    double families = 0;
    for (size_t f = 0; f < fw->family_count; f++) {
        family_skills[f] = 0;
        if (!isnan(p->family_attainment[f]) && v->family_weight[f] > 0)
            families += v->family_weight[f];
    }
    for (size_t k = 0; k < fw->skill_count; k++) {
        if (nl_skill_counts(v, k))
            family_skills[fw->skills[k].family] += v->skill_weight[k];
    }
    for (size_t i = 0; i < t->plan_count; i++) {
        nl_plan_step *step = &t->plan[i];
        size_t s = step->skill, f = fw->skills[s].family;
        double e = v->next->expected[s], origin = nl_attainment_origin(fw, s);
        step->gain_per_point = 0;
        if (!nl_skill_counts(v, s) || !(e > origin) || step->to <= step->from ||
            family_skills[f] <= 0 || families <= 0)
            continue;
        double gained = (fmin(step->to, e) - fmin(step->from, e)) / (e - origin);
        step->gain_per_point = 100 * v->family_weight[f] / families * v->skill_weight[s] /
                               family_skills[f] * gained / (step->to - step->from);
    }
}

static bool add_step(nl_track_result *t, size_t skill, double from, double to, bool soft)
{
    nl_plan_step *grown = realloc(t->plan, (t->plan_count + 1) * sizeof *grown);
    if (grown == NULL)
        return false;
    t->plan = grown;
    t->plan[t->plan_count++] = (nl_plan_step){skill, from, to, soft, 0};
    /* A raise is a whole number of steps: counted without the float noise of to - from (3.4
     * to 4.4 is 1.0000000000000004), so that distances compare exactly across quarters. */
    double raise = nearbyint((to - from) * 1e9) / 1e9;
    if (soft)
        t->distance += raise;
    else
        t->distance_hard += raise;
    return true;
}

/* Orders plan steps by what matters most: the raises for hard gates first (without them the
 * person stays Developing), then the largest gain per point, the largest raise, skill order. */
static int compare_steps(const void *a, const void *b)
{
    const nl_plan_step *x = a, *y = b;
    if (x->for_soft_gates != y->for_soft_gates)
        return x->for_soft_gates ? 1 : -1;
    /* Equal gains computed along different paths may differ in their last bits: compared at
     * nine decimals, they tie and the larger raise goes first. */
    double gx = nearbyint(x->gain_per_point * 1e9), gy = nearbyint(y->gain_per_point * 1e9);
    if (gx != gy)
        return gx > gy ? -1 : 1;
    double dx = x->to - x->from, dy = y->to - y->from;
    if (dx != dy)
        return dx > dy ? -1 : 1;
    return (x->skill > y->skill) - (x->skill < y->skill);
}

/* Gates that no raise of scores clears (tenure, attributes, or an aggregate with no room)
 * become blockers, named by their reasons. */
static bool list_blockers(const planner *p, nl_track_result *t)
{
    const nl_framework *fw = p->base->ev->fw;
    if (!p->base->reasons)
        return true; /* blockers are named by reasons, which a brief evaluation skips */
    for (size_t g = 0; g < fw->gate_count; g++) {
        nl_gate_kind kind = fw->gates[g].kind;
        bool blocked = t->gates[g].status == NL_GATE_FAIL &&
                       (kind == NL_GATE_TENURE || kind == NL_GATE_ATTRIBUTE || p->unfixable[g]);
        if (!blocked)
            continue;
        char **grown = realloc(t->blockers, (t->blocker_count + 1) * sizeof *grown);
        if (grown == NULL)
            return false;
        t->blockers = grown;
        if ((t->blockers[t->blocker_count] = nl_strdup(t->gates[g].reason)) == NULL)
            return false;
        t->blocker_count++;
    }
    return true;
}

bool nl_plan_track(const track_view *base, nl_track_result *t)
{
    const nl_framework *fw = base->ev->fw;
    size_t skills = fw->skill_count ? fw->skill_count : 1;
    size_t families = fw->family_count ? fw->family_count : 1;
    planner p = {.base = base, .view = *base};
    double *hard = malloc(skills * sizeof *hard);
    double *factor = malloc(families * sizeof *factor);
    p.scores = malloc(skills * sizeof *p.scores);
    p.family_attainment = malloc(families * sizeof *p.family_attainment);
    p.unfixable = calloc(fw->gate_count ? fw->gate_count : 1, sizeof *p.unfixable);
    bool ok = hard && factor && p.scores && p.family_attainment && p.unfixable;
    if (ok) {
        memcpy(p.scores, base->scores, fw->skill_count * sizeof *p.scores);
        p.view.scores = p.scores;
        plan_phase(&p, NL_HARD, factor);
        memcpy(hard, p.scores, fw->skill_count * sizeof *hard);
        plan_phase(&p, NL_SOFT, factor);
        for (size_t s = 0; s < fw->skill_count && ok; s++) {
            if (hard[s] > base->scores[s])
                ok = add_step(t, s, base->scores[s], hard[s], false);
            if (ok && p.scores[s] > hard[s])
                ok = add_step(t, s, hard[s], p.scores[s], true);
        }
        set_gains(&p, t, factor);
        t->distance += t->distance_hard;
        if (t->plan_count > 1)
            qsort(t->plan, t->plan_count, sizeof *t->plan, compare_steps);
        ok = ok && list_blockers(&p, t);
    }
    free(hard);
    free(factor);
    free(p.scores);
    free(p.family_attainment);
    free(p.unfixable);
    return ok;
}
