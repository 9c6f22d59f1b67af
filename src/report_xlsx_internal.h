#ifndef NEXTLEVEL_REPORT_XLSX_INTERNAL_H
#define NEXTLEVEL_REPORT_XLSX_INTERNAL_H

/* Shared by report_xlsx.c (the workbook, Summary, Criteria) and report_xlsx_sheets.c (the
 * per-person sheets). */

#include "nextlevel/report_xlsx.h"

#include <stdbool.h>
#include <xlsxwriter.h>

#define OUTCOME_COUNT (NL_TOP_OF_LADDER + 1)

/* The most decimals a number is shown with (fixed and percent_fixed below). */
#define XW_MAX_DECIMALS 6

struct xlsx_writer;

/* One number format per unit, so a reader sees the same unit written the same way on every
 * sheet; rounding is the format's, the cell keeps the value. */
typedef struct xlsx_formats {
    lxw_format *title, *subtitle, *section, *header, *text, *wrap, *bold, *link;
    lxw_format *header_number; /* a header over numbers: right-aligned like them */
    lxw_format *score;         /* readiness score and points: 0.0 */
    lxw_format *percent;       /* shares and attainments: 0.0% */
    lxw_format *number;        /* ratings and rating gaps: 0.00 */
    lxw_format *integer;       /* counts and months: 0 */
    lxw_format *ratio;         /* ratios such as the four-fifths ratio and z: 0.00 */
    lxw_format *p_value;       /* probabilities: 0.000, and "<0.001" below it */
    /* A unit's number with d decimals, "0", "0.0", ... (and "0%", "0.0%", ...): for a table of
     * mixed units (Gates), and where a unit's usual decimals would show a value that fails its
     * threshold as the threshold itself. */
    lxw_format *fixed[XW_MAX_DECIMALS + 1];
    lxw_format *percent_fixed[XW_MAX_DECIMALS + 1];
    lxw_format *not_assessed;
    lxw_format *outcome[OUTCOME_COUNT];
    lxw_format *pass, *fail, *skipped;
    lxw_format *group_row;
} xlsx_formats;

/* The workbook shows the review's people as it keeps them. */
typedef nl_review_person person_summary;

/* A logical sheet that continues on "Name (2)", "Name (3)" when rows run out. */
typedef struct sheet_series {
    const char *name;
    lxw_worksheet **sheets;
    size_t count;
    size_t current;
    lxw_row_t row; /* next row in the current sheet */
    void (*header)(struct xlsx_writer *, lxw_worksheet *);
} sheet_series;

/* What every part of the writing reads: laid out before any thread starts and not changed
 * while they run. */
typedef struct xw_book {
    lxw_workbook *wb;
    const nl_review *rv;        /* everything the workbook states */
    const nl_review_view *view; /* the people of this workbook (all, or a pack's) */
    const nl_evaluator *ev;
    const nl_framework *fw;
    const nl_matrix *m;
    const nl_history *history; /* last quarter, or NULL */
    const nl_xlsx_options *opt;
    xlsx_formats f; /* every format numbered before the threads start */
    char date_text[32];
    size_t max_rows;
    const person_summary *people; /* the review's, in input order */
    size_t count;                 /* people in this workbook */
    const size_t *order;          /* indices into people, in Readiness order (the view's) */
    bool has_pair;
    size_t pair_first, pair_second;
    nl_outcome_counts counts; /* the view's */
    lxw_worksheet *summary, *criteria, *calibration_sheet, *fairness_sheet;
    lxw_worksheet *slate_sheet, *pipeline_sheet; /* the leadership print set, with Summary */
    size_t left_count;                       /* rows for last quarter's people who are not here */
    lxw_col_t family_col;                    /* first family attainment on Readiness */
    size_t readiness_columns;                /* columns of Readiness */
    size_t readiness_rows_of[OUTCOME_COUNT]; /* first Readiness row of each outcome block */
} xw_book;

/* One part of the writing, on one thread: the book it reads, the sheet series it alone writes
 * (NULL for the others'), and its own errors, merged when it is done. */
typedef struct xlsx_writer {
    const xw_book *b;
    sheet_series *readiness, *gates, *gaps, *plans, *trend, *rejected;
    bool out_of_memory;
    lxw_error first_error;
} xlsx_writer;

/* Cell writers that keep bad values out of the file: text is cut (with a marker) at Excel's
 * 32,767 characters, and a non-finite number becomes a blank cell. */
void xw_text(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
             lxw_format *format);
void xw_number(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value,
               lxw_format *format);
/* Writes and frees an owned text; records out of memory when it is NULL. */
void xw_owned(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, char *text,
              lxw_format *format);
/* Notes a libxlsxwriter error (the first one is reported). */
void xw_check(xlsx_writer *w, lxw_error error);

/* The row to write next in a series, moving to its next sheet when the current one is full. */
lxw_worksheet *xw_next_row(xlsx_writer *w, sheet_series *series, lxw_row_t *row);

/* Applies the print set-up every sheet but the Summary shares: landscape A4, the header row
 * repeated on every page (XW_NO_HEADER_ROW: none), and the footer below. A sheet whose
 * printed columns fit one page wide at 73% or more (body text at least 8 pt) fits to one page
 * wide; a wider one prints across pages at the largest scale from 100% to 73% that needs the
 * fewest, its frozen columns repeated on each. Call it after the column widths, the print
 * area and the frozen panes are set and the header row is written. */
#define XW_NO_HEADER_ROW ((lxw_row_t)LXW_ROW_MAX)
void xw_print_setup(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t header_row);
/* Sets the footer of every printed page: the sheet's name and the run date, the template's
 * confidentiality line ([report] confidentiality) and "Page N of M". */
void xw_print_footer(xlsx_writer *w, lxw_worksheet *ws);

/* The per-person sheets (report_xlsx_sheets.c). */
void xw_readiness_header(xlsx_writer *w, lxw_worksheet *ws);
/* Lays out Readiness from the column table: its column count and first family column. */
void xw_readiness_layout(xw_book *b);
void xw_gates_header(xlsx_writer *w, lxw_worksheet *ws);
void xw_gaps_header(xlsx_writer *w, lxw_worksheet *ws);
void xw_plans_header(xlsx_writer *w, lxw_worksheet *ws);
void xw_rejected_header(xlsx_writer *w, lxw_worksheet *ws);
void xw_trend_header(xlsx_writer *w, lxw_worksheet *ws);
/* Writes the Trend sheet (only with last quarter). */
void xw_trend_sheet(xlsx_writer *w);
/* Writes one person's rows on Readiness and Development plans. */
void xw_person_rows(xlsx_writer *w, const person_summary *s, const nl_person_result *result);
/* Writes one person's rows on Gates, one a gate checked. */
void xw_gate_rows(xlsx_writer *w, const nl_person_result *result);
/* Writes the Skill gaps sheet (grouped by next level) and the Rejected rows sheet. */
void xw_gaps_sheet(xlsx_writer *w);
void xw_rejected_sheet(xlsx_writer *w);
/* Closes the per-person sheets: autofilters over the rows written, "none" where empty. */
void xw_finish_person_sheets(xlsx_writer *w);

/* The first and last sheets (report_xlsx_summary.c, report_xlsx_criteria.c), written last. */
void xw_summary_sheet(xlsx_writer *w);
void xw_criteria_sheet(xlsx_writer *w);

/* What the detail level left out, for the Summary and Criteria: "Gates and Skill gaps were
 * left out (--detail summary)", or NULL when the workbook has every sheet of its detail. */
const char *xw_detail_omitted(const xw_book *b);
/* The lines text takes when wrapped at spaces in a column (or merged range) width characters
 * wide, an estimate on the safe side (report_xlsx_criteria.c). */
unsigned xw_wrapped_lines(const char *text, double width);
/* Writes that sentence at row, column A, when there is one (report_xlsx_criteria.c). */
void xw_detail_note(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row);
/* The leadership print set (report_xlsx_slate.c): the promotion slate, everyone Ready now by
 * next level, and the readiness pipeline by band, level and performance. */
void xw_slate_sheet(xlsx_writer *w);
void xw_pipeline_sheet(xlsx_writer *w);
/* "L3 Senior Engineer"; the caller frees it (NULL when out of memory). */
char *xw_level_label(const nl_framework *fw, size_t level);
/* How a slate person reads beside their name: "Robust" or "Depends on priorities". */
const char *xw_priorities_text(const person_summary *s);

/* The outcome colours, shared by cells and charts. */
extern const lxw_color_t xw_outcome_color[OUTCOME_COUNT];

/* The review sheets (report_xlsx_review.c): rater effects and the fairness of the gates. */
void xw_calibration_sheet(xlsx_writer *w);
void xw_fairness_sheet(xlsx_writer *w);

#endif
