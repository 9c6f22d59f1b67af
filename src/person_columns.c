#include "nextlevel/person_columns.h"

#include "nextlevel/describe.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cells ---- */

static bool text(nl_cell *out, const char *value)
{
    *out = (nl_cell){.kind = NL_CELL_TEXT, .text = value ? value : ""};
    return true;
}

/* Takes an owned text; NULL means out of memory. */
static bool owned(nl_cell *out, char *value)
{
    *out = (nl_cell){.kind = NL_CELL_OWNED, .owned = value, .text = value};
    return value != NULL;
}

static bool number(nl_cell *out, double value)
{
    *out = (nl_cell){.kind = NL_CELL_NUMBER, .number = value};
    return true;
}

static bool outcome(nl_cell *out, nl_outcome value)
{
    *out = (nl_cell){.kind = NL_CELL_TEXT, .text = nl_outcome_name(value), .outcome = value};
    return true;
}

static bool empty(nl_cell *out)
{
    *out = (nl_cell){.kind = NL_CELL_EMPTY};
    return true;
}

void nl_cell_clear(nl_cell *cell)
{
    free(cell->owned);
    *cell = (nl_cell){.kind = NL_CELL_EMPTY};
}

/* "L4 Staff Engineer" */
static char *level_label(const nl_level *level)
{
    char *s = nl_strdup(level->id);
    return s ? nl_strjoin(s, " ", level->title) : NULL;
}

static const nl_level *level_of(const nl_person_row *row)
{
    return &row->rv->fw->levels[row->p->level];
}

static const nl_level *next_level_of(const nl_person_row *row)
{
    return row->t ? &row->rv->fw->levels[row->t->next_level] : NULL;
}

/* Whether the deciding track has distances to ready: everyone evaluated (0 when Ready now). */
static bool measured(const nl_person_row *row)
{
    return row->t && row->t->outcome <= NL_DEVELOPING;
}

/* ---- identity ---- */

static bool id_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->p->id);
}

static bool name_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->p->name);
}

static bool team_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->p->team);
}

static bool manager_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->p->manager);
}

static bool level_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, level_of(row)->id);
}

static bool level_title_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, level_of(row)->title);
}

static bool level_label_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, level_label(level_of(row)));
}

static bool milestone_points_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return number(out, row->r->milestone_points);
}

/* The file's level when it is not the one the person's milestone points place them at. */
static bool level_in_file_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    const nl_framework *fw = row->rv->fw;
    return text(out,
                nl_person_level_disagrees(fw, row->p) ? fw->levels[row->p->level_in_file].id : "");
}

static bool next_level_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->t ? next_level_of(row)->id : "");
}

static bool next_level_title_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->t ? next_level_of(row)->title : "");
}

static bool next_level_label_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return row->t ? owned(out, level_label(next_level_of(row))) : empty(out);
}

/* ---- operating level ---- */

static bool evaluated(const nl_person_row *row)
{
    return row->r->operating_level != SIZE_MAX;
}

static bool operating_level_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return evaluated(row) ? text(out, row->rv->fw->levels[row->r->operating_level].id) : empty(out);
}

static bool levels_above_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    if (!evaluated(row))
        return number(out, NAN);
    *out = (nl_cell){.kind = NL_CELL_INTEGER, .integer = (long long)row->r->levels_above};
    return true;
}

/* ---- outcome and scores ---- */

static bool outcome_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return outcome(out, row->r->outcome);
}

static bool calibrated_outcome_sheet_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return outcome(out, row->s->calibrated_outcome);
}

static bool readiness_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    bool ok = number(out, row->t ? row->t->readiness : NAN);
    /* A template without skills scores none: the sheet says so, CSV leaves the cell empty. */
    if (row->t != NULL && !nl_framework_has_skills(row->rv->fw))
        out->text = NL_READINESS_NOT_APPLICABLE;
    return ok;
}

static bool attainment_cell(const nl_person_row *row, size_t family, nl_cell *out)
{
    return number(out, row->t ? row->t->family_attainment[family] : NAN);
}

/* The template's performance attribute, NAN when not given or without one. */
static bool performance_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    size_t a = row->rv->performance;
    return number(out, a != SIZE_MAX ? row->p->attributes[a] : NAN);
}

/* ---- reasons ---- */

static bool reasons_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, nl_describe_summary(row->rv->fw, row->r));
}

static bool risks_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, row->t ? nl_describe_failed(row->rv->fw, row->t, NL_SOFT) : nl_strdup(""));
}

static bool mitigations_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, row->t ? nl_describe_mitigations(row->rv->fw, row->t) : nl_strdup(""));
}

static bool robust_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->r->robust ? "yes" : "no");
}

static bool priorities_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->r->robust ? "Robust" : "Depends on priorities");
}

static bool profiles_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, nl_describe_profiles(row->rv->fw, row->r));
}

static bool tipping_weight_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return number(out, row->r->tipping_weight);
}

static bool tipping_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, nl_describe_tipping(row->rv->fw, row->rv->ev, row->r));
}

static bool tracks_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, nl_describe_tracks(row->rv->fw, row->r));
}

/* ---- the promotion budget ---- */

static bool slate_rank_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    if (row->s->slate == NL_SLATE_NONE)
        return empty(out);
    *out = (nl_cell){.kind = NL_CELL_INTEGER, .integer = (long long)row->s->slate_rank};
    return true;
}

static bool on_slate_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, nl_slate_mark_name(row->s->slate));
}

/* ---- the plan ---- */

static bool distance_hard_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return number(out, measured(row) ? row->t->distance_hard : NAN);
}

static bool distance_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return number(out, measured(row) ? row->t->distance : NAN);
}

static bool plan_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, row->t ? nl_describe_plan(row->rv->fw, row->t) : nl_strdup(""));
}

static bool blockers_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    char *blockers = nl_strdup("");
    for (size_t i = 0; row->t && blockers && i < row->t->blocker_count; i++)
        blockers = nl_strjoin(blockers, *blockers ? "; " : "", row->t->blockers[i]);
    return owned(out, blockers);
}

static bool missing_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return owned(out, row->t ? nl_describe_missing(row->rv->fw, row->t) : nl_strdup(""));
}

/* ---- band and trend ---- */

static bool band_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, nl_band_name(row->s->band.band));
}

static bool quarters_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    /* Whole quarters; none (a blank) when no growth gives an estimate. */
    double quarters = row->s->band.quarters;
    if (!isfinite(quarters))
        return number(out, NAN);
    *out = (nl_cell){.kind = NL_CELL_INTEGER, .integer = (long long)quarters};
    return true;
}

static bool growth_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return number(out, row->s->band.growth);
}

static const char *growth_source(const nl_band_info *band)
{
    return isnan(band->growth) ? "" : band->growth_measured ? "measured" : "template";
}

static bool growth_source_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, growth_source(&row->s->band));
}

static bool trend_status_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, nl_trend_status_name(row->s->trend_status));
}

static bool outcome_then_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->s->trend.previous ? nl_outcome_name(row->s->trend.outcome_then) : "");
}

/* On the sheet: last quarter's outcome, coloured, or "new this quarter". */
static bool outcome_then_sheet_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    if (row->s->trend.previous != NULL)
        return outcome(out, row->s->trend.outcome_then);
    if (row->rv->previous != NULL) {
        /* Plain text: an outcome style needs an outcome. */
        *out = (nl_cell){
            .kind = NL_CELL_TEXT, .text = "new this quarter", .outcome = NL_OUTCOME_COUNT};
        return true;
    }
    return empty(out);
}

static bool readiness_then_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return number(out, row->s->trend.readiness_then);
}

static bool change_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return number(out, row->s->trend.change);
}

static bool skill_changes_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    const nl_trend *trend = &row->s->trend;
    return owned(out, trend->previous
                          ? nl_describe_skill_changes(row->rv->fw, row->p, trend->previous)
                          : nl_strdup(""));
}

/* ---- calibration ---- */

static bool adjustment_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    const nl_calibration *c = row->rv->calibration;
    return number(out,
                  row->rv->calibrate ? c->managers[c->manager_of[row->s->person]].adjustment : NAN);
}

static bool calibrated_outcome_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, row->rv->calibrate ? nl_outcome_name(row->s->calibrated_outcome) : "");
}

static bool calibrated_readiness_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return number(out, row->rv->calibrate ? row->s->calibrated_readiness : NAN);
}

/* ---- source ---- */

static const char *source_file(const nl_person_row *row)
{
    size_t file_count;
    return nl_matrix_files(row->rv->m, &file_count)[row->p->file].path;
}

static bool source_file_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    return text(out, source_file(row));
}

static bool source_line_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    *out = (nl_cell){.kind = NL_CELL_INTEGER, .integer = row->p->line};
    return true;
}

static bool source_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    (void)item;
    char *source = nl_strdup(source_file(row));
    char line[32];
    nl_sformat(line, sizeof line, "%ld", row->p->line);
    return owned(out, source ? nl_strjoin(source, ":", line) : NULL);
}

/* ---- gates ---- */

#define GATE_PARTS 5
static const char *const gate_parts[GATE_PARTS] = {"status", "required", "actual", "margin",
                                                   "reason"};

static bool gate_cell(const nl_person_row *row, size_t item, nl_cell *out)
{
    const nl_gate_result *gr = row->t ? &row->t->gates[item / GATE_PARTS] : NULL;
    if (gr == NULL)
        return item % GATE_PARTS == 0 || item % GATE_PARTS == 4 ? text(out, "") : number(out, NAN);
    switch (item % GATE_PARTS) {
    case 0:
        return text(out, nl_gate_status_name(gr->status));
    case 1:
        return number(out, gr->required);
    case 2:
        return number(out, gr->actual);
    case 3:
        return number(out, gr->margin);
    default:
        return text(out, gr->reason);
    }
}

/* ---- the table ---- */

#define CSV         NL_IN_CSV
#define SHEET       NL_IN_SHEET
#define JSON        NL_IN_JSON
#define CALIBRATED  NL_SHEET_CALIBRATED
#define PERFORMANCE NL_SHEET_PERFORMANCE

static const nl_person_column columns[] = {
    {"id", "ID", CSV | SHEET | JSON, NL_ONCE, NL_STYLE_TEXT, 8, true, id_cell},
    {"name", "Name", CSV | SHEET | JSON, NL_ONCE, NL_STYLE_TEXT, 20, true, name_cell},
    {"team", "Team", CSV | SHEET | JSON, NL_ONCE, NL_STYLE_TEXT, 14, true, team_cell},
    {"manager", "Manager", CSV | SHEET | JSON, NL_ONCE, NL_STYLE_TEXT, 14, true, manager_cell},
    {"level", NULL, CSV | JSON, NL_ONCE, NL_STYLE_TEXT, 0, false, level_cell},
    {"level_title", NULL, CSV | JSON, NL_ONCE, NL_STYLE_TEXT, 0, false, level_title_cell},
    {NULL, "Level", SHEET, NL_ONCE, NL_STYLE_TEXT, 22, true, level_label_cell},
    {"milestone_points", "Milestone points", CSV | JSON | NL_SHEET_POINTS_LEVELS, NL_ONCE,
     NL_STYLE_COUNT, 10, false, milestone_points_cell},
    {"level_in_file", "Level in file", CSV | JSON | NL_SHEET_POINTS_LEVELS, NL_ONCE, NL_STYLE_TEXT,
     10, false, level_in_file_cell},
    {"next_level", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, next_level_cell},
    {"next_level_title", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, next_level_title_cell},
    {NULL, "Next level", SHEET, NL_ONCE, NL_STYLE_TEXT, 22, true, next_level_label_cell},
    /* The level's id: on the printed page beside "Next level", a title would make the page
     * too wide for two sheets of paper across. */
    {"operating_level", "Operating level", CSV | SHEET | JSON, NL_ONCE, NL_STYLE_TEXT, 9, true,
     operating_level_cell},
    /* On the sheet first thing past the printed page (Level and Operating level say it there). */
    {"levels_above_title", NULL, CSV | JSON, NL_ONCE, NL_STYLE_COUNT, 0, false, levels_above_cell},
    {"outcome", "Outcome", CSV | SHEET, NL_ONCE, NL_STYLE_OUTCOME, 14, true, outcome_cell},
    {NULL, "Calibrated outcome", CALIBRATED, NL_ONCE, NL_STYLE_OUTCOME, 14, true,
     calibrated_outcome_sheet_cell},
    {"readiness_score", "Readiness score", CSV | SHEET, NL_ONCE, NL_STYLE_SCORE, 10, true,
     readiness_cell},
    {"_attainment", " attainment", CSV | SHEET, NL_PER_FAMILY, NL_STYLE_PERCENT, 10, true,
     attainment_cell},
    /* The band is printed beside the scores; the CSV has it with the other band figures. */
    {NULL, "Band", SHEET, NL_ONCE, NL_STYLE_TEXT, 14, true, band_cell},
    {"reasons", "Top reasons", CSV | SHEET, NL_ONCE, NL_STYLE_WRAP, 60, true, reasons_cell},
    {"risks", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, risks_cell},
    {"mitigations", "Mitigations", CSV | SHEET, NL_ONCE, NL_STYLE_WRAP, 40, true, mitigations_cell},
    {"robust", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, robust_cell},
    {NULL, "Levels above title", SHEET, NL_ONCE, NL_STYLE_COUNT, 8, false, levels_above_cell},
    {NULL, "Priorities", SHEET, NL_ONCE, NL_STYLE_WRAP, 12, false, priorities_cell},
    /* The rating the template shows for context; no gate need use it. */
    {"performance", "Performance rating", PERFORMANCE, NL_ONCE, NL_STYLE_NUMBER, 11, false,
     performance_cell},
    {"profile_outcomes", "Outcome by profile", CSV | SHEET, NL_ONCE, NL_STYLE_TEXT, 36, false,
     profiles_cell},
    {"tipping_weight", "Tipping weight", CSV | SHEET, NL_ONCE, NL_STYLE_NUMBER, 10, false,
     tipping_weight_cell},
    {"tipping", "Tipping point", CSV | SHEET, NL_ONCE, NL_STYLE_TEXT, 36, false, tipping_cell},
    {"tracks", "Tracks", CSV | SHEET, NL_ONCE, NL_STYLE_TEXT, 18, false, tracks_cell},
    {"distance_to_ready_with_risk", "Distance to ready with risk (score points)", CSV | SHEET,
     NL_ONCE, NL_STYLE_SCORE, 14, false, distance_hard_cell},
    {"distance_to_ready", "Distance to ready (score points)", CSV | SHEET, NL_ONCE, NL_STYLE_SCORE,
     14, false, distance_cell},
    {"development_plan", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, plan_cell},
    {"blockers", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, blockers_cell},
    {"missing", "Missing", CSV | SHEET, NL_ONCE, NL_STYLE_TEXT, 18, false, missing_cell},
    {"band", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, band_cell},
    {"quarters_to_ready", "Quarters to ready", CSV | SHEET, NL_ONCE, NL_STYLE_SCORE, 18, false,
     quarters_cell},
    {"growth_per_quarter", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, growth_cell},
    {"growth_source", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, growth_source_cell},
    /* A number, with where it comes from beside it (not "0.7 (measured)" as text). */
    {NULL, "Growth per quarter (score points)", SHEET, NL_ONCE, NL_STYLE_SCORE, 12, false,
     growth_cell},
    {NULL, "Growth from", SHEET, NL_ONCE, NL_STYLE_TEXT, 11, false, growth_source_cell},
    {"trend_status", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, trend_status_cell},
    {"outcome_last_quarter", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, outcome_then_cell},
    {NULL, "Outcome last quarter", SHEET, NL_ONCE, NL_STYLE_OUTCOME, 18, false,
     outcome_then_sheet_cell},
    {"readiness_last_quarter", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, readiness_then_cell},
    {"readiness_change", "Readiness change", CSV | SHEET, NL_ONCE, NL_STYLE_SCORE, 18, false,
     change_cell},
    {"skill_changes", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, skill_changes_cell},
    {"calibration_adjustment", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, adjustment_cell},
    {"calibrated_outcome", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, calibrated_outcome_cell},
    {"calibrated_readiness", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false,
     calibrated_readiness_cell},
    /* Last but the source and gates, so a run with a budget adds columns without moving the
     * others a reader may address by position. */
    {"slate_rank", NULL, CSV | JSON | NL_ONLY_WITH_BUDGET, NL_ONCE, NL_STYLE_COUNT, 0, false,
     slate_rank_cell},
    {"on_slate", NULL, CSV | JSON | NL_ONLY_WITH_BUDGET, NL_ONCE, NL_STYLE_TEXT, 0, false,
     on_slate_cell},
    {"source_file", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, source_file_cell},
    {"source_line", NULL, CSV, NL_ONCE, NL_STYLE_TEXT, 0, false, source_line_cell},
    {NULL, "Source", SHEET, NL_ONCE, NL_STYLE_TEXT, 18, false, source_cell},
    {NULL, NULL, CSV, NL_PER_GATE_PART, NL_STYLE_TEXT, 0, false, gate_cell},
};

nl_column_fit nl_column_fit_of(const nl_person_column *column)
{
    static const struct {
        bool (*cell)(const nl_person_row *, size_t, nl_cell *);
        nl_column_fit fit;
    } fits[] = {{id_cell, NL_FIT_ID},
                {name_cell, NL_FIT_NAME},
                {team_cell, NL_FIT_TEAM},
                {manager_cell, NL_FIT_MANAGER},
                {level_label_cell, NL_FIT_LEVEL_NAME},
                {next_level_label_cell, NL_FIT_LEVEL_NAME},
                {outcome_cell, NL_FIT_OUTCOME},
                {calibrated_outcome_sheet_cell, NL_FIT_OUTCOME},
                {outcome_then_sheet_cell, NL_FIT_OUTCOME},
                {band_cell, NL_FIT_BAND}};
    for (size_t i = 0; i < sizeof fits / sizeof *fits; i++)
        if (column->cell == fits[i].cell)
            return fits[i].fit;
    return NL_FIT_NONE;
}

const nl_person_column *nl_person_columns(size_t *count)
{
    *count = sizeof columns / sizeof *columns;
    return columns;
}

size_t nl_column_items(const nl_person_column *column, const nl_framework *fw)
{
    switch (column->repeat) {
    case NL_PER_FAMILY:
        return fw->family_count;
    case NL_PER_GATE_PART:
        return fw->gate_count * GATE_PARTS;
    case NL_ONCE:
        break;
    }
    return 1;
}

bool nl_column_in(const nl_person_column *column, const nl_review *rv, unsigned output)
{
    return (column->where & output) && (!(column->where & NL_ONLY_WITH_BUDGET) || rv->budget.set);
}

bool nl_column_on_sheet(const nl_person_column *column, const nl_review *rv)
{
    return (column->where & NL_IN_SHEET) ||
           ((column->where & NL_SHEET_CALIBRATED) && rv->calibrate) ||
           ((column->where & NL_SHEET_PERFORMANCE) && rv->performance != SIZE_MAX) ||
           ((column->where & NL_SHEET_POINTS_LEVELS) && rv->fw->level_from == NL_LEVEL_FROM_POINTS);
}

char *nl_column_header(const nl_person_column *column, const nl_framework *fw, size_t item,
                       bool sheet)
{
    const char *suffix = sheet ? column->title : column->key;
    switch (column->repeat) {
    case NL_PER_FAMILY: {
        char *name = nl_strdup(fw->families[item]);
        if (name != NULL && sheet && name[0] >= 'a' && name[0] <= 'z')
            name[0] = (char)(name[0] - 'a' + 'A');
        return name ? nl_strjoin(name, "", suffix) : NULL;
    }
    case NL_PER_GATE_PART: {
        char *name = nl_strdup(fw->gates[item / GATE_PARTS].id);
        return name ? nl_strjoin(name, "_", gate_parts[item % GATE_PARTS]) : NULL;
    }
    case NL_ONCE:
        break;
    }
    return nl_strdup(suffix);
}
