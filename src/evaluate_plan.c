#include "evaluate_internal.h"

#include "nextlevel/strutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Development plans. Per-skill bars (meets_expectations, critical_skills, floor) give exact
 * lower bounds: any plan that clears the gate must raise each failing skill at least to its
 * bar, so those raises are part of every plan. Aggregate gates (family_average,
 * readiness_score, balance) are then cleared one at a time, in template order, by raising in
 * NL_PLAN_STEP steps the skill with the largest gain per point: for a single linear constraint
 * with per-skill caps that greedy order is optimal (fractional knapsack), so each gate's
 * increase is within one step of its minimum. Hard gates are planned first, then soft gates on
 * top; the result is re-checked by the caller's tests, not assumed. */

/* Safety bound on greedy steps: each step raises a score by a half point, so a plan for any
 * realistic framework needs far fewer. */
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

static void raise_to(planner *p, size_t s, double to)
{
    if (p->scores[s] < to)
        p->scores[s] = to;
}

/* The exact part: every skill below a bar goes to the bar. */
static void apply_bars(planner *p, nl_severity phase)
{
    const nl_framework *fw = p->base->ev->fw;
    const nl_level *next = p->base->next;
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (!applies(gate, phase))
            continue;
        for (size_t s = 0; s < fw->skill_count; s++) {
            if (isnan(p->scores[s]))
                continue;
            if (nl_gate_checks_expectation(fw, gate, s) && !isnan(next->expected[s]))
                raise_to(p, s, next->expected[s] - gate->tolerance);
            if (gate->kind == NL_GATE_FLOOR && nl_gate_covers_family(gate, fw->skills[s].family))
                raise_to(p, s, gate->threshold);
        }
    }
}

/* Gain in attainment terms per point raised on skill s, or 0 when s cannot help. */
static double gain_per_point(const planner *p, size_t s, size_t family)
{
    const nl_framework *fw = p->base->ev->fw;
    double e = p->base->next->expected[s];
    if (fw->skills[s].family != family || !nl_skill_counts(&p->view, s) || e <= 0 ||
        p->scores[s] >= e - NL_EPSILON)
        return 0;
    double weights = 0;
    for (size_t k = 0; k < fw->skill_count; k++) {
        if (fw->skills[k].family == family && nl_skill_counts(&p->view, k))
            weights += p->view.skill_weight[k];
    }
    return weights > 0 ? p->view.skill_weight[s] / weights / e : 0;
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
    if (!pick_skill(p, family_factor, &s))
        return false;
    double room = p->base->next->expected[s] - p->scores[s];
    p->scores[s] += room < NL_PLAN_STEP ? room : NL_PLAN_STEP;
    return true;
}

static bool is_aggregate(nl_gate_kind kind)
{
    return kind == NL_GATE_READINESS_SCORE || kind == NL_GATE_FAMILY_AVERAGE ||
           kind == NL_GATE_BALANCE;
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

static bool add_step(nl_track_result *t, size_t skill, double from, double to, bool soft)
{
    nl_plan_step *grown = realloc(t->plan, (t->plan_count + 1) * sizeof *grown);
    if (grown == NULL)
        return false;
    t->plan = grown;
    t->plan[t->plan_count++] = (nl_plan_step){skill, from, to, soft};
    if (soft)
        t->distance += to - from;
    else
        t->distance_hard += to - from;
    return true;
}

/* Orders plan steps largest raise first, then by skill order, within each phase. */
static int compare_steps(const void *a, const void *b)
{
    const nl_plan_step *x = a, *y = b;
    if (x->for_soft_gates != y->for_soft_gates)
        return x->for_soft_gates ? 1 : -1;
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
