#include "report_xlsx_internal.h"

#include "nextlevel/csvread.h"
#include "nextlevel/describe.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

/* Excel's own limits. */
#define EXCEL_MAX_DATA_ROWS 1048575u
#define EXCEL_MAX_STRING    32767u
/* More points than this make the scatter chart unreadable and slow to open. */
#define SCATTER_MAX_PEOPLE 20000u
/* Names in a balance-grid cell when it holds at most this many people. */
#define GRID_MAX_NAMES 4u
/* Teams shown in the stacked chart (all of them are in the table). */
#define CHART_MAX_TEAMS 40u

static const lxw_color_t outcome_color[OUTCOME_COUNT] = {0x2E7D32, 0xF9A825, 0xC62828, 0x9E9E9E,
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

void nl_xlsx_sheet_name(const char *name, char *out, size_t out_size)
{
    size_t n = 0, points = 0;
    while (*name == '\'')
        name++;
    for (const char *p = name; *p && points < 31 && n + 5 < out_size; points++) {
        size_t len = 1;
        while ((p[len] & 0xC0) == 0x80)
            len++;
        if (len == 1 && strchr("[]:*?/\\", *p) != NULL) {
            out[n++] = '_';
        } else {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    while (n > 0 && out[n - 1] == '\'')
        n--;
    if (n == 0)
        out[n++] = '_';
    out[n] = '\0';
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
        f->outcome[o] = new_format(wb, outcome_fill[o], outcome_color[o], true);
    f->pass = new_format(wb, outcome_fill[NL_READY_NOW], outcome_color[NL_READY_NOW], false);
    f->fail = new_format(wb, outcome_fill[NL_DEVELOPING], outcome_color[NL_DEVELOPING], false);
    f->skipped = new_format(wb, 0xE0E0E0, 0x595959, false);
    f->group_row = new_format(wb, 0xDDEBF7, 0x1F3864, true);
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

static nl_status first_pass(xlsx_writer *w)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    w->count = w->opt->subset ? w->opt->subset_count : people_count;
    w->people = calloc(w->count ? w->count : 1, sizeof *w->people);
    w->order = malloc((w->count ? w->count : 1) * sizeof *w->order);
    sort_key *keys = malloc((w->count ? w->count : 1) * sizeof *keys);
    if (w->people == NULL || w->order == NULL || keys == NULL) {
        free(keys);
        return NL_ERR_NOMEM;
    }
    for (size_t i = 0; i < w->count; i++) {
        person_summary *s = &w->people[i];
        s->person = w->opt->subset ? w->opt->subset[i] : i;
        nl_person_result r;
        if (nl_evaluate_person(w->ev, &people[s->person], &r) != NL_OK) {
            free(keys);
            return NL_ERR_NOMEM;
        }
        const nl_track_result *t = nl_person_result_track(&r);
        s->outcome = r.outcome;
        s->readiness = t ? t->readiness : NAN;
        s->next_level = t ? t->next_level : SIZE_MAX;
        s->first_attainment = t && w->has_pair ? t->family_attainment[w->pair_first] : NAN;
        s->second_attainment = t && w->has_pair ? t->family_attainment[w->pair_second] : NAN;
        s->robust = r.robust;
        bool planned = t && (t->outcome == NL_DEVELOPING || t->outcome == NL_READY_WITH_RISK);
        s->plan_rows = planned ? t->plan_count + t->blocker_count : 0;
        s->gate_rows = t ? t->gate_count : 0;
        if (nl_trend_of(w->opt->history, &r, &s->trend) != NL_OK) {
            nl_person_result_clear(&r);
            free(keys);
            return NL_ERR_NOMEM;
        }
        nl_band_of(w->fw, &r, s->trend.previous, &s->band);
        w->counts.people[r.outcome]++;
        keys[i] = (sort_key){s->outcome, s->readiness, i};
        nl_person_result_clear(&r);
        if ((i + 1) % 4096 == 0)
            nl_progress_report(w->opt->progress, "evaluating", i + 1, w->count);
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
    }
    w->summary = workbook_add_worksheet(w->wb, "Summary");
    return w->summary != NULL &&
           add_series(w, &w->readiness, "Readiness", w->count, xw_readiness_header) &&
           add_series(w, &w->gates, "Gates", gate_rows, xw_gates_header) &&
           add_series(w, &w->gaps, "Skill gaps", gap_rows, xw_gaps_header) &&
           add_series(w, &w->plans, "Development plans", plan_rows, xw_plans_header) &&
           (w->opt->history == NULL ||
            add_series(w, &w->trend, "Trend", w->count + w->left_count, xw_trend_header)) &&
           add_series(w, &w->rejected, "Rejected rows", w->opt->subset ? 1 : rejected,
                      xw_rejected_header) &&
           (w->criteria = workbook_add_worksheet(w->wb, "Criteria")) != NULL;
}

static nl_status second_pass(xlsx_writer *w)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    for (size_t i = 0; i < w->count && !w->out_of_memory; i++) {
        const person_summary *s = &w->people[w->order[i]];
        nl_person_result r;
        if (nl_evaluate_person(w->ev, &people[s->person], &r) != NL_OK)
            return NL_ERR_NOMEM;
        xw_person_rows(w, s, &r);
        nl_person_result_clear(&r);
        if ((i + 1) % 4096 == 0)
            nl_progress_report(w->opt->progress, "writing", i + 1, w->count);
    }
    return w->out_of_memory ? NL_ERR_NOMEM : NL_OK;
}

/* ---- Summary ---- */

typedef struct team_counts {
    const char *team; /* borrowed from a person */
    size_t people[OUTCOME_COUNT];
} team_counts;

static int compare_teams(const void *a, const void *b)
{
    return strcmp(((const team_counts *)a)->team, ((const team_counts *)b)->team);
}

/* Counts per team, sorted by team name. */
static team_counts *count_teams(xlsx_writer *w, size_t *team_count)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    nl_strmap *index = nl_strmap_new();
    team_counts *teams = NULL;
    size_t count = 0, cap = 0;
    for (size_t i = 0; index != NULL && i < w->count; i++) {
        const person_summary *s = &w->people[i];
        const char *team = people[s->person].team[0] ? people[s->person].team : "(no team)";
        size_t t;
        if (!nl_strmap_get(index, team, &t)) {
            if (!nl_grow((void **)&teams, &cap, count + 1, sizeof *teams) ||
                !nl_strmap_put(index, team, count)) {
                free(teams);
                nl_strmap_free(index);
                return NULL;
            }
            teams[count] = (team_counts){.team = team};
            t = count++;
        }
        teams[t].people[s->outcome]++;
    }
    if (index == NULL)
        return NULL;
    nl_strmap_free(index);
    if (teams == NULL)
        teams = calloc(1, sizeof *teams);
    qsort(teams, count, sizeof *teams, compare_teams);
    *team_count = count;
    return teams;
}

static lxw_row_t summary_title(xlsx_writer *w, lxw_worksheet *ws)
{
    const nl_profile *profile = nl_evaluator_profile(w->ev);
    char line[1024];
    snprintf(line, sizeof line, "Promotion readiness: %s", w->fw->name);
    xw_text(w, ws, 0, 0, line, w->f.title);
    snprintf(line, sizeof line, "Run %s. Template %s. Priorities: %s%s.", w->date_text, w->fw->path,
             profile->name, nl_evaluator_overridden(w->ev) ? " with what-if weights" : "");
    xw_text(w, ws, 1, 0, line, w->f.subtitle);
    lxw_row_t row = 2;
    if (w->opt->group_label != NULL)
        xw_text(w, ws, row++, 0, w->opt->group_label, w->f.bold);
    return row + 1;
}

static lxw_row_t summary_outcomes(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    xw_text(w, ws, row++, 0, "Outcomes", w->f.section);
    xw_text(w, ws, row, 0, "Outcome", w->f.header);
    xw_text(w, ws, row, 1, "People", w->f.header);
    xw_text(w, ws, row++, 2, "Share", w->f.header);
    for (int o = 0; o < OUTCOME_COUNT; o++) {
        xw_text(w, ws, row, 0, nl_outcome_name((nl_outcome)o), w->f.outcome[o]);
        xw_number(w, ws, row, 1, (double)w->counts.people[o], w->f.integer);
        xw_number(w, ws, row++, 2, w->count ? (double)w->counts.people[o] / (double)w->count : 0,
                  w->f.percent);
    }
    xw_text(w, ws, row, 0, "Total", w->f.bold);
    xw_number(w, ws, row++, 1, (double)w->count, w->f.integer);
    size_t robust = 0, evaluated = 0;
    for (size_t i = 0; i < w->count; i++) {
        bool scored = w->people[i].outcome <= NL_DEVELOPING;
        evaluated += scored;
        robust += scored && w->people[i].robust;
    }
    char line[256];
    snprintf(line, sizeof line,
             "%zu of %zu people evaluated keep their outcome under every priority profile; "
             "%zu %s on which leadership is asking.",
             robust, evaluated, evaluated - robust, evaluated - robust == 1 ? "depends" : "depend");
    xw_text(w, ws, row++, 0, line, NULL);
    return row + 1;
}

static void outcome_chart_series(xlsx_writer *w, lxw_chart *chart, int o, lxw_row_t first,
                                 lxw_row_t last, lxw_col_t x_col, lxw_col_t y_col,
                                 const char *sheet)
{
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    if (series == NULL) {
        w->out_of_memory = true;
        return;
    }
    chart_series_set_name(series, nl_outcome_name((nl_outcome)o));
    chart_series_set_categories(series, sheet, first, x_col, last, x_col);
    chart_series_set_values(series, sheet, first, y_col, last, y_col);
    lxw_chart_fill fill = {.color = outcome_color[o]};
    lxw_chart_line line = {.color = outcome_color[o]};
    chart_series_set_fill(series, &fill);
    chart_series_set_marker_type(series, LXW_CHART_MARKER_CIRCLE);
    chart_series_set_marker_size(series, 7);
    chart_series_set_marker_fill(series, &fill);
    chart_series_set_marker_line(series, &line);
}

static lxw_row_t summary_teams(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    size_t team_count = 0;
    team_counts *teams = count_teams(w, &team_count);
    if (teams == NULL) {
        w->out_of_memory = true;
        return row;
    }
    xw_text(w, ws, row++, 0, "By team", w->f.section);
    xw_text(w, ws, row, 0, "Team", w->f.header);
    for (int o = 0; o < OUTCOME_COUNT; o++)
        xw_text(w, ws, row, (lxw_col_t)(1 + o), nl_outcome_name((nl_outcome)o), w->f.header);
    xw_text(w, ws, row++, 1 + OUTCOME_COUNT, "Total", w->f.header);
    lxw_row_t first = row;
    for (size_t t = 0; t < team_count; t++, row++) {
        size_t total = 0;
        xw_text(w, ws, row, 0, teams[t].team, NULL);
        for (int o = 0; o < OUTCOME_COUNT; o++) {
            xw_number(w, ws, row, (lxw_col_t)(1 + o), (double)teams[t].people[o], w->f.integer);
            total += teams[t].people[o];
        }
        xw_number(w, ws, row, 1 + OUTCOME_COUNT, (double)total, w->f.integer);
    }
    free(teams);
    if (team_count > 0) {
        lxw_chart *chart = workbook_add_chart(w->wb, LXW_CHART_COLUMN_STACKED);
        lxw_row_t last =
            first + (lxw_row_t)(team_count < CHART_MAX_TEAMS ? team_count : CHART_MAX_TEAMS) - 1;
        for (int o = 0; o < OUTCOME_COUNT && chart; o++)
            outcome_chart_series(w, chart, o, first, last, 0, (lxw_col_t)(1 + o), "Summary");
        if (chart != NULL) {
            chart_title_set_name(chart, team_count > CHART_MAX_TEAMS
                                            ? "Outcomes by team (first 40 teams)"
                                            : "Outcomes by team");
            chart_axis_set_name(chart->y_axis, "People");
            chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
            lxw_chart_options at = {.x_scale = 1.4, .y_scale = 1.2};
            xw_check(w, worksheet_insert_chart_opt(ws, 3, 9, chart, &at));
        }
    }
    return row + 1;
}

/* The 3x3 grid of the tipping pair's attainments: low < 75%, mid < 95%, high >= 95%. */
static int band(double attainment)
{
    return attainment < 0.75 ? 0 : attainment < 0.95 ? 1 : 2;
}

static lxw_row_t summary_grid(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    if (!w->has_pair)
        return row;
    const char *a = w->fw->families[w->pair_first], *b = w->fw->families[w->pair_second];
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    static const char *const bands[] = {"low (< 75%)", "mid (75-95%)", "high (>= 95%)"};
    char line[256];
    snprintf(line, sizeof line, "Balance: %s (columns) against %s (rows) attainment", a, b);
    xw_text(w, ws, row++, 0, line, w->f.section);
    snprintf(line, sizeof line, "%s \\ %s", b, a);
    xw_text(w, ws, row, 0, line, w->f.header);
    for (int c = 0; c < 3; c++)
        xw_text(w, ws, row, (lxw_col_t)(1 + c), bands[c], w->f.header);
    row++;
    for (int r = 2; r >= 0; r--, row++) {
        worksheet_set_row(ws, row, 45, NULL); /* room for the names */
        xw_text(w, ws, row, 0, bands[r], w->f.bold);
        for (int c = 0; c < 3; c++) {
            size_t n = 0;
            char *cell = nl_strdup("");
            for (size_t i = 0; i < w->count && cell; i++) {
                const person_summary *s = &w->people[w->order[i]];
                if (isnan(s->first_attainment) || isnan(s->second_attainment) ||
                    band(s->first_attainment) != c || band(s->second_attainment) != r)
                    continue;
                if (++n <= GRID_MAX_NAMES)
                    cell = nl_strjoin(cell, n > 1 ? ", " : "", people[s->person].name);
            }
            if (cell == NULL) {
                w->out_of_memory = true;
                return row;
            }
            char count[64];
            snprintf(count, sizeof count, "%zu%s", n, n > 0 && n <= GRID_MAX_NAMES ? ": " : "");
            char *text = nl_strdup(count);
            text = text && n <= GRID_MAX_NAMES ? nl_strjoin(text, "", cell) : text;
            free(cell);
            xw_owned(w, ws, row, (lxw_col_t)(1 + c), text,
                     r == 2 && c == 2 ? w->f.outcome[NL_READY_NOW] : w->f.wrap);
        }
    }
    return row + 1;
}

static void summary_scatter(xlsx_writer *w, lxw_worksheet *ws)
{
    if (!w->has_pair || w->count == 0 || w->count > SCATTER_MAX_PEOPLE || w->count > w->max_rows)
        return;
    lxw_chart *chart = workbook_add_chart(w->wb, LXW_CHART_SCATTER);
    if (chart == NULL) {
        w->out_of_memory = true;
        return;
    }
    lxw_col_t x = (lxw_col_t)(READINESS_FAMILY_COL + w->pair_first);
    lxw_col_t y = (lxw_col_t)(READINESS_FAMILY_COL + w->pair_second);
    for (int o = 0; o < NL_TOP_OF_LADDER; o++) {
        if (w->counts.people[o] == 0)
            continue;
        lxw_row_t first = (lxw_row_t)w->readiness_rows_of[o];
        outcome_chart_series(w, chart, o, first, first + (lxw_row_t)w->counts.people[o] - 1, x, y,
                             "Readiness");
    }
    char name[160];
    snprintf(name, sizeof name, "Attainment: %s against %s", w->fw->families[w->pair_first],
             w->fw->families[w->pair_second]);
    chart_title_set_name(chart, name);
    chart_axis_set_name(chart->x_axis, w->fw->families[w->pair_first]);
    chart_axis_set_name(chart->y_axis, w->fw->families[w->pair_second]);
    chart_axis_set_num_format(chart->x_axis, "0%");
    chart_axis_set_num_format(chart->y_axis, "0%");
    chart_axis_set_min(chart->x_axis, 0.4);
    chart_axis_set_max(chart->x_axis, 1);
    chart_axis_set_min(chart->y_axis, 0.4);
    chart_axis_set_max(chart->y_axis, 1);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options at = {.x_scale = 1.4, .y_scale = 1.4};
    xw_check(w, worksheet_insert_chart_opt(ws, 22, 9, chart, &at));
}

typedef struct mover {
    const person_summary *s;
} mover;

static int compare_movers(const void *a, const void *b)
{
    double x = ((const mover *)a)->s->trend.change, y = ((const mover *)b)->s->trend.change;
    if (x != y)
        return x > y ? -1 : 1;
    return (((const mover *)a)->s > ((const mover *)b)->s) -
           (((const mover *)a)->s < ((const mover *)b)->s);
}

/* One line per person of a list: "Name (Team): before -> after". */
static lxw_row_t mover_rows(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const char *title,
                            const mover *movers, size_t count, bool (*keep)(const person_summary *))
{
    size_t people_count, shown = 0;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    xw_text(w, ws, row++, 0, title, w->f.bold);
    for (size_t i = 0; i < count; i++) {
        const person_summary *s = movers[i].s;
        if (!keep(s))
            continue;
        if (++shown > 10) {
            continue;
        }
        const nl_person *p = &people[s->person];
        char line[512];
        snprintf(line, sizeof line, "%s (%s): %s, %.1f -> %s, %.1f (%+.1f)", p->name, p->team,
                 nl_outcome_name(s->trend.outcome_then), s->trend.readiness_then,
                 nl_outcome_name(s->outcome), s->readiness, s->trend.change);
        xw_text(w, ws, row++, 1, line, NULL);
    }
    if (shown == 0)
        xw_text(w, ws, row++, 1, "none", NULL);
    else if (shown > 10) {
        char more[64];
        snprintf(more, sizeof more, "and %zu more (see the Trend sheet)", shown - 10);
        xw_text(w, ws, row++, 1, more, NULL);
    }
    return row;
}

static bool newly_ready(const person_summary *s)
{
    return s->trend.previous && s->outcome == NL_READY_NOW && s->trend.outcome_then != NL_READY_NOW;
}

static bool no_longer_ready(const person_summary *s)
{
    return s->trend.previous && s->outcome != NL_READY_NOW && s->trend.outcome_then == NL_READY_NOW;
}

static bool rose(const person_summary *s)
{
    return s->trend.previous && s->trend.change >= 1;
}

static bool fell(const person_summary *s)
{
    return s->trend.previous && s->trend.change <= -1;
}

static lxw_row_t summary_trend(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    if (w->opt->history == NULL)
        return row;
    mover *movers = malloc((w->count ? w->count : 1) * sizeof *movers);
    if (movers == NULL) {
        w->out_of_memory = true;
        return row;
    }
    size_t n = 0, fresh = 0;
    for (size_t i = 0; i < w->count; i++) {
        if (w->people[i].trend.previous != NULL && !isnan(w->people[i].trend.change))
            movers[n++].s = &w->people[i];
        fresh += w->people[i].trend.previous == NULL;
    }
    qsort(movers, n, sizeof *movers, compare_movers);
    xw_text(w, ws, row++, 0, "Since last quarter", w->f.section);
    char line[256];
    snprintf(line, sizeof line, "%zu new this quarter, %zu left since last quarter.", fresh,
             w->left_count);
    xw_text(w, ws, row++, 0, line, NULL);
    row = mover_rows(w, ws, row, "Newly ready", movers, n, newly_ready);
    row = mover_rows(w, ws, row, "No longer ready", movers, n, no_longer_ready);
    row = mover_rows(w, ws, row, "Biggest rises", movers, n, rose);
    for (size_t i = 0; i < n / 2; i++) {
        mover tmp = movers[i];
        movers[i] = movers[n - 1 - i];
        movers[n - 1 - i] = tmp;
    }
    row = mover_rows(w, ws, row, "Biggest falls", movers, n, fell);
    free(movers);
    return row + 1;
}

static void summary_links(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    static const char *const sheets[][2] = {
        {"Readiness", "one row per person: outcome, score, reasons"},
        {"Gates", "the decision trace, person by gate"},
        {"Skill gaps", "score minus next-level expectation, per skill"},
        {"Development plans", "the smallest raises that clear the gates"},
        {"Trend", "readiness now and last quarter, person by person"},
        {"Rejected rows", "input rows not evaluated, and why"},
        {"Criteria", "template, gates, weights and inputs, to reproduce this run"},
    };
    xw_text(w, ws, row++, 0, "Sheets", w->f.section);
    for (size_t i = 0; i < sizeof sheets / sizeof *sheets; i++, row++) {
        if (strcmp(sheets[i][0], "Trend") == 0 && w->opt->history == NULL) {
            row--;
            continue;
        }
        char url[64];
        snprintf(url, sizeof url, "internal:'%s'!A1", sheets[i][0]);
        xw_check(w, worksheet_write_url_opt(ws, row, 0, url, w->f.link, sheets[i][0], NULL));
        xw_text(w, ws, row, 1, sheets[i][1], NULL);
    }
}

static void summary_sheet(xlsx_writer *w)
{
    lxw_worksheet *ws = w->summary;
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 1, 3, 18, NULL);
    worksheet_set_column(ws, 4, 7, 14, NULL);
    lxw_row_t row = summary_title(w, ws);
    row = summary_outcomes(w, ws, row);
    row = summary_teams(w, ws, row);
    row = summary_grid(w, ws, row);
    row = summary_trend(w, ws, row);
    summary_links(w, ws, row);
    summary_scatter(w, ws);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 1);
    char footer[128];
    snprintf(footer, sizeof footer, "&Lnextlevel, run %s&RPage &P of &N", w->date_text);
    xw_check(w, worksheet_set_footer(ws, footer));
    worksheet_activate(ws);
}

/* ---- Criteria ---- */

/* Writes "key | value" and returns the next row. */
static lxw_row_t criteria_pair(xlsx_writer *w, lxw_row_t row, const char *key, const char *value)
{
    xw_text(w, w->criteria, row, 0, key, w->f.bold);
    xw_text(w, w->criteria, row, 1, value, NULL);
    return row + 1;
}

static lxw_row_t criteria_header(xlsx_writer *w, lxw_row_t row, const char *const *names,
                                 size_t count)
{
    for (size_t i = 0; i < count; i++)
        xw_text(w, w->criteria, row, (lxw_col_t)i, names[i], w->f.header);
    return row + 1;
}

static lxw_row_t criteria_framework(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->fw;
    const nl_profile *profile = nl_evaluator_profile(w->ev);
    char text[1024];
    xw_text(w, w->criteria, row++, 0, "Criteria: how this workbook was produced", w->f.title);
    row = criteria_pair(w, row, "Tool", "nextlevel " NEXTLEVEL_VERSION);
    row = criteria_pair(w, row, "Run date", w->date_text);
    row = criteria_pair(w, row, "Template", fw->name);
    row = criteria_pair(w, row, "Template file", fw->path);
    row = criteria_pair(w, row, "Template SHA-256",
                        w->opt->template_digest ? w->opt->template_digest : "not computed");
    if (fw->expectations_path != NULL)
        row = criteria_pair(w, row, "Expectations grid", fw->expectations_path);
    snprintf(text, sizeof text, "%g to %g", fw->scale_min, fw->scale_max);
    row = criteria_pair(w, row, "Score scale", text);
    row = criteria_pair(w, row, "Missing scores",
                        fw->missing_rule == NL_MISSING_SKIP
                            ? "skip: the skill is left out of the person's checks"
                            : "not_evaluated: the person is Not evaluated");
    row = criteria_pair(w, row, "Long-format scores combined by", nl_aggregate_name(fw->aggregate));
    snprintf(text, sizeof text, "%s%s", profile->name,
             nl_evaluator_overridden(w->ev) ? " with what-if family weights (--weights)" : "");
    row = criteria_pair(w, row, "Deciding priority profile", text);
    if (w->opt->group_label != NULL)
        row = criteria_pair(w, row, "This workbook holds", w->opt->group_label);
    row = criteria_pair(w, row, "Attainment", "min(score / expected, 1) per skill");
    row = criteria_pair(w, row, "Family attainment",
                        "skill attainments averaged with the profile's skill weights");
    row = criteria_pair(w, row, "Readiness score",
                        "100 x family attainments averaged with the profile's family weights");
    return row + 1;
}

static lxw_row_t criteria_gates(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->fw;
    static const char *const names[] = {"Gate",     "Title",      "Kind",
                                        "Severity", "Parameters", "Mitigation"};
    xw_text(w, w->criteria, row++, 0, "Decision gates, in the order they are checked",
            w->f.section);
    row = criteria_header(w, row, names, 6);
    for (size_t g = 0; g < fw->gate_count; g++, row++) {
        const nl_gate *gate = &fw->gates[g];
        xw_text(w, w->criteria, row, 0, gate->id, NULL);
        xw_text(w, w->criteria, row, 1, gate->title, NULL);
        xw_text(w, w->criteria, row, 2, nl_gate_kind_name(gate->kind), NULL);
        xw_text(w, w->criteria, row, 3, gate->severity == NL_HARD ? "hard" : "soft", NULL);
        xw_owned(w, w->criteria, row, 4, nl_describe_gate_parameters(fw, gate), NULL);
        xw_text(w, w->criteria, row, 5, gate->mitigation, NULL);
    }
    return row + 1;
}

static void profile_row(xlsx_writer *w, lxw_row_t row, const nl_profile *profile, const char *label)
{
    const nl_framework *fw = w->fw;
    xw_text(w, w->criteria, row, 0, label, NULL);
    char *skills = nl_strdup("");
    for (size_t f = 0; f < fw->family_count; f++)
        xw_number(w, w->criteria, row, (lxw_col_t)(1 + f), profile->family_weight[f], w->f.number);
    for (size_t s = 0; s < fw->skill_count && skills; s++) {
        if (profile->skill_weight[s] == 1.0)
            continue;
        char item[256];
        snprintf(item, sizeof item, "%s %g", fw->skills[s].id, profile->skill_weight[s]);
        skills = nl_strjoin(skills, *skills ? ", " : "", item);
    }
    xw_owned(w, w->criteria, row, (lxw_col_t)(1 + fw->family_count), skills, NULL);
}

static lxw_row_t criteria_profiles(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->fw;
    xw_text(w, w->criteria, row++, 0, "Priority profiles (family weights)", w->f.section);
    xw_text(w, w->criteria, row, 0, "Profile", w->f.header);
    for (size_t f = 0; f < fw->family_count; f++)
        xw_text(w, w->criteria, row, (lxw_col_t)(1 + f), fw->families[f], w->f.header);
    xw_text(w, w->criteria, row++, (lxw_col_t)(1 + fw->family_count), "Skill weights (not 1)",
            w->f.header);
    for (size_t p = 0; p < fw->profile_count; p++) {
        char label[256];
        snprintf(label, sizeof label, "%s%s", fw->profiles[p].name,
                 &fw->profiles[p] == nl_evaluator_profile(w->ev) ? " (deciding)" : "");
        profile_row(w, row++, &fw->profiles[p], label);
    }
    if (nl_evaluator_overridden(w->ev))
        profile_row(w, row++, nl_evaluator_profile(w->ev), "what-if weights (deciding)");
    return row + 1;
}

static void criteria_inputs(xlsx_writer *w, lxw_row_t row)
{
    static const char *const names[] = {"Input file", "SHA-256",         "Format",
                                        "Rows read",  "People accepted", "Rows rejected"};
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(w->m, &file_count);
    xw_text(w, w->criteria, row++, 0, "Inputs", w->f.section);
    row = criteria_header(w, row, names, 6);
    for (size_t i = 0; i < file_count; i++, row++) {
        const nl_file_summary *f = &files[i];
        char format[64];
        snprintf(format, sizeof format, "%s, %s-delimited", f->long_format ? "long" : "wide",
                 nl_csv_delimiter_name(f->delimiter));
        xw_text(w, w->criteria, row, 0, f->path, NULL);
        xw_text(w, w->criteria, row, 1,
                w->opt->input_digests ? w->opt->input_digests[i] : "not computed", NULL);
        xw_text(w, w->criteria, row, 2, format, NULL);
        xw_number(w, w->criteria, row, 3, (double)f->rows_read, w->f.integer);
        xw_number(w, w->criteria, row, 4, (double)f->people_accepted, w->f.integer);
        xw_number(w, w->criteria, row, 5, (double)f->rows_rejected, w->f.integer);
    }
}

static void criteria_sheet(xlsx_writer *w)
{
    lxw_worksheet *ws = w->criteria;
    worksheet_set_column(ws, 0, 0, 32, NULL);
    worksheet_set_column(ws, 1, 1, 66, NULL);
    worksheet_set_column(ws, 2, 7, 18, NULL);
    lxw_row_t row = criteria_framework(w, 0);
    row = criteria_gates(w, row);
    row = criteria_profiles(w, row);
    criteria_inputs(w, row);
    xw_print_setup(w, ws, 0);
}

/* ---- the workbook ---- */

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
    nl_status status = first_pass(&w);
    if (status != NL_OK)
        goto out;
    size_t people_count;
    nl_matrix_people(m, &people_count);
    /* A sheet's XML passes 4 GB around a million long rows: let the zip grow past it. */
    lxw_workbook_options options = {
        .constant_memory = 1, .tmpdir = (char *)tmpdir, .use_zip64 = w.count > 250000};
    w.wb = workbook_new_opt(path, &options);
    if (w.wb == NULL) {
        status = nl_error_set(err, NL_ERR_OUTPUT, path, 0, 0, "cannot start the workbook");
        goto out;
    }
    create_formats(&w);
    if (!create_sheets(&w)) {
        workbook_close(w.wb);
        status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "cannot create the sheets");
        goto out;
    }
    status = second_pass(&w);
    if (status == NL_OK) {
        xw_gaps_sheet(&w);
        if (opt->history != NULL)
            xw_trend_sheet(&w);
        xw_rejected_sheet(&w);
        xw_finish_person_sheets(&w);
        summary_sheet(&w);
        criteria_sheet(&w);
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
    else if (status == NL_ERR_NOMEM)
        nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
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
    return status;
}
