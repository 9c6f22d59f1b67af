#ifndef NEXTLEVEL_REPORT_MACHINE_H
#define NEXTLEVEL_REPORT_MACHINE_H

#include "nextlevel/error.h"
#include "nextlevel/progress.h"
#include "nextlevel/review.h"
#include "nextlevel/textout.h"

#include <stdio.h>

/* The machine outputs for HR pipelines, rendered from the review: CSV (one row per person in
 * input order, plus sibling tables of their own shape: rejected rows, summary counts,
 * calibration by manager, fairness, last quarter's trend) and JSON (all of it in one
 * document). Identical input gives identical bytes. */

/* How the people's texts are rendered. */
typedef struct nl_machine_options {
    const nl_progress *progress; /* "writing" progress, or NULL */
    unsigned threads;            /* 2 or more: evaluate the texts on a second thread */
    nl_csv_dialect dialect;      /* of the CSV outputs (textout.h); JSON has none */
} nl_machine_options;

/* Writes the header and one row per person. Returns NL_OK or NL_ERR_NOMEM; stream errors are
 * left for the caller's commit. */
nl_status nl_write_results_csv(FILE *out, const nl_review *rv, const nl_machine_options *options);

/* Writes file, line, column, id, reason for every rejected input row of this quarter (last
 * quarter's are in the JSON and counted in the summary table). */
void nl_write_rejections_csv(FILE *out, const nl_review *rv, nl_csv_dialect dialect);

/* The sibling tables of the CSV output, each a CSV file of its own shape. */
typedef enum nl_csv_table {
    NL_CSV_SUMMARY,  /* outcome counts, raw and calibrated: overall, per team, level, band */
    NL_CSV_MANAGERS, /* calibration by manager */
    NL_CSV_FAIRNESS, /* rates per group (only with a [fairness] group column) */
    NL_CSV_TREND,    /* last quarter's people not here, and the trend counts (with --previous) */
    NL_CSV_TABLE_COUNT
} nl_csv_table;

/* The file name suffix of a table: ".summary.csv", ".managers.csv", ... */
const char *nl_csv_table_suffix(nl_csv_table table);

/* Whether the run has the table (fairness needs a group column, trend last quarter). */
bool nl_csv_table_present(const nl_review *rv, nl_csv_table table);

/* Writes one sibling table. */
void nl_write_csv_table(FILE *out, const nl_review *rv, nl_csv_table table, nl_csv_dialect dialect);

/* Writes the whole JSON document (its shape: docs/results.schema.json). */
nl_status nl_write_results_json(FILE *out, const nl_review *rv, const nl_machine_options *options);

#endif
