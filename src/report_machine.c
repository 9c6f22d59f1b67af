#include "nextlevel/report_machine.h"

#include "nextlevel/csvread.h"
#include "nextlevel/describe.h"
#include "nextlevel/person_columns.h"
#include "nextlevel/pipeline.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textout.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

/* ---- CSV ---- */

static bool csv_header(nl_csv_writer *w, const nl_review *rv)
{
    const nl_framework *fw = rv->fw;
    size_t count;
    const nl_person_column *columns = nl_person_columns(&count);
    for (size_t c = 0; c < count; c++) {
        if (!nl_column_in(&columns[c], rv, NL_IN_CSV))
            continue;
        for (size_t item = 0; item < nl_column_items(&columns[c], fw); item++) {
            char *header = nl_column_header(&columns[c], fw, item, false);
            if (header == NULL)
                return false;
            nl_csv_cell_text(w, header);
            free(header);
        }
    }
    nl_csv_row_end(w);
    return true;
}

static void csv_cell(nl_csv_writer *w, const nl_cell *cell)
{
    switch (cell->kind) {
    case NL_CELL_TEXT:
    case NL_CELL_OWNED:
        if (cell->text != NULL) /* NULL: the text could not be made, and the row fails */
            nl_csv_cell_text(w, cell->text);
        else
            nl_csv_cell_empty(w);
        break;
    case NL_CELL_NUMBER:
        nl_csv_cell_number(w, cell->number);
        break;
    case NL_CELL_INTEGER:
        nl_csv_cell_integer(w, cell->integer);
        break;
    case NL_CELL_BOOL:
        nl_csv_cells(w, cell->flag ? "yes" : "no");
        break;
    case NL_CELL_EMPTY:
        nl_csv_cell_empty(w);
        break;
    }
}

/* One person's row: every CSV column of the table. Returns false when out of memory. */
static bool csv_row(nl_csv_writer *w, const nl_review *rv, const nl_person_result *r, size_t index)
{
    size_t count;
    const nl_person_column *columns = nl_person_columns(&count);
    nl_person_row row = {rv, &rv->people[index], r, nl_person_result_track(r), r->person};
    bool ok = true;
    for (size_t c = 0; c < count; c++) {
        if (!nl_column_in(&columns[c], rv, NL_IN_CSV))
            continue;
        for (size_t item = 0; item < nl_column_items(&columns[c], rv->fw); item++) {
            nl_cell cell;
            ok = columns[c].cell(&row, item, &cell) && ok;
            csv_cell(w, &cell);
            nl_cell_clear(&cell);
        }
    }
    nl_csv_row_end(w);
    return ok;
}

/* Evaluates every person in input order (on a second thread when the run has one) and hands
 * each full result, for its texts, to write_person with the person's index. */
typedef struct result_walk {
    const nl_progress *progress;
    size_t count;
    bool (*write_person)(void *, const nl_person_result *, size_t);
    void *data;
} result_walk;

static bool walk_one(void *data, size_t position, const nl_person_result *result)
{
    result_walk *walk = data;
    if ((position + 1) % 4096 == 0)
        nl_progress_report(walk->progress, "writing", position + 1, walk->count);
    return walk->write_person(walk->data, result, position);
}

static nl_status for_each_result(const nl_review *rv, const nl_machine_options *options,
                                 bool (*write_person)(void *, const nl_person_result *, size_t),
                                 void *data)
{
    size_t count;
    const nl_person *people = nl_matrix_people(rv->m, &count);
    result_walk walk = {options->progress, count, write_person, data};
    nl_consumer consumer = {walk_one, &walk};
    return nl_pipeline_run(rv->ev, people, NULL, count, options->threads, &consumer, 1);
}

typedef struct csv_context {
    nl_csv_writer *w;
    const nl_review *rv;
} csv_context;

static bool write_csv_person(void *data, const nl_person_result *result, size_t index)
{
    csv_context *c = data;
    return csv_row(c->w, c->rv, result, index);
}

nl_status nl_write_results_csv(FILE *out, const nl_review *rv, const nl_machine_options *options)
{
    nl_csv_writer w;
    nl_csv_writer_start(&w, out, options->dialect);
    if (!csv_header(&w, rv))
        return NL_ERR_NOMEM;
    csv_context c = {&w, rv};
    return for_each_result(rv, options, write_csv_person, &c);
}

void nl_write_rejections_csv(FILE *out, const nl_review *rv, nl_csv_dialect dialect)
{
    nl_csv_writer w;
    nl_csv_writer_start(&w, out, dialect);
    size_t count, file_count;
    const nl_rejection *rejections = nl_matrix_rejections(rv->m, &count);
    const nl_file_summary *files = nl_matrix_files(rv->m, &file_count);
    nl_csv_cells(&w, "file,line,column,id,reason");
    nl_csv_row_end(&w);
    for (size_t i = 0; i < count; i++) {
        nl_csv_cell_text(&w, files[rejections[i].file].path);
        nl_csv_cell_integer(&w, rejections[i].line);
        nl_csv_cell_integer(&w, rejections[i].column);
        nl_csv_cell_text(&w, rejections[i].id ? rejections[i].id : "");
        nl_csv_cell_text(&w, rejections[i].reason);
        nl_csv_row_end(&w);
    }
}

/* ---- the sibling tables ---- */

const char *nl_csv_table_suffix(nl_csv_table table)
{
    static const char *const suffixes[NL_CSV_TABLE_COUNT] = {".summary.csv", ".managers.csv",
                                                             ".fairness.csv", ".trend.csv"};
    return suffixes[table];
}

bool nl_csv_table_present(const nl_review *rv, nl_csv_table table)
{
    return table == NL_CSV_FAIRNESS ? rv->fairness != NULL
           : table == NL_CSV_TREND  ? rv->previous != NULL
                                    : true;
}

/* A summary row: what is counted, its name, how many people, and (for outcome tallies, else
 * NULL) the raw and, with --calibrate, the calibrated counts per outcome. */
static void summary_row(nl_csv_writer *w, const char *scope, const char *name, size_t people,
                        const nl_outcome_counts *raw, const nl_outcome_counts *calibrated)
{
    nl_csv_cell_text(w, scope);
    nl_csv_cell_text(w, name);
    nl_csv_cell_integer(w, (long long)people);
    for (int o = 0; o < 2 * NL_OUTCOME_COUNT; o++) {
        const nl_outcome_counts *counts = o < NL_OUTCOME_COUNT ? raw : calibrated;
        if (counts != NULL)
            nl_csv_cell_integer(w, (long long)counts->people[o % NL_OUTCOME_COUNT]);
        else
            nl_csv_cell_empty(w);
    }
    nl_csv_row_end(w);
}

static size_t total_of(const nl_outcome_counts *counts)
{
    size_t total = 0;
    for (int o = 0; o < NL_OUTCOME_COUNT; o++)
        total += counts->people[o];
    return total;
}

static void csv_summary(nl_csv_writer *w, const nl_review *rv)
{
    const nl_outcome_counts *calibrated = rv->calibrate ? &rv->calibrated : NULL;
    nl_csv_cells(w, "scope,name,people");
    for (int o = 0; o < 2 * NL_OUTCOME_COUNT; o++) {
        char header[64];
        nl_sformat(header, sizeof header, "%s%s", o < NL_OUTCOME_COUNT ? "" : "calibrated ",
                   nl_outcome_name((nl_outcome)(o % NL_OUTCOME_COUNT)));
        nl_csv_cells(w, header);
    }
    nl_csv_row_end(w);
    summary_row(w, "organisation", "", rv->count, &rv->counts, calibrated);
    for (size_t t = 0; t < rv->team_count; t++) {
        const nl_review_team *team = &rv->teams[t];
        summary_row(w, "team", team->name, team->people, &team->counts,
                    rv->calibrate ? &team->calibrated : NULL);
    }
    for (size_t l = 0; l < rv->fw->level_count; l++)
        summary_row(w, "level", rv->fw->levels[l].id, total_of(&rv->by_level[l]), &rv->by_level[l],
                    rv->calibrate ? &rv->by_level_calibrated[l] : NULL);
    for (int b = 0; b < NL_BAND_NONE; b++)
        summary_row(w, "band", nl_band_name((nl_band)b), rv->by_band[b], NULL, NULL);
    summary_row(w, "robust", "evaluated, same outcome under every profile", rv->robust, NULL, NULL);
    summary_row(w, "operating", "two or more levels above their title", rv->operating_two_up, NULL,
                NULL);
    if (rv->budget.set) {
        summary_row(w, "slate", "budget", rv->slate.slots, NULL, NULL);
        summary_row(w, "slate", "candidates", rv->slate.candidates, NULL, NULL);
        summary_row(w, "slate", "on the slate", rv->slate.on_slate, NULL, NULL);
        summary_row(w, "slate", "tied at the cut", rv->slate.tied, NULL, NULL);
        summary_row(w, "slate", "slots for those tied", rv->slate.tied_slots, NULL, NULL);
    }
    size_t rejected;
    nl_matrix_rejections(rv->m, &rejected);
    summary_row(w, "rows rejected", "current", rejected, NULL, NULL);
    if (rv->previous == NULL)
        return;
    nl_matrix_rejections(rv->previous, &rejected);
    summary_row(w, "rows rejected", "previous", rejected, NULL, NULL);
    const char *names[NL_TREND_COUNT_ITEMS];
    size_t values[NL_TREND_COUNT_ITEMS];
    nl_trend_count_items(&rv->trend, names, values);
    for (size_t i = 0; i < NL_TREND_COUNT_ITEMS; i++)
        summary_row(w, "trend", names[i], values[i], NULL, NULL);
}

/* A family's column header: the family's name and a suffix, as one cell. */
static void family_header(nl_csv_writer *w, const char *family, const char *suffix)
{
    size_t len = strlen(family) + strlen(suffix) + 1;
    char *header = malloc(len);
    if (header == NULL) { /* the plain texts side by side, as one cell */
        nl_csv_cell_text(w, family);
        fputs(suffix, w->out);
        return;
    }
    nl_sformat(header, len, "%s%s", family, suffix);
    nl_csv_cell_text(w, header);
    free(header);
}

static void csv_managers(nl_csv_writer *w, const nl_review *rv)
{
    const nl_calibration *c = rv->calibration;
    nl_csv_cells(w, "manager,people,rated,mean_rating_gap,difference_from_organisation,z,flag,"
                    "adjustment,adjusted,reason,evaluated,ready_now,ready_now_share");
    for (size_t f = 0; f < rv->fw->family_count; f++) {
        family_header(w, rv->fw->families[f], "_attainment");
        family_header(w, rv->fw->families[f], "_vs_organisation");
    }
    nl_csv_row_end(w);
    for (size_t j = 0; j < c->count; j++) {
        const nl_manager_calibration *mc = &c->managers[j];
        const nl_review_manager *rm = &rv->managers[j];
        nl_csv_cell_text(w, mc->manager);
        nl_csv_cell_integer(w, (long long)rm->people);
        nl_csv_cell_integer(w, (long long)mc->rated);
        double figures[] = {mc->mean_gap, mc->offset, mc->z};
        for (size_t i = 0; i < 3; i++)
            nl_csv_cell_number(w, figures[i]);
        nl_csv_cell_text(w, nl_rater_flag_name(mc->flag));
        nl_csv_cell_number(w, mc->adjustment);
        nl_csv_cells(w, mc->reason == NL_ADJUST_FLAGGED ? "yes" : "no");
        nl_csv_cells(w, nl_adjust_reason_name(mc->reason));
        nl_csv_cell_integer(w, (long long)rm->evaluated);
        nl_csv_cell_integer(w, (long long)rm->ready);
        nl_csv_cell_number(w, rm->evaluated ? (double)rm->ready / (double)rm->evaluated : NAN);
        for (size_t f = 0; f < rv->fw->family_count; f++) {
            nl_csv_cell_number(w, rm->family_mean[f]);
            nl_csv_cell_number(w, rm->family_mean[f] - rv->org_family_mean[f]);
        }
        nl_csv_row_end(w);
    }
}

/* A measure's count, rate, ratio, p, adjusted p, reference and flag, as CSV cells. */
static void csv_rate_test(nl_csv_writer *w, size_t count, const nl_rate_test *t)
{
    nl_csv_cell_integer(w, (long long)count);
    const double figures[] = {t->rate, t->ratio, t->p, t->p_adjusted};
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++)
        nl_csv_cell_number(w, figures[i]);
    nl_csv_cells(w, t->reference ? "yes" : "no");
    nl_csv_cells(w, t->flagged ? "yes" : "no");
}

static void csv_fairness(nl_csv_writer *w, const nl_review *rv)
{
    const nl_fairness *f = rv->fairness;
    nl_csv_cells(w, "group,evaluated,ready_now,ready_now_rate,ready_now_ratio,ready_now_p,"
                    "ready_now_p_adjusted,ready_now_reference,ready_now_flagged,ready_or_risk,"
                    "ready_or_risk_rate,ready_or_risk_ratio,ready_or_risk_p,"
                    "ready_or_risk_p_adjusted,ready_or_risk_reference,ready_or_risk_flagged,"
                    "flagged");
    nl_csv_row_end(w);
    for (size_t g = 0; f != NULL && g < f->count; g++) {
        const nl_group_rates *r = &f->groups[g];
        nl_csv_cell_text(w, r->name);
        nl_csv_cell_integer(w, (long long)r->evaluated);
        csv_rate_test(w, r->ready_now, &r->ready);
        csv_rate_test(w, r->ready_or_risk, &r->either);
        nl_csv_cells(w, r->flagged ? "yes" : "no");
        nl_csv_row_end(w);
    }
}

/* Last quarter's people who are not evaluated now, then the counts of every status. */
static void csv_trend(nl_csv_writer *w, const nl_review *rv)
{
    size_t then_count;
    const nl_person *then = nl_matrix_people(rv->previous, &then_count);
    nl_csv_cells(w, "status,id,name,team,level_last_quarter,outcome_last_quarter,"
                    "readiness_last_quarter");
    nl_csv_row_end(w);
    for (size_t k = 0; k < rv->leaver_count; k++) {
        const nl_review_leaver *l = &rv->leavers[k];
        const nl_person *p = &then[l->person];
        nl_csv_cells(w, nl_leaver_status_name(l));
        const char *cells[] = {p->id, p->name, p->team, rv->fw->levels[p->level].id,
                               nl_outcome_name(l->outcome_then)};
        for (size_t i = 0; i < sizeof cells / sizeof *cells; i++)
            nl_csv_cell_text(w, cells[i]);
        nl_csv_cell_number(w, l->readiness_then);
        nl_csv_row_end(w);
    }
}

void nl_write_csv_table(FILE *out, const nl_review *rv, nl_csv_table table, nl_csv_dialect dialect)
{
    nl_csv_writer w;
    nl_csv_writer_start(&w, out, dialect);
    switch (table) {
    case NL_CSV_SUMMARY:
        csv_summary(&w, rv);
        break;
    case NL_CSV_MANAGERS:
        csv_managers(&w, rv);
        break;
    case NL_CSV_FAIRNESS:
        csv_fairness(&w, rv);
        break;
    case NL_CSV_TREND:
        csv_trend(&w, rv);
        break;
    case NL_CSV_TABLE_COUNT:
        break;
    }
}

/* ---- JSON ---- */

typedef struct json_context {
    nl_json *j;
    const nl_review *rv;
} json_context;

/* Writes a described text member and frees it. */
static bool json_owned(nl_json *j, const char *key, char *text)
{
    if (text == NULL)
        return false;
    nl_json_string(j, key, text);
    free(text);
    return true;
}

static void json_families(nl_json *j, const char *key, const nl_framework *fw, const double *values)
{
    nl_json_open(j, key, '{');
    for (size_t f = 0; f < fw->family_count; f++)
        nl_json_number(j, fw->families[f], values[f]);
    nl_json_close(j, '}');
}

static void json_gates(nl_json *j, const nl_framework *fw, const nl_track_result *t)
{
    nl_json_open(j, "gates", '[');
    for (size_t g = 0; g < t->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        const nl_gate_result *r = &t->gates[g];
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "id", gate->id);
        nl_json_string(j, "title", gate->title);
        nl_json_string(j, "kind", nl_gate_kind_name(gate->kind));
        nl_json_string(j, "severity", gate->severity == NL_HARD ? "hard" : "soft");
        nl_json_string(j, "status", nl_gate_status_name(r->status));
        nl_json_bool(j, "pass", r->status == NL_GATE_PASS);
        nl_json_number(j, "required", r->required);
        nl_json_number(j, "actual", r->actual);
        nl_json_number(j, "margin", r->margin);
        nl_json_string(j, "reason", r->reason);
        if (r->status == NL_GATE_FAIL && gate->severity == NL_SOFT && gate->mitigation)
            nl_json_string(j, "mitigation", gate->mitigation);
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
}

static void json_plan(nl_json *j, const nl_framework *fw, const nl_track_result *t)
{
    nl_json_open(j, "development_plan", '{');
    nl_json_number(j, "distance_to_ready_with_risk", t->distance_hard);
    nl_json_number(j, "distance_to_ready", t->distance);
    nl_json_open(j, "steps", '[');
    for (size_t i = 0; i < t->plan_count; i++) {
        const nl_plan_step *step = &t->plan[i];
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "skill", fw->skills[step->skill].id);
        nl_json_number(j, "from", step->from);
        nl_json_number(j, "to", step->to);
        nl_json_number(j, "increase", step->to - step->from);
        nl_json_number(j, "gain_per_point", step->gain_per_point);
        nl_json_string(j, "clears", step->for_soft_gates ? "soft gates" : "hard gates");
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
    nl_json_open(j, "blockers", '[');
    for (size_t i = 0; i < t->blocker_count; i++)
        nl_json_string(j, NULL, t->blockers[i]);
    nl_json_close(j, ']');
    nl_json_close(j, '}');
}

static void json_track(nl_json *j, const nl_framework *fw, const nl_track_result *t)
{
    const nl_level *next = &fw->levels[t->next_level];
    nl_json_open(j, NULL, '{');
    nl_json_string(j, "next_level", next->id);
    nl_json_string(j, "next_level_title", next->title);
    nl_json_string(j, "outcome", nl_outcome_name(t->outcome));
    nl_json_number_exact(j, "readiness_score", t->readiness);
    json_families(j, "family_attainment", fw, t->family_attainment);
    nl_json_open(j, "missing_skills", '[');
    for (size_t i = 0; i < t->missing_count; i++)
        nl_json_string(j, NULL, fw->skills[t->missing[i]].id);
    nl_json_close(j, ']');
    if (t->missing_data != NULL)
        nl_json_string(j, "missing_data", t->missing_data);
    nl_json_open(j, "short_skills", '[');
    for (size_t k = 0; k < fw->skill_count; k++) {
        if (nl_track_short_of(t, k))
            nl_json_string(j, NULL, fw->skills[k].id);
    }
    nl_json_close(j, ']');
    json_gates(j, fw, t);
    if (t->outcome == NL_DEVELOPING || t->outcome == NL_READY_WITH_RISK)
        json_plan(j, fw, t);
    nl_json_close(j, '}');
}

static void json_band_and_trend(nl_json *j, const nl_review *rv, const nl_review_person *s)
{
    const nl_framework *fw = rv->fw;
    const nl_band_info *band = &s->band;
    const nl_trend *trend = &s->trend;
    nl_json_open(j, "band", '{');
    nl_json_string(j, "name", nl_band_name(band->band));
    nl_json_number(j, "quarters_to_ready", band->quarters);
    nl_json_number(j, "distance_to_ready", band->distance);
    nl_json_number(j, "growth_per_quarter", band->growth);
    nl_json_string(j, "growth_source",
                   isnan(band->growth)     ? ""
                   : band->growth_measured ? "measured"
                                           : "template");
    nl_json_number(j, "tenure_quarters", band->tenure_quarters);
    nl_json_close(j, '}');
    if (rv->previous == NULL)
        return;
    size_t count;
    const nl_person *now = &nl_matrix_people(rv->m, &count)[s->person];
    nl_json_open(j, "trend", '{');
    nl_json_string(j, "status", nl_trend_status_name(s->trend_status));
    if (trend->previous != NULL) {
        nl_json_string(j, "level_last_quarter", fw->levels[trend->previous->level].id);
        nl_json_string(j, "outcome_last_quarter", nl_outcome_name(trend->outcome_then));
        nl_json_number(j, "readiness_last_quarter", trend->readiness_then);
        nl_json_number(j, "readiness_change", trend->change);
        nl_json_open(j, "skill_changes", '{');
        for (size_t k = 0; k < fw->skill_count; k++) {
            double change = now->scores[k] - trend->previous->scores[k];
            if (!isnan(change) && fabs(change) > 1e-9)
                nl_json_number(j, fw->skills[k].id, change);
        }
        nl_json_close(j, '}');
    }
    nl_json_close(j, '}');
}

static void json_calibration(nl_json *j, const nl_review *rv, const nl_review_person *s)
{
    if (!rv->calibrate)
        return;
    const nl_calibration *c = rv->calibration;
    nl_json_open(j, "calibration", '{');
    nl_json_string(j, "manager", c->managers[c->manager_of[s->person]].manager);
    nl_json_number(j, "adjustment", c->managers[c->manager_of[s->person]].adjustment);
    nl_json_string(j, "outcome", nl_outcome_name(s->calibrated_outcome));
    nl_json_number_exact(j, "readiness_score", s->calibrated_readiness);
    nl_json_close(j, '}');
}

/* The person's flat members that the column table gives to the JSON (identity and level). */
static bool json_flat_members(nl_json *j, const nl_review *rv, const nl_person_result *r,
                              size_t index)
{
    size_t count;
    const nl_person_column *columns = nl_person_columns(&count);
    nl_person_row row = {rv, &rv->people[index], r, nl_person_result_track(r), r->person};
    bool ok = true;
    for (size_t c = 0; c < count; c++) {
        if (!nl_column_in(&columns[c], rv, NL_IN_JSON))
            continue;
        nl_cell cell;
        ok = columns[c].cell(&row, 0, &cell) && ok;
        if (cell.kind == NL_CELL_NUMBER)
            nl_json_number(j, columns[c].key, cell.number);
        else if (cell.kind == NL_CELL_INTEGER)
            nl_json_integer(j, columns[c].key, cell.integer);
        else if (cell.kind == NL_CELL_BOOL)
            nl_json_bool(j, columns[c].key, cell.flag);
        else if (cell.kind == NL_CELL_EMPTY) /* nothing to say, as a missing number says it */
            nl_json_number(j, columns[c].key, NAN);
        else
            nl_json_string(j, columns[c].key, cell.text ? cell.text : "");
        nl_cell_clear(&cell);
    }
    return ok;
}

static bool write_json_person(void *data, const nl_person_result *r, size_t index)
{
    json_context *c = data;
    nl_json *j = c->j;
    const nl_review *rv = c->rv;
    const nl_framework *fw = rv->fw;
    const nl_person *p = r->person;
    const nl_track_result *t = nl_person_result_track(r);
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(rv->m, &file_count);
    nl_json_open(j, NULL, '{');
    bool ok = json_flat_members(j, rv, r, index);
    nl_json_number(j, "months_in_level", p->months_in_level);
    nl_json_open(j, "source", '{');
    nl_json_string(j, "file", files[p->file].path);
    nl_json_integer(j, "line", p->line);
    nl_json_close(j, '}');
    nl_json_string(j, "outcome", nl_outcome_name(r->outcome));
    if (t != NULL) {
        nl_json_string(j, "next_level", fw->levels[t->next_level].id);
        nl_json_number_exact(j, "readiness_score", t->readiness);
        json_families(j, "family_attainment", fw, t->family_attainment);
    }
    ok = json_owned(j, "reasons", nl_describe_summary(fw, r)) && ok;
    nl_json_bool(j, "robust", r->robust);
    nl_json_open(j, "profile_outcomes", '{');
    for (size_t i = 0; i < fw->profile_count; i++)
        nl_json_string(j, fw->profiles[i].name, nl_outcome_name(r->profile_outcomes[i]));
    nl_json_close(j, '}');
    nl_json_open(j, "tipping", '{');
    nl_json_number(j, "weight", r->tipping_weight);
    if (!isnan(r->tipping_weight))
        nl_json_string(j, "outcome_beyond", nl_outcome_name(r->tipping_outcome));
    ok = ok && json_owned(j, "text", nl_describe_tipping(fw, rv->ev, r));
    nl_json_close(j, '}');
    json_band_and_trend(j, rv, &rv->people[index]);
    json_calibration(j, rv, &rv->people[index]);
    nl_json_open(j, "tracks", '[');
    for (size_t i = 0; i < r->track_count; i++)
        json_track(j, fw, &r->tracks[i]);
    nl_json_close(j, ']');
    nl_json_close(j, '}');
    return ok;
}

static void json_criteria(nl_json *j, const nl_evaluator *ev)
{
    const nl_framework *fw = nl_evaluator_framework(ev);
    const nl_profile *profile = nl_evaluator_profile(ev);
    nl_json_string(j, "tool", "nextlevel " NEXTLEVEL_VERSION);
    nl_json_open(j, "template", '{');
    nl_json_string(j, "path", fw->path);
    nl_json_string(j, "name", fw->name);
    nl_json_close(j, '}');
    nl_json_open(j, "priorities", '{');
    nl_json_string(j, "profile", profile->name);
    nl_json_bool(j, "overridden", nl_evaluator_overridden(ev));
    json_families(j, "family_weights", fw, profile->family_weight);
    nl_json_close(j, '}');
    if (fw->threshold_override_count > 0) {
        nl_json_open(j, "thresholds_overridden", '[');
        for (size_t i = 0; i < fw->threshold_override_count; i++) {
            const nl_threshold_override *o = &fw->threshold_overrides[i];
            nl_json_open(j, NULL, '{');
            nl_json_string(j, "gate", fw->gates[o->gate].id);
            if (o->level == SIZE_MAX)
                nl_json_null(j, "level");
            else
                nl_json_string(j, "level", fw->levels[o->level].id);
            nl_json_number(j, "threshold", o->value);
            nl_json_close(j, '}');
        }
        nl_json_close(j, ']');
    }
}

/* The files of one quarter, as the workbook's Criteria lists them: path, SHA-256 (null when
 * the file could not be read), format and counts. */
static void json_inputs(nl_json *j, const char *key, const nl_matrix *m)
{
    size_t count;
    const nl_file_summary *files = nl_matrix_files(m, &count);
    nl_json_open(j, key, '[');
    for (size_t i = 0; i < count; i++) {
        const nl_file_summary *f = &files[i];
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "path", f->path);
        if (f->sha256[0])
            nl_json_string(j, "sha256", f->sha256);
        else
            nl_json_null(j, "sha256");
        nl_json_string(j, "format", f->long_format ? "long" : "wide");
        nl_json_string(j, "delimiter", nl_csv_delimiter_name(f->delimiter));
        nl_json_string(j, "encoding", f->encoding.name);
        nl_json_bool(j, "bom", f->encoding.bom);
        nl_json_integer(j, "rows_read", f->rows_read);
        nl_json_integer(j, "people_accepted", f->people_accepted);
        nl_json_integer(j, "rows_rejected", f->rows_rejected);
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
}

/* People of last quarter who are not in this one (a person whose row this quarter was
 * rejected has not left: they are in the rejected list). */
static void json_left(nl_json *j, const nl_review *rv)
{
    size_t count;
    const nl_person *then = nl_matrix_people(rv->previous, &count);
    nl_json_open(j, "left", '[');
    for (size_t k = 0; k < rv->leaver_count; k++) {
        const nl_review_leaver *l = &rv->leavers[k];
        if (l->rejected_now)
            continue;
        const nl_person *p = &then[l->person];
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "id", p->id);
        nl_json_string(j, "name", p->name);
        nl_json_string(j, "team", p->team);
        nl_json_string(j, "level_last_quarter", rv->fw->levels[p->level].id);
        nl_json_string(j, "outcome_last_quarter", nl_outcome_name(l->outcome_then));
        nl_json_number(j, "readiness_last_quarter", l->readiness_then);
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
}

static void json_rejections(nl_json *j, const char *key, const nl_matrix *m)
{
    size_t count, file_count;
    const nl_rejection *rejections = nl_matrix_rejections(m, &count);
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    nl_json_open(j, key, '[');
    for (size_t i = 0; i < count; i++) {
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "file", files[rejections[i].file].path);
        nl_json_integer(j, "line", rejections[i].line);
        nl_json_integer(j, "column", rejections[i].column);
        if (rejections[i].id != NULL)
            nl_json_string(j, "id", rejections[i].id);
        else
            nl_json_null(j, "id");
        nl_json_string(j, "reason", rejections[i].reason);
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
}

/* Outcome counts keyed by outcome name. */
static void json_counts(nl_json *j, const char *key, const nl_outcome_counts *counts)
{
    nl_json_open(j, key, '{');
    for (int o = NL_READY_NOW; o <= NL_TOP_OF_LADDER; o++)
        nl_json_integer(j, nl_outcome_name((nl_outcome)o), (long long)counts->people[o]);
    nl_json_close(j, '}');
}

/* A tally with its calibrated counterpart (with --calibrate). */
static void json_tally(nl_json *j, const nl_review *rv, const nl_outcome_counts *raw,
                       const nl_outcome_counts *calibrated)
{
    json_counts(j, "outcomes", raw);
    if (rv->calibrate)
        json_counts(j, "calibrated_outcomes", calibrated);
}

static void json_slate_tally(nl_json *j, const nl_slate_tally *t)
{
    nl_json_integer(j, "budget", (long long)t->slots);
    nl_json_integer(j, "candidates", (long long)t->candidates);
    nl_json_integer(j, "on the slate", (long long)t->on_slate);
    nl_json_integer(j, "tied at the cut", (long long)t->tied);
    nl_json_integer(j, "slots for those tied", (long long)t->tied_slots);
}

/* The promotion budget's slate, only with a budget. */
static void json_budget(nl_json *j, const nl_review *rv)
{
    if (!rv->budget.set)
        return;
    nl_json_open(j, "slate", '{');
    nl_json_string(j, "scope", rv->budget.per_team ? "team" : "organisation");
    nl_json_string(j, "from", rv->budget.from_command_line ? "--budget" : "template");
    json_slate_tally(j, &rv->slate);
    if (rv->budget.per_team) {
        nl_json_open(j, "teams", '[');
        for (size_t t = 0; t < rv->team_count; t++) {
            nl_json_open(j, NULL, '{');
            nl_json_string(j, "team", rv->teams[t].name);
            json_slate_tally(j, &rv->teams[t].slate);
            nl_json_close(j, '}');
        }
        nl_json_close(j, ']');
    }
    nl_json_close(j, '}');
}

static void json_summary(nl_json *j, const nl_review *rv)
{
    size_t rejected;
    nl_matrix_rejections(rv->m, &rejected);
    nl_json_open(j, "summary", '{');
    for (int o = NL_READY_NOW; o <= NL_TOP_OF_LADDER; o++)
        nl_json_integer(j, nl_outcome_name((nl_outcome)o), (long long)rv->counts.people[o]);
    nl_json_integer(j, "rejected rows", (long long)rejected);
    nl_json_integer(j, "people", (long long)rv->count);
    nl_json_integer(j, "evaluated", (long long)rv->evaluated);
    nl_json_integer(j, "robust", (long long)rv->robust);
    nl_json_integer(j, "operating two or more levels above title", (long long)rv->operating_two_up);
    if (rv->calibrate)
        json_counts(j, "calibrated", &rv->calibrated);
    nl_json_open(j, "teams", '[');
    for (size_t t = 0; t < rv->team_count; t++) {
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "team", rv->teams[t].name);
        nl_json_integer(j, "people", (long long)rv->teams[t].people);
        json_tally(j, rv, &rv->teams[t].counts, &rv->teams[t].calibrated);
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
    nl_json_open(j, "levels", '[');
    for (size_t l = 0; l < rv->fw->level_count; l++) {
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "level", rv->fw->levels[l].id);
        json_tally(j, rv, &rv->by_level[l], &rv->by_level_calibrated[l]);
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
    nl_json_open(j, "bands", '{');
    for (int b = 0; b < NL_BAND_NONE; b++)
        nl_json_integer(j, nl_band_name((nl_band)b), (long long)rv->by_band[b]);
    nl_json_close(j, '}');
    if (rv->previous != NULL) {
        size_t rejected_then;
        nl_matrix_rejections(rv->previous, &rejected_then);
        nl_json_open(j, "trend", '{');
        const char *names[NL_TREND_COUNT_ITEMS];
        size_t values[NL_TREND_COUNT_ITEMS];
        nl_trend_count_items(&rv->trend, names, values);
        for (size_t i = 0; i < NL_TREND_COUNT_ITEMS; i++)
            nl_json_integer(j, names[i], (long long)values[i]);
        nl_json_integer(j, "rejected rows last quarter", (long long)rejected_then);
        nl_json_close(j, '}');
    }
    json_budget(j, rv);
    nl_json_close(j, '}');
}

static void json_managers(nl_json *j, const nl_review *rv)
{
    const nl_calibration *c = rv->calibration;
    nl_json_open(j, "calibration", '{');
    nl_json_integer(j, "rated", (long long)c->rated);
    nl_json_number(j, "mean_gap", c->mean_gap);
    nl_json_number(j, "sd", c->sd);
    nl_json_bool(j, "applied", rv->calibrate);
    nl_json_integer(j, "flagged", (long long)(c->lenient + c->severe));
    nl_json_integer(j, "adjusted", (long long)c->adjusted);
    json_families(j, "family_attainment", rv->fw, rv->org_family_mean);
    nl_json_open(j, "managers", '[');
    for (size_t k = 0; k < c->count; k++) {
        const nl_manager_calibration *mc = &c->managers[k];
        const nl_review_manager *rm = &rv->managers[k];
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "manager", mc->manager);
        nl_json_integer(j, "people", (long long)rm->people);
        nl_json_integer(j, "rated", (long long)mc->rated);
        nl_json_number(j, "mean_gap", mc->mean_gap);
        nl_json_number(j, "offset", mc->offset);
        nl_json_number(j, "z", mc->z);
        nl_json_string(j, "flag", nl_rater_flag_name(mc->flag));
        nl_json_number(j, "adjustment", mc->adjustment);
        nl_json_bool(j, "adjusted", mc->reason == NL_ADJUST_FLAGGED);
        nl_json_string(j, "reason", nl_adjust_reason_name(mc->reason));
        nl_json_integer(j, "evaluated", (long long)rm->evaluated);
        nl_json_integer(j, "ready_now", (long long)rm->ready);
        json_families(j, "family_attainment", rv->fw, rm->family_mean);
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
    nl_json_close(j, '}');
}

/* A measure of a group: "<prefix>_rate", "_ratio", "_p", "_p_adjusted", "_reference",
 * "_flagged". */
static void json_rate_test(nl_json *j, const char *prefix, const nl_rate_test *t)
{
    char key[64];
    nl_sformat(key, sizeof key, "%s_rate", prefix);
    nl_json_number(j, key, t->rate);
    nl_sformat(key, sizeof key, "%s_ratio", prefix);
    nl_json_number(j, key, t->ratio);
    nl_sformat(key, sizeof key, "%s_p", prefix);
    nl_json_number(j, key, t->p);
    nl_sformat(key, sizeof key, "%s_p_adjusted", prefix);
    nl_json_number(j, key, t->p_adjusted);
    nl_sformat(key, sizeof key, "%s_reference", prefix);
    nl_json_bool(j, key, t->reference);
    nl_sformat(key, sizeof key, "%s_flagged", prefix);
    nl_json_bool(j, key, t->flagged);
}

static void json_fairness(nl_json *j, const nl_review *rv)
{
    const nl_fairness *f = rv->fairness;
    if (f == NULL)
        return;
    const nl_fairness_settings *set = &rv->fw->fairness;
    nl_json_open(j, "fairness", '{');
    nl_json_string(j, "group_column", set->group_column);
    nl_json_number(j, "ratio_threshold", set->ratio_threshold);
    nl_json_number(j, "p_threshold", set->p_threshold);
    nl_json_string(j, "p_adjust", set->holm ? "holm" : "none");
    const size_t refs[] = {f->reference_ready, f->reference_either};
    const char *const ref_keys[] = {"ready_now_reference", "ready_or_risk_reference"};
    for (size_t i = 0; i < 2; i++) {
        if (refs[i] == SIZE_MAX)
            nl_json_null(j, ref_keys[i]);
        else
            nl_json_string(j, ref_keys[i], f->groups[refs[i]].name);
    }
    nl_json_integer(j, "flagged", (long long)f->flagged);
    nl_json_open(j, "groups", '[');
    for (size_t g = 0; g < f->count; g++) {
        const nl_group_rates *r = &f->groups[g];
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "group", r->name);
        nl_json_integer(j, "evaluated", (long long)r->evaluated);
        nl_json_integer(j, "ready_now", (long long)r->ready_now);
        json_rate_test(j, "ready_now", &r->ready);
        nl_json_integer(j, "ready_or_risk", (long long)r->ready_or_risk);
        json_rate_test(j, "ready_or_risk", &r->either);
        nl_json_bool(j, "flagged", r->flagged);
        nl_json_close(j, '}');
    }
    nl_json_close(j, ']');
    nl_json_integer(j, "suppressed_people", (long long)f->suppressed_people);
    nl_json_close(j, '}');
}

nl_status nl_write_results_json(FILE *out, const nl_review *rv, const nl_machine_options *options)
{
    nl_json j;
    nl_json_init(&j, out);
    nl_json_open(&j, NULL, '{');
    json_criteria(&j, rv->ev);
    json_inputs(&j, "inputs", rv->m);
    if (rv->previous != NULL)
        json_inputs(&j, "inputs_last_quarter", rv->previous);
    nl_json_open(&j, "people", '[');
    json_context c = {&j, rv};
    nl_status status = for_each_result(rv, options, write_json_person, &c);
    if (status != NL_OK)
        return status;
    nl_json_close(&j, ']');
    if (rv->previous != NULL)
        json_left(&j, rv);
    json_rejections(&j, "rejected", rv->m);
    if (rv->previous != NULL)
        json_rejections(&j, "rejected_last_quarter", rv->previous);
    json_summary(&j, rv);
    json_managers(&j, rv);
    json_fairness(&j, rv);
    nl_json_close(&j, '}');
    return NL_OK;
}
