#ifndef NEXTLEVEL_EVALUATE_H
#define NEXTLEVEL_EVALUATE_H

#include "nextlevel/error.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"

#include <stdbool.h>
#include <stddef.h>

/* The decision engine: for one person, attainment against the next level, every gate with its
 * numbers and reason, the outcome per track and per priority profile, the tipping weight and a
 * development plan. The formulas are in the README ("How readiness is decided"). */

/* Ordered best first: the best track is the one with the lowest value. */
typedef enum nl_outcome {
    NL_READY_NOW,
    NL_READY_WITH_RISK,
    NL_DEVELOPING,
    NL_NOT_EVALUATED,
    NL_TOP_OF_LADDER
} nl_outcome;

/* NL_GATE_NOT_APPLICABLE: the gate does not apply to the track's next level (its `levels`, or
 * per-level values that leave the level out); it neither passes nor fails. */
typedef enum nl_gate_status {
    NL_GATE_PASS,
    NL_GATE_FAIL,
    NL_GATE_SKIPPED,
    NL_GATE_NOT_APPLICABLE
} nl_gate_status;

/* Comparisons treat values within this distance as equal, so that a score exactly at a
 * threshold passes even after floating-point rounding (0.95 - 0.8 is not exactly 0.15). */
#define NL_EPSILON 1e-9

/* A gate that reads a skill the person lacks (missing_scores = not_evaluated) fails when it fails
 * whatever that skill scores, with actual the nearest the skill can bring it to passing (the
 * highest readiness score, the least balance distance); otherwise it is not checked. */
typedef struct nl_gate_result {
    nl_gate_status status;
    double required; /* as the template states it (a balance distance as a share, 0.15) */
    double actual;   /* NAN when the gate could not be checked */
    double margin;   /* actual beyond required: >= 0 passes; NAN when not checked */
    char *reason;    /* one line, owned */
} nl_gate_result;

/* One raise of a development plan: a whole number of the skill's rating steps (to - from),
 * except where the top of the scale stops it. */
typedef struct nl_plan_step {
    size_t skill;
    double from, to;
    bool for_soft_gates;   /* needed only to clear soft gates (Ready with risk -> Ready now) */
    double gain_per_point; /* readiness score points the raise earns per score point */
} nl_plan_step;

typedef struct nl_track_result {
    size_t next_level;
    nl_outcome outcome;
    double readiness;          /* 0..100, NAN when nothing could be scored */
    double *family_attainment; /* per family, 0..1, NAN when the family has nothing scored */
    nl_gate_result *gates;     /* per framework gate, in template order */
    size_t gate_count;
    size_t *missing; /* skills the next level expects that are not assessed */
    size_t missing_count;
    char *missing_data; /* other missing inputs (months in level, attributes), or NULL */
    nl_plan_step *plan; /* for everyone not Ready now and evaluated: the raises for hard gates
                           first, then by gain per point (the most useful first) */
    size_t plan_count;
    double distance_hard; /* points to clear every hard gate */
    double distance;      /* points to clear every gate */
    char **blockers;      /* gates a plan of skill increases cannot clear (tenure, ...) */
    size_t blocker_count;
} nl_track_result;

typedef struct nl_person_result {
    const nl_person *person;
    nl_track_result *tracks; /* one per next level; none at the top of the ladder */
    size_t track_count;
    size_t best;                  /* index of the deciding track: nearest to ready */
    nl_outcome outcome;           /* the best track's outcome, or Top of ladder */
    nl_outcome *profile_outcomes; /* per template profile */
    bool robust;                  /* the same outcome under every profile */
    double tipping_weight;        /* technical share at which the outcome changes, or NAN */
    nl_outcome tipping_outcome;   /* the outcome on the other side of the tipping weight */
    /* The highest level up the ladder whose hard gates the person already meets (README,
     * "Operating level"): their own level when none is reached; SIZE_MAX when Not evaluated. */
    size_t operating_level;
    size_t levels_above; /* steps from their level to operating_level: 0, 1, 2, ... */
    /* Milestone points over every skill with a points mapping, unweighted (the total that
     * level_from = points places people by); NAN when the framework maps no points. */
    double milestone_points;
} nl_person_result;

typedef struct nl_evaluator nl_evaluator;

/* A new evaluator for fw (borrowed). profile_name picks the deciding profile (NULL: the
 * template's default); weights, when not NULL, overrides its family weights for a what-if run,
 * as "family=w,family=w". Returns NL_ERR_USAGE with err set for an unknown profile or bad
 * weights. */
nl_status nl_evaluator_new(const nl_framework *fw, const char *profile_name, const char *weights,
                           nl_evaluator **out, nl_error *err);

/* Frees the evaluator; NULL does nothing. */
void nl_evaluator_free(nl_evaluator *ev);

/* The framework the evaluator was made for. */
const nl_framework *nl_evaluator_framework(const nl_evaluator *ev);

/* The deciding profile (the template's, or the what-if override). */
const nl_profile *nl_evaluator_profile(const nl_evaluator *ev);

/* Whether the deciding profile was overridden by --weights. */
bool nl_evaluator_overridden(const nl_evaluator *ev);

/* The two families whose split the tipping weight varies, or false when the template has no
 * two families to compare. */
bool nl_evaluator_tipping_families(const nl_evaluator *ev, size_t *first, size_t *second);

/* Evaluates one person into result (which the caller clears with nl_person_result_clear).
 * Returns NL_OK or NL_ERR_NOMEM. */
nl_status nl_evaluate_person(const nl_evaluator *ev, const nl_person *person,
                             nl_person_result *result);

/* Like nl_evaluate_person, without the gates' reason texts (NULL) and the plan's blockers
 * (which are named by them): for passes that need only outcomes and numbers, such as the
 * review's evaluation pass, at a fraction of the cost. */
nl_status nl_evaluate_person_brief(const nl_evaluator *ev, const nl_person *person,
                                   nl_person_result *result);

/* The outcome a track's gates give with its readiness_score gates left out: those are the only
 * gates the family weights and their own thresholds move, so the workbook's What if sheet
 * combines this fixed part with them, recomputed in formulas. */
nl_outcome nl_track_outcome_without_readiness(const nl_evaluator *ev, const nl_person *person,
                                              const nl_track_result *track);

/* Frees what a result holds. */
void nl_person_result_clear(nl_person_result *result);

/* "pass", "fail", "not checked" or "not applicable". */
const char *nl_gate_status_name(nl_gate_status status);

/* How a gate kind's required, actual and margin read in its reason text, so that a table
 * beside the reason states them in the same unit: name ("points", "months", ...), scale (the
 * factor from the stored value to the number the reason prints: a balance distance of 0.15 is
 * "15 points"), percent (the stored value is a share the reason prints as a percentage, 0.9 as
 * "90.0%"; scale is then 100) and decimals (the unit's usual decimals, of the scaled number). */
typedef struct nl_gate_unit {
    const char *name;
    double scale;
    bool percent;
    int decimals;
} nl_gate_unit;

/* The unit of a gate kind's numbers. */
nl_gate_unit nl_gate_unit_of(nl_gate_kind kind);

/* "Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder". */
const char *nl_outcome_name(nl_outcome outcome);

/* The result's deciding track, or NULL at the top of the ladder. */
const nl_track_result *nl_person_result_track(const nl_person_result *result);

/* Whether the person falls short on skill for the track: its development plan raises it. */
bool nl_track_short_of(const nl_track_result *track, size_t skill);

#endif
