#include "report_xlsx_internal.h"

#include "nextlevel/describe.h"
#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes a header row of names starting at column first. */
static void header_row(xlsx_writer *w, lxw_worksheet *ws, lxw_col_t first, const char *const *names,
                       size_t count)
{
    for (size_t i = 0; i < count; i++)
        xw_text(w, ws, 0, (lxw_col_t)(first + i), names[i], w->f.header);
}

/* A table's column: its header and its width in characters. */
typedef struct column_spec {
    const char *name;
    double width;
} column_spec;

/* Writes a table's header row and widths, freezes the header and the first frozen_columns
 * columns, and sets up printing. */
static void table_header(xlsx_writer *w, lxw_worksheet *ws, const column_spec *columns,
                         size_t count, lxw_col_t frozen_columns)
{
    for (size_t i = 0; i < count; i++) {
        xw_text(w, ws, 0, (lxw_col_t)i, columns[i].name, w->f.header);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, columns[i].width, NULL);
    }
    worksheet_freeze_panes(ws, 1, frozen_columns);
    xw_print_setup(w, ws, 0);
}

/* The ID, name and team cells that open the Skill gaps and Trend rows. */
static void identity_cells(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const nl_person *p)
{
    xw_text(w, ws, row, 0, p->id, NULL);
    xw_text(w, ws, row, 1, p->name, NULL);
    xw_text(w, ws, row, 2, p->team, NULL);
}

/* "L4 Staff Engineer" */
static char *level_label(const nl_level *level)
{
    char *s = nl_strdup(level->id);
    return s ? nl_strjoin(s, " ", level->title) : NULL;
}

/* ---- Readiness ---- */

/* Readiness columns: the printed part first (identity, outcome, scores, reasons), then the
 * detail that is read on screen (profiles, tipping text, tracks, missing data, source). */
static const char *const readiness_before[] = {"ID",    "Name",       "Team",    "Manager",
                                               "Level", "Next level", "Outcome", "Readiness score"};
static const char *const readiness_after[] = {"Band",
                                              "Priorities",
                                              "Tipping weight",
                                              "Distance to ready (points)",
                                              "Top reasons",
                                              "Mitigations",
                                              "Outcome by profile",
                                              "Tipping point",
                                              "Distance to ready with risk (points)",
                                              "Tracks",
                                              "Missing",
                                              "Quarters to ready",
                                              "Growth per quarter (points)",
                                              "Outcome last quarter",
                                              "Readiness change",
                                              "Source"};
/* Columns after the families that are printed: up to Mitigations. */
#define READINESS_PRINTED_AFTER 6

void xw_readiness_header(xlsx_writer *w, lxw_worksheet *ws)
{
    const nl_framework *fw = w->fw;
    size_t before = sizeof readiness_before / sizeof *readiness_before;
    size_t after = sizeof readiness_after / sizeof *readiness_after;
    worksheet_set_row(ws, 0, 30, NULL);
    header_row(w, ws, 0, readiness_before, before);
    if (w->family_col > 8)
        xw_text(w, ws, 0, 7, "Calibrated outcome", w->f.header);
    xw_text(w, ws, 0, (lxw_col_t)(w->family_col - 1), "Readiness score", w->f.header);
    for (size_t f = 0; f < fw->family_count; f++) {
        char name[128];
        snprintf(name, sizeof name, "%c%s attainment", fw->families[f][0] & ~0x20,
                 fw->families[f] + 1);
        xw_text(w, ws, 0, (lxw_col_t)(w->family_col + f), name, w->f.header);
    }
    lxw_col_t next = (lxw_col_t)(w->family_col + fw->family_count);
    header_row(w, ws, next, readiness_after, after);
    worksheet_set_column(ws, next, next, 14, NULL);
    next++; /* the widths below were laid out for the columns after Band */
    worksheet_set_column(ws, 0, 0, 8, NULL);
    worksheet_set_column(ws, 1, 1, 20, NULL);
    worksheet_set_column(ws, 2, 3, 14, NULL);
    worksheet_set_column(ws, 4, 5, 22, NULL);
    worksheet_set_column(ws, 6, (lxw_col_t)(w->family_col - 2), 14, NULL);
    worksheet_set_column(ws, (lxw_col_t)(w->family_col - 1), (lxw_col_t)(next - 1), 10, NULL);
    worksheet_set_column(ws, next, next, 12, NULL);
    worksheet_set_column(ws, (lxw_col_t)(next + 1), (lxw_col_t)(next + 2), 10, NULL);
    worksheet_set_column(ws, (lxw_col_t)(next + 3), (lxw_col_t)(next + 3), 60, NULL);
    worksheet_set_column(ws, (lxw_col_t)(next + 4), (lxw_col_t)(next + 4), 40, NULL);
    worksheet_set_column(ws, (lxw_col_t)(next + 5), (lxw_col_t)(next + 6), 36, NULL);
    worksheet_set_column(ws, (lxw_col_t)(next + 7), (lxw_col_t)(next + 14), 18, NULL);
    worksheet_freeze_panes(ws, 1, 2);
    xw_print_setup(w, ws, 0);
    /* Print what leadership reads; the detail columns stay on screen. */
    worksheet_print_area(ws, 0, 0, LXW_ROW_MAX - 1,
                         (lxw_col_t)(next - 1 + READINESS_PRINTED_AFTER - 1));
}

/* Rows of wrapped text get a height for their longest cell: viewers do not all grow rows
 * themselves, and a fixed height keeps the printed page predictable. width is in characters
 * of the column; at most 10 lines are made room for. */
static void fit_row(lxw_worksheet *ws, lxw_row_t row, const char *const *texts,
                    const double *widths, size_t count)
{
    double lines = 1;
    for (size_t i = 0; i < count; i++) {
        if (texts[i] == NULL)
            continue;
        double needed = ceil((double)strlen(texts[i]) / (widths[i] * 0.95));
        lines = needed > lines ? needed : lines;
    }
    if (lines > 1)
        worksheet_set_row(ws, row, 12.75 * (lines < 10 ? lines : 10), NULL);
}

static void readiness_row(xlsx_writer *w, const person_summary *s, const nl_person_result *r)
{
    const nl_framework *fw = w->fw;
    const nl_person *p = r->person;
    const nl_track_result *t = nl_person_result_track(r);
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(w->m, &file_count);
    lxw_row_t row;
    lxw_worksheet *ws = xw_next_row(w, &w->readiness, &row);
    if (ws == NULL)
        return;
    lxw_format *wrap = w->f.wrap;
    char *reasons = nl_describe_summary(fw, r);
    char *mitigations = t ? nl_describe_mitigations(fw, t) : nl_strdup("");
    const char *long_texts[] = {reasons, mitigations};
    const double widths[] = {60, 40};
    fit_row(ws, row, long_texts, widths, 2);
    xw_text(w, ws, row, 0, p->id, NULL);
    xw_text(w, ws, row, 1, p->name, NULL);
    xw_text(w, ws, row, 2, p->team, NULL);
    xw_text(w, ws, row, 3, p->manager, NULL);
    xw_owned(w, ws, row, 4, level_label(&fw->levels[p->level]), NULL);
    if (t != NULL)
        xw_owned(w, ws, row, 5, level_label(&fw->levels[t->next_level]), NULL);
    xw_text(w, ws, row, 6, nl_outcome_name(r->outcome), w->f.outcome[r->outcome]);
    if (w->family_col > 8)
        xw_text(w, ws, row, 7, nl_outcome_name(s->calibrated_outcome),
                w->f.outcome[s->calibrated_outcome]);
    xw_number(w, ws, row, (lxw_col_t)(w->family_col - 1), t ? t->readiness : NAN, w->f.score);
    for (size_t f = 0; f < fw->family_count; f++)
        xw_number(w, ws, row, (lxw_col_t)(w->family_col + f), t ? t->family_attainment[f] : NAN,
                  w->f.percent);
    lxw_col_t c = (lxw_col_t)(w->family_col + fw->family_count);
    xw_text(w, ws, row, c++, nl_band_name(s->band.band), NULL);
    xw_text(w, ws, row, c, r->robust ? "Robust" : "Depends on priorities", wrap);
    xw_number(w, ws, row, (lxw_col_t)(c + 1), r->tipping_weight, w->f.number);
    bool planned = t && (t->outcome == NL_DEVELOPING || t->outcome == NL_READY_WITH_RISK);
    xw_number(w, ws, row, (lxw_col_t)(c + 2), planned ? t->distance : NAN, w->f.score);
    xw_owned(w, ws, row, (lxw_col_t)(c + 3), reasons, wrap);
    xw_owned(w, ws, row, (lxw_col_t)(c + 4), mitigations, wrap);
    xw_owned(w, ws, row, (lxw_col_t)(c + 5), nl_describe_profiles(fw, r), NULL);
    xw_owned(w, ws, row, (lxw_col_t)(c + 6), nl_describe_tipping(fw, w->ev, r), NULL);
    if (t != NULL) {
        xw_number(w, ws, row, (lxw_col_t)(c + 7), planned ? t->distance_hard : NAN, w->f.score);
        xw_owned(w, ws, row, (lxw_col_t)(c + 8), nl_describe_tracks(fw, r), NULL);
        xw_owned(w, ws, row, (lxw_col_t)(c + 9), nl_describe_missing(fw, t), NULL);
    }
    xw_number(w, ws, row, (lxw_col_t)(c + 10), s->band.quarters, w->f.score);
    if (!isnan(s->band.growth)) {
        char growth[64];
        snprintf(growth, sizeof growth, "%g (%s)", s->band.growth,
                 s->band.growth_measured ? "measured" : "template");
        xw_text(w, ws, row, (lxw_col_t)(c + 11), growth, NULL);
    }
    if (s->trend.previous != NULL) {
        xw_text(w, ws, row, (lxw_col_t)(c + 12), nl_outcome_name(s->trend.outcome_then),
                w->f.outcome[s->trend.outcome_then]);
        xw_number(w, ws, row, (lxw_col_t)(c + 13), s->trend.change, w->f.score);
    } else if (w->history != NULL) {
        xw_text(w, ws, row, (lxw_col_t)(c + 12), "new this quarter", NULL);
    }
    char source[1200];
    snprintf(source, sizeof source, "%s:%ld", files[p->file].path, p->line);
    xw_text(w, ws, row, (lxw_col_t)(c + 14), source, NULL);
}

/* ---- Gates ---- */

static const column_spec gates_columns[] = {{"ID", 10},     {"Name", 22},     {"Next level", 8},
                                            {"Gate", 30},   {"Kind", 20},     {"Severity", 11},
                                            {"Status", 11}, {"Required", 10}, {"Actual", 10},
                                            {"Margin", 10}, {"Reason", 90}};

void xw_gates_header(xlsx_writer *w, lxw_worksheet *ws)
{
    table_header(w, ws, gates_columns, sizeof gates_columns / sizeof *gates_columns, 2);
}

void xw_gate_rows(xlsx_writer *w, const nl_person_result *r)
{
    const nl_framework *fw = w->fw;
    const nl_track_result *t = nl_person_result_track(r);
    for (size_t g = 0; t != NULL && g < t->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        const nl_gate_result *gr = &t->gates[g];
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, &w->gates, &row);
        if (ws == NULL)
            return;
        const char *reason[] = {gr->reason};
        const double width[] = {90};
        fit_row(ws, row, reason, width, 1);
        xw_text(w, ws, row, 0, r->person->id, NULL);
        xw_text(w, ws, row, 1, r->person->name, NULL);
        xw_text(w, ws, row, 2, fw->levels[t->next_level].id, NULL);
        xw_text(w, ws, row, 3, gate->title, NULL);
        xw_text(w, ws, row, 4, nl_gate_kind_name(gate->kind), NULL);
        xw_text(w, ws, row, 5, gate->severity == NL_HARD ? "hard" : "soft", NULL);
        lxw_format *status = gr->status == NL_GATE_PASS   ? w->f.pass
                             : gr->status == NL_GATE_FAIL ? w->f.fail
                                                          : w->f.skipped;
        xw_text(w, ws, row, 6,
                gr->status == NL_GATE_PASS   ? "pass"
                : gr->status == NL_GATE_FAIL ? "fail"
                                             : "not checked",
                status);
        xw_number(w, ws, row, 7, gr->required, w->f.number);
        xw_number(w, ws, row, 8, gr->actual, w->f.number);
        xw_number(w, ws, row, 9, gr->margin, w->f.number);
        xw_text(w, ws, row, 10, gr->reason, w->f.wrap);
    }
}

/* ---- Development plans ---- */

/* One row per person: a plan is read as a whole ("what would it take?"), and one row per step
 * would multiply the sheet by the steps, some fifteen a person in a large company. */
static const column_spec plan_columns[] = {{"ID", 10},
                                           {"Name", 22},
                                           {"Team", 14},
                                           {"Outcome", 16},
                                           {"Next level", 10},
                                           {"Distance to ready (points)", 12},
                                           {"Distance to ready with risk (points)", 12},
                                           {"Raises to clear the hard gates, largest first", 60},
                                           {"Further raises to clear the soft gates", 45},
                                           {"Not cleared by raising scores", 50}};

void xw_plans_header(xlsx_writer *w, lxw_worksheet *ws)
{
    table_header(w, ws, plan_columns, sizeof plan_columns / sizeof *plan_columns, 2);
    worksheet_set_row(ws, 0, 30, NULL);
}

/* "system_design +1 (3 -> 4); coding +0.5 (3.5 -> 4)" for the steps of one kind. */
static char *plan_steps(const nl_framework *fw, const nl_track_result *t, bool soft)
{
    char *text = nl_strdup("");
    for (size_t i = 0; i < t->plan_count && text != NULL; i++) {
        const nl_plan_step *step = &t->plan[i];
        if (step->for_soft_gates != soft)
            continue;
        char item[512];
        snprintf(item, sizeof item, "%s +%g (%g -> %g)", fw->skills[step->skill].name,
                 step->to - step->from, step->from, step->to);
        text = nl_strjoin(text, *text ? "; " : "", item);
    }
    return text;
}

static void plan_rows(xlsx_writer *w, const nl_person_result *r)
{
    const nl_framework *fw = w->fw;
    const nl_track_result *t = nl_person_result_track(r);
    if (t == NULL || (t->outcome != NL_DEVELOPING && t->outcome != NL_READY_WITH_RISK))
        return;
    lxw_row_t row;
    lxw_worksheet *ws = xw_next_row(w, &w->plans, &row);
    if (ws == NULL)
        return;
    char *hard = plan_steps(fw, t, false), *soft = plan_steps(fw, t, true);
    char *blockers = nl_strdup("");
    for (size_t i = 0; i < t->blocker_count && blockers != NULL; i++)
        blockers = nl_strjoin(blockers, i ? "; " : "", t->blockers[i]);
    const char *texts[] = {hard, soft, blockers};
    const double widths[] = {60, 45, 50};
    fit_row(ws, row, texts, widths, 3);
    xw_text(w, ws, row, 0, r->person->id, NULL);
    xw_text(w, ws, row, 1, r->person->name, NULL);
    xw_text(w, ws, row, 2, r->person->team, NULL);
    xw_text(w, ws, row, 3, nl_outcome_name(r->outcome), w->f.outcome[r->outcome]);
    xw_text(w, ws, row, 4, fw->levels[t->next_level].id, NULL);
    xw_number(w, ws, row, 5, t->distance, w->f.score);
    xw_number(w, ws, row, 6, t->distance_hard, w->f.score);
    xw_owned(w, ws, row, 7, hard, w->f.wrap);
    xw_owned(w, ws, row, 8, soft, w->f.wrap);
    xw_owned(w, ws, row, 9, blockers, w->f.wrap);
}

void xw_person_rows(xlsx_writer *w, const person_summary *s, const nl_person_result *result)
{
    readiness_row(w, s, result);
    plan_rows(w, result);
}

/* ---- Skill gaps ---- */

void xw_gaps_header(xlsx_writer *w, lxw_worksheet *ws)
{
    const nl_framework *fw = w->fw;
    static const char *const names[] = {"ID", "Name", "Team", "Next level"};
    header_row(w, ws, 0, names, 4);
    for (size_t s = 0; s < fw->skill_count; s++) {
        char name[512];
        snprintf(name, sizeof name, "%s (%s)", fw->skills[s].name,
                 fw->families[fw->skills[s].family]);
        xw_text(w, ws, 0, (lxw_col_t)(4 + s), name, w->f.header);
    }
    worksheet_set_row(ws, 0, 45, NULL);
    worksheet_set_column(ws, 0, 0, 10, NULL);
    worksheet_set_column(ws, 1, 1, 22, NULL);
    worksheet_set_column(ws, 2, 2, 14, NULL);
    worksheet_set_column(ws, 3, 3, 26, NULL);
    worksheet_set_column(ws, 4, (lxw_col_t)(4 + fw->skill_count), 12, NULL);
    worksheet_freeze_panes(ws, 1, 2);
    xw_print_setup(w, ws, 0);
}

/* Orders people by next level, keeping the Readiness order within each level (a counting
 * sort: there are few levels and possibly a million people). Returns false when out of
 * memory. */
static bool sort_by_next_level(const xlsx_writer *w, size_t *order)
{
    size_t buckets = w->fw->level_count + 1; /* the last one: top of the ladder */
    size_t *start = calloc(buckets + 1, sizeof *start);
    if (start == NULL)
        return false;
    for (size_t i = 0; i < w->count; i++) {
        size_t next = w->people[w->order[i]].next_level;
        start[(next == SIZE_MAX ? buckets - 1 : next) + 1]++;
    }
    for (size_t b = 1; b <= buckets; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < w->count; i++) {
        size_t next = w->people[w->order[i]].next_level;
        order[start[next == SIZE_MAX ? buckets - 1 : next]++] = w->order[i];
    }
    free(start);
    return true;
}

static void gaps_group_row(xlsx_writer *w, size_t level)
{
    const nl_framework *fw = w->fw;
    const nl_level *next = &fw->levels[level];
    lxw_row_t row;
    lxw_worksheet *ws = xw_next_row(w, &w->gaps, &row);
    if (ws == NULL)
        return;
    char label[512];
    snprintf(label, sizeof label, "Expected at %s %s", next->id, next->title);
    for (lxw_col_t c = 0; c < 4; c++)
        xw_text(w, ws, row, c, c == 0 ? label : "", w->f.group_row);
    for (size_t s = 0; s < fw->skill_count; s++) {
        char expected[32] = "-";
        if (!isnan(next->expected[s]))
            snprintf(expected, sizeof expected, "expects %g", next->expected[s]);
        xw_text(w, ws, row, (lxw_col_t)(4 + s), expected, w->f.group_row);
    }
}

void xw_gaps_sheet(xlsx_writer *w)
{
    const nl_framework *fw = w->fw;
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    size_t *order = malloc((w->count ? w->count : 1) * sizeof *order);
    if (order == NULL) {
        w->out_of_memory = true;
        return;
    }
    if (!sort_by_next_level(w, order)) {
        free(order);
        w->out_of_memory = true;
        return;
    }
    size_t group = SIZE_MAX;
    lxw_row_t first_row = 1;
    for (size_t i = 0; i < w->count; i++) {
        const person_summary *s = &w->people[order[i]];
        if (s->next_level == SIZE_MAX)
            continue;
        if (s->next_level != group) {
            group = s->next_level;
            gaps_group_row(w, group);
        }
        const nl_person *p = &people[s->person];
        const nl_level *next = &fw->levels[s->next_level];
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, &w->gaps, &row);
        if (ws == NULL)
            break;
        identity_cells(w, ws, row, p);
        xw_text(w, ws, row, 3, next->id, NULL);
        for (size_t k = 0; k < fw->skill_count; k++) {
            lxw_col_t col = (lxw_col_t)(4 + k);
            if (isnan(next->expected[k]))
                continue;
            if (isnan(p->scores[k]))
                xw_text(w, ws, row, col, "not assessed", w->f.not_assessed);
            else
                xw_number(w, ws, row, col, p->scores[k] - next->expected[k], w->f.score);
        }
    }
    free(order);
    /* Red below the expectation, white at it, green above, on every sheet of the series. */
    lxw_conditional_format scale = {
        .type = LXW_CONDITIONAL_3_COLOR_SCALE,
        .min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
        .min_value = -2,
        .min_color = 0xF8696B,
        .mid_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
        .mid_value = 0,
        .mid_color = 0xFFFFFF,
        .max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
        .max_value = 2,
        .max_color = 0x63BE7B,
    };
    for (size_t i = 0; i < w->gaps.count && fw->skill_count > 0; i++) {
        lxw_row_t last = i + 1 < w->gaps.count ? (lxw_row_t)w->max_rows : w->gaps.row - 1;
        if (last >= first_row)
            xw_check(w, worksheet_conditional_format_range(w->gaps.sheets[i], first_row, 4, last,
                                                           (lxw_col_t)(4 + fw->skill_count - 1),
                                                           &scale));
    }
}

/* ---- Trend ---- */

static const column_spec trend_columns[] = {{"ID", 10},
                                            {"Name", 22},
                                            {"Team", 14},
                                            {"Status", 12},
                                            {"Level last quarter", 12},
                                            {"Level now", 12},
                                            {"Outcome last quarter", 16},
                                            {"Outcome now", 16},
                                            {"Readiness last quarter", 12},
                                            {"Readiness now", 12},
                                            {"Change", 10},
                                            {"Skill changes", 60}};

void xw_trend_header(xlsx_writer *w, lxw_worksheet *ws)
{
    table_header(w, ws, trend_columns, sizeof trend_columns / sizeof *trend_columns, 2);
}

/* Trend order: people seen last quarter by change (largest rise first, no change last), then
 * the new ones, in Readiness order. */
static int compare_trend(const void *a, const void *b)
{
    const person_summary *x = *(person_summary *const *)a, *y = *(person_summary *const *)b;
    int gx = x->trend.previous == NULL ? 2 : isnan(x->trend.change) ? 1 : 0;
    int gy = y->trend.previous == NULL ? 2 : isnan(y->trend.change) ? 1 : 0;
    if (gx != gy)
        return gx - gy;
    if (gx == 0 && x->trend.change != y->trend.change)
        return x->trend.change > y->trend.change ? -1 : 1;
    return (x > y) - (x < y);
}

static void trend_row(xlsx_writer *w, const nl_person *p, const char *status, const nl_person *then,
                      nl_outcome outcome_then, double readiness_then, const person_summary *now)
{
    const nl_framework *fw = w->fw;
    lxw_row_t row;
    lxw_worksheet *ws = xw_next_row(w, &w->trend, &row);
    if (ws == NULL)
        return;
    identity_cells(w, ws, row, p);
    if (then != NULL) {
        xw_text(w, ws, row, 4, fw->levels[then->level].id, NULL);
        xw_text(w, ws, row, 6, nl_outcome_name(outcome_then), w->f.outcome[outcome_then]);
        xw_number(w, ws, row, 8, readiness_then, w->f.score);
    }
    lxw_format *direction = w->f.skipped;
    if (now != NULL) {
        xw_text(w, ws, row, 5, fw->levels[p->level].id, NULL);
        xw_text(w, ws, row, 7, nl_outcome_name(now->outcome), w->f.outcome[now->outcome]);
        xw_number(w, ws, row, 9, now->readiness, w->f.score);
        double change = now->trend.change;
        direction = isnan(change) || fabs(change) < 0.05 ? NULL
                    : change > 0                         ? w->f.pass
                                                         : w->f.fail;
        xw_number(w, ws, row, 10, change, direction ? direction : w->f.score);
        if (then != NULL)
            xw_owned(w, ws, row, 11, nl_describe_skill_changes(fw, p, then), NULL);
    }
    xw_text(w, ws, row, 3, status, now == NULL || then == NULL ? w->f.skipped : NULL);
}

void xw_trend_sheet(xlsx_writer *w)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->m, &people_count);
    const person_summary **order = malloc((w->count ? w->count : 1) * sizeof *order);
    if (order == NULL) {
        w->out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < w->count; i++)
        order[i] = &w->people[w->order[i]];
    qsort(order, w->count, sizeof *order, compare_trend);
    for (size_t i = 0; i < w->count; i++) {
        const person_summary *s = order[i];
        const nl_trend *t = &s->trend;
        trend_row(w, &people[s->person], nl_trend_status_name(s->trend_status), t->previous,
                  t->outcome_then, t->readiness_then, s);
    }
    free(order);
    /* Then last quarter's people who are not here, with their result then. */
    const nl_review *rv = w->rv;
    size_t then_count;
    const nl_person *then = nl_matrix_people(rv->previous, &then_count);
    for (size_t k = 0; k < w->view->leaver_count; k++) {
        const nl_review_leaver *l = &rv->leavers[w->view->leavers[k]];
        trend_row(w, &then[l->person], l->rejected_now ? "row rejected this quarter" : "left",
                  &then[l->person], l->outcome_then, l->readiness_then, NULL);
    }
}

/* ---- Rejected rows ---- */

void xw_rejected_header(xlsx_writer *w, lxw_worksheet *ws)
{
    static const column_spec columns[] = {
        {"File", 36}, {"Line", 8}, {"Column", 8}, {"ID", 10}, {"Reason", 100}};
    table_header(w, ws, columns, 5, 0);
}

void xw_rejected_sheet(xlsx_writer *w)
{
    size_t count, file_count;
    const nl_rejection *rejections = nl_matrix_rejections(w->m, &count);
    const nl_file_summary *files = nl_matrix_files(w->m, &file_count);
    if (!w->view->whole) {
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, &w->rejected, &row);
        char note[160];
        snprintf(note, sizeof note,
                 "Rejected rows are listed in the combined workbook (%zu in this run).", count);
        if (ws != NULL)
            xw_text(w, ws, row, 0, note, NULL);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, &w->rejected, &row);
        if (ws == NULL)
            return;
        xw_text(w, ws, row, 0, files[rejections[i].file].path, NULL);
        xw_number(w, ws, row, 1, (double)rejections[i].line, w->f.integer);
        if (rejections[i].column > 0)
            xw_number(w, ws, row, 2, (double)rejections[i].column, w->f.integer);
        xw_text(w, ws, row, 3, rejections[i].id, NULL);
        xw_text(w, ws, row, 4, rejections[i].reason, NULL);
    }
}

/* Puts "none" on a sheet series that got no rows, and filters over those that did. */
static void finish_series(xlsx_writer *w, sheet_series *series, lxw_col_t last_col,
                          const char *none)
{
    if (series->current == 0 && series->row == 1) {
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, series, &row);
        if (ws != NULL)
            xw_text(w, ws, row, 0, none, NULL);
        return;
    }
    for (size_t i = 0; i < series->count; i++) {
        lxw_row_t last = i + 1 < series->count ? (lxw_row_t)w->max_rows : series->row - 1;
        xw_check(w, worksheet_autofilter(series->sheets[i], 0, 0, last, last_col));
    }
}

void xw_finish_person_sheets(xlsx_writer *w)
{
    const nl_framework *fw = w->fw;
    size_t readiness_cols =
        w->family_col + fw->family_count + sizeof readiness_after / sizeof *readiness_after;
    finish_series(w, &w->readiness, (lxw_col_t)(readiness_cols - 1), "none");
    if (!w->opt->summary_detail) {
        finish_series(w, &w->gates, 10, "none");
        finish_series(w, &w->gaps, (lxw_col_t)(3 + fw->skill_count), "none");
    }
    finish_series(w, &w->plans, 9, "none: nobody needs a plan");
    if (w->history != NULL)
        finish_series(w, &w->trend, 11, "none");
    finish_series(w, &w->rejected, 4, "none: every input row was evaluated");
}
