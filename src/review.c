#include "nextlevel/review.h"

#include "nextlevel/pipeline.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *team_name(const nl_person *p)
{
    return p->team[0] ? p->team : "(no team)";
}

const char *nl_trend_status_name(nl_trend_status status)
{
    switch (status) {
    case NL_TREND_CONTINUING:
        return "continuing";
    case NL_TREND_PROMOTED:
        return "promoted";
    case NL_TREND_NEW:
        return "new";
    case NL_TREND_NEW_TEAM:
        return "new team";
    case NL_TREND_NONE:
        return "";
    }
    return "";
}

const char *nl_leaver_status_name(const nl_review_leaver *leaver)
{
    return leaver->rejected_now ? "row rejected this quarter" : "left";
}

void nl_trend_count_items(const nl_trend_counts *counts, const char *names[NL_TREND_COUNT_ITEMS],
                          size_t values[NL_TREND_COUNT_ITEMS])
{
    const nl_review_leaver left = {.rejected_now = false}, rejected = {.rejected_now = true};
    const char *const item_names[NL_TREND_COUNT_ITEMS] = {nl_trend_status_name(NL_TREND_CONTINUING),
                                                          nl_trend_status_name(NL_TREND_PROMOTED),
                                                          nl_trend_status_name(NL_TREND_NEW),
                                                          nl_trend_status_name(NL_TREND_NEW_TEAM),
                                                          nl_leaver_status_name(&left),
                                                          nl_leaver_status_name(&rejected)};
    const size_t item_values[NL_TREND_COUNT_ITEMS] = {counts->continuing, counts->promoted,
                                                      counts->new_people, counts->new_team_people,
                                                      counts->left,       counts->rejected_now};
    for (size_t i = 0; i < NL_TREND_COUNT_ITEMS; i++) {
        names[i] = item_names[i];
        values[i] = item_values[i];
    }
}

const nl_history *nl_review_history(const nl_review *rv)
{
    return rv->previous != NULL ? &rv->history : NULL;
}

/* ---- evaluating everyone ---- */

/* Evaluates person i (briefly) into its record; family receives the deciding track's family
 * attainments (NAN without a track). Touches nothing shared: safe on several threads. */
static bool evaluate_one(nl_review *rv, size_t i, double *family)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(rv->m, &people_count);
    nl_review_person *s = &rv->people[i];
    s->person = i;
    nl_person_result r;
    if (nl_evaluate_person_brief(rv->ev, &people[i], &r) != NL_OK)
        return false;
    const nl_track_result *t = nl_person_result_track(&r);
    s->outcome = r.outcome;
    s->readiness = t ? t->readiness : NAN;
    s->next_level = t ? t->next_level : SIZE_MAX;
    s->first_attainment = t && rv->has_pair ? t->family_attainment[rv->pair_first] : NAN;
    s->second_attainment = t && rv->has_pair ? t->family_attainment[rv->pair_second] : NAN;
    s->robust = r.robust;
    s->levels_above = r.levels_above;
    /* A template without skills has no raises to plan: nobody gets a plan row. */
    bool planned = t && (t->outcome == NL_DEVELOPING || t->outcome == NL_READY_WITH_RISK) &&
                   nl_framework_has_skills(rv->fw);
    s->plan_rows = planned ? 1 : 0;
    s->distance_hard = planned ? t->distance_hard : NAN;
    s->distance = t ? t->distance : NAN;
    s->gate_rows = t ? t->gate_count : 0;
    for (size_t f = 0; f < rv->fw->family_count; f++)
        family[f] = t ? t->family_attainment[f] : NAN;
    bool ok = nl_trend_of(nl_review_history(rv), &r, &s->trend) == NL_OK;
    if (ok)
        nl_band_of(rv->fw, &r, &s->trend, &s->band);
    s->calibrated_outcome = r.outcome;
    s->calibrated_readiness = s->readiness;
    if (ok && rv->calibrate)
        ok = nl_evaluate_calibrated(rv->ev, rv->calibration, i, &people[i], &s->calibrated_outcome,
                                    &s->calibrated_readiness) == NL_OK;
    nl_person_result_clear(&r);
    return ok;
}

/* The evaluation pass: each person's record, and their family attainments for the managers'
 * figures. */
typedef struct evaluation {
    nl_review *rv;
    double *families; /* count x family_count */
    const nl_progress *progress;
} evaluation;

static bool evaluate_at(void *data, size_t i, unsigned share)
{
    evaluation *e = data;
    if (share == 0 && i > 0 && i % 4096 == 0)
        nl_progress_report(e->progress, "evaluating", i, e->rv->count);
    return evaluate_one(e->rv, i, e->families + i * e->rv->fw->family_count);
}

/* ---- order ---- */

typedef struct sort_key {
    nl_outcome outcome;
    double readiness;
    size_t index;
} sort_key;

/* Readiness order: outcome (Ready now first), then readiness score high to low (none last),
 * then input order, so the sort is total and every output reproducible. */
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

static bool sort_people(nl_review *rv)
{
    sort_key *keys = malloc((rv->count ? rv->count : 1) * sizeof *keys);
    rv->order = malloc((rv->count ? rv->count : 1) * sizeof *rv->order);
    if (keys == NULL || rv->order == NULL) {
        free(keys);
        return false;
    }
    for (size_t i = 0; i < rv->count; i++)
        keys[i] = (sort_key){rv->people[i].outcome, rv->people[i].readiness, i};
    qsort(keys, rv->count, sizeof *keys, compare_keys);
    for (size_t i = 0; i < rv->count; i++)
        rv->order[i] = keys[i].index;
    free(keys);
    return true;
}

/* ---- the promotion budget ---- */

const char *nl_slate_mark_name(nl_slate_mark mark)
{
    switch (mark) {
    case NL_SLATE_ON:
        return "on the slate";
    case NL_SLATE_TIED:
        return "tied at the cut";
    case NL_SLATE_BELOW:
        return "below the cut";
    case NL_SLATE_NONE:
        break;
    }
    return "";
}

/* Smaller first, none (NAN) last; 0 when equal. */
static int compare_ascending(double x, double y)
{
    bool nx = isnan(x), ny = isnan(y);
    if (nx || ny)
        return nx - ny;
    return (x > y) - (x < y);
}

/* Every key of the budget's order but the id: equal here is a tie the id must not break. */
static int compare_rank_keys(const nl_slate_candidate *x, const nl_slate_candidate *y)
{
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->outcome != y->outcome)
        return x->outcome < y->outcome ? -1 : 1;
    if (x->robust != y->robust)
        return x->robust ? -1 : 1;
    if (x->calibrated != y->calibrated)
        return x->calibrated < y->calibrated ? -1 : 1;
    int c = compare_ascending(x->distance, y->distance);
    if (c != 0)
        return c;
    return compare_ascending(-x->readiness, -y->readiness);
}

static int compare_candidates(const void *a, const void *b)
{
    const nl_slate_candidate *x = a, *y = b;
    int c = compare_rank_keys(x, y);
    if (c == 0)
        c = strcmp(x->id, y->id);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

void nl_slate_cut(nl_slate_candidate *candidates, size_t count, const size_t *slots, size_t groups,
                  nl_slate_tally *tally)
{
    qsort(candidates, count, sizeof *candidates, compare_candidates);
    for (size_t g = 0; g < groups; g++)
        tally[g] = (nl_slate_tally){.slots = slots[g]};
    for (size_t start = 0; start < count;) {
        size_t g = candidates[start].group, end = start;
        while (end < count && candidates[end].group == g)
            end++;
        nl_slate_tally *t = &tally[g];
        size_t n = end - start, cut = t->slots < n ? t->slots : n;
        /* The people equal to the last one within the budget, when one of them falls beyond
         * it: all of them are tied at the cut. */
        size_t tie_from = cut, tie_to = cut;
        if (cut > 0 && cut < n &&
            compare_rank_keys(&candidates[start + cut - 1], &candidates[start + cut]) == 0) {
            tie_from = cut - 1;
            while (tie_from > 0 && compare_rank_keys(&candidates[start + tie_from - 1],
                                                     &candidates[start + cut]) == 0)
                tie_from--;
            while (tie_to < n &&
                   compare_rank_keys(&candidates[start + tie_to], &candidates[start + cut]) == 0)
                tie_to++;
        }
        for (size_t k = 0; k < n; k++) {
            nl_slate_candidate *c = &candidates[start + k];
            c->rank = k + 1;
            c->mark = k < tie_from ? NL_SLATE_ON : k < tie_to ? NL_SLATE_TIED : NL_SLATE_BELOW;
        }
        t->candidates = n;
        t->on_slate = tie_from;
        t->tied = tie_to - tie_from;
        t->tied_slots = t->tied ? cut - tie_from : 0;
        start = end;
    }
}

static bool budget_figures(nl_review *rv)
{
    const nl_budget *budget = &rv->budget;
    if (!budget->set)
        return true;
    size_t people_count;
    const nl_person *people = nl_matrix_people(rv->m, &people_count);
    size_t groups = budget->per_team ? rv->team_count : 1;
    nl_slate_candidate *candidates = malloc((rv->count ? rv->count : 1) * sizeof *candidates);
    size_t *slots = calloc(groups ? groups : 1, sizeof *slots);
    nl_slate_tally *tally = calloc(groups ? groups : 1, sizeof *tally);
    if (candidates == NULL || slots == NULL || tally == NULL) {
        free(candidates);
        free(slots);
        free(tally);
        return false;
    }
    if (budget->per_team) {
        for (size_t t = 0; t < rv->team_count; t++) {
            /* A team the template gives no budget keeps 0 slots: all its candidates below. */
            for (size_t k = 0; k < budget->team_count; k++) {
                if (strcmp(budget->teams[k].team, rv->teams[t].name) == 0) {
                    slots[t] = budget->teams[k].slots;
                    break;
                }
            }
        }
    } else {
        slots[0] = budget->slots;
    }
    size_t n = 0;
    for (size_t i = 0; i < rv->count; i++) {
        const nl_review_person *s = &rv->people[i];
        if (s->outcome != NL_READY_NOW && s->outcome != NL_READY_WITH_RISK)
            continue;
        candidates[n++] = (nl_slate_candidate){.group = budget->per_team ? s->team : 0,
                                               .outcome = s->outcome,
                                               .calibrated = s->calibrated_outcome,
                                               .robust = s->robust,
                                               .distance = s->distance,
                                               .readiness = s->readiness,
                                               .id = people[s->person].id,
                                               .index = i};
    }
    nl_slate_cut(candidates, n, slots, groups, tally);
    for (size_t k = 0; k < n; k++) {
        rv->people[candidates[k].index].slate_rank = candidates[k].rank;
        rv->people[candidates[k].index].slate = candidates[k].mark;
    }
    rv->slate = (nl_slate_tally){0};
    for (size_t g = 0; g < groups; g++) {
        if (budget->per_team)
            rv->teams[g].slate = tally[g];
        rv->slate.slots += tally[g].slots;
        rv->slate.candidates += tally[g].candidates;
        rv->slate.on_slate += tally[g].on_slate;
        rv->slate.tied += tally[g].tied;
        rv->slate.tied_slots += tally[g].tied_slots;
    }
    free(candidates);
    free(slots);
    free(tally);
    return true;
}

/* ---- teams ---- */

static int compare_team_names(const void *a, const void *b)
{
    return strcmp(((const nl_review_team *)a)->name, ((const nl_review_team *)b)->name);
}

/* Tallies the people at positions order[0..count) (indices into rv->people) per team, sorted
 * by name; with team_of (may be NULL) each person's team index is recorded there. */
static bool tally_teams(const nl_review *rv, const size_t *order, size_t count, size_t *team_of,
                        nl_review_team **out, size_t *out_count)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(rv->m, &people_count);
    nl_strmap *index = nl_strmap_new();
    nl_review_team *teams = NULL;
    size_t n = 0, cap = 0;
    bool ok = index != NULL;
    for (size_t k = 0; ok && k < count; k++) {
        const nl_review_person *s = &rv->people[order ? order[k] : k];
        const char *name = team_name(&people[s->person]);
        size_t t;
        if (!nl_strmap_get(index, name, &t)) {
            ok = nl_grow((void **)&teams, &cap, n + 1, sizeof *teams) &&
                 nl_strmap_put(index, name, n);
            if (!ok)
                break;
            teams[n] = (nl_review_team){.name = name};
            t = n++;
        }
        teams[t].people++;
        teams[t].counts.people[s->outcome]++;
        teams[t].calibrated.people[s->calibrated_outcome]++;
    }
    if (ok && teams == NULL)
        ok = (teams = calloc(1, sizeof *teams)) != NULL;
    if (ok) {
        qsort(teams, n, sizeof *teams, compare_team_names);
        for (size_t k = 0; team_of != NULL && k < count; k++) {
            nl_review_team key = {.name = team_name(&people[rv->people[k].person])};
            const nl_review_team *found =
                bsearch(&key, teams, n, sizeof *teams, compare_team_names);
            team_of[k] = (size_t)(found - teams);
        }
    }
    nl_strmap_free(index);
    if (!ok) {
        free(teams);
        return false;
    }
    *out = teams;
    *out_count = n;
    return true;
}

/* ---- the organisation's figures ---- */

/* Outcome tallies overall, per level and per band, and how many are robust. */
static bool count_outcomes(nl_review *rv)
{
    size_t levels = rv->fw->level_count ? rv->fw->level_count : 1;
    rv->by_level = calloc(levels, sizeof *rv->by_level);
    rv->by_level_calibrated = calloc(levels, sizeof *rv->by_level_calibrated);
    if (rv->by_level == NULL || rv->by_level_calibrated == NULL)
        return false;
    size_t people_count;
    const nl_person *people = nl_matrix_people(rv->m, &people_count);
    for (size_t i = 0; i < rv->count; i++) {
        const nl_review_person *s = &rv->people[i];
        rv->counts.people[s->outcome]++;
        rv->calibrated.people[s->calibrated_outcome]++;
        rv->by_level[people[i].level].people[s->outcome]++;
        rv->by_level_calibrated[people[i].level].people[s->calibrated_outcome]++;
        rv->by_band[s->band.band]++;
        bool scored = s->outcome <= NL_DEVELOPING;
        rv->evaluated += scored;
        rv->robust += scored && s->robust;
        rv->operating_two_up += s->levels_above >= 2;
    }
    return true;
}

/* Per manager of the calibration: people, evaluated, Ready now and mean family attainments;
 * and the organisation's mean attainments. families holds each person's attainments. */
static bool manager_figures(nl_review *rv, const double *families)
{
    size_t F = rv->fw->family_count;
    size_t managers = rv->calibration->count;
    rv->managers = calloc(managers ? managers : 1, sizeof *rv->managers);
    rv->family_means_block = calloc((managers + 1) * (F ? F : 1), sizeof(double));
    double *sums = calloc((managers + 1) * (F ? F : 1), sizeof *sums);
    size_t *ns = calloc((managers + 1) * (F ? F : 1), sizeof *ns);
    bool ok = rv->managers && rv->family_means_block && sums && ns;
    for (size_t i = 0; ok && i < rv->count; i++) {
        const nl_review_person *s = &rv->people[i];
        size_t j = rv->calibration->manager_of[i];
        rv->managers[j].people++;
        if (s->outcome > NL_DEVELOPING)
            continue;
        rv->managers[j].evaluated++;
        rv->managers[j].ready += s->outcome == NL_READY_NOW;
        for (size_t f = 0; f < F; f++) {
            double a = families[i * F + f];
            if (isnan(a))
                continue;
            sums[j * F + f] += a;
            ns[j * F + f]++;
        }
    }
    /* The organisation's sums add the managers' in their order, as the workbook always has,
     * so the figures keep their last bits. */
    for (size_t j = 0; ok && j < managers; j++) {
        for (size_t f = 0; f < F; f++) {
            sums[managers * F + f] += sums[j * F + f];
            ns[managers * F + f] += ns[j * F + f];
        }
    }
    for (size_t j = 0; ok && j <= managers; j++) {
        double *means = rv->family_means_block + j * F;
        for (size_t f = 0; f < F; f++)
            means[f] = ns[j * F + f] ? sums[j * F + f] / (double)ns[j * F + f] : NAN;
        if (j < managers)
            rv->managers[j].family_mean = means;
        else
            rv->org_family_mean = means;
    }
    free(sums);
    free(ns);
    return ok;
}

/* The fairness rates, when the template names a group column. */
static bool fairness_figures(nl_review *rv)
{
    if (rv->fw->fairness.group_column == NULL)
        return true;
    size_t people_count;
    const nl_person *people = nl_matrix_people(rv->m, &people_count);
    const char **groups = malloc((rv->count ? rv->count : 1) * sizeof *groups);
    nl_outcome *outcomes = malloc((rv->count ? rv->count : 1) * sizeof *outcomes);
    bool ok = groups != NULL && outcomes != NULL;
    for (size_t i = 0; ok && i < rv->count; i++) {
        groups[i] = people[i].group;
        outcomes[i] = rv->people[i].outcome;
    }
    ok = ok && nl_fairness_compute(&rv->fw->fairness, groups, outcomes, rv->count, &rv->fairness) ==
                   NL_OK;
    free(groups);
    free(outcomes);
    return ok;
}

/* ---- last quarter ---- */

/* Classifies everyone against last quarter and lists last quarter's people who are not here,
 * with their result then. */
static bool trend_figures(nl_review *rv)
{
    if (rv->previous == NULL)
        return true;
    size_t then_count, index;
    const nl_person *then = nl_matrix_people(rv->previous, &then_count);
    size_t people_count;
    const nl_person *people = nl_matrix_people(rv->m, &people_count);
    nl_strmap *teams_then = nl_strmap_new();
    bool ok = teams_then != NULL;
    for (size_t i = 0; ok && i < then_count; i++)
        ok = nl_strmap_put(teams_then, team_name(&then[i]), i);
    for (size_t i = 0; ok && i < rv->count; i++) {
        nl_review_person *s = &rv->people[i];
        size_t ignored;
        if (s->trend.previous != NULL)
            s->trend_status = s->trend.promoted ? NL_TREND_PROMOTED : NL_TREND_CONTINUING;
        else if (nl_strmap_get(teams_then, team_name(&people[i]), &ignored))
            s->trend_status = NL_TREND_NEW;
        else
            s->trend_status = NL_TREND_NEW_TEAM;
        rv->trend.continuing += s->trend_status == NL_TREND_CONTINUING;
        rv->trend.promoted += s->trend_status == NL_TREND_PROMOTED;
        rv->trend.new_people += s->trend_status == NL_TREND_NEW;
        rv->trend.new_team_people += s->trend_status == NL_TREND_NEW_TEAM;
    }
    nl_strmap_free(teams_then);
    size_t cap = 0;
    for (size_t i = 0; ok && i < then_count; i++) {
        if (nl_matrix_find(rv->m, then[i].id, &index))
            continue;
        nl_person_result r;
        if (!nl_grow((void **)&rv->leavers, &cap, rv->leaver_count + 1, sizeof *rv->leavers) ||
            nl_evaluate_person_brief(rv->ev, &then[i], &r) != NL_OK) {
            ok = false;
            break;
        }
        const nl_track_result *t = nl_person_result_track(&r);
        nl_review_leaver *l = &rv->leavers[rv->leaver_count++];
        *l = (nl_review_leaver){.person = i,
                                .outcome_then = r.outcome,
                                .readiness_then = t ? t->readiness : NAN,
                                .rejected_now = nl_matrix_rejected(rv->m, then[i].id)};
        rv->trend.left += !l->rejected_now;
        rv->trend.rejected_now += l->rejected_now;
        nl_person_result_clear(&r);
    }
    return ok;
}

nl_status nl_review_build(const nl_review_inputs *in, nl_review **out, nl_error *err)
{
    *out = NULL;
    nl_review *rv = calloc(1, sizeof *rv);
    if (rv == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    rv->ev = in->ev;
    rv->fw = nl_evaluator_framework(in->ev);
    rv->m = in->m;
    rv->previous = in->previous;
    rv->history = (nl_history){in->ev, in->previous};
    rv->calibrate = in->calibrate;
    rv->budget = in->budget;
    rv->has_pair = nl_evaluator_tipping_families(in->ev, &rv->pair_first, &rv->pair_second);
    rv->performance = SIZE_MAX;
    for (size_t a = 0; a < rv->fw->attribute_count; a++)
        if (strcmp(rv->fw->attributes[a].id, "performance") == 0)
            rv->performance = a;
    nl_matrix_people(in->m, &rv->count);
    size_t F = rv->fw->family_count ? rv->fw->family_count : 1;
    size_t n = rv->count ? rv->count : 1;
    double *families = malloc(n * F * sizeof *families);
    size_t *team_of = malloc(n * sizeof *team_of);
    rv->people = calloc(n, sizeof *rv->people);
    bool ok = families != NULL && team_of != NULL && rv->people != NULL &&
              nl_calibration_compute(rv->fw, rv->m, &rv->calibration) == NL_OK &&
              nl_parallel_for(rv->count, in->threads, evaluate_at,
                              &(evaluation){rv, families, in->progress}) &&
              sort_people(rv) && count_outcomes(rv) &&
              tally_teams(rv, NULL, rv->count, team_of, &rv->teams, &rv->team_count) &&
              manager_figures(rv, families) && fairness_figures(rv) && trend_figures(rv);
    for (size_t i = 0; ok && i < rv->count; i++)
        rv->people[i].team = team_of[i];
    ok = ok && budget_figures(rv);
    free(families);
    free(team_of);
    if (!ok) {
        nl_review_free(rv);
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *out = rv;
    return NL_OK;
}

void nl_review_free(nl_review *rv)
{
    if (rv == NULL)
        return;
    nl_calibration_free(rv->calibration);
    free(rv->people);
    free(rv->order);
    free(rv->teams);
    free(rv->by_level);
    free(rv->by_level_calibrated);
    free(rv->managers);
    free(rv->family_means_block);
    nl_fairness_free(rv->fairness);
    free(rv->leavers);
    free(rv);
}

/* ---- views ---- */

int nl_balance_band(double attainment)
{
    return attainment < 0.75 ? 0 : attainment < 0.95 ? 1 : 2;
}

int nl_performance_band(double rating)
{
    if (isnan(rating))
        return -1;
    return rating < 2.5 ? 0 : rating < 3.5 ? 1 : 2;
}

/* ---- the slate ---- */

typedef struct slate_key {
    size_t next_level;
    bool calibrated_ready, robust;
    double readiness;
    size_t position; /* in the review's order */
    size_t index;
} slate_key;

/* Next level in the framework's order, then the rank the slate states (slate in review.h). */
static int compare_slate(const void *a, const void *b)
{
    const slate_key *x = a, *y = b;
    if (x->next_level != y->next_level)
        return x->next_level < y->next_level ? -1 : 1;
    if (x->calibrated_ready != y->calibrated_ready)
        return x->calibrated_ready ? -1 : 1;
    if (x->robust != y->robust)
        return x->robust ? -1 : 1;
    bool nx = isnan(x->readiness), ny = isnan(y->readiness);
    if (nx != ny)
        return nx ? 1 : -1;
    if (!nx && x->readiness != y->readiness)
        return x->readiness > y->readiness ? -1 : 1;
    return (x->position > y->position) - (x->position < y->position);
}

/* The view's slate and its calibration counts. */
static bool view_slate(const nl_review *rv, nl_review_view *view)
{
    size_t n = view->counts.people[NL_READY_NOW];
    slate_key *keys = malloc((n ? n : 1) * sizeof *keys);
    view->slate = malloc((n ? n : 1) * sizeof *view->slate);
    if (keys == NULL || view->slate == NULL) {
        free(keys);
        return false;
    }
    const nl_calibration *c = rv->calibration;
    for (size_t k = 0; k < view->count; k++) {
        size_t i = view->order[k];
        const nl_review_person *s = &rv->people[i];
        bool calibrated_ready = s->calibrated_outcome == NL_READY_NOW;
        if (s->outcome != NL_READY_NOW) {
            view->ready_only_calibrated += calibrated_ready;
            continue;
        }
        keys[view->slate_count++] =
            (slate_key){s->next_level, calibrated_ready, s->robust, s->readiness, k, i};
        view->slate_not_ready_calibrated += !calibrated_ready;
        view->slate_lenient += c->managers[c->manager_of[s->person]].flag == NL_RATER_LENIENT;
    }
    qsort(keys, view->slate_count, sizeof *keys, compare_slate);
    for (size_t k = 0; k < view->slate_count; k++)
        view->slate[k] = keys[k].index;
    free(keys);
    return true;
}

/* The pipeline by band and level, the 9-box, and why people are not evaluated. */
static bool view_pipeline(const nl_review *rv, nl_review_view *view)
{
    size_t levels = rv->fw->level_count ? rv->fw->level_count : 1;
    size_t skills = rv->fw->skill_count ? rv->fw->skill_count : 1;
    view->level_band = calloc(levels * NL_BAND_COUNT, sizeof *view->level_band);
    view->missing_skill = calloc(skills, sizeof *view->missing_skill);
    if (view->level_band == NULL || view->missing_skill == NULL)
        return false;
    size_t people_count;
    const nl_person *people = nl_matrix_people(rv->m, &people_count);
    for (size_t k = 0; k < view->count; k++) {
        const nl_review_person *s = &rv->people[view->order[k]];
        const nl_person *p = &people[s->person];
        view->by_band[s->band.band]++;
        view->level_band[p->level * NL_BAND_COUNT + s->band.band]++;
        if (rv->performance != SIZE_MAX && s->outcome < NL_NINE_BOX_ROWS) {
            int band = nl_performance_band(p->attributes[rv->performance]);
            if (band < 0)
                view->unrated++;
            else
                view->nine_box[s->outcome][band]++;
        }
        if (s->outcome != NL_NOT_EVALUATED)
            continue;
        /* Few people, evaluated again only to say what they lack. */
        nl_person_result r;
        if (nl_evaluate_person_brief(rv->ev, p, &r) != NL_OK)
            return false;
        const nl_track_result *t = nl_person_result_track(&r);
        view->not_evaluated++;
        for (size_t m = 0; t != NULL && m < t->missing_count; m++)
            view->missing_skill[t->missing[m]]++;
        view->missing_other += t != NULL && t->missing_data != NULL;
        nl_person_result_clear(&r);
    }
    return true;
}

static int compare_sizes(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Whether last quarter's person belongs to the scope. */
static bool leaver_in_scope(const nl_person *then, const nl_view_scope *scope)
{
    if (scope == NULL || scope->kind == NL_VIEW_WHOLE)
        return true;
    if (scope->kind == NL_VIEW_TEAM)
        return strcmp(team_name(then), scope->name) == 0;
    return strcmp(then->manager[0] ? then->manager : "(no manager)", scope->name) == 0;
}

/* The view's people in the review's order: a mark per person of the scope, then one walk of
 * the order. */
static bool view_order(const nl_review *rv, const nl_view_scope *scope, nl_review_view *view)
{
    size_t n = scope ? scope->member_count : rv->count;
    view->order = malloc((n ? n : 1) * sizeof *view->order);
    if (view->order == NULL)
        return false;
    if (scope == NULL || scope->kind == NL_VIEW_WHOLE) {
        memcpy(view->order, rv->order, rv->count * sizeof *view->order);
        view->count = rv->count;
        return true;
    }
    bool *in = calloc(rv->count ? rv->count : 1, sizeof *in);
    if (in == NULL)
        return false;
    for (size_t k = 0; k < scope->member_count; k++)
        in[scope->members[k]] = true;
    for (size_t k = 0; k < rv->count; k++)
        if (in[rv->order[k]])
            view->order[view->count++] = rv->order[k];
    free(in);
    return true;
}

static bool view_managers(const nl_review *rv, nl_review_view *view)
{
    view->managers = malloc((view->count ? view->count : 1) * sizeof *view->managers);
    if (view->managers == NULL)
        return false;
    for (size_t k = 0; k < view->count; k++)
        view->managers[k] = rv->calibration->manager_of[rv->people[view->order[k]].person];
    qsort(view->managers, view->count, sizeof *view->managers, compare_sizes);
    size_t unique = 0;
    for (size_t k = 0; k < view->count; k++)
        if (unique == 0 || view->managers[unique - 1] != view->managers[k])
            view->managers[unique++] = view->managers[k];
    view->manager_count = unique;
    return true;
}

static bool view_leavers(const nl_review *rv, const nl_view_scope *scope, nl_review_view *view)
{
    view->leavers = malloc((rv->leaver_count ? rv->leaver_count : 1) * sizeof *view->leavers);
    if (view->leavers == NULL)
        return false;
    size_t then_count;
    const nl_person *then = rv->previous ? nl_matrix_people(rv->previous, &then_count) : NULL;
    for (size_t k = 0; k < rv->leaver_count; k++) {
        const nl_review_leaver *l = &rv->leavers[k];
        if (!leaver_in_scope(&then[l->person], scope))
            continue;
        view->leavers[view->leaver_count++] = k;
        view->trend.left += !l->rejected_now;
        view->trend.rejected_now += l->rejected_now;
    }
    return true;
}

typedef struct plan_key {
    double distance, quarters;
    size_t position;
} plan_key;

/* Closest to Ready now first: distance, then quarters (no estimate last), then the Readiness
 * order, so the order is total. */
static int compare_plan_keys(const void *a, const void *b)
{
    const plan_key *x = a, *y = b;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    if (x->quarters != y->quarters)
        return x->quarters < y->quarters ? -1 : 1;
    return (x->position > y->position) - (x->position < y->position);
}

/* The view's people with a plan, ranked by distance to ready. */
static bool view_plan_order(const nl_review *rv, nl_review_view *view)
{
    size_t n = 0;
    for (size_t k = 0; k < view->count; k++)
        n += rv->people[view->order[k]].plan_rows > 0;
    plan_key *keys = malloc((n ? n : 1) * sizeof *keys);
    view->plan_order = malloc((n ? n : 1) * sizeof *view->plan_order);
    if (keys == NULL || view->plan_order == NULL) {
        free(keys);
        return false;
    }
    n = 0;
    for (size_t k = 0; k < view->count; k++) {
        const nl_review_person *s = &rv->people[view->order[k]];
        if (s->plan_rows == 0)
            continue;
        /* NAN never compares: it sorts as "furthest" (cannot happen for a planned person). */
        double d = isnan(s->band.distance) ? INFINITY : s->band.distance;
        double q = isnan(s->band.quarters) ? INFINITY : s->band.quarters;
        keys[n++] = (plan_key){d, q, k};
    }
    qsort(keys, n, sizeof *keys, compare_plan_keys);
    for (size_t i = 0; i < n; i++)
        view->plan_order[i] = keys[i].position;
    view->plan_count = n;
    free(keys);
    return true;
}

nl_status nl_review_view_make(const nl_review *rv, const nl_view_scope *scope, nl_review_view *view)
{
    *view = (nl_review_view){.review = rv,
                             .whole = scope == NULL || scope->kind == NL_VIEW_WHOLE,
                             .pair_min = NAN,
                             .pair_max = NAN};
    bool ok = view_order(rv, scope, view);
    for (size_t k = 0; ok && k < view->count; k++) {
        const nl_review_person *s = &rv->people[view->order[k]];
        view->counts.people[s->outcome]++;
        view->calibrated.people[s->calibrated_outcome]++;
        bool scored = s->outcome <= NL_DEVELOPING;
        view->evaluated += scored;
        view->robust += scored && s->robust;
        view->operating_two_up += s->levels_above >= 2;
        view->trend.continuing += s->trend_status == NL_TREND_CONTINUING;
        view->trend.promoted += s->trend_status == NL_TREND_PROMOTED;
        view->trend.new_people += s->trend_status == NL_TREND_NEW;
        view->trend.new_team_people += s->trend_status == NL_TREND_NEW_TEAM;
        if (isnan(s->first_attainment) || isnan(s->second_attainment))
            continue;
        view->balance[nl_balance_band(s->second_attainment)]
                     [nl_balance_band(s->first_attainment)]++;
        double low = fmin(s->first_attainment, s->second_attainment),
               high = fmax(s->first_attainment, s->second_attainment);
        view->pair_min = isnan(view->pair_min) ? low : fmin(view->pair_min, low);
        view->pair_max = isnan(view->pair_max) ? high : fmax(view->pair_max, high);
    }
    ok = ok && tally_teams(rv, view->order, view->count, NULL, &view->teams, &view->team_count) &&
         view_managers(rv, view) && view_leavers(rv, scope, view) && view_slate(rv, view) &&
         view_pipeline(rv, view) && view_plan_order(rv, view);
    if (!ok) {
        nl_review_view_clear(view);
        return NL_ERR_NOMEM;
    }
    return NL_OK;
}

void nl_review_view_clear(nl_review_view *view)
{
    free(view->order);
    free(view->teams);
    free(view->managers);
    free(view->leavers);
    free(view->level_band);
    free(view->slate);
    free(view->missing_skill);
    free(view->plan_order);
    *view = (nl_review_view){0};
}
