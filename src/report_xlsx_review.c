#include "report_xlsx_internal.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The review sheets: Calibration (rater effects by manager) and Fairness (outcome rates per
 * group). Both are small, one row per manager or group, and written after the person sheets. */

static lxw_row_t note(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const char *text)
{
    xw_text(w, ws, row, 0, text, NULL);
    return row + 1;
}

/* The Calibration table's columns, in order. Flag, z, the adjustment and why come first: the
 * rows are sorted by the size of the effect. */
enum {
    CAL_MANAGER,
    CAL_FLAG,
    CAL_Z,
    CAL_ADJUSTMENT,
    CAL_WHY,
    CAL_PEOPLE,
    CAL_RATED,
    CAL_MEAN_GAP,
    CAL_OFFSET,
    CAL_READY_SHARE,
    CAL_FAMILIES /* then per family: attainment, vs organisation */
};

static lxw_row_t calibration_method(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const nl_calibration *c = w->b->rv->calibration;
    const nl_calibration_settings *set = &w->b->fw->calibration;
    char text[768];
    row = note(w, ws, row,
               "Rating gap: a person's mean score minus their current level's expectation, over "
               "the skills assessed. A manager's mean gap far from the organisation's suggests "
               "lenient or severe rating.");
    if (c->rated > 0)
        nl_sformat(text, sizeof text,
                   "Organisation: mean gap %.3f, standard deviation %.3f, over %zu people rated.",
                   c->mean_gap, c->sd, c->rated);
    else
        nl_sformat(text, sizeof text,
                   "Organisation: nobody has a rating gap (no assessed skill "
                   "that their own level expects).");
    row = note(w, ws, row, text);
    if (!w->b->view->whole)
        row = note(w, ws, row,
                   "In this pack: the managers of this pack's people, each with the same "
                   "organisation-wide figures as in the combined workbook.");
    nl_sformat(text, sizeof text,
               "z = (manager's mean gap - organisation's) / (SD / sqrt(people rated)); flagged "
               "lenient at z >= %g, severe at z <= -%g, with at least %g people rated.",
               set->z_threshold, set->z_threshold, set->min_team_size);
    row = note(w, ws, row, text);
    nl_sformat(text, sizeof text,
               "Only flagged managers are adjusted, by (manager's mean gap - organisation's) x n / "
               "(n + %g), rounded to %g: small teams shrink toward no adjustment. %s",
               set->shrinkage, set->step,
               w->b->rv->calibrate
                   ? "Applied (--calibrate): each of their people's scores minus the adjustment."
                   : "Not applied: run with --calibrate to evaluate adjusted scores.");
    row = note(w, ws, row, text);
    size_t flagged = c->lenient + c->severe;
    nl_sformat(
        text, sizeof text,
        "Of %zu managers, %zu flagged (%zu lenient, %zu severe) and %zu adjusted%s%s. Sorted "
        "by |z|, largest first; the distribution of z is charted below the table.",
        c->count, flagged, c->lenient, c->severe, c->adjusted,
        w->b->rv->calibrate ? "" : " with --calibrate",
        flagged > c->adjusted ? " (the others' adjustment rounds to 0)" : "");
    return note(w, ws, row, text) + 1;
}

static void calibration_header(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    static const char *const names[] = {[CAL_MANAGER] = "Manager",
                                        [CAL_FLAG] = "Flag",
                                        [CAL_Z] = "z",
                                        [CAL_ADJUSTMENT] = "Adjustment",
                                        [CAL_WHY] = "Adjusted, and why",
                                        [CAL_PEOPLE] = "People",
                                        [CAL_RATED] = "Rated",
                                        [CAL_MEAN_GAP] = "Mean rating gap",
                                        [CAL_OFFSET] = "Difference from organisation",
                                        [CAL_READY_SHARE] = "Ready now share"};
    const nl_framework *fw = w->b->fw;
    lxw_col_t col = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++, col++) {
        bool text = i == CAL_MANAGER || i == CAL_FLAG || i == CAL_WHY;
        xw_text(w, ws, row, col, names[i], text ? w->b->f.header : w->b->f.header_number);
    }
    for (size_t f = 0; f < fw->family_count; f++) {
        char name[160];
        nl_sformat(name, sizeof name, "%s attainment", fw->families[f]);
        xw_text(w, ws, row, col++, name, w->b->f.header_number);
        nl_sformat(name, sizeof name, "%s vs organisation", fw->families[f]);
        xw_text(w, ws, row, col++, name, w->b->f.header_number);
    }
    worksheet_set_row(ws, row, 45, NULL);
}

/* The row of manager j of the calibration: the review's figures for all of the manager's
 * people, against the organisation's. */
static void manager_row(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, size_t j)
{
    const nl_manager_calibration *mc = &w->b->rv->calibration->managers[j];
    const nl_review_manager *rm = &w->b->rv->managers[j];
    lxw_format *flag = mc->flag == NL_RATER_LENIENT  ? w->b->f.outcome[NL_READY_WITH_RISK]
                       : mc->flag == NL_RATER_SEVERE ? w->b->f.fail
                                                     : NULL;
    char why[160];
    nl_adjust_reason_text(&w->b->fw->calibration, mc, why, sizeof why);
    xw_text(w, ws, row, CAL_MANAGER, mc->manager, NULL);
    xw_text(w, ws, row, CAL_FLAG, nl_rater_flag_name(mc->flag), flag);
    xw_number(w, ws, row, CAL_Z, mc->z, w->b->f.ratio);
    xw_number(w, ws, row, CAL_ADJUSTMENT, mc->adjustment, w->b->f.number);
    xw_text(w, ws, row, CAL_WHY, why, NULL);
    xw_number(w, ws, row, CAL_PEOPLE, (double)rm->people, w->b->f.integer);
    xw_number(w, ws, row, CAL_RATED, (double)mc->rated, w->b->f.integer);
    xw_number(w, ws, row, CAL_MEAN_GAP, mc->mean_gap, w->b->f.number);
    xw_number(w, ws, row, CAL_OFFSET, mc->offset, w->b->f.number);
    xw_number(w, ws, row, CAL_READY_SHARE,
              rm->evaluated ? (double)rm->ready / (double)rm->evaluated : NAN, w->b->f.percent);
    for (size_t f = 0; f < w->b->fw->family_count; f++) {
        xw_number(w, ws, row, (lxw_col_t)(CAL_FAMILIES + 2 * f), rm->family_mean[f],
                  w->b->f.percent);
        xw_number(w, ws, row, (lxw_col_t)(CAL_FAMILIES + 1 + 2 * f),
                  rm->family_mean[f] - w->b->rv->org_family_mean[f], w->b->f.percent);
    }
}

/* The label of a bar of the z distribution, such as "-2.5 to -2" or "5.5 or more". */
static void bin_label(const nl_z_bin *bin, char *text, size_t size)
{
    if (isinf(bin->from))
        nl_sformat(text, size, "%g or less", bin->to);
    else if (isinf(bin->to))
        nl_sformat(text, size, "%g or more", bin->from);
    else
        nl_sformat(text, size, "%g to %g", bin->from, bin->to);
}

/* Colour-blind-safe (Okabe and Ito): blue for severe, grey for not flagged, orange for
 * lenient. */
static const lxw_color_t bin_colors[3] = {0x0072B2, 0xBBBBBB, 0xE69F00};

/* The distribution of the organisation's managers' z: a small table (bars, managers by flag)
 * and a stacked column chart of it beside. Returns the row after both. */
static lxw_row_t z_distribution(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const nl_calibration *c = w->b->rv->calibration;
    const nl_calibration_settings *set = &w->b->fw->calibration;
    static const char *const series_names[3] = {"Severe (flagged)", "Not flagged",
                                                "Lenient (flagged)"};
    char text[256];
    xw_text(w, ws, row++, 0, "Distribution of z: managers of the organisation per bar",
            w->b->f.section);
    if (c->bin_count == 0)
        return note(w, ws, row, "none: nobody is rated");
    lxw_row_t header = row++;
    xw_text(w, ws, header, 0, "z", w->b->f.header);
    for (lxw_col_t k = 0; k < 3; k++)
        xw_text(w, ws, header, (lxw_col_t)(1 + k), series_names[k], w->b->f.header_number);
    worksheet_set_row(ws, header, 30, NULL);
    for (size_t b = 0; b < c->bin_count; b++, row++) {
        const nl_z_bin *bin = &c->bins[b];
        bin_label(bin, text, sizeof text);
        xw_text(w, ws, row, 0, text, NULL);
        const size_t counts[3] = {bin->severe, bin->typical, bin->lenient};
        for (lxw_col_t k = 0; k < 3; k++)
            xw_number(w, ws, row, (lxw_col_t)(1 + k), (double)counts[k], w->b->f.integer);
    }
    lxw_row_t first = header + 1, last = row - 1;
    size_t tallest = 0;
    for (size_t b = 0; b < c->bin_count; b++) {
        size_t n = c->bins[b].severe + c->bins[b].typical + c->bins[b].lenient;
        tallest = n > tallest ? n : tallest;
    }
    lxw_chart *chart = workbook_add_chart(w->b->wb, LXW_CHART_COLUMN_STACKED);
    if (chart == NULL) {
        w->out_of_memory = true;
        return row;
    }
    for (int k = 0; k < 3; k++) {
        lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
        if (series == NULL) {
            w->out_of_memory = true;
            return row;
        }
        chart_series_set_name(series, series_names[k]);
        chart_series_set_categories(series, "Calibration", first, 0, last, 0);
        chart_series_set_values(series, "Calibration", first, (lxw_col_t)(1 + k), last,
                                (lxw_col_t)(1 + k));
        lxw_chart_fill fill = {.color = bin_colors[k]};
        chart_series_set_fill(series, &fill);
    }
    nl_sformat(text, sizeof text, "Managers by z: flagged at |z| >= %g with %g or more rated",
               set->z_threshold, set->min_team_size);
    chart_title_set_name(chart, text);
    chart_axis_set_name(chart->x_axis, "z: standard errors from the organisation's mean gap");
    chart_axis_set_name(chart->y_axis, "Managers");
    /* Whole managers: about eight gridlines, never a fraction of a manager. */
    chart_axis_set_major_unit(chart->y_axis, tallest > 8 ? (double)((tallest + 7) / 8) : 1);
    chart_axis_set_min(chart->y_axis, 0);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options at = {.x_scale = 1.5, .y_scale = 1.2};
    xw_check(w, worksheet_insert_chart_opt(ws, header, 5, chart, &at));
    /* The chart is about 18 rows tall: what follows starts below it. */
    lxw_row_t below = header + 19;
    return row > below ? row : below;
}

/* People whose outcome changes when scores are calibrated. */
static lxw_row_t calibration_changes(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    static const char *const names[] = {"ID",
                                        "Name",
                                        "Manager",
                                        "Outcome",
                                        "Calibrated outcome",
                                        "Readiness score",
                                        "Calibrated readiness score"};
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->b->m, &people_count);
    xw_text(w, ws, row++, 0, "Outcomes that change under --calibrate", w->b->f.section);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        xw_text(w, ws, row, (lxw_col_t)i, names[i],
                i >= 5 ? w->b->f.header_number : w->b->f.header);
    row++;
    size_t changed = 0;
    for (size_t k = 0; k < w->b->count; k++) {
        const person_summary *s = &w->b->people[w->b->order[k]];
        if (s->calibrated_outcome == s->outcome)
            continue;
        const nl_person *p = &people[s->person];
        xw_text(w, ws, row, 0, p->id, NULL);
        xw_text(w, ws, row, 1, p->name, NULL);
        xw_text(w, ws, row, 2, p->manager, NULL);
        xw_text(w, ws, row, 3, nl_outcome_name(s->outcome), w->b->f.outcome[s->outcome]);
        xw_text(w, ws, row, 4, nl_outcome_name(s->calibrated_outcome),
                w->b->f.outcome[s->calibrated_outcome]);
        xw_number(w, ws, row, 5, s->readiness, w->b->f.score);
        xw_number(w, ws, row++, 6, s->calibrated_readiness, w->b->f.score);
        changed++;
    }
    if (changed == 0)
        row = note(w, ws, row, "none: calibration changes nobody's outcome");
    return row;
}

void xw_calibration_sheet(xlsx_writer *w)
{
    lxw_worksheet *ws = w->b->calibration_sheet;
    lxw_col_t last_col = (lxw_col_t)(CAL_FAMILIES - 1 + 2 * w->b->fw->family_count);
    worksheet_set_column(ws, CAL_MANAGER, CAL_MANAGER, 24, NULL);
    /* 16: the list of changed outcomes below shares these columns for names and outcomes. */
    worksheet_set_column(ws, CAL_FLAG, CAL_ADJUSTMENT, 16, NULL);
    worksheet_set_column(ws, CAL_WHY, CAL_WHY, 54, NULL);
    worksheet_set_column(ws, CAL_PEOPLE, last_col, 12, NULL);
    xw_text(w, ws, 0, 0, "Calibration by manager", w->b->f.title);
    lxw_row_t row = calibration_method(w, ws, 1);
    lxw_row_t header = row;
    calibration_header(w, ws, row++);
    for (size_t k = 0; k < w->b->view->manager_count; k++)
        manager_row(w, ws, row++, w->b->view->managers[k]);
    worksheet_freeze_panes(ws, header + 1, 1);
    xw_check(
        w, worksheet_autofilter(ws, header, 0, row > header + 1 ? row - 1 : header + 1, last_col));
    row = z_distribution(w, ws, row + 1);
    if (w->b->rv->calibrate)
        calibration_changes(w, ws, row + 1);
    xw_print_setup(w, ws, header);
}

/* The flag cell of one measure: the reference, a flag naming its ratio, or a low ratio that
 * Fisher's test does not confirm. */
static void fairness_flag(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                          const nl_rate_test *t, const char *measure)
{
    const nl_fairness_settings *set = &w->b->fw->fairness;
    char text[160] = "";
    lxw_format *format = w->b->f.text_after_number;
    if (t->reference) {
        nl_sformat(text, sizeof text, "reference (highest rate)");
    } else if (t->flagged) {
        nl_sformat(text, sizeof text, "FLAG: %s ratio < %g, p%s < %g", measure,
                   set->ratio_threshold, set->holm ? " (Holm)" : "", set->p_threshold);
        format = w->b->f.fail_after_number;
    } else if (t->ratio < set->ratio_threshold - 1e-9) {
        nl_sformat(text, sizeof text, "low ratio, but p%s >= %g: may be chance",
                   set->holm ? " (Holm)" : "", set->p_threshold);
    }
    xw_text(w, ws, row, col, text, format);
}

/* The Fairness sheet: one table per measure (Ready now, then Ready now or with risk), stacked,
 * each under its own heading and with the same columns, so that the sheet prints on one page
 * wide at nearly full size; the notes wrap in a merged range as wide as the tables. */
enum {
    FAIR_GROUP,
    FAIR_EVALUATED,
    FAIR_COUNT, /* people Ready now (or Ready now or with risk) */
    FAIR_RATE,
    FAIR_RATIO,
    FAIR_P,
    FAIR_P_ADJUSTED,
    FAIR_FLAG,
    FAIR_COLUMNS
};

/* Widths in characters: the group, six numbers under headers of two lines, and the flag, wide
 * enough for "FLAG: Ready now or with risk ratio < 0.8, p (Holm) < 0.05" on one line. */
static const double fairness_width[FAIR_COLUMNS] = {24, 11, 11, 11, 11, 11, 11, 56};

static const char *const fairness_measures[2] = {"Ready now", "Ready now or with risk"};

/* Height of a row whose tallest cell wraps text on lines lines. */
#define FAIR_LINE_HEIGHT 15.0

static double fairness_table_width(void)
{
    double width = 0;
    for (int c = 0; c < FAIR_COLUMNS; c++)
        width += fairness_width[c];
    return width;
}

/* A line of text wrapped in a range merged over the table's width, its row as tall as the text
 * needs, so that nothing runs right of the table or off the page. */
static lxw_row_t fairness_line(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const char *text)
{
    size_t lines = xw_wrapped_lines(text, fairness_table_width(), false);
    if (lines > 1)
        worksheet_set_row(ws, row, FAIR_LINE_HEIGHT * lines, NULL);
    xw_check(w, worksheet_merge_range(ws, row, FAIR_GROUP, row, FAIR_FLAG, "", w->b->f.wrap));
    xw_text(w, ws, row, FAIR_GROUP, text, w->b->f.wrap); /* cut at Excel's limit if need be */
    return row + 1;
}

static lxw_row_t fairness_owned_line(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, char *text)
{
    if (text == NULL) {
        w->out_of_memory = true;
        return row + 1;
    }
    row = fairness_line(w, ws, row, text);
    free(text);
    return row;
}

static lxw_row_t fairness_notes(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const nl_fairness *f = w->b->rv->fairness;
    const nl_fairness_settings *set = &w->b->fw->fairness;
    char text[1024];
    row = fairness_line(w, ws, row,
                        "Rate: the share of people evaluated (Ready now, Ready with risk or "
                        "Developing) who are Ready now, or Ready now or with risk: one table "
                        "each below.");
    nl_sformat(text, sizeof text,
               "Reference: the real group with the highest rate (never \"" NL_FAIRNESS_NOT_GIVEN
               "\" or \"" NL_FAIRNESS_OTHER "\"): %s for Ready now, %s for Ready now or with "
               "risk. Ratio: a group's rate over the reference's.",
               f->reference_ready != SIZE_MAX ? f->groups[f->reference_ready].name : "none",
               f->reference_either != SIZE_MAX ? f->groups[f->reference_either].name : "none");
    row = fairness_line(w, ws, row, text);
    nl_sformat(text, sizeof text,
               "Flagged only when both fail: the ratio is under %g (the four-fifths rule) AND "
               "Fisher's exact test (two-sided; the group against the reference, ready or not) "
               "gives p under %g%s. A low ratio with a higher p may be chance.",
               set->ratio_threshold, set->p_threshold,
               set->holm ? ", p adjusted by Holm's method for the number of groups compared" : "");
    row = fairness_line(w, ws, row, text);
    nl_sformat(text, sizeof text,
               "Groups of fewer than %g people evaluated are %s, so that nobody can be singled "
               "out. The group column appears on no other sheet and in no other output.",
               set->min_group_size,
               set->suppress_small ? "left out" : "merged into \"" NL_FAIRNESS_OTHER "\"");
    row = fairness_line(w, ws, row, text);
    if (!w->b->view->whole)
        row = fairness_line(w, ws, row,
                            "In this pack: the whole organisation's rates, as in the combined "
                            "workbook.");
    nl_sformat(text, sizeof text, "%zu of %zu groups flagged.", f->flagged, f->count);
    return fairness_line(w, ws, row, text);
}

/* The header of measure m's table, as tall as its longest name wraps. */
static void fairness_header(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, int m)
{
    const char *names[FAIR_COLUMNS] = {
        [FAIR_GROUP] = "Group",
        [FAIR_EVALUATED] = "People evaluated",
        [FAIR_COUNT] = fairness_measures[m],
        [FAIR_RATE] = "Rate",
        [FAIR_RATIO] = "Ratio to reference",
        [FAIR_P] = "p",
        [FAIR_P_ADJUSTED] = w->b->fw->fairness.holm ? "p adjusted (Holm)" : "p (not adjusted)",
        [FAIR_FLAG] = "Flag",
    };
    xw_fit_header_row(ws, row, names, fairness_width, FAIR_COLUMNS);
    for (int c = 0; c < FAIR_COLUMNS; c++) {
        lxw_format *format = c == FAIR_GROUP  ? w->b->f.header
                             : c == FAIR_FLAG ? w->b->f.header_after_number
                                              : w->b->f.header_number;
        xw_text(w, ws, row, (lxw_col_t)c, names[c], format);
    }
}

static void fairness_row(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const nl_group_rates *r,
                         int m)
{
    const nl_rate_test *t = m == 0 ? &r->ready : &r->either;
    xw_text(w, ws, row, FAIR_GROUP, r->name, NULL);
    xw_number(w, ws, row, FAIR_EVALUATED, (double)r->evaluated, w->b->f.integer);
    xw_number(w, ws, row, FAIR_COUNT, (double)(m == 0 ? r->ready_now : r->ready_or_risk),
              w->b->f.integer);
    xw_number(w, ws, row, FAIR_RATE, t->rate, w->b->f.percent);
    xw_number(w, ws, row, FAIR_RATIO, t->ratio, w->b->f.ratio);
    xw_number(w, ws, row, FAIR_P, t->p, w->b->f.p_value);
    xw_number(w, ws, row, FAIR_P_ADJUSTED, t->p_adjusted, w->b->f.p_value);
    fairness_flag(w, ws, row, FAIR_FLAG, t, fairness_measures[m]);
}

/* Measure m's table under its heading; returns the row after it. */
static lxw_row_t fairness_table(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, int m)
{
    const nl_fairness *f = w->b->rv->fairness;
    xw_text(w, ws, row++, FAIR_GROUP, fairness_measures[m], w->b->f.section);
    fairness_header(w, ws, row++, m);
    for (size_t g = 0; g < f->count; g++)
        fairness_row(w, ws, row++, &f->groups[g], m);
    if (f->count == 0)
        row = note(w, ws, row, "none: no group has enough people evaluated");
    return row;
}

void xw_fairness_sheet(xlsx_writer *w)
{
    lxw_worksheet *ws = w->b->fairness_sheet;
    const nl_fairness *f = w->b->rv->fairness;
    char text[1024];
    for (int c = 0; c < FAIR_COLUMNS; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, fairness_width[c], NULL);
    nl_sformat(text, sizeof text, "Fairness of the gates by %s", w->b->fw->fairness.group_column);
    xw_text(w, ws, 0, 0, text, w->b->f.title);
    lxw_row_t row = fairness_notes(w, ws, 1) + 1;
    row = fairness_table(w, ws, row, 0) + 1;
    row = fairness_table(w, ws, row, 1) + 1;
    if (f->merged_count > 0) {
        char *names_text = nl_strdup("Merged into " NL_FAIRNESS_OTHER ": ");
        for (size_t i = 0; i < f->merged_count && names_text; i++)
            names_text = nl_strjoin(names_text, i ? ", " : "", f->merged[i]);
        row = fairness_owned_line(w, ws, row, names_text);
    }
    if (f->suppressed_count > 0) {
        nl_sformat(text, sizeof text,
                   "Left out, too small even together (%zu people): ", f->suppressed_people);
        char *names_text = nl_strdup(text);
        for (size_t i = 0; i < f->suppressed_count && names_text; i++)
            names_text = nl_strjoin(names_text, i ? ", " : "", f->suppressed[i]);
        row = fairness_owned_line(w, ws, row, names_text);
    }
    /* Two tables with a header each: no one header row belongs on every page. */
    xw_print_setup(w, ws, XW_NO_HEADER_ROW);
}
