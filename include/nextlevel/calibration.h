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

typedef struct nl_manager_calibration {
    const char *manager; /* borrowed from a person; "(no manager)" when empty */
    size_t people;       /* people of this manager */
    size_t rated;        /* of whom have a rating gap */
    double mean_gap;     /* NAN when nobody is rated */
    double offset;       /* mean_gap minus the organisation's mean */
    double z;            /* offset / (organisation's SD / sqrt(rated)) */
    nl_rater_flag flag;
    double adjustment; /* offset * rated / (rated + shrinkage): subtracted with --calibrate */
} nl_manager_calibration;

typedef struct nl_calibration {
    nl_manager_calibration *managers; /* sorted by manager name */
    size_t count;
    size_t rated;       /* people with a rating gap, organisation-wide */
    double mean_gap;    /* organisation's mean gap */
    double sd;          /* organisation's standard deviation of gaps (population) */
    size_t *manager_of; /* per person of the matrix: index into managers */
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

#endif
