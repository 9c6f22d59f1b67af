#ifndef NEXTLEVEL_CALIBRATION_H
#define NEXTLEVEL_CALIBRATION_H

#include "nextlevel/error.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"

#include <stdbool.h>
#include <stddef.h>

/* Calibration by manager (rater effects). A person's rating gap is the mean, over their
 * assessed skills that their current level expects, of score minus that expectation: how far
 * above or below their own level they are rated. A manager whose people's mean gap stands out
 * from the organisation's is lenient (high) or severe (low). The formulas are in the README
 * ("Calibration"). */

typedef enum nl_rater_flag { NL_RATER_TYPICAL, NL_RATER_LENIENT, NL_RATER_SEVERE } nl_rater_flag;

/* Why a manager's people are adjusted under --calibrate, or not: only flagged managers are. */
typedef enum nl_adjust_reason {
    NL_ADJUST_FLAGGED,      /* flagged: adjusted by the shrunk offset, rounded to the step */
    NL_ADJUST_NOT_FLAGGED,  /* |z| under z_threshold */
    NL_ADJUST_TOO_FEW,      /* |z| at or past z_threshold, but fewer rated than min_team_size */
    NL_ADJUST_UNDER_A_STEP, /* flagged, but the shrunk offset rounds to no step */
    NL_ADJUST_NOBODY_RATED  /* no rating gap to compare */
} nl_adjust_reason;

typedef struct nl_manager_calibration {
    const char *manager; /* borrowed from a person; "(no manager)" when empty */
    size_t people;       /* people of this manager */
    size_t rated;        /* of whom have a rating gap */
    double mean_gap;     /* NAN when nobody is rated */
    double offset;       /* mean_gap minus the organisation's mean */
    double z;            /* offset / (organisation's SD / sqrt(rated)) */
    nl_rater_flag flag;
    double shrunk; /* offset * rated / (rated + shrinkage), before rounding; 0 when none */
    /* shrunk rounded to the step for a flagged manager, else 0: what --calibrate subtracts
     * from each of the manager's people's scores. */
    double adjustment;
    nl_adjust_reason reason;
} nl_manager_calibration;

/* A bar of the distribution of the managers' z: z in [from, to) from 0 up, in (from, to]
 * below 0 (so that the bars at and past +-z_threshold hold exactly the managers that may be
 * flagged); the outermost bars are open (from -INFINITY, to INFINITY). Managers by flag. */
typedef struct nl_z_bin {
    double from, to;
    size_t severe, typical, lenient;
} nl_z_bin;

typedef struct nl_calibration {
    /* By the size of the effect: |z| largest first (nobody rated last), then by name, so the
     * flags come first and the order does not depend on input. */
    nl_manager_calibration *managers;
    size_t count;
    size_t rated;                     /* people with a rating gap, organisation-wide */
    double mean_gap;                  /* organisation's mean gap */
    double sd;                        /* organisation's standard deviation of gaps (population) */
    size_t *manager_of;               /* per person of the matrix: index into managers */
    size_t lenient, severe, adjusted; /* managers flagged each way; managers adjusted */
    nl_z_bin *bins; /* the distribution of z in bars of z_threshold / 4, at most 24 */
    size_t bin_count;
} nl_calibration;

/* Computes the statistics for every manager of m. Returns NL_OK or NL_ERR_NOMEM; the caller
 * frees *out with nl_calibration_free. */
nl_status nl_calibration_compute(const nl_framework *fw, const nl_matrix *m, nl_calibration **out);

/* Frees it; NULL does nothing. */
void nl_calibration_free(nl_calibration *c);

/* A person's rating gap (NAN when no assessed skill is expected at their level). */
double nl_rating_gap(const nl_framework *fw, const nl_person *person);

/* Writes the person's calibrated scores into adjusted (skill_count values): each assessed
 * score minus their manager's adjustment, kept within the scale; not assessed stays so. */
void nl_calibrated_scores(const nl_framework *fw, const nl_calibration *c, size_t person_index,
                          const nl_person *person, double *adjusted);

/* Evaluates the person on calibrated scores (--calibrate): the outcome and readiness score
 * that result. Returns NL_OK or NL_ERR_NOMEM. */
nl_status nl_evaluate_calibrated(const nl_evaluator *ev, const nl_calibration *c,
                                 size_t person_index, const nl_person *person, nl_outcome *outcome,
                                 double *readiness);

/* "lenient", "severe" or "". */
const char *nl_rater_flag_name(nl_rater_flag flag);

/* "flagged", "not flagged", "too few rated", "under half a step" or "nobody rated". */
const char *nl_adjust_reason_name(nl_adjust_reason reason);

/* Writes into text (size bytes, NUL-terminated, cut if need be) the sentence, at most about
 * 55 characters, that says whether and why the manager's people are adjusted, with the
 * thresholds of settings, e.g. "adjusted: lenient (z >= 2); scores lowered by 0.5" or "not
 * adjusted: not flagged (|z| under 2)". */
void nl_adjust_reason_text(const nl_calibration_settings *settings,
                           const nl_manager_calibration *mc, char *text, size_t size);

#endif
