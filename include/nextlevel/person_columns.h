#ifndef NEXTLEVEL_PERSON_COLUMNS_H
#define NEXTLEVEL_PERSON_COLUMNS_H

#include "nextlevel/evaluate.h"
#include "nextlevel/review.h"

#include <stdbool.h>
#include <stddef.h>

/* The per-person columns of every output, defined once: the CSV header and row, the Readiness
 * sheet's columns and the JSON's flat person members all come from this table, so adding a
 * column is one edit in one place. Each column says where it appears (its CSV/JSON key, its
 * sheet title) and how its cell is made from the review and the person's full result; the
 * writers only format the cells. */

/* How a sheet shows a cell (a CSV or JSON writer ignores it). */
typedef enum nl_cell_style {
    NL_STYLE_TEXT,
    NL_STYLE_WRAP,    /* long text, wrapped */
    NL_STYLE_OUTCOME, /* coloured by the outcome in the cell */
    NL_STYLE_SCORE,   /* 0.0 */
    NL_STYLE_PERCENT, /* 0% */
    NL_STYLE_NUMBER,  /* 0.00 */
    NL_STYLE_COUNT    /* as the number is: 2, 117, 1.5 (counts and totals of points) */
} nl_cell_style;

typedef enum nl_cell_kind {
    NL_CELL_EMPTY,
    NL_CELL_TEXT,    /* text, borrowed */
    NL_CELL_OWNED,   /* owned text, freed by nl_cell_clear */
    NL_CELL_NUMBER,  /* NAN is written as empty */
    NL_CELL_INTEGER, /* a count or line number */
    NL_CELL_BOOL
} nl_cell_kind;

/* What a sheet shows for the readiness score of a template without skills (CSV: empty, JSON:
 * null). */
#define NL_READINESS_NOT_APPLICABLE "not applicable"

typedef struct nl_cell {
    nl_cell_kind kind;
    const char *text; /* for NL_CELL_NUMBER: what a sheet shows when the number is NAN, or NULL */
    char *owned;
    double number;
    long long integer;
    bool flag;
    nl_outcome outcome; /* for NL_STYLE_OUTCOME */
} nl_cell;

/* One person's row: everything a cell may be made from. */
typedef struct nl_person_row {
    const nl_review *rv;
    const nl_review_person *s; /* the review's figures */
    const nl_person_result *r; /* the full evaluation, for texts */
    const nl_track_result *t;  /* the deciding track, or NULL */
    const nl_person *p;
} nl_person_row;

/* Where a column appears. */
enum {
    NL_IN_CSV = 1,               /* key is the CSV header */
    NL_IN_SHEET = 2,             /* title is the Readiness header */
    NL_IN_JSON = 4,              /* key is a flat member of each JSON person */
    NL_SHEET_CALIBRATED = 8,     /* on the sheet only with --calibrate */
    NL_SHEET_PERFORMANCE = 16,   /* on the sheet only when the template has an attribute with id
                                    "performance" (review's performance) */
    NL_SHEET_POINTS_LEVELS = 32, /* on the sheet only when levels come from points */
    NL_ONLY_WITH_BUDGET = 64     /* in the CSV and JSON only when the run has a budget */
};

/* What a sheet column's cells hold, when it is an identity or a name the sheet must never cut:
 * its width is then measured on the data. */
typedef enum nl_column_fit {
    NL_FIT_NONE,
    NL_FIT_ID,
    NL_FIT_NAME,
    NL_FIT_TEAM,
    NL_FIT_MANAGER,
    NL_FIT_LEVEL_NAME, /* "L4 Staff Engineer" */
    NL_FIT_OUTCOME,
    NL_FIT_BAND
} nl_column_fit;

/* Columns repeated per family of the framework or per gate (five CSV cells a gate). */
typedef enum nl_column_repeat { NL_ONCE, NL_PER_FAMILY, NL_PER_GATE_PART } nl_column_repeat;

typedef struct nl_person_column {
    const char *key;   /* CSV header / JSON key; with a repeat, the suffix after the name */
    const char *title; /* sheet header; with a repeat, the suffix after the name */
    unsigned where;
    nl_column_repeat repeat;
    nl_cell_style style;
    double width; /* sheet width in characters */
    bool printed; /* on the sheet's printed page (the first columns) */
    /* Makes the cell of row; item is the family or gate (with the gate's part) index. Returns
     * false when out of memory. */
    bool (*cell)(const nl_person_row *row, size_t item, nl_cell *out);
} nl_person_column;

/* The table, in output order. */
const nl_person_column *nl_person_columns(size_t *count);

/* Cells per column: 1, the families, or five per gate. */
size_t nl_column_items(const nl_person_column *column, const nl_framework *fw);

/* Whether the column is in the CSV (NL_IN_CSV) or the JSON (NL_IN_JSON) of this review. */
bool nl_column_in(const nl_person_column *column, const nl_review *rv, unsigned output);

/* Whether the column is on the sheet of this review. */
bool nl_column_on_sheet(const nl_person_column *column, const nl_review *rv);

/* The header of a column's item: for the CSV ("technical_attainment", "readiness_status") or
 * the sheet ("Technical attainment"). Returns a new string, or NULL when out of memory. */
char *nl_column_header(const nl_person_column *column, const nl_framework *fw, size_t item,
                       bool sheet);

/* What a column's cells hold when the sheet measures its width on the data (identities, levels,
 * outcomes, bands), else NL_FIT_NONE. */
nl_column_fit nl_column_fit_of(const nl_person_column *column);

/* Frees an owned cell's text and empties it. */
void nl_cell_clear(nl_cell *cell);

#endif
