#include "report_xlsx_internal.h"

#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Summary sheet: counts, charts, the balance grid, last quarter's movers, links. */

/* More points than this make the scatter chart unreadable and slow to open. */
#define SCATTER_MAX_PEOPLE 20000u
/* Names in a balance-grid cell when it holds at most this many people. */
#define GRID_MAX_NAMES 4u
/* Teams shown in the stacked chart (all of them are in the table). */
#define CHART_MAX_TEAMS 40u

static lxw_row_t summary_title(xlsx_writer *w, lxw_worksheet *ws)
{
    const nl_profile *profile = nl_evaluator_profile(w->b->ev);
    char line[1024];
    snprintf(line, sizeof line, "Promotion readiness: %s", w->b->fw->name);
    xw_text(w, ws, 0, 0, line, w->b->f.title);
    snprintf(line, sizeof line, "Run %s. Template %s. Priorities: %s%s.", w->b->date_text,
             w->b->fw->path, profile->name,
             nl_evaluator_overridden(w->b->ev) ? " with what-if weights" : "");
    xw_text(w, ws, 1, 0, line, w->b->f.subtitle);
    lxw_row_t row = 2;
    if (w->b->opt->group_label != NULL)
        xw_text(w, ws, row++, 0, w->b->opt->group_label, w->b->f.bold);
    return row + 1;
}

static lxw_row_t summary_outcomes(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    xw_text(w, ws, row++, 0, "Outcomes", w->b->f.section);
    xw_text(w, ws, row, 0, "Outcome", w->b->f.header);
    xw_text(w, ws, row, 1, "People", w->b->f.header);
    xw_text(w, ws, row++, 2, "Share", w->b->f.header);
    for (int o = 0; o < OUTCOME_COUNT; o++) {
        xw_text(w, ws, row, 0, nl_outcome_name((nl_outcome)o), w->b->f.outcome[o]);
        xw_number(w, ws, row, 1, (double)w->b->counts.people[o], w->b->f.integer);
        xw_number(w, ws, row++, 2,
                  w->b->count ? (double)w->b->counts.people[o] / (double)w->b->count : 0,
                  w->b->f.percent);
    }
    xw_text(w, ws, row, 0, "Total", w->b->f.bold);
    xw_number(w, ws, row++, 1, (double)w->b->count, w->b->f.integer);
    size_t robust = w->b->view->robust, evaluated = w->b->view->evaluated;
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
    xw_outcome_series_style(series, o, chart->type == LXW_CHART_SCATTER);
}

static lxw_row_t summary_teams(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    size_t team_count = w->b->view->team_count;
    const nl_review_team *teams = w->b->view->teams;
    xw_text(w, ws, row++, 0, "By team", w->b->f.section);
    xw_text(w, ws, row, 0, "Team", w->b->f.header);
    for (int o = 0; o < OUTCOME_COUNT; o++)
        xw_text(w, ws, row, (lxw_col_t)(1 + o), nl_outcome_name((nl_outcome)o), w->b->f.header);
    xw_text(w, ws, row++, 1 + OUTCOME_COUNT, "Total", w->b->f.header);
    lxw_row_t first = row;
    for (size_t t = 0; t < team_count; t++, row++) {
        xw_text(w, ws, row, 0, teams[t].name, NULL);
        for (int o = 0; o < OUTCOME_COUNT; o++)
            xw_number(w, ws, row, (lxw_col_t)(1 + o), (double)teams[t].counts.people[o],
                      w->b->f.integer);
        xw_number(w, ws, row, 1 + OUTCOME_COUNT, (double)teams[t].people, w->b->f.integer);
    }
    if (team_count > 0) {
        lxw_chart *chart = workbook_add_chart(w->b->wb, LXW_CHART_COLUMN_STACKED);
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

static lxw_row_t summary_grid(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    if (!w->b->has_pair)
        return row;
    const char *a = w->b->fw->families[w->b->pair_first],
               *b = w->b->fw->families[w->b->pair_second];
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->b->m, &people_count);
    static const char *const bands[] = {"low (< 75%)", "mid (75-95%)", "high (>= 95%)"};
    char line[256];
    snprintf(line, sizeof line, "Balance: %s (columns) against %s (rows) attainment", a, b);
    xw_text(w, ws, row++, 0, line, w->b->f.section);
    snprintf(line, sizeof line, "%s \\ %s", b, a);
    xw_text(w, ws, row, 0, line, w->b->f.header);
    for (int c = 0; c < 3; c++)
        xw_text(w, ws, row, (lxw_col_t)(1 + c), bands[c], w->b->f.header);
    row++;
    for (int r = 2; r >= 0; r--, row++) {
        worksheet_set_row(ws, row, 45, NULL); /* room for the names */
        xw_text(w, ws, row, 0, bands[r], w->b->f.bold);
        for (int c = 0; c < 3; c++) {
            size_t n = w->b->view->balance[r][c], named = 0;
            char *cell = nl_strdup("");
            for (size_t i = 0; i < w->b->count && cell && n <= GRID_MAX_NAMES && named < n; i++) {
                const person_summary *s = &w->b->people[w->b->order[i]];
                if (isnan(s->first_attainment) || isnan(s->second_attainment) ||
                    nl_balance_band(s->first_attainment) != c ||
                    nl_balance_band(s->second_attainment) != r)
                    continue;
                cell = nl_strjoin(cell, named++ ? ", " : "", people[s->person].name);
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
                     r == 2 && c == 2 ? w->b->f.outcome[NL_READY_NOW] : w->b->f.wrap);
        }
    }
    return row + 1;
}

static void summary_scatter(xlsx_writer *w, lxw_worksheet *ws)
{
    if (!w->b->has_pair || w->b->count == 0 || w->b->count > SCATTER_MAX_PEOPLE ||
        w->b->count > w->b->max_rows)
        return;
    lxw_chart *chart = workbook_add_chart(w->b->wb, LXW_CHART_SCATTER);
    if (chart == NULL) {
        w->out_of_memory = true;
        return;
    }
    lxw_col_t x = (lxw_col_t)(w->b->family_col + w->b->pair_first);
    lxw_col_t y = (lxw_col_t)(w->b->family_col + w->b->pair_second);
    for (int o = 0; o < NL_TOP_OF_LADDER; o++) {
        if (w->b->counts.people[o] == 0)
            continue;
        lxw_row_t first = (lxw_row_t)w->b->readiness_rows_of[o];
        outcome_chart_series(w, chart, o, first, first + (lxw_row_t)w->b->counts.people[o] - 1, x,
                             y, "Readiness");
    }
    char name[160];
    snprintf(name, sizeof name, "Attainment: %s against %s", w->b->fw->families[w->b->pair_first],
             w->b->fw->families[w->b->pair_second]);
    chart_title_set_name(chart, name);
    chart_axis_set_name(chart->x_axis, w->b->fw->families[w->b->pair_first]);
    chart_axis_set_name(chart->y_axis, w->b->fw->families[w->b->pair_second]);
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
    const nl_person *people = nl_matrix_people(w->b->m, &people_count);
    xw_text(w, ws, row++, 0, title, w->b->f.bold);
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
    if (w->b->history == NULL)
        return row;
    mover *movers = malloc((w->b->count ? w->b->count : 1) * sizeof *movers);
    if (movers == NULL) {
        w->out_of_memory = true;
        return row;
    }
    size_t n = 0;
    for (size_t i = 0; i < w->b->count; i++) {
        const person_summary *s = &w->b->people[w->b->order[i]];
        if (s->trend.previous != NULL && !isnan(s->trend.change))
            movers[n++].s = s;
    }
    qsort(movers, n, sizeof *movers, compare_movers);
    xw_text(w, ws, row++, 0, "Since last quarter", w->b->f.section);
    const nl_trend_counts *t = &w->b->view->trend;
    char line[512], new_teams[128] = "", rejected[160] = "";
    if (t->new_team_people > 0)
        snprintf(new_teams, sizeof new_teams, " (%zu of them in teams with no export last quarter)",
                 t->new_team_people);
    if (t->rejected_now > 0)
        snprintf(rejected, sizeof rejected,
                 "; %zu more whose row was rejected this quarter (see Rejected rows)",
                 t->rejected_now);
    snprintf(line, sizeof line, "%zu new this quarter%s; %zu left since last quarter%s.",
             t->new_people + t->new_team_people, new_teams, t->left, rejected);
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
        {"Calibration", "how each manager rates, against the organisation"},
        {"Trend", "readiness now and last quarter, person by person"},
        {"Fairness", "outcome rates per group, and the four-fifths rule"},
        {"Rejected rows", "input rows not evaluated, and why"},
        {"Criteria", "template, gates, weights and inputs, to reproduce this run"},
    };
    xw_text(w, ws, row++, 0, "Sheets", w->b->f.section);
    for (size_t i = 0; i < sizeof sheets / sizeof *sheets; i++, row++) {
        bool absent =
            (strcmp(sheets[i][0], "Trend") == 0 && w->b->history == NULL) ||
            ((strcmp(sheets[i][0], "Gates") == 0 || strcmp(sheets[i][0], "Skill gaps") == 0) &&
             w->b->opt->summary_detail) ||
            (strcmp(sheets[i][0], "Calibration") == 0 && w->b->calibration_sheet == NULL) ||
            (strcmp(sheets[i][0], "Fairness") == 0 && w->b->fairness_sheet == NULL);
        if (absent) {
            row--;
            continue;
        }
        char url[64];
        snprintf(url, sizeof url, "internal:'%s'!A1", sheets[i][0]);
        xw_check(w, worksheet_write_url_opt(ws, row, 0, url, w->b->f.link, sheets[i][0], NULL));
        xw_text(w, ws, row, 1, sheets[i][1], NULL);
    }
}

void xw_summary_sheet(xlsx_writer *w)
{
    lxw_worksheet *ws = w->b->summary;
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
    snprintf(footer, sizeof footer, "&Lnextlevel, run %s&RPage &P of &N", w->b->date_text);
    xw_check(w, worksheet_set_footer(ws, footer));
    worksheet_activate(ws);
}
