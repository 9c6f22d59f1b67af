#ifndef NEXTLEVEL_REPORT_XLSX_H
#define NEXTLEVEL_REPORT_XLSX_H

#include "nextlevel/error.h"
#include "nextlevel/progress.h"
#include "nextlevel/review.h"

#include <stddef.h>
#include <time.h>

/* The Excel workbook for leadership (libxlsxwriter, constant-memory mode): Summary, Readiness,
 * Gates, Skill gaps, Development plans, Rejected rows, Criteria. The sheets are described in
 * the README ("The workbook"). */

/* Workbooks of more people than this are streamed (libxlsxwriter's constant-memory mode);
 * smaller ones are built in memory (about 115 bytes a cell, a few MB here). */
#define NL_XLSX_STREAM_FROM 20000u

/* Up to this many people the What if sheet holds everyone; above it (and with --detail
 * summary) only the run's slate candidates, Ready now and Ready with risk. */
#define NL_WHAT_IF_FULL_MAX 100000u

typedef struct nl_xlsx_options {
    time_t run_date;             /* every date in the file (SOURCE_DATE_EPOCH / --date) */
    const char *template_digest; /* SHA-256 hex of the template file, or NULL */
    const char *group_label;     /* "Team: Payments" for a per-group pack, else NULL */
    size_t max_rows_per_sheet;   /* data rows before a sheet continues as "Name (2)";
                                    0 = Excel's limit of 1,048,575 */
    const nl_progress *progress; /* "evaluating" and "writing" progress, or NULL */
    unsigned threads;            /* threads for writing (0 or 1: this thread only) */
    const char *redaction;       /* how names were pseudonymised, or NULL */
    bool summary_detail; /* --detail summary: no Gates or Skill gaps sheet, the two that grow
                            with people x gates and people x skills */
    bool what_if;        /* the What if sheet (README, "The What if sheet"); whole-organisation
                            workbooks only */
} nl_xlsx_options;

/* Writes the workbook of a view of the review (the whole organisation, or a pack's people) to
 * path (which the caller has made writable and will rename into place); temporary sheet files
 * go to tmpdir. Returns NL_OK, NL_ERR_NOMEM, or NL_ERR_OUTPUT with err saying what
 * libxlsxwriter reported. */
nl_status nl_write_workbook(const char *path, const char *tmpdir, const nl_review_view *view,
                            const nl_xlsx_options *options, nl_error *err);

#endif
