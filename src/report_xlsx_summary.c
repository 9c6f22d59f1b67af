#include "report_xlsx_internal.h"

#include "nextlevel/describe.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

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
/* The charts stand right of the tables, in columns CHART_COL.. of CHART_COL_WIDTH characters,
 * and are as wide as CHART_COLS of them (480 pixels x CHART_X_SCALE), so that the printed
 * width, tables and charts, stays within one landscape page at 80% or more. */
#define CHART_COL       7
#define CHART_COLS      6
#define CHART_COL_WIDTH 9
#define CHART_X_SCALE   0.83
/* The widths of the table columns, left of the charts. */
static const double table_widths[CHART_COL] = {30, 22, 16, 14, 14, 12, 12};
/* Slate people per next level on the Summary. */
#define XW_SUMMARY_SLATE_TOP 3

static lxw_row_t summary_title(xlsx_writer *w, lxw_worksheet *ws)
{
    const nl_profile *profile = nl_evaluator_profile(w->b->ev);
    char line[1024];
    nl_sformat(line, sizeof line, "Promotion readiness: %s", w->b->fw->name);
    xw_text(w, ws, 0, 0, line, w->b->f.title);
    char *thresholds = nl_describe_threshold_overrides(w->b->fw);
    if (thresholds == NULL)
        w->out_of_memory = true;
    nl_sformat(line, sizeof line, "Run %s. Template %s. Priorities: %s%s.%s%s%s", w->b->date_text,
               w->b->fw->path, profile->name,
               nl_evaluator_overridden(w->b->ev) ? " with what-if weights" : "",
               thresholds && thresholds[0] ? " What-if thresholds (--threshold): " : "",
               thresholds ? thresholds : "", thresholds && thresholds[0] ? "." : "");
    free(thresholds);
    xw_text(w, ws, 1, 0, line, w->b->f.subtitle);
    lxw_row_t row = 2;
    if (w->b->opt->group_label != NULL)
        xw_text(w, ws, row++, 0, w->b->opt->group_label, w->b->f.bold);
    return row + 1;
}

/* A section title in column A. */
static lxw_row_t section(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const char *title)
{
    xw_text(w, ws, row, 0, title, w->b->f.section);
    return row + 1;
}

/* An internal link to a sheet's A1 at (row, col), shown as text. */
static void sheet_link(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                       const char *sheet, const char *text)
{
    char url[96];
    nl_sformat(url, sizeof url, "internal:'%s'!A1", sheet);
    xw_check(w, worksheet_write_url_opt(ws, row, col, url, w->b->f.link, text, NULL));
}

/* The share of count in total, blank for no total. */
static double share(size_t count, size_t total)
{
    return total ? (double)count / (double)total : NAN;
}

/* "20 Ready now; 15 once calibrated: ..." with --calibrate, else what calibration would
 * question; NULL-free: line is always filled. */
static void calibration_line(const xw_book *b, char *line, size_t size)
{
    const nl_review_view *v = b->view;
    size_t ready = v->counts.people[NL_READY_NOW];
    char lenient[160] = "";
    if (v->slate_lenient > 0)
        nl_sformat(lenient, sizeof lenient, "; %zu of the %zu report to managers flagged lenient",
                   v->slate_lenient, ready);
    if (b->rv->calibrate) {
        char joined[128] = "";
        if (v->ready_only_calibrated > 0)
            nl_sformat(joined, sizeof joined, "; %zu more are Ready now only once calibrated",
                       v->ready_only_calibrated);
        nl_sformat(line, size,
                   "%zu Ready now; %zu once calibrated: %zu of the %zu are not Ready now on "
                   "calibrated scores%s%s (see Calibration).",
                   ready, v->calibrated.people[NL_READY_NOW], v->slate_not_ready_calibrated, ready,
                   lenient, joined);
    } else if (v->slate_lenient > 0) {
        nl_sformat(line, size,
                   "%zu Ready now%s: run with --calibrate to see their outcomes on calibrated "
                   "scores.",
                   ready, lenient);
    } else {
        nl_sformat(line, size, "%zu Ready now; none of them reports to a manager flagged lenient.",
                   ready);
    }
}

/* A sentence over the table columns (left of the charts, which would hide its end), wrapped
 * on as many lines as it needs. With a sheet (else NULL), column A links to it and the
 * sentence stands beside the link. */
static lxw_row_t wide_line(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const char *text,
                           bool bold, const char *sheet)
{
    lxw_format *f = workbook_add_format(w->b->wb);
    if (f == NULL) {
        w->out_of_memory = true;
        return row + 1;
    }
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (bold)
        format_set_bold(f);
    lxw_col_t first = sheet != NULL ? 1 : 0;
    double width = 0;
    for (lxw_col_t c = first; c < CHART_COL; c++)
        width += table_widths[c];
    double lines = ceil((double)strlen(text) / (width * (bold ? 1.1 : 1.2)));
    worksheet_set_row(ws, row, 15 * (lines > 1 ? lines : 1), NULL);
    if (sheet != NULL)
        sheet_link(w, ws, row, 0, sheet, sheet);
    xw_check(w, worksheet_merge_range(ws, row, first, row, CHART_COL - 1, text, f));
    return row + 1;
}

static lxw_row_t summary_outcomes(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const xw_book *b = w->b;
    bool calibrated = b->rv->calibrate;
    row = section(w, ws, row, "Outcomes");
    xw_text(w, ws, row, 0, "Outcome", b->f.header);
    xw_text(w, ws, row, 1, "People", b->f.header_number);
    xw_text(w, ws, row, 2, "Share", b->f.header_number);
    if (calibrated) {
        xw_text(w, ws, row, 3, "Calibrated", b->f.header_number);
        xw_text(w, ws, row, 4, "Calibrated share", b->f.header_number);
    }
    row++;
    bool live = xw_whatif_live_counts(b);
    for (int o = 0; o < OUTCOME_COUNT; o++, row++) {
        xw_text(w, ws, row, 0, nl_outcome_name((nl_outcome)o), b->f.outcome[o]);
        if (live) {
            /* The What if sheet's count, which follows its dials; as run until they turn. */
            char count[64], cell[16], formula[96];
            lxw_rowcol_to_cell_abs(count, b->whatif_counts_row + (lxw_row_t)o, 1, 1, 1);
            nl_sformat(formula, sizeof formula, "='What if'!%s", count);
            xw_check(w, worksheet_write_formula_num(ws, row, 1, formula, b->f.integer,
                                                    (double)b->counts.people[o]));
            lxw_rowcol_to_cell(cell, row, 1);
            nl_sformat(formula, sizeof formula, "=%s/%zu", cell, b->count);
            if (b->count > 0)
                xw_check(w, worksheet_write_formula_num(ws, row, 2, formula, b->f.percent,
                                                        share(b->counts.people[o], b->count)));
        } else {
            xw_number(w, ws, row, 1, (double)b->counts.people[o], b->f.integer);
            xw_number(w, ws, row, 2, share(b->counts.people[o], b->count), b->f.percent);
        }
        if (calibrated) {
            xw_number(w, ws, row, 3, (double)b->view->calibrated.people[o], b->f.integer);
            xw_number(w, ws, row, 4, share(b->view->calibrated.people[o], b->count), b->f.percent);
        }
    }
    xw_text(w, ws, row, 0, "Total", b->f.bold);
    xw_number(w, ws, row, 1, (double)b->count, b->f.integer);
    if (calibrated)
        xw_number(w, ws, row, 3, (double)b->count, b->f.integer);
    row++;
    char line[512];
    calibration_line(b, line, sizeof line);
    row = wide_line(w, ws, row, line, true, NULL);
    size_t robust = b->view->robust, evaluated = b->view->evaluated;
    nl_sformat(line, sizeof line,
               "%zu of %zu people evaluated keep their outcome under every priority profile; "
               "%zu %s on which leadership is asking.",
               robust, evaluated, evaluated - robust,
               evaluated - robust == 1 ? "depends" : "depend");
    row = wide_line(w, ws, row, line, false, NULL);
    /* Only when someone is: the Summary is one printed page, and a line saying nobody would
     * push the end of the slate onto a second one (the CSV and JSON summaries count 0). */
    size_t above = b->view->operating_two_up;
    if (above > 0) {
        nl_sformat(line, sizeof line,
                   "%zu of %zu people evaluated %s operating two or more levels above their "
                   "title (the Readiness sheet's Operating level column).",
                   above, evaluated, above == 1 ? "is" : "are");
        row = wide_line(w, ws, row, line, false, NULL);
    }
    if (!nl_framework_has_skills(b->fw))
        row = wide_line(w, ws, row, NL_NO_SKILLS_NOTE, false, NULL);
    return row + 1;
}

/* With a budget, the slate's first line says the budget too: its slots, who is on the slate,
 * and a tie at the cut. One line, not two, so the Summary stays one printed page, and short
 * enough to stay clear of the charts beside it. */
static void budget_line(const nl_review *rv, bool whole, size_t ready, char *line, size_t size)
{
    const nl_slate_tally *t = &rv->slate;
    char tie[96] = "";
    if (t->tied > 0)
        nl_sformat(tie, sizeof tie, "; tied at the cut: %zu people for %zu %s", t->tied,
                   t->tied_slots, t->tied_slots == 1 ? "slot" : "slots");
    char ready_text[64] = "Nobody is Ready now.";
    if (ready > 0)
        nl_sformat(ready_text, sizeof ready_text,
                   "The %zu Ready now, top %d per next level:", ready, XW_SUMMARY_SLATE_TOP);
    /* A pack's Summary states the organisation's figures: its people are ranked there. */
    nl_sformat(line, size, "%s%s: %zu %s, %zu %s, %zu on the slate%s. %s",
               whole ? "Budget" : "Organisation's budget",
               rv->budget.per_team            ? " per team"
               : rv->budget.from_command_line ? " (--budget)"
                                              : "",
               t->slots, t->slots == 1 ? "slot" : "slots", t->candidates,
               t->candidates == 1 ? "candidate" : "candidates", t->on_slate, tie, ready_text);
}

/* The top of the slate per next level, with the count of the rest (the Slate sheet lists
 * them all). */
static lxw_row_t summary_slate(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_review_view *v = b->view;
    size_t people_count;
    const nl_person *people = nl_matrix_people(b->m, &people_count);
    row = section(w, ws, row, "Promotion slate");
    char line[256];
    nl_sformat(line, sizeof line,
               "The slate is everyone Ready now: %zu %s. The top %d per next level (ranked as on "
               "the Slate sheet):",
               v->slate_count, v->slate_count == 1 ? "person" : "people", XW_SUMMARY_SLATE_TOP);
    if (b->rv->budget.set)
        budget_line(b->rv, v->whole, v->slate_count, line, sizeof line);
    xw_text(w, ws, row, 0,
            v->slate_count || b->rv->budget.set ? line : "Nobody is Ready now: the slate is empty.",
            NULL);
    row++;
    if (v->slate_count == 0)
        return row + 1;
    static const char *const names[] = {"Next level", "Name", "Team", "Priorities",
                                        "Calibrated outcome"};
    for (size_t c = 0; c < (b->rv->calibrate ? 5u : 4u); c++)
        xw_text(w, ws, row, (lxw_col_t)c, names[c], b->f.header);
    worksheet_set_row(ws, row++, 30, NULL); /* "Calibrated outcome" on two lines */
    for (size_t k = 0; k < v->slate_count;) {
        size_t level = b->people[v->slate[k]].next_level, end = k;
        while (end < v->slate_count && b->people[v->slate[end]].next_level == level)
            end++;
        for (size_t i = k; i < end && i < k + XW_SUMMARY_SLATE_TOP; i++, row++) {
            const person_summary *s = &b->people[v->slate[i]];
            if (i == k) {
                char *label = xw_level_label(b->fw, level);
                char head[256];
                nl_sformat(head, sizeof head, "%s (%zu)", label ? label : "", end - k);
                free(label);
                xw_text(w, ws, row, 0, head, b->f.bold);
            } else if (i == k + 1 && end - k > XW_SUMMARY_SLATE_TOP) {
                /* Under the level, beside the second person: one row less per level. */
                nl_sformat(line, sizeof line, "and %zu more on the Slate sheet",
                           end - k - XW_SUMMARY_SLATE_TOP);
                sheet_link(w, ws, row, 0, "Slate", line);
            }
            xw_text(w, ws, row, 1, people[s->person].name, NULL);
            xw_text(w, ws, row, 2, people[s->person].team, NULL);
            xw_text(w, ws, row, 3, xw_priorities_text(s), NULL);
            if (b->rv->calibrate)
                xw_text(w, ws, row, 4, nl_outcome_name(s->calibrated_outcome),
                        b->f.outcome[s->calibrated_outcome]);
        }
        k = end;
    }
    return row + 1;
}

/* The pipeline by band, one row; by level and against performance on the Pipeline sheet. */
static lxw_row_t summary_pipeline(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const xw_book *b = w->b;
    row = section(w, ws, row, "Readiness pipeline");
    xw_text(w, ws, row, 0, "Band", b->f.header);
    for (int band = 0; band < NL_BAND_NONE; band++)
        xw_text(w, ws, row, (lxw_col_t)(1 + band), nl_band_name((nl_band)band), b->f.header_number);
    xw_text(w, ws, row, 1 + NL_BAND_NONE, "No band", b->f.header_number);
    row++;
    xw_text(w, ws, row, 0, "People", NULL);
    for (int band = 0; band < NL_BAND_COUNT; band++)
        xw_number(w, ws, row, (lxw_col_t)(1 + band), (double)b->view->by_band[band], b->f.integer);
    row++;
    sheet_link(w, ws, row++, 0, "Pipeline",
               b->rv->performance != SIZE_MAX
                   ? "By current level, and readiness against performance: the Pipeline sheet"
                   : "By current level: the Pipeline sheet");
    return row + 1;
}

/* Rows rejected and people not evaluated, one line each. */
static lxw_row_t summary_data_quality(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_review_view *v = b->view;
    row = section(w, ws, row, "Data quality");
    size_t rejected;
    nl_matrix_rejections(b->m, &rejected);
    char line[1024];
    nl_sformat(line, sizeof line, "%zu input %s rejected%s (the Rejected rows sheet says why).",
               rejected, rejected == 1 ? "row" : "rows", v->whole ? "" : " in the whole run");
    row = wide_line(w, ws, row, line, false, "Rejected rows");
    int n = nl_sformat(line, sizeof line, "%zu %s not evaluated", v->not_evaluated,
                       v->not_evaluated == 1 ? "person" : "people");
    const char *sep = ", for lack of: ";
    for (size_t k = 0; k < b->fw->skill_count && n > 0 && (size_t)n < sizeof line; k++) {
        if (v->missing_skill[k] == 0)
            continue;
        n += nl_sformat(line + n, sizeof line - (size_t)n, "%s%s (%zu)", sep, b->fw->skills[k].name,
                        v->missing_skill[k]);
        sep = ", ";
    }
    if (v->missing_other > 0 && n > 0 && (size_t)n < sizeof line)
        n += nl_sformat(line + n, sizeof line - (size_t)n,
                        "%sother inputs such as months in level (%zu)", sep, v->missing_other);
    if (n > 0 && (size_t)n < sizeof line)
        nl_sformat(line + n, sizeof line - (size_t)n, "%s",
                   v->not_evaluated ? " (the Readiness sheet names them)." : ".");
    row = wide_line(w, ws, row, line, false, "Readiness");
    return row + 1;
}

/* Names a flag line lists before counting the rest: the line fits the printed width. */
#define FLAG_NAMES 3u

/* Appends the index-th name to a list of FLAG_NAMES names (the caller counts the rest). */
static int list_name(char *line, size_t size, int n, size_t index, const char *name)
{
    if (n < 0 || (size_t)n >= size)
        return n;
    if (index < FLAG_NAMES)
        return n + nl_sformat(line + n, size - (size_t)n, "%s%s", index ? ", " : "", name);
    return n;
}

/* Flagged managers (this view's) and fairness flags (the organisation's), one line each,
 * linked to their sheets. */
static lxw_row_t summary_flags(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_calibration *c = b->rv->calibration;
    row = section(w, ws, row, "Flags");
    char line[1024];
    size_t flagged[3] = {0};
    for (size_t k = 0; k < b->view->manager_count; k++)
        flagged[c->managers[b->view->managers[k]].flag]++;
    int n = nl_sformat(line, sizeof line, "%zu %s flagged lenient", flagged[NL_RATER_LENIENT],
                       flagged[NL_RATER_LENIENT] == 1 ? "manager" : "managers");
    for (int flag = NL_RATER_LENIENT; flag <= NL_RATER_SEVERE && n > 0; flag++) {
        if (flag == NL_RATER_SEVERE)
            n += nl_sformat(line + n, sizeof line - (size_t)n, "; %zu severe", flagged[flag]);
        size_t shown = 0;
        for (size_t k = 0; k < b->view->manager_count; k++) {
            const nl_manager_calibration *mc = &c->managers[b->view->managers[k]];
            if ((int)mc->flag != flag)
                continue;
            if (shown == 0 && (size_t)n < sizeof line)
                n += nl_sformat(line + n, sizeof line - (size_t)n, " (");
            n = list_name(line, sizeof line, n, shown++, mc->manager);
        }
        if (shown > FLAG_NAMES && (size_t)n < sizeof line)
            n += nl_sformat(line + n, sizeof line - (size_t)n, " and %zu more", shown - FLAG_NAMES);
        if (shown > 0 && (size_t)n < sizeof line)
            n += nl_sformat(line + n, sizeof line - (size_t)n, ")");
    }
    if (n > 0 && (size_t)n < sizeof line)
        nl_sformat(line + n, sizeof line - (size_t)n, "%s.",
                   b->rv->calibrate ? "" : "; outcomes not calibrated (no --calibrate)");
    row = wide_line(w, ws, row, line, false, "Calibration");
    const nl_fairness *f = b->rv->fairness;
    if (f != NULL) {
        size_t count = 0;
        for (size_t g = 0; g < f->count; g++)
            count += f->groups[g].flagged;
        /* The groups are named on the Fairness sheet alone: a group column may hold a
         * protected attribute, which no other sheet shows. */
        nl_sformat(line, sizeof line,
                   "%zu of %zu groups flagged by the four-fifths rule%s (the Fairness sheet "
                   "names them).",
                   count, f->count, b->view->whole ? "" : ", organisation-wide");
        row = wide_line(w, ws, row, line, false, "Fairness");
    }
    return row + 1;
}

/* Adds outcome o's series over rows first..last, named name (the outcome's name when NULL);
 * returns it, or NULL when out of memory. The name is set once: libxlsxwriter does not free a
 * name set before. */
static lxw_chart_series *outcome_chart_series(xlsx_writer *w, lxw_chart *chart, int o,
                                              const char *name, lxw_row_t first, lxw_row_t last,
                                              lxw_col_t x_col, lxw_col_t y_col, const char *sheet)
{
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    if (series == NULL) {
        w->out_of_memory = true;
        return NULL;
    }
    chart_series_set_name(series, name ? name : nl_outcome_name((nl_outcome)o));
    chart_series_set_categories(series, sheet, first, x_col, last, x_col);
    chart_series_set_values(series, sheet, first, y_col, last, y_col);
    xw_outcome_series_style(series, o, chart->type == LXW_CHART_SCATTER);
    return series;
}

static lxw_row_t summary_teams(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row,
                               lxw_row_t chart_row)
{
    size_t team_count = w->b->view->team_count;
    const nl_review_team *teams = w->b->view->teams;
    xw_text(w, ws, row++, 0, "By team", w->b->f.section);
    xw_text(w, ws, row, 0, "Team", w->b->f.header);
    for (int o = 0; o < OUTCOME_COUNT; o++)
        xw_text(w, ws, row, (lxw_col_t)(1 + o), nl_outcome_name((nl_outcome)o),
                w->b->f.header_number);
    xw_text(w, ws, row++, 1 + OUTCOME_COUNT, "Total", w->b->f.header_number);
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
            outcome_chart_series(w, chart, o, NULL, first, last, 0, (lxw_col_t)(1 + o), "Summary");
        if (chart != NULL) {
            chart_title_set_name(chart, team_count > CHART_MAX_TEAMS
                                            ? "Outcomes by team (first 40 teams)"
                                            : "Outcomes by team");
            chart_axis_set_name(chart->y_axis, "People");
            chart_axis_set_min(chart->y_axis, 0); /* stacked counts start at none */
            chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
            lxw_chart_options at = {.x_scale = CHART_X_SCALE, .y_scale = 1.0};
            xw_check(w, worksheet_insert_chart_opt(ws, chart_row, CHART_COL, chart, &at));
        }
    }
    return row + 1;
}

/* A neutral fill for the grid's cells: no outcome colour, which would say "Ready now". */
static lxw_format *grid_format(xlsx_writer *w, bool names)
{
    lxw_format *f = workbook_add_format(w->b->wb);
    if (f == NULL) {
        w->out_of_memory = true;
        return NULL;
    }
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(f, xw_grid_fill);
    if (names) {
        format_set_text_wrap(f);
        format_set_font_size(f, 9);
    } else {
        format_set_num_format(f, "0");
        format_set_bold(f);
    }
    return f;
}

/* The names in a grid cell when it holds at most GRID_MAX_NAMES people, else "". */
static char *grid_names(const xw_book *b, int r, int c)
{
    size_t people_count, n = b->view->balance[r][c], named = 0;
    const nl_person *people = nl_matrix_people(b->m, &people_count);
    char *cell = nl_strdup("");
    for (size_t i = 0; i < b->count && cell && n <= GRID_MAX_NAMES && named < n; i++) {
        const person_summary *s = &b->people[b->order[i]];
        if (isnan(s->first_attainment) || isnan(s->second_attainment) ||
            nl_balance_band(s->first_attainment) != c || nl_balance_band(s->second_attainment) != r)
            continue;
        cell = nl_strjoin(cell, named++ ? ", " : "", people[s->person].name);
    }
    return cell;
}

/* Counts as numbers; under each row of counts, the names of the cells of few people. */
static lxw_row_t summary_grid(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    if (!w->b->has_pair)
        return row;
    const char *a = w->b->fw->families[w->b->pair_first],
               *b = w->b->fw->families[w->b->pair_second];
    static const char *const bands[] = {"low (< 75%)", "mid (75-95%)", "high (>= 95%)"};
    lxw_format *count_format = grid_format(w, false), *names_format = grid_format(w, true);
    char line[256];
    nl_sformat(line, sizeof line, "Balance: %s (columns) against %s (rows) attainment, people", a,
               b);
    xw_text(w, ws, row++, 0, line, w->b->f.section);
    nl_sformat(line, sizeof line, "%s \\ %s", b, a);
    xw_text(w, ws, row, 0, line, w->b->f.header);
    for (int c = 0; c < 3; c++)
        xw_text(w, ws, row, (lxw_col_t)(1 + c), bands[c], w->b->f.header_number);
    row++;
    for (int r = 2; r >= 0; r--) {
        xw_text(w, ws, row, 0, bands[r], w->b->f.bold);
        char *names[3];
        bool any = false;
        for (int c = 0; c < 3; c++) {
            xw_number(w, ws, row, (lxw_col_t)(1 + c), (double)w->b->view->balance[r][c],
                      count_format);
            names[c] = grid_names(w->b, r, c);
            if (names[c] == NULL)
                w->out_of_memory = true;
            any = any || (names[c] != NULL && names[c][0] != '\0');
        }
        row++;
        if (any)
            worksheet_set_row(ws, row, 36, NULL); /* room for the names */
        for (int c = 0; c < 3; c++) {
            if (any)
                xw_text(w, ws, row, (lxw_col_t)(1 + c), names[c], names_format);
            free(names[c]);
        }
        row += any;
    }
    return row + 1;
}

/* The scatter's axis bounds and step: the data's lowest and highest attainment with a margin,
 * on 5-point steps, so that nobody falls outside; at most 100% when nobody is above it, and
 * at least 20 points wide, so that a small pack's points do not fill the chart. */
static void axis_bounds(const nl_review_view *v, double *min, double *max, double *step)
{
    *min = floor((v->pair_min - 0.02) * 20) / 20;
    *max = ceil((v->pair_max + 0.02) * 20) / 20;
    if (v->pair_max <= 1 && *max > 1)
        *max = 1;
    if (*max - *min < 0.2)
        *min = *max - 0.2;
    if (*min < 0)
        *min = 0;
    *step = *max - *min > 0.4 ? 0.1 : 0.05;
}

/* Attainment of the pair, everyone evaluated: Developing drawn first and Ready now last, so
 * that the ready are on top; each legend entry says how many people it holds, since equal
 * attainments fall on one point. */
static void summary_scatter(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t at_row)
{
    if (!w->b->has_pair || w->b->count == 0 || w->b->count > SCATTER_MAX_PEOPLE ||
        w->b->count > w->b->max_rows || isnan(w->b->view->pair_min))
        return;
    lxw_chart *chart = workbook_add_chart(w->b->wb, LXW_CHART_SCATTER);
    if (chart == NULL) {
        w->out_of_memory = true;
        return;
    }
    lxw_col_t x = (lxw_col_t)(w->b->family_col + w->b->pair_first);
    lxw_col_t y = (lxw_col_t)(w->b->family_col + w->b->pair_second);
    static const nl_outcome drawn[] = {NL_NOT_EVALUATED, NL_DEVELOPING, NL_READY_WITH_RISK,
                                       NL_READY_NOW};
    for (size_t k = 0; k < sizeof drawn / sizeof *drawn; k++) {
        nl_outcome o = drawn[k];
        if (w->b->counts.people[o] == 0)
            continue;
        lxw_row_t first = (lxw_row_t)w->b->readiness_rows_of[o];
        char name[64];
        nl_sformat(name, sizeof name, "%s (%zu)", nl_outcome_name(o), w->b->counts.people[o]);
        outcome_chart_series(w, chart, o, name, first,
                             first + (lxw_row_t)w->b->counts.people[o] - 1, x, y, "Readiness");
    }
    char name[160];
    nl_sformat(name, sizeof name, "Attainment: %s against %s", w->b->fw->families[w->b->pair_first],
               w->b->fw->families[w->b->pair_second]);
    /* Chart XML is escaped by libxlsxwriter for & < > only: the template's texts go through
     * the sanitiser as cells do. */
    char *title = xw_plain(name), *x_name = xw_plain(w->b->fw->families[w->b->pair_first]),
         *y_name = xw_plain(w->b->fw->families[w->b->pair_second]);
    if (title == NULL || x_name == NULL || y_name == NULL)
        w->out_of_memory = true;
    chart_title_set_name(chart, title ? title : "");
    chart_axis_set_name(chart->x_axis, x_name ? x_name : "");
    chart_axis_set_name(chart->y_axis, y_name ? y_name : "");
    free(title);
    free(x_name);
    free(y_name);
    chart_axis_set_num_format(chart->x_axis, "0%");
    chart_axis_set_num_format(chart->y_axis, "0%");
    double min, max, step;
    axis_bounds(w->b->view, &min, &max, &step);
    lxw_chart_axis *axes[] = {chart->x_axis, chart->y_axis};
    for (int i = 0; i < 2; i++) {
        chart_axis_set_min(axes[i], min);
        chart_axis_set_max(axes[i], max);
        chart_axis_set_major_unit(axes[i], step);
    }
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options at = {.x_scale = CHART_X_SCALE, .y_scale = 1.15};
    xw_check(w, worksheet_insert_chart_opt(ws, at_row, CHART_COL, chart, &at));
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
        nl_sformat(line, sizeof line, "%s (%s): %s, %.1f -> %s, %.1f (%+.1f)", p->name, p->team,
                   nl_outcome_name(s->trend.outcome_then), s->trend.readiness_then,
                   nl_outcome_name(s->outcome), s->readiness, s->trend.change);
        xw_text(w, ws, row++, 1, line, NULL);
    }
    if (shown == 0)
        xw_text(w, ws, row++, 1, "none", NULL);
    else if (shown > 10) {
        char more[64];
        nl_sformat(more, sizeof more, "and %zu more (see the Trend sheet)", shown - 10);
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
        nl_sformat(new_teams, sizeof new_teams,
                   " (%zu of them in teams with no export last quarter)", t->new_team_people);
    if (t->rejected_now > 0)
        nl_sformat(rejected, sizeof rejected,
                   "; %zu more whose row was rejected this quarter (see Rejected rows)",
                   t->rejected_now);
    nl_sformat(line, sizeof line, "%zu new this quarter%s; %zu left since last quarter%s.",
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
        {"What if", "turn the weights, thresholds and budget: outcomes and the slate follow"},
        {"Slate", "everyone Ready now, by next level, ranked"},
        {"Pipeline", "readiness bands by level, and readiness against performance"},
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
            (strcmp(sheets[i][0], "What if") == 0 && w->b->whatif_sheet == NULL) ||
            (strcmp(sheets[i][0], "Fairness") == 0 && w->b->fairness_sheet == NULL);
        if (absent) {
            row--;
            continue;
        }
        char url[64];
        nl_sformat(url, sizeof url, "internal:'%s'!A1", sheets[i][0]);
        xw_check(w, worksheet_write_url_opt(ws, row, 0, url, w->b->f.link, sheets[i][0], NULL));
        xw_text(w, ws, row, 1, sheets[i][1], NULL);
    }
    xw_detail_note(w, ws, row);
}

void xw_summary_sheet(xlsx_writer *w)
{
    lxw_worksheet *ws = w->b->summary;
    for (lxw_col_t c = 0; c < CHART_COL; c++)
        worksheet_set_column(ws, c, c, table_widths[c], NULL);
    worksheet_set_column(ws, CHART_COL, CHART_COL + CHART_COLS - 1, CHART_COL_WIDTH, NULL);
    /* What leadership reads first, printed (the print area); the detail follows on screen. */
    lxw_row_t row = summary_title(w, ws);
    lxw_row_t charts = row;
    row = summary_outcomes(w, ws, row);
    row = summary_pipeline(w, ws, row);
    row = summary_data_quality(w, ws, row);
    row = summary_flags(w, ws, row);
    /* Last: a long slate may run onto a second page, a list that reads on. */
    row = summary_slate(w, ws, row);
    /* The team chart is 15 rows high, the scatter 17: the print area holds both. */
    lxw_row_t printed = row > charts + 34 ? row : charts + 34;
    xw_text(w, ws, printed, 0, "Detail (on screen; not in the leadership print set)",
            w->b->f.subtitle);
    row = printed + 2;
    row = summary_teams(w, ws, row, charts);
    row = summary_grid(w, ws, row);
    row = summary_trend(w, ws, row);
    summary_links(w, ws, row);
    summary_scatter(w, ws, charts + 16);
    xw_print_setup(w, ws, 1); /* the run line heads each printed page */
    xw_check(w, worksheet_print_area(ws, 0, 0, printed - 1, CHART_COL + CHART_COLS - 1));
    worksheet_select(ws);
    worksheet_activate(ws);
}
