#ifndef NEXTLEVEL_REPORT_MACHINE_H
#define NEXTLEVEL_REPORT_MACHINE_H

#include "nextlevel/error.h"
#include "nextlevel/calibration.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/matrix.h"
#include "nextlevel/progress.h"
#include "nextlevel/trend.h"

#include <stdio.h>

/* The machine outputs for HR pipelines: CSV (one row per person, plus a CSV of rejected rows)
 * and JSON (people and rejected rows in one document). Both evaluate people one at a time in
 * input order, so output is identical for identical input. */

/* How many people ended in each outcome (indexed by nl_outcome). */
typedef struct nl_outcome_counts {
    size_t people[NL_TOP_OF_LADDER + 1];
} nl_outcome_counts;

/* Writes the header and one row per person, with the readiness band and, as run asks, the
 * trend against last quarter and the calibrated outcome; reports "evaluating" progress.
 * Returns NL_OK or NL_ERR_NOMEM; stream errors are left for the caller's commit. */
/* What a run adds to every output beside the evaluation itself. */
typedef struct nl_run_context {
    const nl_history *history;         /* last quarter, or NULL */
    const nl_calibration *calibration; /* with --calibrate: evaluate calibrated scores too */
    const nl_progress *progress;       /* or NULL */
    unsigned threads;                  /* 2 or more: evaluate on a second thread */
} nl_run_context;

nl_status nl_write_results_csv(FILE *out, const nl_evaluator *ev, const nl_matrix *m,
                               const nl_run_context *run, nl_outcome_counts *counts);

/* Writes file, line, column, reason for every rejected input row. */
void nl_write_rejections_csv(FILE *out, const nl_matrix *m);

/* Writes the whole JSON document; with last quarter, each person's trend and a list of the
 * people who left; with calibration, each person's calibrated outcome. */
nl_status nl_write_results_json(FILE *out, const nl_evaluator *ev, const nl_matrix *m,
                                const nl_run_context *run, nl_outcome_counts *counts);

#endif
