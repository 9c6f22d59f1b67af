#include "evaluate_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* The operating level (README, "Operating level"): how far up the ladder a person already
 * meets the hard gates. The first step is the tracks' own verdict; beyond it only the hard
 * gates that read skill scores count, because months in a level never held, or an attribute
 * such as last cycle's rating, say nothing about the level after next. */

/* Levels a person's walk can remember without an allocation. */
#define SMALL_LADDER 64

typedef struct walk {
    const nl_evaluator *ev;
    const nl_person *person;
    signed char *known; /* per level: 0 not yet checked, 1 its hard skill gates pass, -1 not */
    double *family_attainment;
    size_t best_level, best_steps;
} walk;

/* Whether the person meets every hard skill gate of level as their next level, checked by the
 * engine's own gate code (so per-level parameters read as they do for a track). A gate that
 * fails or cannot be checked stops the walk there; a gate of another status (one that does
 * not apply to this level) says nothing and is passed over. */
static bool meets_skill_gates(walk *w, size_t level)
{
    const nl_framework *fw = w->ev->fw;
    if (w->known[level] != 0)
        return w->known[level] > 0;
    track_view v = {
        .ev = w->ev,
        .person = w->person,
        .next = &fw->levels[level],
        .family_weight = w->ev->deciding->family_weight,
        .skill_weight = w->ev->deciding->skill_weight,
        .scores = w->person->scores,
    };
    /* As for a track: a level that expects a skill the person has no score for is one they
     * cannot be said to meet when missing_scores = not_evaluated, nor one that expects skills
     * of which none is assessed. */
    bool expects = false, counts = false, lacks = false;
    for (size_t s = 0; s < fw->skill_count; s++) {
        expects = expects || !isnan(v.next->expected[s]);
        counts = counts || nl_skill_counts(&v, s);
        lacks = lacks || (!isnan(v.next->expected[s]) && isnan(v.scores[s]));
    }
    v.lacking = fw->missing_rule == NL_MISSING_NOT_EVALUATED && lacks;
    bool meets = !v.lacking && (counts || !expects);
    double readiness = NAN;
    if (meets)
        nl_attainments(&v, w->family_attainment, &readiness);
    size_t passed = 0;
    for (size_t g = 0; g < fw->gate_count && meets; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (gate->severity != NL_HARD || !nl_gate_kind_reads_skills(gate->kind))
            continue;
        nl_gate_result r;
        nl_check_gate(&v, g, w->family_attainment, readiness, &r, NULL);
        if (r.status == NL_GATE_FAIL || r.status == NL_GATE_SKIPPED)
            meets = false;
        passed += r.status == NL_GATE_PASS;
        /* Any other status (not applicable to this level) says nothing and is passed over. */
    }
    /* A level no hard skill gate speaks to is not one the person is known to meet: without
     * this, an attribute-only screen would put everyone who passes it at the top of the
     * ladder. */
    meets = meets && passed > 0;
    w->known[level] = meets ? 1 : -1;
    return meets;
}

/* Depth first in the listed order of `next`: a level reached in more steps replaces the best,
 * one reached in as many does not, so ties go to the first listed path. */
static void climb(walk *w, size_t level, size_t steps)
{
    const nl_framework *fw = w->ev->fw;
    if (steps > w->best_steps) {
        w->best_steps = steps;
        w->best_level = level;
    }
    /* A ladder has no cycles (the template check refuses them); the bound keeps a walk finite
     * whatever it is given. */
    if (steps >= fw->level_count)
        return;
    const nl_level *l = &fw->levels[level];
    for (size_t i = 0; i < l->next_count; i++) {
        if (meets_skill_gates(w, l->next[i]))
            climb(w, l->next[i], steps + 1);
    }
}

bool nl_operating_level(const nl_evaluator *ev, nl_person_result *result)
{
    const nl_framework *fw = ev->fw;
    const nl_person *person = result->person;
    result->operating_level = person->level;
    result->levels_above = 0;
    if (result->outcome == NL_NOT_EVALUATED) {
        result->operating_level = SIZE_MAX;
        return true;
    }
    /* Only people with a track whose hard gates all pass walk on: most of a large run stops
     * here, at the cost of a look at their tracks. */
    bool first = false;
    for (size_t t = 0; t < result->track_count && !first; t++)
        first = result->tracks[t].outcome <= NL_READY_WITH_RISK;
    if (!first)
        return true;
    size_t families = fw->family_count ? fw->family_count : 1;
    signed char small_known[SMALL_LADDER];
    double small_att[SMALL_LADDER];
    bool small = fw->level_count <= SMALL_LADDER && families <= SMALL_LADDER;
    walk w = {
        .ev = ev,
        .person = person,
        .known = small ? small_known : calloc(fw->level_count, sizeof *w.known),
        .family_attainment = small ? small_att : malloc(families * sizeof *w.family_attainment),
        .best_level = person->level,
    };
    if (w.known == NULL || w.family_attainment == NULL) {
        if (!small) {
            free(w.known);
            free(w.family_attainment);
        }
        return false;
    }
    if (small) {
        for (size_t l = 0; l < fw->level_count; l++)
            small_known[l] = 0;
    }
    for (size_t t = 0; t < result->track_count; t++) {
        if (result->tracks[t].outcome <= NL_READY_WITH_RISK)
            climb(&w, result->tracks[t].next_level, 1);
    }
    result->operating_level = w.best_level;
    result->levels_above = w.best_steps;
    if (!small) {
        free(w.known);
        free(w.family_attainment);
    }
    return true;
}
