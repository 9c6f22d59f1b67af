#include "report_xlsx_internal.h"

#include "nextlevel/csvread.h"
#include "nextlevel/describe.h"
#include "nextlevel/pipeline.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

/* Excel's own limits. */
#define EXCEL_MAX_DATA_ROWS 1048575u
#define EXCEL_MAX_STRING    32767u

const lxw_color_t xw_outcome_color[OUTCOME_COUNT] = {0x2E7D32, 0xF9A825, 0xC62828, 0x9E9E9E,
                                                     0x1565C0};
static const lxw_color_t outcome_fill[OUTCOME_COUNT] = {0xC6EFCE, 0xFFEB9C, 0xFFC7CE, 0xE0E0E0,
                                                        0xDDEBF7};

/* ---- cells ---- */

void xw_check(xlsx_writer *w, lxw_error error)
{
    if (error != LXW_NO_ERROR && w->first_error == LXW_NO_ERROR)
        w->first_error = error;
}

/* Byte length of the first max code points of s. */
static size_t prefix_bytes(const char *s, size_t max)
{
    size_t i = 0, points = 0;
    while (s[i] != '\0' && points < max) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        points++;
    }
    return i;
}

void xw_text(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
             lxw_format *format)
{
    static const char marker[] = " [truncated by nextlevel]";
    if (format == NULL)
        format = w->f.text;
    if (text == NULL || text[0] == '\0') {
        if (format != w->f.text)
            xw_check(w, worksheet_write_blank(ws, row, col, format));
        return;
    }
    size_t keep = prefix_bytes(text, EXCEL_MAX_STRING);
    if (text[keep] == '\0') {
        xw_check(w, worksheet_write_string(ws, row, col, text, format));
        return;
    }
    keep = prefix_bytes(text, EXCEL_MAX_STRING - (sizeof marker - 1));
    char *cut = nl_strndup(text, keep);
    cut = cut ? nl_strjoin(cut, "", marker) : NULL;
    if (cut == NULL) {
        w->out_of_memory = true;
        return;
    }
    xw_check(w, worksheet_write_string(ws, row, col, cut, format));
    free(cut);
}

void xw_number(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value,
               lxw_format *format)
{
    if (format == NULL)
        format = w->f.text;
    if (isfinite(value))
        xw_check(w, worksheet_write_number(ws, row, col, value == 0 ? 0 : value, format));
    else if (format != w->f.text)
        xw_check(w, worksheet_write_blank(ws, row, col, format));
}

void xw_owned(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, char *text,
              lxw_format *format)
{
    if (text == NULL) {
        w->out_of_memory = true;
        return;
    }
    xw_text(w, ws, row, col, text, format);
    free(text);
}

lxw_worksheet *xw_next_row(xlsx_writer *w, sheet_series *series, lxw_row_t *row)
{
    if (series->row > w->max_rows) {
        if (series->current + 1 >= series->count)
            return NULL; /* cannot happen: sheets are counted before writing */
        series->current++;
        series->row = 1;
    }
    *row = series->row++;
    return series->sheets[series->current];
}

void xw_print_setup(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t header_row)
{
    char footer[128];
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    xw_check(w, worksheet_repeat_rows(ws, header_row, header_row));
    snprintf(footer, sizeof footer, "&Lnextlevel, run %s&RPage &P of &N", w->date_text);
    xw_check(w, worksheet_set_footer(ws, footer));
}

/* ---- formats ---- */

/* Every format aligns to the top, so that a row made tall by a wrapped reason still reads
 * across from its name. */
static lxw_format *new_format(lxw_workbook *wb, lxw_color_t fill, lxw_color_t font, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (fill != LXW_COLOR_UNSET)
        format_set_bg_color(f, fill);
    if (font != LXW_COLOR_UNSET)
        format_set_font_color(f, font);
    if (bold)
        format_set_bold(f);
    return f;
}

static void create_formats(xlsx_writer *w)
{
    lxw_workbook *wb = w->wb;
    xlsx_formats *f = &w->f;
    f->title = new_format(wb, LXW_COLOR_UNSET, 0x1F3864, true);
    format_set_font_size(f->title, 16);
    f->subtitle = new_format(wb, LXW_COLOR_UNSET, 0x595959, false);
    format_set_italic(f->subtitle);
    f->section = new_format(wb, LXW_COLOR_UNSET, 0x1F3864, true);
    format_set_font_size(f->section, 12);
    format_set_bottom(f->section, LXW_BORDER_THIN);
    f->header = new_format(wb, 0x1F3864, LXW_COLOR_WHITE, true);
    format_set_text_wrap(f->header);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
    f->text = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    f->wrap = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    f->bold = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, true);
    f->link = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_BLUE, false);
    format_set_underline(f->link, LXW_UNDERLINE_SINGLE);
    f->score = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->score, "0.0");
    f->percent = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->percent, "0%");
    f->number = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->number, "0.00");
    f->integer = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->integer, "0");
    f->not_assessed = new_format(wb, 0xD9D9D9, 0x595959, false);
    format_set_italic(f->not_assessed);
    for (int o = 0; o < OUTCOME_COUNT; o++)
        f->outcome[o] = new_format(wb, outcome_fill[o], xw_outcome_color[o], true);
    f->pass = new_format(wb, outcome_fill[NL_READY_NOW], xw_outcome_color[NL_READY_NOW], false);
    f->fail = new_format(wb, outcome_fill[NL_DEVELOPING], xw_outcome_color[NL_DEVELOPING], false);
    f->skipped = new_format(wb, 0xE0E0E0, 0x595959, false);
    f->group_row = new_format(wb, 0xDDEBF7, 0x1F3864, true);
    /* libxlsxwriter numbers a format when a cell first uses it, in a table shared by the
     * workbook. Numbering them all now keeps that table unchanged while two threads write
     * cells, and the numbers the same whichever thread writes first. */
    lxw_format **all = (lxw_format **)f;
    static_assert(sizeof *f % sizeof *all == 0, "xlsx_formats holds only format pointers");
    for (size_t i = 0; i < sizeof *f / sizeof *all; i++)
        lxw_format_get_xf_index(all[i]);
}

/* ---- the first pass: who is in, in which order ---- */

typedef struct sort_key {
    nl_outcome outcome;
    double readiness;
    size_t index;
} sort_key;

/* Readiness order: outcome (Ready now first), then readiness score high to low (none last),
 * then input order, so the sort is total and the file reproducible. */
static int compare_keys(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->outcome != y->outcome)
        return x->outcome < y->outcome ? -1 : 1;
    bool nx = isnan(x->readiness), ny = isnan(y->readiness);
    if (nx != ny)
        return nx ? 1 : -1;
    if (!nx && x->readiness != y->readiness)
        return x->readiness > y->readiness ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Adds a person to their manager's counts and family attainment sums (family: the person's
 * attainments, or NULL), for the Calibration sheet. */
static void count_for_review(xlsx_writer *w, const person_summary *s, const double *family)
{
    const nl_calibration *c = w->opt->calibration;
    if (c == NULL)
        return;
    size_t j = xw_manager_here(w, c->manager_of[s->person]);
    w->manager_people[j]++;
    if (s->outcome > NL_DEVELOPING)
        return;
    w->manager_evaluated[j]++;
    w->manager_ready[j] += s->outcome == NL_READY_NOW;
    for (size_t f = 0; family != NULL && f < w->fw->family_count; f++) {
        if (!isnan(family[f])) {
            w->manager_family_sum[j * w->fw->family_count + f] += family[f];
            w->manager_family_count[j * w->fw->family_count + f]++;
        }
    }
}

/* The fairness rates from the first pass's outcomes, when the template names a group column. */
static bool compute_fairness(xlsx_writer *w)
{
    if (w->fw->fairness.group_column == NULL)
        return true;
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    const char **groups = malloc((w->count ? w->count : 1) * sizeof *groups);
    nl_outcome *outcomes = malloc((w->count ? w->count : 1) * sizeof *outcomes);
    bool ok = groups != NULL && outcomes != NULL;
    for (size_t i = 0; ok && i < w->count; i++) {
        groups[i] = people[w->people[i].person].group;
        outcomes[i] = w->people[i].outcome;
    }
    ok = ok &&
         nl_fairness_compute(&w->fw->fairness, groups, outcomes, w->count, &w->fairness) == NL_OK;
    free(groups);
    free(outcomes);
    return ok;
}

static int compare_sizes(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

size_t xw_manager_here(const xlsx_writer *w, size_t manager)
{
    const size_t *found = bsearch(&manager, w->managers_here, w->manager_count_here,
                                  sizeof *w->managers_here, compare_sizes);
    return found ? (size_t)(found - w->managers_here) : 0;
}

/* Lists the managers of the workbook's people, sorted and without repeats. */
static bool list_managers_here(xlsx_writer *w)
{
    const nl_calibration *c = w->opt->calibration;
    size_t people_count;
    nl_matrix_people(w->m, &people_count);
    w->count = w->opt->subset ? w->opt->subset_count : people_count;
    w->managers_here = malloc((w->count ? w->count : 1) * sizeof *w->managers_here);
    if (w->managers_here == NULL)
        return false;
    for (size_t i = 0; c != NULL && i < w->count; i++)
        w->managers_here[i] = c->manager_of[w->opt->subset ? w->opt->subset[i] : i];
    size_t n = c != NULL ? w->count : 0, unique = 0;
    qsort(w->managers_here, n, sizeof *w->managers_here, compare_sizes);
    for (size_t i = 0; i < n; i++) {
        if (unique == 0 || w->managers_here[unique - 1] != w->managers_here[i])
            w->managers_here[unique++] = w->managers_here[i];
    }
    w->manager_count_here = unique;
    return true;
}

static bool alloc_review(xlsx_writer *w)
{
    if (!list_managers_here(w))
        return false;
    size_t managers = w->manager_count_here ? w->manager_count_here : 1;
    size_t cells = managers * (w->fw->family_count ? w->fw->family_count : 1);
    w->manager_people = calloc(managers, sizeof *w->manager_people);
    w->manager_evaluated = calloc(managers, sizeof *w->manager_evaluated);
    w->manager_ready = calloc(managers, sizeof *w->manager_ready);
    w->manager_family_sum = calloc(cells, sizeof *w->manager_family_sum);
    w->manager_family_count = calloc(cells, sizeof *w->manager_family_count);
    return w->manager_people && w->manager_evaluated && w->manager_ready && w->manager_family_sum &&
           w->manager_family_count;
}

/* Evaluates person i (briefly) into its summary; family receives the deciding track's family
 * attainments (NAN without a track). Touches nothing shared: safe on several threads. */
static bool summarize(xlsx_writer *w, const nl_person *people, size_t i, double *family)
{
    person_summary *s = &w->people[i];
    s->person = w->opt->subset ? w->opt->subset[i] : i;
    nl_person_result r;
    if (nl_evaluate_person_brief(w->ev, &people[s->person], &r) != NL_OK)
        return false;
    const nl_track_result *t = nl_person_result_track(&r);
    s->outcome = r.outcome;
    s->readiness = t ? t->readiness : NAN;
    s->next_level = t ? t->next_level : SIZE_MAX;
    s->first_attainment = t && w->has_pair ? t->family_attainment[w->pair_first] : NAN;
    s->second_attainment = t && w->has_pair ? t->family_attainment[w->pair_second] : NAN;
    s->robust = r.robust;
    bool planned = t && (t->outcome == NL_DEVELOPING || t->outcome == NL_READY_WITH_RISK);
    s->plan_rows = planned ? 1 : 0;
    s->gate_rows = t ? t->gate_count : 0;
    for (size_t f = 0; f < w->fw->family_count; f++)
        family[f] = t ? t->family_attainment[f] : NAN;
    bool ok = nl_trend_of(w->opt->history, &r, &s->trend) == NL_OK;
    if (ok)
        nl_band_of(w->fw, &r, s->trend.previous, &s->band);
    s->calibrated_outcome = r.outcome;
    s->calibrated_readiness = s->readiness;
    if (ok && w->opt->calibrate && w->opt->calibration != NULL)
        ok = nl_evaluate_calibrated(w->ev, w->opt->calibration, s->person, &people[s->person],
                                    &s->calibrated_outcome, &s->calibrated_readiness) == NL_OK;
    nl_person_result_clear(&r);
    return ok;
}

/* One thread's share of the first pass: every stride-th person from first. */
typedef struct summary_share {
    xlsx_writer *w;
    const nl_person *people;
    double *families; /* count x family_count */
    size_t first, stride;
    bool failed;
} summary_share;

static void *summarize_share(void *data)
{
    summary_share *share = data;
    xlsx_writer *w = share->w;
    size_t families = w->fw->family_count;
    for (size_t i = share->first; i < w->count && !share->failed; i += share->stride) {
        share->failed = !summarize(w, share->people, i, share->families + i * families);
        if (share->first == 0 && (i / share->stride + 1) % 4096 == 0)
            nl_progress_report(w->opt->progress, "evaluating", i + 1, w->count);
    }
    return NULL;
}

/* Evaluates everyone, on several threads when the workbook is large enough to gain from it:
 * evaluation only reads the framework and the matrix. */
static bool summarize_all(xlsx_writer *w, const nl_person *people, double *families)
{
    size_t threads =
        w->opt->threads > 1 && w->count >= NL_THREADS_FROM_PEOPLE ? w->opt->threads : 1;
    if (threads > 16)
        threads = 16;
    summary_share shares[16];
    pthread_t ids[16];
    bool started[16] = {false};
    for (size_t k = 0; k < threads; k++) {
        shares[k] = (summary_share){w, people, families, k, threads, false};
        started[k] = k > 0 && pthread_create(&ids[k], NULL, summarize_share, &shares[k]) == 0;
    }
    summarize_share(&shares[0]);
    bool ok = !shares[0].failed;
    for (size_t k = 1; k < threads; k++) {
        if (started[k])
            pthread_join(ids[k], NULL);
        else
            summarize_share(&shares[k]); /* no thread to spare: this one does it */
        ok = ok && !shares[k].failed;
    }
    return ok;
}

static nl_status first_pass(xlsx_writer *w)
{
    if (!alloc_review(w))
        return NL_ERR_NOMEM;
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    w->count = w->opt->subset ? w->opt->subset_count : people_count;
    size_t families = w->fw->family_count ? w->fw->family_count : 1;
    w->people = calloc(w->count ? w->count : 1, sizeof *w->people);
    w->order = malloc((w->count ? w->count : 1) * sizeof *w->order);
    sort_key *keys = malloc((w->count ? w->count : 1) * sizeof *keys);
    double *family = malloc((w->count ? w->count : 1) * families * sizeof *family);
    bool ok = w->people != NULL && w->order != NULL && keys != NULL && family != NULL &&
              summarize_all(w, people, family);
    for (size_t i = 0; ok && i < w->count; i++) {
        const person_summary *s = &w->people[i];
        count_for_review(w, s, family + i * families);
        w->counts.people[s->outcome]++;
        keys[i] = (sort_key){s->outcome, s->readiness, i};
    }
    free(family);
    ok = ok && compute_fairness(w);
    if (!ok) {
        free(keys);
        return NL_ERR_NOMEM;
    }
    qsort(keys, w->count, sizeof *keys, compare_keys);
    for (size_t i = 0; i < w->count; i++)
        w->order[i] = keys[i].index;
    free(keys);
    size_t row = 1;
    for (int o = 0; o < OUTCOME_COUNT; o++) {
        w->readiness_rows_of[o] = row;
        row += w->counts.people[o];
    }
    return NL_OK;
}

/* Creates the sheets of a series: as many as its rows need, at least one. */
static bool add_series(xlsx_writer *w, sheet_series *series, const char *name, size_t rows,
                       void (*header)(xlsx_writer *, lxw_worksheet *))
{
    series->name = name;
    series->count = rows == 0 ? 1 : (rows + w->max_rows - 1) / w->max_rows;
    series->sheets = calloc(series->count, sizeof *series->sheets);
    series->row = 1;
    series->header = header;
    if (series->sheets == NULL)
        return false;
    for (size_t i = 0; i < series->count; i++) {
        char sheet_name[64];
        if (i == 0)
            snprintf(sheet_name, sizeof sheet_name, "%s", name);
        else
            snprintf(sheet_name, sizeof sheet_name, "%s (%zu)", name, i + 1);
        series->sheets[i] = workbook_add_worksheet(w->wb, sheet_name);
        if (series->sheets[i] == NULL)
            return false;
        header(w, series->sheets[i]);
    }
    return true;
}

static bool create_sheets(xlsx_writer *w)
{
    size_t gate_rows = 0, plan_rows = 0, gap_rows = 0, rejected;
    bool *level_used = calloc(w->fw->level_count + 1, sizeof *level_used);
    if (level_used == NULL)
        return false;
    for (size_t i = 0; i < w->count; i++) {
        gate_rows += w->people[i].gate_rows;
        plan_rows += w->people[i].plan_rows;
        size_t next = w->people[i].next_level;
        if (next != SIZE_MAX) {
            gap_rows += 1 + !level_used[next];
            level_used[next] = true;
        }
    }
    free(level_used);
    nl_matrix_rejections(w->m, &rejected);
    if (w->opt->history != NULL && w->opt->subset == NULL) {
        size_t then_count, index;
        const nl_person *then = nl_matrix_people(w->opt->history->previous, &then_count);
        for (size_t i = 0; i < then_count; i++)
            w->left_count += !nl_matrix_find(w->m, then[i].id, &index);
        /* left_count sizes the Trend sheet: it includes people whose row was rejected. */
    }
    w->summary = workbook_add_worksheet(w->wb, "Summary");
    return w->summary != NULL &&
           add_series(w, &w->readiness, "Readiness", w->count, xw_readiness_header) &&
           (w->opt->summary_detail ||
            (add_series(w, &w->gates, "Gates", gate_rows, xw_gates_header) &&
             add_series(w, &w->gaps, "Skill gaps", gap_rows, xw_gaps_header))) &&
           add_series(w, &w->plans, "Development plans", plan_rows, xw_plans_header) &&
           (w->opt->calibration == NULL ||
            (w->calibration_sheet = workbook_add_worksheet(w->wb, "Calibration")) != NULL) &&
           (w->opt->history == NULL ||
            add_series(w, &w->trend, "Trend", w->count + w->left_count, xw_trend_header)) &&
           (w->fairness == NULL ||
            (w->fairness_sheet = workbook_add_worksheet(w->wb, "Fairness")) != NULL) &&
           add_series(w, &w->rejected, "Rejected rows", w->opt->subset ? 1 : rejected,
                      xw_rejected_header) &&
           (w->criteria = workbook_add_worksheet(w->wb, "Criteria")) != NULL;
}

/* The second pass: people in Readiness order, evaluated in full (on a thread of its own when
 * there is a core to spare) while their rows are written: Readiness and Development plans on
 * this thread, Gates, as many cells as those two together, on another. */
static bool write_person(void *data, size_t position, const nl_person_result *result)
{
    xlsx_writer *w = data;
    xw_person_rows(w, &w->people[w->order[position]], result);
    if ((position + 1) % 4096 == 0)
        nl_progress_report(w->opt->progress, "writing", position + 1, w->count);
    return !w->out_of_memory;
}

static bool write_gates(void *data, size_t position, const nl_person_result *result)
{
    (void)position;
    xlsx_writer *w = data;
    xw_gate_rows(w, result);
    return !w->out_of_memory;
}

/* Another thread's errors, once it is joined. */
static void take_errors(xlsx_writer *w, const xlsx_writer *part)
{
    w->out_of_memory = w->out_of_memory || part->out_of_memory;
    xw_check(w, part->first_error);
}

static nl_status second_pass(xlsx_writer *w)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    size_t *persons = malloc((w->count ? w->count : 1) * sizeof *persons);
    if (persons == NULL)
        return NL_ERR_NOMEM;
    for (size_t i = 0; i < w->count; i++)
        persons[i] = w->people[w->order[i]].person;
    /* The Gates writer works on a copy of the writer and touches only the Gates series. */
    xlsx_writer gates = *w;
    nl_consumer consumers[] = {{write_person, w}, {write_gates, &gates}};
    nl_status status = nl_pipeline_run(w->ev, people, persons, w->count, w->opt->threads, consumers,
                                       w->opt->summary_detail ? 1 : 2);
    w->gates = gates.gates;
    take_errors(w, &gates);
    free(persons);
    return status;
}

/* ---- the sheets that need only the first pass ---- */

/* Skill gaps and Trend come from the matrix and the first pass alone, so with a core to spare
 * they are written on a thread of their own while the second pass writes the other sheets:
 * each sheet has its own temporary file in constant-memory mode. The thread works on a copy
 * of the writer and touches only these series; its errors are merged when it is joined. */
typedef struct side_sheets {
    xlsx_writer w;
    pthread_t id;
    bool started;
} side_sheets;

static void *write_side_sheets(void *data)
{
    xlsx_writer *w = data;
    if (!w->opt->summary_detail)
        xw_gaps_sheet(w);
    if (w->opt->history != NULL)
        xw_trend_sheet(w);
    return NULL;
}

static void start_side_sheets(xlsx_writer *w, side_sheets *side)
{
    side->w = *w;
    side->started = w->opt->threads > 1 && w->count >= NL_THREADS_FROM_PEOPLE &&
                    pthread_create(&side->id, NULL, write_side_sheets, &side->w) == 0;
}

/* Joins the thread, or writes the sheets here when there was none. */
static void finish_side_sheets(xlsx_writer *w, side_sheets *side, bool write)
{
    if (!side->started) {
        if (write)
            write_side_sheets(w);
        return;
    }
    pthread_join(side->id, NULL);
    w->gaps = side->w.gaps;
    w->trend = side->w.trend;
    take_errors(w, &side->w);
}

/* ---- the workbook ---- */

/* libxlsxwriter writes every part of a workbook (some 27 for a pack) to its own temporary
 * file before zipping it. On a disk file system creating a file costs far more than filling
 * a small one, and processes creating files in one folder wait on each other, so the parts of
 * a small workbook (a few MB at most) go to memory-backed /dev/shm when the system has it. */
#define SMALL_WORKBOOK_PEOPLE 2000

static const char *parts_folder(const char *tmpdir, size_t people)
{
    if (people <= SMALL_WORKBOOK_PEOPLE && access("/dev/shm", W_OK | X_OK) == 0)
        return "/dev/shm";
    return tmpdir;
}

static void free_series(sheet_series *series)
{
    free(series->sheets);
}

nl_status nl_write_workbook(const char *path, const char *tmpdir, const nl_evaluator *ev,
                            const nl_matrix *m, const nl_xlsx_options *opt,
                            nl_outcome_counts *counts, nl_error *err)
{
    xlsx_writer w = {.ev = ev, .fw = nl_evaluator_framework(ev), .m = m, .opt = opt};
    w.max_rows = opt->max_rows_per_sheet ? opt->max_rows_per_sheet : EXCEL_MAX_DATA_ROWS;
    struct tm tm;
    gmtime_r(&opt->run_date, &tm);
    strftime(w.date_text, sizeof w.date_text, "%Y-%m-%d %H:%M UTC", &tm);
    w.has_pair = nl_evaluator_tipping_families(ev, &w.pair_first, &w.pair_second);
    /* With --calibrate, the calibrated outcome stands beside the outcome. */
    w.family_col = opt->calibrate && opt->calibration ? 9 : 8;
    nl_status status = first_pass(&w);
    if (status != NL_OK) {
        nl_error_set(err, status, path, 0, 0, "%s", nl_strerror(status));
        goto out;
    }
    /* A sheet's XML passes 4 GB around a million long rows: let the zip grow past it. */
    lxw_workbook_options options = {.constant_memory = 1,
                                    .tmpdir = (char *)parts_folder(tmpdir, w.count),
                                    .use_zip64 = w.count > 250000};
    w.wb = workbook_new_opt(path, &options);
    if (w.wb == NULL) {
        status = nl_error_set(err, NL_ERR_OUTPUT, path, 0, 0, "cannot start the workbook");
        goto out;
    }
    create_formats(&w);
    if (!create_sheets(&w)) {
        /* In constant-memory mode each sheet opens a temporary file: out of file descriptors
         * or disk is the likelier cause than memory. */
        int saved = errno;
        workbook_close(w.wb);
        status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), path, 0, 0,
                              "cannot create the sheets: %s", strerror(saved));
        goto out;
    }
    side_sheets side;
    start_side_sheets(&w, &side);
    status = second_pass(&w);
    finish_side_sheets(&w, &side, status == NL_OK);
    if (status == NL_OK) {
        if (w.calibration_sheet != NULL)
            xw_calibration_sheet(&w);
        if (w.fairness_sheet != NULL)
            xw_fairness_sheet(&w);
        xw_rejected_sheet(&w);
        xw_finish_person_sheets(&w);
        xw_summary_sheet(&w);
        xw_criteria_sheet(&w);
    }
    char title[512], comments[1024];
    snprintf(title, sizeof title, "Promotion readiness: %s", w.fw->name);
    snprintf(comments, sizeof comments, "Template %s, priorities %s", w.fw->path,
             nl_evaluator_profile(ev)->name);
    lxw_doc_properties properties = {
        .title = title,
        .subject = "Who already operates at the next level",
        .author = "nextlevel " NEXTLEVEL_VERSION,
        .comments = comments,
        .created = opt->run_date,
    };
    xw_check(&w, workbook_set_properties(w.wb, &properties));
    lxw_error closed = workbook_close(w.wb);
    if (status == NL_OK && w.out_of_memory)
        status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    else if (status == NL_OK && (closed != LXW_NO_ERROR || w.first_error != LXW_NO_ERROR))
        status = nl_error_set(err, NL_ERR_OUTPUT, path, 0, 0, "cannot write the workbook: %s",
                              lxw_strerror(closed != LXW_NO_ERROR ? closed : w.first_error));
    else if (status != NL_OK)
        nl_error_set(err, status, path, 0, 0, "%s", nl_strerror(status));
out:
    if (counts != NULL)
        *counts = w.counts;
    free_series(&w.readiness);
    free_series(&w.gates);
    free_series(&w.gaps);
    free_series(&w.plans);
    free_series(&w.trend);
    free_series(&w.rejected);
    free(w.people);
    free(w.order);
    free(w.managers_here);
    free(w.manager_people);
    free(w.manager_evaluated);
    free(w.manager_ready);
    free(w.manager_family_sum);
    free(w.manager_family_count);
    nl_fairness_free(w.fairness);
    return status;
}
