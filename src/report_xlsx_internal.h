#ifndef NEXTLEVEL_REPORT_XLSX_INTERNAL_H
#define NEXTLEVEL_REPORT_XLSX_INTERNAL_H

/* Shared by report_xlsx.c (the workbook, Summary, Criteria) and report_xlsx_sheets.c (the
 * per-person sheets). */

#include "nextlevel/report_xlsx.h"

#include <stdbool.h>
#include <xlsxwriter.h>

#define OUTCOME_COUNT (NL_TOP_OF_LADDER + 1)
/* Extra decimals a number may get so that it never displays as a threshold it does not reach. */
#define XW_FINE_DECIMALS 4

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
    /* Text in a column right of a number column, indented so that it does not run into the
     * right-aligned number beside it (the Fairness flags); and the same for a failure. */
    lxw_format *text_after_number, *fail_after_number, *header_after_number;
    lxw_format *group_row;
    /* A value near a threshold gets more decimals than its unit's (xw_exact_format): 0.00 to
     * 0.00000 for scores, 0.00% to 0.00000% for shares. */
    lxw_format *score_fine[XW_FINE_DECIMALS], *percent_fine[XW_FINE_DECIMALS];
    /* A change of readiness in points, signed (+0.0; -0.0); rises and falls with their own
     * colours, which are not the outcome colours (a rise is not "Ready now"). */
    lxw_format *change, *rise, *fall;
    /* The Skill gaps colour scale's legend: its low end, middle and high end. */
    lxw_format *scale_low, *scale_mid, *scale_high;
} xlsx_formats;

/* The workbook shows the review's people as it keeps them. */
typedef nl_review_person person_summary;

/* What a column holds, for widths from content: identity and outcome texts are never cut. */
typedef enum xw_fit {
    XW_FIT_NONE,
    XW_FIT_ID,
    XW_FIT_NAME,
    XW_FIT_TEAM,
    XW_FIT_MANAGER,
    XW_FIT_LEVEL,      /* a level id ("L4") */
    XW_FIT_LEVEL_NAME, /* a level id and title ("L4 Staff Engineer") */
    XW_FIT_OUTCOME,
    XW_FIT_BAND,
    XW_FIT_FILE, /* an input file's path */
    XW_FIT_COUNT
} xw_fit;

#define XW_MAX_THRESHOLDS 32

/* A logical sheet that continues on "Name (2)", "Name (3)" when rows run out. */
typedef struct sheet_series {
    const char *name;
    lxw_worksheet **sheets;
    size_t count;
    size_t current;
    lxw_row_t row; /* next row in the current sheet */
    void (*header)(struct xlsx_writer *, lxw_worksheet *);
    char **buffers; /* each sheet's file buffer, or NULL; freed after the workbook is closed */
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
    lxw_worksheet *whatif_sheet;                 /* NULL without the What if sheet */
    struct xw_whatif *whatif;                    /* its layout (report_xlsx_whatif.c) */
    lxw_row_t whatif_counts_row;                 /* its live count of Ready now */
    size_t left_count;                       /* rows for last quarter's people who are not here */
    lxw_col_t family_col;                    /* first family attainment on Readiness */
    size_t readiness_columns;                /* columns of Readiness */
    size_t readiness_rows_of[OUTCOME_COUNT]; /* first Readiness row of each outcome block */
    /* Widths in characters measured on the view's data before any thread starts (sheets are
     * written in constant-memory mode: widths are set before the rows). */
    double fit_width[XW_FIT_COUNT];
    /* The thresholds a score (points, quarters) or a share is read against: a value that is
     * not one of them never displays as one (xw_exact_format). */
    double score_thresholds[XW_MAX_THRESHOLDS], percent_thresholds[XW_MAX_THRESHOLDS];
    size_t score_threshold_count, percent_threshold_count;
} xw_book;

/* One part of the writing, on one thread: the book it reads, the sheet series it alone writes
 * (NULL for the others'), and its own errors, merged when it is done. */
typedef struct xlsx_writer {
    const xw_book *b;
    sheet_series *readiness, *gates, *gaps, *plans, *trend, *rejected;
    bool out_of_memory;
    lxw_error first_error;
    /* The plans kept by the part that writes Readiness, read by the part that writes
     * Development plans. */
    struct xw_plan_store *plan_store;
} xlsx_writer;

/* Cell writers that keep bad values out of the file: text is cut (with a marker) at Excel's
 * 32,767 characters, and a non-finite number becomes a blank cell. */
void xw_text(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
             lxw_format *format);
void xw_number(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value,
               lxw_format *format);
/* Said once on the Summary and in Criteria for a template without skills. */
#define NL_NO_SKILLS_NOTE                                                                          \
    "Readiness score: not applicable. The template has no skills: its gates read attributes "      \
    "and tenure only, so nobody has a readiness score or a development plan."

/* The width (in characters) a readiness column gets when it reads "not applicable". */
#define XW_NOT_APPLICABLE_WIDTH 15

/* A readiness score, or the words "not applicable" for a template without skills. */
void xw_readiness(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value,
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
/* Writes one person's Readiness row, and keeps their Development plans row for later; position
 * is theirs in Readiness order. */
void xw_person_rows(xlsx_writer *w, size_t position, const person_summary *s,
                    const nl_person_result *result);
/* Gives a row of wrapped texts (widths in characters) a height for its longest cell. */
void xw_fit_row(lxw_worksheet *ws, lxw_row_t row, const char *const *texts, const double *widths,
                size_t count);
/* Writes one person's rows on Gates, one a gate checked. */
void xw_gate_rows(xlsx_writer *w, const nl_person_result *result);
/* Writes the Skill gaps sheet (grouped by next level) and the Rejected rows sheet. */
void xw_gaps_sheet(xlsx_writer *w);
void xw_rejected_sheet(xlsx_writer *w);
/* Closes the per-person sheets: autofilters over the rows written, "none" where empty. */
void xw_finish_person_sheets(xlsx_writer *w);

/* Development plans (report_xlsx_plans.c). Rows come in Readiness order while the sheet lists
 * people closest to ready first, so each row's texts are kept in a temporary file (in folder)
 * and the sheet is written from it, each row once its person's texts are kept: memory stays
 * at 8 bytes a person. One part keeps (xw_keep_plan, xw_plans_kept) while another, on a thread
 * of its own or after it, writes (xw_plans_sheet). */
#define XW_PLAN_COLUMNS 13
typedef struct xw_plan_store xw_plan_store;
/* A store for count people, its file in folder. Returns NULL (errno set) on failure. */
xw_plan_store *xw_plan_store_new(const char *folder, size_t count);
/* Frees the store and its file; NULL does nothing. */
void xw_plan_store_free(xw_plan_store *store);
/* Keeps the plan row of the person at position (in Readiness order), when they have one;
 * positions come one after the other from 0. */
void xw_keep_plan(xlsx_writer *w, size_t position, const nl_person_result *result);
/* Says that no more rows will be kept (every position was, or the run stopped early). */
void xw_plans_kept(xlsx_writer *w);
/* Writes the Development plans rows, closest to ready first (the view's plan order), waiting
 * for each row to be kept; stops early when the keeping stopped before its row. */
void xw_plans_sheet(xlsx_writer *w);

/* The first and last sheets (report_xlsx_summary.c, report_xlsx_criteria.c), written last. */
void xw_summary_sheet(xlsx_writer *w);
void xw_criteria_sheet(xlsx_writer *w);

/* What the detail level left out, for the Summary and Criteria: "Gates and Skill gaps were
 * left out (--detail summary)", or NULL when the workbook has every sheet of its detail. */
const char *xw_detail_omitted(const xw_book *b);
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

/* The outcome colours, shared by cells (as their fill) and charts: a colour-blind-safe set
 * (Paul Tol's, checked by tests/tools/check_look.py: every pair stays apart by a CIEDE2000
 * difference of at least 20 under deuteranopia and protanopia), each with the text colour that
 * reads on it at a contrast of at least 4.5:1. */
extern const lxw_color_t xw_outcome_color[OUTCOME_COUNT];
extern const lxw_color_t xw_outcome_text[OUTCOME_COUNT];
/* The balance grid's fill (the Summary's grid formats): neutral, no outcome's colour, since a cell
 * of the grid is not an outcome. */
extern const lxw_color_t xw_grid_fill;
/* Colours a chart series of an outcome: its fill, and for black-and-white print a pattern (bar
 * and column charts) or, with markers, a marker shape of its own (scatter charts). */
void xw_outcome_series_style(lxw_chart_series *series, int outcome, bool markers);

/* ---- layout helpers (report_xlsx.c) ---- */

/* The width, in characters, of a column whose content is fit, at least min_width and at most
 * XW_MAX_FIT_WIDTH (longer texts wrap). */
#define XW_MAX_FIT_WIDTH 40.0
double xw_fit_width(const xw_book *b, xw_fit fit, double min_width);
/* The lines a text takes wrapped at words in a column of width characters (bold text is
 * wider). */
size_t xw_wrapped_lines(const char *text, double width, bool bold);
/* The characters of the longest word of a text. */
size_t xw_longest_word(const char *text);
/* Sets a header row's height so that every header shows all its wrapped lines. */
void xw_fit_header_row(lxw_worksheet *ws, lxw_row_t row, const char *const *texts,
                       const double *widths, size_t count);
/* The format of a number of a unit (f.score or f.percent) with enough decimals that it does
 * not display as a threshold it is not (84.96 against 85 reads 84.96, not 85.0); the unit's
 * own format when it does not come near one. */
lxw_format *xw_exact_format(const xw_book *b, lxw_format *unit, double value);
/* Measures the view's identities, levels, outcomes and files for column widths, and gathers
 * the thresholds numbers are read against; called once before any thread starts. */
void xw_measure(xw_book *b);
/* The Skill gaps colour scale's colours: low end (-2), middle (0), high end (+2). */
const lxw_color_t *xw_scale_colors(void);
/* Writes text with its line breaks and tabs as spaces: identities (names, teams, managers) are
 * one line in the workbook, however they came in (the CSV and JSON keep them as they are). */
void xw_identity(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
                 lxw_format *format);
/* A copy of text fit for the workbook's XML outside a cell (chart titles, series names, the
 * document's properties): one line, with what XML forbids as U+FFFD; NULL when out of memory.
 * text may be NULL (read as ""). */
char *xw_plain(const char *text);

/* The What if sheet (report_xlsx_whatif.c): whether this workbook has one (whole
 * organisation, a template with skills, not --what-if off); its dials, counts and the people
 * table's header, written before the people (and its formats numbered: call it before any
 * thread starts); one person's row, in Readiness order, from their full evaluation; and its
 * layout freed after the workbook is closed. */
bool xw_whatif_wanted(const xw_book *b);
bool xw_whatif_begin(xlsx_writer *w, lxw_worksheet *ws);
bool xw_whatif_person(xlsx_writer *w, size_t position, const nl_person_result *result);
void xw_whatif_free(struct xw_whatif *wi);
/* Whether the Summary's outcome counts are the What if sheet's live counts. */
bool xw_whatif_live_counts(const xw_book *b);

/* The review sheets (report_xlsx_review.c): rater effects and the fairness of the gates. */
void xw_calibration_sheet(xlsx_writer *w);
void xw_fairness_sheet(xlsx_writer *w);

#endif
