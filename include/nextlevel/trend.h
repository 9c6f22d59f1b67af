#ifndef NEXTLEVEL_TREND_H
#define NEXTLEVEL_TREND_H

#include "nextlevel/evaluate.h"
#include "nextlevel/matrix.h"

#include <stdbool.h>
#include <stddef.h>

/* Quarter over quarter: how a person moved since last quarter's matrix, and the readiness band
 * (when they can be expected to be Ready now). The method is in the README ("Readiness
 * bands"). */

typedef enum nl_band {
    NL_BAND_READY_NOW,
    NL_BAND_NEXT_QUARTER,
    NL_BAND_TWO_THREE_QUARTERS,
    NL_BAND_LATER,
    NL_BAND_NONE /* not evaluated, or top of the ladder */
} nl_band;

typedef struct nl_band_info {
    nl_band band;
    double distance;        /* points to Ready now (the development plan's distance) */
    double growth;          /* points closer to Ready now per quarter (may be <= 0 measured) */
    bool growth_measured;   /* from last quarter's distance, else the template's default */
    double skill_quarters;  /* whole quarters: ceil(distance / growth), INFINITY without growth */
    double tenure_quarters; /* whole quarters until a failing hard tenure gate passes, else 0 */
    double quarters;        /* the larger of the two, at least 1: whole quarters, or INFINITY */
} nl_band_info;

/* How a person moved since last quarter. */
typedef struct nl_trend {
    const nl_person *previous; /* NULL: new this quarter */
    nl_outcome outcome_then;
    double readiness_then; /* NAN when it could not be scored */
    double change;         /* readiness now minus then, NAN when either is missing */
    bool promoted;         /* the level changed */
    double distance_then;  /* last quarter's distance to the same next level, or NAN */
} nl_trend;

/* Last quarter: its matrix (borrowed) evaluated with the same evaluator (borrowed). */
typedef struct nl_history {
    const nl_evaluator *ev;
    const nl_matrix *previous;
} nl_history;

/* "Ready now", "Next quarter", "In 2-3 quarters", "Later", "" for none. */
const char *nl_band_name(nl_band band);

/* The band of whole quarters to Ready now: 0 Ready now, 1 Next quarter, 2 or 3 In 2-3
 * quarters, more (or INFINITY) Later; NAN: none. */
nl_band nl_band_of_quarters(double quarters);

/* The band of a result, by the rule of the README ("Readiness bands"): the band follows from
 * the distance to Ready now and the growth, in whole quarters. trend (NULL when unknown)
 * measures growth when it has last quarter's distance to the same next level; otherwise the
 * template's growth_per_quarter applies. */
void nl_band_of(const nl_framework *fw, const nl_person_result *result, const nl_trend *trend,
                nl_band_info *info);

/* The person's entry in history (NULL history or not found: NULL). */
const nl_person *nl_history_find(const nl_history *history, const nl_person *now);

/* Compares a person with last quarter. Returns NL_OK or NL_ERR_NOMEM. */
nl_status nl_trend_of(const nl_history *history, const nl_person_result *now, nl_trend *trend);

/* Both at once, as every output shows them: the trend against history (NULL: none) and the
 * band, with growth measured when last quarter has the person. */
nl_status nl_trend_and_band(const nl_history *history, const nl_framework *fw,
                            const nl_person_result *now, nl_trend *trend, nl_band_info *band);

/* "coding +1, mentoring -0.5": the skills whose score changed, largest change first. Returns a
 * new string ("" when nothing changed) or NULL when out of memory. */
char *nl_describe_skill_changes(const nl_framework *fw, const nl_person *now,
                                const nl_person *then);

#endif
