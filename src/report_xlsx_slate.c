#include "report_xlsx_internal.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The leadership print set beside the Summary: Slate (everyone Ready now, by next level,
 * ranked) and Pipeline (readiness bands by current level, and readiness against performance).
 * Both render the view's figures (review.h); neither computes one. */

/* Rows one printed landscape A4 page holds at the scale these sheets print at (about 95%):
 * 172 mm between the margins over rows of 15 points. */
#define PAGE_ROWS 30u
/* Rows above the slate's first table: the title, two notes and a blank row. */
#define SLATE_TOP_ROWS 4u

char *xw_level_label(const nl_framework *fw, size_t level)
{
    char *s = nl_strdup(fw->levels[level].id);
    return s ? nl_strjoin(s, " ", fw->levels[level].title) : NULL;
}

const char *xw_priorities_text(const person_summary *s)
{
    return s->robust ? "Robust" : "Depends on priorities";
}

/* ---- Slate ---- */

typedef struct slate_column {
    const char *name;
    double width;
    bool number;
} slate_column;

static const slate_column slate_columns[] = {
    {"Next level", 22, false},
    {"Rank", 6, true},
    {"ID", 10, false},
    {"Name", 24, false},
    {"Team", 16, false},
    {"Manager", 16, false},
    {"Priorities", 18, false},
    {"Readiness score", 10, true},
    {"Calibrated outcome", 16, false},
};

/* The readiness score's column (slate_columns[7]). */
#define READINESS_COL 7

/* Columns shown: the calibrated outcome only with --calibrate. */
static size_t slate_column_count(const xw_book *b)
{
    size_t n = sizeof slate_columns / sizeof *slate_columns;
    return b->rv->calibrate ? n : n - 1;
}

static void slate_header(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    for (size_t c = 0; c < slate_column_count(w->b); c++)
        xw_text(w, ws, row, (lxw_col_t)c, slate_columns[c].name,
                slate_columns[c].number ? w->b->f.header_number : w->b->f.header);
    worksheet_set_row(ws, row, 30, NULL); /* two lines for "Readiness score" */
}

/* One slate person: position k of the view's slate, rank within their next level. */
static void slate_row(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, size_t k, size_t rank,
                      lxw_format *id_format)
{
    const xw_book *b = w->b;
    size_t people_count;
    const nl_person *people = nl_matrix_people(b->m, &people_count);
    const person_summary *s = &b->people[b->view->slate[k]];
    const nl_person *p = &people[s->person];
    xw_owned(w, ws, row, 0, xw_level_label(b->fw, s->next_level), NULL);
    xw_number(w, ws, row, 1, (double)rank, b->f.integer);
    xw_text(w, ws, row, 2, p->id, id_format);
    xw_text(w, ws, row, 3, p->name, NULL);
    xw_text(w, ws, row, 4, p->team, NULL);
    xw_text(w, ws, row, 5, p->manager, NULL);
    xw_text(w, ws, row, 6, xw_priorities_text(s), NULL);
    xw_readiness(w, ws, row, READINESS_COL, s->readiness, b->f.score);
    if (b->rv->calibrate)
        xw_text(w, ws, row, 8, nl_outcome_name(s->calibrated_outcome),
                b->f.outcome[s->calibrated_outcome]);
}

/* Where the slate's next level changes after position k: the end of k's group. */
static size_t group_end(const xw_book *b, size_t k)
{
    size_t level = b->people[b->view->slate[k]].next_level, end = k;
    while (end < b->view->slate_count && b->people[b->view->slate[end]].next_level == level)
        end++;
    return end;
}

/* How many people per next level the printed top of the slate shows, so that it fits one
 * page; 0 when the whole slate fits and is printed as it is. */
static size_t printed_per_level(const xw_book *b)
{
    size_t levels = 0, budget = PAGE_ROWS - SLATE_TOP_ROWS - 2; /* a title and a header */
    if (b->view->slate_count <= budget)
        return 0;
    for (size_t k = 0; k < b->view->slate_count; k = group_end(b, k))
        levels++;
    size_t top = budget > 2 * levels ? (budget - levels) / levels : 1;
    return top > 0 ? top : 1;
}

void xw_slate_sheet(xlsx_writer *w)
{
    const xw_book *b = w->b;
    lxw_worksheet *ws = b->slate_sheet;
    const nl_review_view *v = b->view;
    size_t columns = slate_column_count(b), top = printed_per_level(b);
    /* The ID stands off the right-aligned rank before it. */
    lxw_format *id_format = workbook_add_format(b->wb);
    if (id_format == NULL) {
        w->out_of_memory = true;
        return;
    }
    format_set_align(id_format, LXW_ALIGN_VERTICAL_TOP);
    format_set_indent(id_format, 1);
    for (size_t c = 0; c < columns; c++) {
        double width = slate_columns[c].width;
        /* Without skills the readiness score reads "not applicable": room for the words. */
        if (c == READINESS_COL && !nl_framework_has_skills(b->fw) &&
            width < XW_NOT_APPLICABLE_WIDTH)
            width = XW_NOT_APPLICABLE_WIDTH;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL);
    }
    char line[512];
    nl_sformat(line, sizeof line, "Promotion slate: everyone Ready now, %zu %s", v->slate_count,
               v->slate_count == 1 ? "person" : "people");
    xw_text(w, ws, 0, 0, line, b->f.title);
    xw_text(w, ws, 1, 0,
            b->rv->calibrate
                ? "By next level; ranked within it: still Ready now once calibrated first, then "
                  "robust under every priority profile, then readiness score."
                : "By next level; ranked within it: robust under every priority profile first, "
                  "then readiness score.",
            b->f.subtitle);
    if (top == 0)
        nl_sformat(line, sizeof line,
                   "Printed in the leadership print set: the whole slate (one page).");
    else
        nl_sformat(line, sizeof line,
                   "Printed in the leadership print set: the top %zu per next level (one page). "
                   "Everyone on the slate is in the second table, with a filter.",
                   top);
    xw_text(w, ws, 2, 0, line, b->f.subtitle);
    lxw_row_t row = SLATE_TOP_ROWS, printed_header = row + 1;
    if (top > 0) {
        nl_sformat(line, sizeof line, "Top %zu per next level", top);
        xw_text(w, ws, row++, 0, line, b->f.section);
        slate_header(w, ws, row++);
        for (size_t k = 0; k < v->slate_count;) {
            size_t end = group_end(b, k);
            for (size_t i = k; i < end && i < k + top; i++)
                slate_row(w, ws, row++, i, i - k + 1, id_format);
            if (end - k > top) {
                nl_sformat(line, sizeof line, "and %zu more in the table below", end - k - top);
                xw_text(w, ws, row++, 3, line, b->f.subtitle);
            }
            k = end;
        }
        xw_check(w, worksheet_print_area(ws, 0, 0, row - 1, (lxw_col_t)(columns - 1)));
        row++;
    }
    nl_sformat(line, sizeof line, "Everyone on the slate (%zu)", v->slate_count);
    xw_text(w, ws, row++, 0, line, b->f.section);
    lxw_row_t header = row;
    slate_header(w, ws, row++);
    for (size_t k = 0; k < v->slate_count;) {
        size_t end = group_end(b, k);
        for (size_t i = k; i < end; i++)
            slate_row(w, ws, row++, i, i - k + 1, id_format);
        k = end;
    }
    if (v->slate_count == 0)
        xw_text(w, ws, row++, 0, "Nobody is Ready now.", NULL);
    else
        xw_check(w, worksheet_autofilter(ws, header, 0, row - 1, (lxw_col_t)(columns - 1)));
    if (top == 0) {
        worksheet_freeze_panes(ws, header + 1, 0);
        xw_check(w, worksheet_print_area(ws, 0, 0, row - 1, (lxw_col_t)(columns - 1)));
    }
    xw_print_setup(w, ws, top == 0 ? header : printed_header);
    worksheet_select(ws);
}

/* ---- Pipeline ---- */

static lxw_row_t pipeline_levels(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_review_view *v = b->view;
    xw_text(w, ws, row++, 0, "By current level: people per readiness band", b->f.section);
    xw_text(w, ws, row, 0, "Level", b->f.header);
    for (int band = 0; band < NL_BAND_NONE; band++)
        xw_text(w, ws, row, (lxw_col_t)(1 + band), nl_band_name((nl_band)band), b->f.header_number);
    xw_text(w, ws, row, 1 + NL_BAND_NONE, "No band", b->f.header_number);
    xw_text(w, ws, row, 2 + NL_BAND_NONE, "Total", b->f.header_number);
    row++;
    for (size_t l = 0; l < b->fw->level_count; l++) {
        const size_t *bands = &v->level_band[l * NL_BAND_COUNT];
        size_t total = 0;
        for (int band = 0; band < NL_BAND_COUNT; band++)
            total += bands[band];
        if (total == 0)
            continue;
        xw_owned(w, ws, row, 0, xw_level_label(b->fw, l), NULL);
        for (int band = 0; band < NL_BAND_COUNT; band++)
            xw_number(w, ws, row, (lxw_col_t)(1 + band), (double)bands[band], b->f.integer);
        xw_number(w, ws, row++, 1 + NL_BAND_COUNT, (double)total, b->f.integer);
    }
    xw_text(w, ws, row, 0, "Total", b->f.bold);
    for (int band = 0; band < NL_BAND_COUNT; band++)
        xw_number(w, ws, row, (lxw_col_t)(1 + band), (double)v->by_band[band], b->f.integer);
    xw_number(w, ws, row++, 1 + NL_BAND_COUNT, (double)b->count, b->f.integer);
    xw_text(w, ws, row++, 0, "No band: not evaluated, or at the top of the ladder.", b->f.subtitle);
    xw_text(w, ws, row++, 0,
            "Bands come from each person's distance to Ready now and growth per quarter.",
            b->f.subtitle);
    return row + 1;
}

/* Readiness (the outcomes of people evaluated) against the performance rating. */
static lxw_row_t pipeline_nine_box(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_review_view *v = b->view;
    static const char *const bands[NL_PERFORMANCE_BANDS] = {"Low (1-2)", "Mid (3)", "High (4-5)"};
    char line[512];
    nl_sformat(line, sizeof line, "Readiness against performance (%s), people evaluated",
               b->fw->attributes[b->rv->performance].column);
    xw_text(w, ws, row++, 0, line, b->f.section);
    xw_text(w, ws, row, 0, "Outcome \\ performance", b->f.header);
    for (int c = 0; c < NL_PERFORMANCE_BANDS; c++)
        xw_text(w, ws, row, (lxw_col_t)(1 + c), bands[c], b->f.header_number);
    xw_text(w, ws, row, 1 + NL_PERFORMANCE_BANDS, "Total", b->f.header_number);
    row++;
    size_t column_total[NL_PERFORMANCE_BANDS] = {0}, total = 0;
    for (int o = 0; o < NL_NINE_BOX_ROWS; o++, row++) {
        size_t row_total = 0;
        xw_text(w, ws, row, 0, nl_outcome_name((nl_outcome)o), b->f.outcome[o]);
        for (int c = 0; c < NL_PERFORMANCE_BANDS; c++) {
            xw_number(w, ws, row, (lxw_col_t)(1 + c), (double)v->nine_box[o][c], b->f.integer);
            row_total += v->nine_box[o][c];
            column_total[c] += v->nine_box[o][c];
        }
        xw_number(w, ws, row, 1 + NL_PERFORMANCE_BANDS, (double)row_total, b->f.integer);
        total += row_total;
    }
    xw_text(w, ws, row, 0, "Total", b->f.bold);
    for (int c = 0; c < NL_PERFORMANCE_BANDS; c++)
        xw_number(w, ws, row, (lxw_col_t)(1 + c), (double)column_total[c], b->f.integer);
    xw_number(w, ws, row++, 1 + NL_PERFORMANCE_BANDS, (double)total, b->f.integer);
    xw_text(w, ws, row++, 0,
            "For context: no gate uses the rating. Below 2.5 is low, below 3.5 mid, the rest high.",
            b->f.subtitle);
    nl_sformat(line, sizeof line, "%zu %s evaluated %s no rating and %s not counted.", v->unrated,
               v->unrated == 1 ? "person" : "people", v->unrated == 1 ? "has" : "have",
               v->unrated == 1 ? "is" : "are");
    xw_text(w, ws, row++, 0, line, b->f.subtitle);
    return row + 1;
}

void xw_pipeline_sheet(xlsx_writer *w)
{
    const xw_book *b = w->b;
    lxw_worksheet *ws = b->pipeline_sheet;
    worksheet_set_column(ws, 0, 0, 26, NULL);
    worksheet_set_column(ws, 1, 1 + NL_BAND_COUNT, 14, NULL);
    xw_text(w, ws, 0, 0, "Readiness pipeline", b->f.title);
    char line[256];
    nl_sformat(line, sizeof line,
               "%zu people: when each can be expected to be Ready now, by current level.",
               b->count);
    xw_text(w, ws, 1, 0, line, b->f.subtitle);
    lxw_row_t row = pipeline_levels(w, ws, 3);
    if (b->rv->performance != SIZE_MAX)
        row = pipeline_nine_box(w, ws, row);
    xw_print_setup(w, ws, 0);
    xw_check(w, worksheet_print_area(ws, 0, 0, row - 1, 1 + NL_BAND_COUNT));
    worksheet_select(ws);
}
