#include "nextlevel/report_machine.h"

#include "nextlevel/describe.h"
#include "nextlevel/pipeline.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

static const char *gate_status_name(nl_gate_status status)
{
    return status == NL_GATE_PASS ? "pass" : status == NL_GATE_FAIL ? "fail" : "not checked";
}

/* ---- CSV ---- */

static void csv_header(FILE *out, const nl_framework *fw)
{
    static const char *const fixed[] = {
        "id",         "name",
        "team",       "manager",
        "level",      "level_title",
        "next_level", "next_level_title",
        "outcome",    "readiness_score",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        fprintf(out, "%s%s", i ? "," : "", fixed[i]);
    for (size_t f = 0; f < fw->family_count; f++) {
        fputc(',', out);
        nl_csv_text(out, fw->families[f]);
        fputs("_attainment", out);
    }
    fputs(",reasons,risks,mitigations,robust,profile_outcomes,tipping_weight,tipping,"
          "tracks,distance_to_ready_with_risk,distance_to_ready,development_plan,blockers,"
          "missing,band,quarters_to_ready,growth_per_quarter,growth_source,trend_status,"
          "outcome_last_quarter,readiness_last_quarter,readiness_change,skill_changes,"
          "calibration_adjustment,calibrated_outcome,calibrated_readiness,"
          "source_file,source_line",
          out);
    for (size_t g = 0; g < fw->gate_count; g++) {
        const char *id = fw->gates[g].id;
        fprintf(out, ",%s_status,%s_required,%s_actual,%s_margin,%s_reason", id, id, id, id, id);
    }
    fputc('\n', out);
}

/* Writes a described text cell and frees it; false when the text could not be made. */
static bool csv_owned(FILE *out, char *text)
{
    fputc(',', out);
    if (text == NULL)
        return false;
    nl_csv_text(out, text);
    free(text);
    return true;
}

/* "new", "promoted" or "continuing" against last quarter; "" without one. */
static const char *trend_status(const nl_history *history, const nl_trend *trend)
{
    if (history == NULL)
        return "";
    return trend->previous == NULL ? "new" : trend->promoted ? "promoted" : "continuing";
}

/* Band and trend cells. */
static bool csv_band_and_trend(FILE *out, const nl_framework *fw, const nl_history *history,
                               const nl_person_result *r)
{
    nl_trend trend;
    nl_band_info band;
    if (nl_trend_and_band(history, fw, r, &trend, &band) != NL_OK)
        return false;
    fputc(',', out);
    nl_csv_text(out, nl_band_name(band.band));
    fputc(',', out);
    nl_csv_number(out, band.quarters);
    fputc(',', out);
    nl_csv_number(out, band.growth);
    fputc(',', out);
    nl_csv_text(out, isnan(band.growth) ? "" : band.growth_measured ? "measured" : "template");
    fputc(',', out);
    nl_csv_text(out, trend_status(history, &trend));
    fputc(',', out);
    nl_csv_text(out, trend.previous ? nl_outcome_name(trend.outcome_then) : "");
    fputc(',', out);
    nl_csv_number(out, trend.readiness_then);
    fputc(',', out);
    nl_csv_number(out, trend.change);
    return csv_owned(out, trend.previous ? nl_describe_skill_changes(fw, r->person, trend.previous)
                                         : nl_strdup(""));
}

/* The calibrated outcome beside the raw one (--calibrate); empty cells without it. */
static bool csv_calibration(FILE *out, const nl_evaluator *ev, const nl_run_context *run,
                            const nl_person_result *r, size_t index)
{
    nl_outcome outcome = NL_NOT_EVALUATED;
    double readiness = NAN, adjustment = NAN;
    const nl_calibration *c = run->calibration;
    if (c != NULL) {
        adjustment = c->managers[c->manager_of[index]].adjustment;
        if (nl_evaluate_calibrated(ev, c, index, r->person, &outcome, &readiness) != NL_OK)
            return false;
    }
    fputc(',', out);
    nl_csv_number(out, adjustment);
    fputc(',', out);
    nl_csv_text(out, c ? nl_outcome_name(outcome) : "");
    fputc(',', out);
    nl_csv_number(out, readiness);
    return true;
}

static bool csv_row(FILE *out, const nl_evaluator *ev, const nl_matrix *m,
                    const nl_run_context *run, const nl_person_result *r, size_t index)
{
    const nl_history *history = run->history;
    const nl_framework *fw = nl_evaluator_framework(ev);
    const nl_person *p = r->person;
    const nl_track_result *t = nl_person_result_track(r);
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    const nl_level *level = &fw->levels[p->level];
    const char *cells[] = {p->id, p->name, p->team, p->manager, level->id, level->title};
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        if (i)
            fputc(',', out);
        nl_csv_text(out, cells[i]);
    }
    fputc(',', out);
    nl_csv_text(out, t ? fw->levels[t->next_level].id : "");
    fputc(',', out);
    nl_csv_text(out, t ? fw->levels[t->next_level].title : "");
    fputc(',', out);
    nl_csv_text(out, nl_outcome_name(r->outcome));
    fputc(',', out);
    nl_csv_number(out, t ? t->readiness : NAN);
    for (size_t f = 0; f < fw->family_count; f++) {
        fputc(',', out);
        nl_csv_number(out, t ? t->family_attainment[f] : NAN);
    }
    bool ok = csv_owned(out, nl_describe_summary(fw, r));
    ok = ok && csv_owned(out, t ? nl_describe_failed(fw, t, NL_SOFT) : nl_strdup(""));
    ok = ok && csv_owned(out, t ? nl_describe_mitigations(fw, t) : nl_strdup(""));
    fputs(r->robust ? ",yes" : ",no", out);
    ok = ok && csv_owned(out, nl_describe_profiles(fw, r));
    fputc(',', out);
    nl_csv_number(out, r->tipping_weight);
    ok = ok && csv_owned(out, nl_describe_tipping(fw, ev, r));
    ok = ok && csv_owned(out, nl_describe_tracks(fw, r));
    fputc(',', out);
    nl_csv_number(out, t && t->outcome <= NL_DEVELOPING ? t->distance_hard : NAN);
    fputc(',', out);
    nl_csv_number(out, t && t->outcome <= NL_DEVELOPING ? t->distance : NAN);
    ok = ok && csv_owned(out, t ? nl_describe_plan(fw, t) : nl_strdup(""));
    char *blockers = ok ? nl_strdup("") : NULL; /* NULL: nothing to free when ok is false */
    for (size_t i = 0; t && blockers && i < t->blocker_count; i++)
        blockers = nl_strjoin(blockers, *blockers ? "; " : "", t->blockers[i]);
    ok = ok && csv_owned(out, blockers);
    ok = ok && csv_owned(out, t ? nl_describe_missing(fw, t) : nl_strdup(""));
    ok = ok && csv_band_and_trend(out, fw, history, r);
    ok = ok && csv_calibration(out, ev, run, r, index);
    fputc(',', out);
    nl_csv_text(out, files[p->file].path);
    fprintf(out, ",%ld", p->line);
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate_result *gr = t ? &t->gates[g] : NULL;
        fputc(',', out);
        nl_csv_text(out, gr ? gate_status_name(gr->status) : "");
        fputc(',', out);
        nl_csv_number(out, gr ? gr->required : NAN);
        fputc(',', out);
        nl_csv_number(out, gr ? gr->actual : NAN);
        fputc(',', out);
        nl_csv_number(out, gr ? gr->margin : NAN);
        fputc(',', out);
        nl_csv_text(out, gr ? gr->reason : "");
    }
    fputc('\n', out);
    return ok;
}

/* Evaluates every person in input order (on a second thread when the run has one) and hands
 * each result to write_person, counting outcomes. */
typedef struct result_walk {
    nl_outcome_counts *counts;
    const nl_progress *progress;
    size_t count;
    bool (*write_person)(void *, const nl_person_result *, size_t);
    void *data;
} result_walk;

static bool walk_one(void *data, size_t position, const nl_person_result *result)
{
    result_walk *walk = data;
    walk->counts->people[result->outcome]++;
    if ((position + 1) % 4096 == 0)
        nl_progress_report(walk->progress, "evaluating", position + 1, walk->count);
    return walk->write_person(walk->data, result, position);
}

static nl_status for_each_result(const nl_evaluator *ev, const nl_matrix *m,
                                 const nl_run_context *run, nl_outcome_counts *counts,
                                 bool (*write_person)(void *, const nl_person_result *, size_t),
                                 void *data)
{
    size_t count;
    const nl_person *people = nl_matrix_people(m, &count);
    memset(counts, 0, sizeof *counts);
    result_walk walk = {counts, run->progress, count, write_person, data};
    nl_consumer consumer = {walk_one, &walk};
    return nl_pipeline_run(ev, people, NULL, count, run->threads, &consumer, 1);
}

typedef struct csv_context {
    FILE *out;
    const nl_evaluator *ev;
    const nl_matrix *m;
    const nl_run_context *run;
} csv_context;

static bool write_csv_person(void *data, const nl_person_result *result, size_t index)
{
    csv_context *c = data;
    return csv_row(c->out, c->ev, c->m, c->run, result, index);
}

nl_status nl_write_results_csv(FILE *out, const nl_evaluator *ev, const nl_matrix *m,
                               const nl_run_context *run, nl_outcome_counts *counts)
{
    csv_header(out, nl_evaluator_framework(ev));
    csv_context c = {out, ev, m, run};
    return for_each_result(ev, m, run, counts, write_csv_person, &c);
}

void nl_write_rejections_csv(FILE *out, const nl_matrix *m)
{
    size_t count, file_count;
    const nl_rejection *rejections = nl_matrix_rejections(m, &count);
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    fputs("file,line,column,id,reason\n", out);
    for (size_t i = 0; i < count; i++) {
        nl_csv_text(out, files[rejections[i].file].path);
        fprintf(out, ",%ld,%ld,", rejections[i].line, rejections[i].column);
        nl_csv_text(out, rejections[i].id ? rejections[i].id : "");
        fputc(',', out);
        nl_csv_text(out, rejections[i].reason);
        fputc('\n', out);
    }
}

/* ---- JSON ---- */

typedef struct json_context {
    nl_json *j;
    const nl_evaluator *ev;
    const nl_matrix *m;
    const nl_run_context *run;
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
        nl_json_string(j, "status", gate_status_name(r->status));
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
    nl_json_number(j, "readiness_score", t->readiness);
    json_families(j, "family_attainment", fw, t->family_attainment);
    nl_json_open(j, "missing_skills", '[');
    for (size_t i = 0; i < t->missing_count; i++)
        nl_json_string(j, NULL, fw->skills[t->missing[i]].id);
    nl_json_close(j, ']');
    if (t->missing_data != NULL)
        nl_json_string(j, "missing_data", t->missing_data);
    json_gates(j, fw, t);
    if (t->outcome == NL_DEVELOPING || t->outcome == NL_READY_WITH_RISK)
        json_plan(j, fw, t);
    nl_json_close(j, '}');
}

static bool json_band_and_trend(nl_json *j, const nl_framework *fw, const nl_history *history,
                                const nl_person_result *r)
{
    nl_trend trend;
    nl_band_info band;
    if (nl_trend_and_band(history, fw, r, &trend, &band) != NL_OK)
        return false;
    nl_json_open(j, "band", '{');
    nl_json_string(j, "name", nl_band_name(band.band));
    nl_json_number(j, "quarters_to_ready", band.quarters);
    nl_json_number(j, "distance_to_ready", band.distance);
    nl_json_number(j, "growth_per_quarter", band.growth);
    nl_json_string(j, "growth_source",
                   isnan(band.growth)     ? ""
                   : band.growth_measured ? "measured"
                                          : "template");
    nl_json_number(j, "tenure_quarters", band.tenure_quarters);
    nl_json_close(j, '}');
    if (history == NULL)
        return true;
    nl_json_open(j, "trend", '{');
    nl_json_string(j, "status", trend_status(history, &trend));
    if (trend.previous != NULL) {
        nl_json_string(j, "level_last_quarter", fw->levels[trend.previous->level].id);
        nl_json_string(j, "outcome_last_quarter", nl_outcome_name(trend.outcome_then));
        nl_json_number(j, "readiness_last_quarter", trend.readiness_then);
        nl_json_number(j, "readiness_change", trend.change);
        nl_json_open(j, "skill_changes", '{');
        for (size_t s = 0; s < fw->skill_count; s++) {
            double change = r->person->scores[s] - trend.previous->scores[s];
            if (!isnan(change) && fabs(change) > 1e-9)
                nl_json_number(j, fw->skills[s].id, change);
        }
        nl_json_close(j, '}');
    }
    nl_json_close(j, '}');
    return true;
}

static bool json_calibration(nl_json *j, const nl_evaluator *ev, const nl_calibration *c,
                             const nl_person_result *r, size_t index)
{
    if (c == NULL)
        return true;
    nl_outcome outcome;
    double readiness;
    if (nl_evaluate_calibrated(ev, c, index, r->person, &outcome, &readiness) != NL_OK)
        return false;
    nl_json_open(j, "calibration", '{');
    nl_json_string(j, "manager", c->managers[c->manager_of[index]].manager);
    nl_json_number(j, "adjustment", c->managers[c->manager_of[index]].adjustment);
    nl_json_string(j, "outcome", nl_outcome_name(outcome));
    nl_json_number(j, "readiness_score", readiness);
    nl_json_close(j, '}');
    return true;
}

static bool write_json_person(void *data, const nl_person_result *r, size_t index)
{
    json_context *c = data;
    nl_json *j = c->j;
    const nl_framework *fw = nl_evaluator_framework(c->ev);
    const nl_person *p = r->person;
    const nl_track_result *t = nl_person_result_track(r);
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(c->m, &file_count);
    nl_json_open(j, NULL, '{');
    nl_json_string(j, "id", p->id);
    nl_json_string(j, "name", p->name);
    nl_json_string(j, "team", p->team);
    nl_json_string(j, "manager", p->manager);
    nl_json_string(j, "level", fw->levels[p->level].id);
    nl_json_string(j, "level_title", fw->levels[p->level].title);
    nl_json_number(j, "months_in_level", p->months_in_level);
    nl_json_open(j, "source", '{');
    nl_json_string(j, "file", files[p->file].path);
    nl_json_integer(j, "line", p->line);
    nl_json_close(j, '}');
    nl_json_string(j, "outcome", nl_outcome_name(r->outcome));
    if (t != NULL) {
        nl_json_string(j, "next_level", fw->levels[t->next_level].id);
        nl_json_number(j, "readiness_score", t->readiness);
        json_families(j, "family_attainment", fw, t->family_attainment);
    }
    bool ok = json_owned(j, "reasons", nl_describe_summary(fw, r));
    nl_json_bool(j, "robust", r->robust);
    nl_json_open(j, "profile_outcomes", '{');
    for (size_t i = 0; i < fw->profile_count; i++)
        nl_json_string(j, fw->profiles[i].name, nl_outcome_name(r->profile_outcomes[i]));
    nl_json_close(j, '}');
    nl_json_open(j, "tipping", '{');
    nl_json_number(j, "weight", r->tipping_weight);
    if (!isnan(r->tipping_weight))
        nl_json_string(j, "outcome_beyond", nl_outcome_name(r->tipping_outcome));
    ok = ok && json_owned(j, "text", nl_describe_tipping(fw, c->ev, r));
    nl_json_close(j, '}');
    ok = ok && json_band_and_trend(j, fw, c->run->history, r);
    ok = ok && json_calibration(j, c->ev, c->run->calibration, r, index);
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
}

/* People of last quarter who are not in this one. */
static nl_status json_left(nl_json *j, const nl_evaluator *ev, const nl_matrix *m,
                           const nl_history *history)
{
    const nl_framework *fw = nl_evaluator_framework(ev);
    size_t count, index;
    const nl_person *then = nl_matrix_people(history->previous, &count);
    nl_json_open(j, "left", '[');
    for (size_t i = 0; i < count; i++) {
        /* A person whose row this quarter was rejected has not left: they are in the
         * rejected list. */
        if (nl_matrix_find(m, then[i].id, &index) || nl_matrix_rejected(m, then[i].id))
            continue;
        nl_person_result r;
        if (nl_evaluate_person_brief(ev, &then[i], &r) != NL_OK)
            return NL_ERR_NOMEM;
        const nl_track_result *t = nl_person_result_track(&r);
        nl_json_open(j, NULL, '{');
        nl_json_string(j, "id", then[i].id);
        nl_json_string(j, "name", then[i].name);
        nl_json_string(j, "team", then[i].team);
        nl_json_string(j, "level_last_quarter", fw->levels[then[i].level].id);
        nl_json_string(j, "outcome_last_quarter", nl_outcome_name(r.outcome));
        nl_json_number(j, "readiness_last_quarter", t ? t->readiness : NAN);
        nl_json_close(j, '}');
        nl_person_result_clear(&r);
    }
    nl_json_close(j, ']');
    return NL_OK;
}

nl_status nl_write_results_json(FILE *out, const nl_evaluator *ev, const nl_matrix *m,
                                const nl_run_context *run, nl_outcome_counts *counts)
{
    const nl_history *history = run->history;
    nl_json j;
    nl_json_init(&j, out);
    nl_json_open(&j, NULL, '{');
    json_criteria(&j, ev);
    nl_json_open(&j, "people", '[');
    json_context c = {&j, ev, m, run};
    nl_status status = for_each_result(ev, m, run, counts, write_json_person, &c);
    if (status != NL_OK)
        return status;
    nl_json_close(&j, ']');
    if (history != NULL && (status = json_left(&j, ev, m, history)) != NL_OK)
        return status;
    size_t count, file_count;
    const nl_rejection *rejections = nl_matrix_rejections(m, &count);
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    nl_json_open(&j, "rejected", '[');
    for (size_t i = 0; i < count; i++) {
        nl_json_open(&j, NULL, '{');
        nl_json_string(&j, "file", files[rejections[i].file].path);
        nl_json_integer(&j, "line", rejections[i].line);
        nl_json_integer(&j, "column", rejections[i].column);
        if (rejections[i].id != NULL)
            nl_json_string(&j, "id", rejections[i].id);
        else
            nl_json_null(&j, "id");
        nl_json_string(&j, "reason", rejections[i].reason);
        nl_json_close(&j, '}');
    }
    nl_json_close(&j, ']');
    nl_json_open(&j, "summary", '{');
    for (int o = NL_READY_NOW; o <= NL_TOP_OF_LADDER; o++)
        nl_json_integer(&j, nl_outcome_name((nl_outcome)o), (long long)counts->people[o]);
    nl_json_integer(&j, "rejected rows", (long long)count);
    nl_json_close(&j, '}');
    nl_json_close(&j, '}');
    return NL_OK;
}
