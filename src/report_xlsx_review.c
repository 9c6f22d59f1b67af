#include "report_xlsx_internal.h"

#include "nextlevel/strutil.h"

#include <math.h>
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

static lxw_row_t calibration_method(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const nl_calibration *c = w->b->rv->calibration;
    const nl_calibration_settings *set = &w->b->fw->calibration;
    char text[512];
    row = note(w, ws, row,
               "Rating gap: a person's mean score minus their current level's expectation, over "
               "the skills assessed. A manager's mean gap far from the organisation's suggests "
               "lenient or severe rating.");
    if (c->rated > 0)
        snprintf(text, sizeof text,
                 "Organisation: mean gap %.3f, standard deviation %.3f, over %zu people rated.",
                 c->mean_gap, c->sd, c->rated);
    else
        snprintf(text, sizeof text,
                 "Organisation: nobody has a rating gap (no assessed skill "
                 "that their own level expects).");
    row = note(w, ws, row, text);
    if (!w->b->view->whole)
        row = note(w, ws, row,
                   "In this pack: the managers of this pack's people, each with the same "
                   "organisation-wide figures as in the combined workbook.");
    snprintf(text, sizeof text,
             "z = (manager's mean gap - organisation's) / (SD / sqrt(people rated)); flagged "
             "lenient at z >= %g, severe at z <= -%g, with at least %g people rated.",
             set->z_threshold, set->z_threshold, set->min_team_size);
    row = note(w, ws, row, text);
    snprintf(text, sizeof text,
             "Adjustment = (manager's mean gap - organisation's) x n / (n + %g), rounded to "
             "%g: small teams shrink toward no adjustment. %s",
             set->shrinkage, set->step,
             w->b->rv->calibrate
                 ? "Applied (--calibrate): each score minus the adjustment."
                 : "Not applied: run with --calibrate to evaluate adjusted scores.");
    return note(w, ws, row, text) + 1;
}

static void calibration_header(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    static const char *const names[] = {
        "Manager", "People", "Rated",      "Mean rating gap", "Difference from organisation",
        "z",       "Flag",   "Adjustment", "Ready now share"};
    const nl_framework *fw = w->b->fw;
    lxw_col_t col = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        xw_text(w, ws, row, col++, names[i], w->b->f.header);
    for (size_t f = 0; f < fw->family_count; f++) {
        char name[160];
        snprintf(name, sizeof name, "%s attainment", fw->families[f]);
        xw_text(w, ws, row, col++, name, w->b->f.header);
        snprintf(name, sizeof name, "%s vs organisation", fw->families[f]);
        xw_text(w, ws, row, col++, name, w->b->f.header);
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
    xw_text(w, ws, row, 0, mc->manager, NULL);
    xw_number(w, ws, row, 1, (double)rm->people, w->b->f.integer);
    xw_number(w, ws, row, 2, (double)mc->rated, w->b->f.integer);
    xw_number(w, ws, row, 3, mc->mean_gap, w->b->f.number);
    xw_number(w, ws, row, 4, mc->offset, w->b->f.number);
    xw_number(w, ws, row, 5, mc->z, w->b->f.number);
    xw_text(w, ws, row, 6, nl_rater_flag_name(mc->flag), flag);
    xw_number(w, ws, row, 7, mc->adjustment, w->b->f.number);
    xw_number(w, ws, row, 8, rm->evaluated ? (double)rm->ready / (double)rm->evaluated : NAN,
              w->b->f.percent);
    for (size_t f = 0; f < w->b->fw->family_count; f++) {
        xw_number(w, ws, row, (lxw_col_t)(9 + 2 * f), rm->family_mean[f], w->b->f.percent);
        xw_number(w, ws, row, (lxw_col_t)(10 + 2 * f),
                  rm->family_mean[f] - w->b->rv->org_family_mean[f], w->b->f.percent);
    }
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
        xw_text(w, ws, row, (lxw_col_t)i, names[i], w->b->f.header);
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
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)(10 + 2 * w->b->fw->family_count), 12, NULL);
    xw_text(w, ws, 0, 0, "Calibration by manager", w->b->f.title);
    lxw_row_t row = calibration_method(w, ws, 1);
    lxw_row_t header = row;
    calibration_header(w, ws, row++);
    for (size_t k = 0; k < w->b->view->manager_count; k++)
        manager_row(w, ws, row++, w->b->view->managers[k]);
    worksheet_freeze_panes(ws, header + 1, 1);
    if (w->b->rv->calibrate)
        calibration_changes(w, ws, row + 1);
    xw_print_setup(w, ws, header);
}

void xw_fairness_sheet(xlsx_writer *w)
{
    static const char *const names[] = {
        "Group",          "People evaluated",          "Ready now",
        "Ready now rate", "Ratio to the highest rate", "Ready now or with risk",
        "Rate",           "Ratio to the highest rate", "Flag"};
    lxw_worksheet *ws = w->b->fairness_sheet;
    const nl_fairness *f = w->b->rv->fairness;
    const nl_fairness_settings *set = &w->b->fw->fairness;
    char text[1024];
    worksheet_set_column(ws, 0, 0, 28, NULL);
    worksheet_set_column(ws, 1, 8, 13, NULL);
    snprintf(text, sizeof text, "Fairness of the gates by %s", set->group_column);
    xw_text(w, ws, 0, 0, text, w->b->f.title);
    lxw_row_t row = note(w, ws, 1,
                         "Rate: the share of people evaluated (Ready now, Ready with risk or "
                         "Developing) who are Ready now, or Ready now or with risk.");
    snprintf(text, sizeof text,
             "Ratio: a group's rate over the highest group's rate; under %g is flagged (the "
             "four-fifths rule of adverse-impact analysis).",
             set->ratio_threshold);
    row = note(w, ws, row, text);
    snprintf(text, sizeof text,
             "Groups of fewer than %g people evaluated are %s, so that nobody can be singled "
             "out. The group column appears on no other sheet and in no other output.",
             set->min_group_size,
             set->suppress_small ? "left out" : "merged into \"Other (small groups)\"");
    row = note(w, ws, row, text);
    if (!w->b->view->whole)
        row = note(w, ws, row,
                   "In this pack: the whole organisation's rates, as in the combined workbook.");
    row++;
    lxw_row_t header = row;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        xw_text(w, ws, row, (lxw_col_t)i, names[i], w->b->f.header);
    worksheet_set_row(ws, row++, 30, NULL);
    for (size_t g = 0; g < f->count; g++, row++) {
        const nl_group_rates *r = &f->groups[g];
        xw_text(w, ws, row, 0, r->name, NULL);
        xw_number(w, ws, row, 1, (double)r->evaluated, w->b->f.integer);
        xw_number(w, ws, row, 2, (double)r->ready_now, w->b->f.integer);
        xw_number(w, ws, row, 3, r->rate_ready, w->b->f.percent);
        xw_number(w, ws, row, 4, r->ratio_ready, w->b->f.number);
        xw_number(w, ws, row, 5, (double)r->ready_or_risk, w->b->f.integer);
        xw_number(w, ws, row, 6, r->rate_ready_or_risk, w->b->f.percent);
        xw_number(w, ws, row, 7, r->ratio_ready_or_risk, w->b->f.number);
        xw_text(w, ws, row, 8, r->flagged ? "under the threshold" : "",
                r->flagged ? w->b->f.fail : NULL);
    }
    if (f->count == 0)
        row = note(w, ws, row, "none: no group has enough people evaluated");
    row++;
    if (f->merged_count > 0) {
        char *names_text = nl_strdup("Merged into Other (small groups): ");
        for (size_t i = 0; i < f->merged_count && names_text; i++)
            names_text = nl_strjoin(names_text, i ? ", " : "", f->merged[i]);
        xw_owned(w, ws, row++, 0, names_text, NULL);
    }
    if (f->suppressed_count > 0) {
        snprintf(text, sizeof text,
                 "Left out, too small even together (%zu people): ", f->suppressed_people);
        char *names_text = nl_strdup(text);
        for (size_t i = 0; i < f->suppressed_count && names_text; i++)
            names_text = nl_strjoin(names_text, i ? ", " : "", f->suppressed[i]);
        xw_owned(w, ws, row++, 0, names_text, NULL);
    }
    worksheet_freeze_panes(ws, header + 1, 1);
    xw_print_setup(w, ws, header);
}
