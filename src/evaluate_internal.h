#ifndef NEXTLEVEL_EVALUATE_INTERNAL_H
#define NEXTLEVEL_EVALUATE_INTERNAL_H

/* Shared by evaluate.c (attainment, gates, outcomes) and evaluate_plan.c (development plans). */

#include "nextlevel/evaluate.h"

struct nl_evaluator {
    const nl_framework *fw;
    const nl_profile *deciding;
    nl_profile override; /* what-if weights; used when overridden */
    bool overridden;
    bool has_tipping;
    size_t tipping_first, tipping_second;
    bool has_points; /* some skill maps scores to milestone points */
};

/* Everything one evaluation of a person against one next level reads. scores may be a
 * modified copy of the person's (development plans try raises on it). */
typedef struct track_view {
    const nl_evaluator *ev;
    const nl_person *person;
    const nl_level *next;
    const double *family_weight; /* the profile's, or a what-if variant */
    const double *skill_weight;
    const double *scores;
    bool reasons; /* write the gates' reason texts (and the blockers made from them) */
    /* missing_scores = not_evaluated and a skill the next level expects is not assessed: a gate
     * that reads such a skill fails only when it fails whatever the skill scores, and is
     * otherwise not checked, never passed. */
    bool lacking;
} track_view;

/* Whether skill counts in this view: the next level expects it and it is assessed. */
bool nl_skill_counts(const track_view *view, size_t skill);

/* Where attainment of skill is measured from: 0, or its scale's minimum when that is below 0
 * (on a -5..5 scale an expectation of 0 is not met by -5). */
double nl_attainment_origin(const nl_framework *fw, size_t skill);

/* Attainment of one skill: score over expectation, capped at 1, both measured from
 * nl_attainment_origin. */
double nl_skill_attainment(const nl_framework *fw, size_t skill, double score, double expected);

/* The raise that earns a points gate the most milestone points per score point: one of the
 * gate's assessed skills to its next milestone (in whole steps of the skill, within its
 * scale). Sets *skill, *to and *gain (weighted milestone points); false when no raise earns
 * any. */
bool nl_points_best_raise(const track_view *view, const nl_gate *gate, size_t *skill, double *to,
                          double *gain);

/* Family attainments (per family, NAN where nothing counts) and the readiness score. */
void nl_attainments(const track_view *view, double *family_attainment, double *readiness);

/* Checks gate g on the view. With reason_out not NULL, also writes the one-line reason (a new
 * string, or NULL when out of memory). */
void nl_check_gate(const track_view *view, size_t g, const double *family_attainment,
                   double readiness, nl_gate_result *result, char **reason_out);

/* Computes the development plan of a track whose gates are already checked. Returns false when
 * out of memory. */
bool nl_plan_track(const track_view *view, nl_track_result *track);

/* Sets result's operating_level and levels_above from its evaluated tracks (README,
 * "Operating level"). Returns false when out of memory. */
bool nl_operating_level(const nl_evaluator *ev, nl_person_result *result);

#endif
