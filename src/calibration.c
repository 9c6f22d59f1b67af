#include "nextlevel/calibration.h"

#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nl_rater_flag_name(nl_rater_flag flag)
{
    return flag == NL_RATER_LENIENT ? "lenient" : flag == NL_RATER_SEVERE ? "severe" : "";
}

const char *nl_adjust_reason_name(nl_adjust_reason reason)
{
    static const char *const names[] = {"flagged", "not flagged", "too few rated",
                                        "under half a step", "nobody rated"};
    return names[reason];
}

void nl_adjust_reason_text(const nl_calibration_settings *settings,
                           const nl_manager_calibration *mc, char *text, size_t size)
{
    double t = settings->z_threshold;
    switch (mc->reason) {
    case NL_ADJUST_FLAGGED:
        nl_sformat(
            text, size, "adjusted: %s (z %s %s%g); scores %s by %g", nl_rater_flag_name(mc->flag),
            mc->flag == NL_RATER_LENIENT ? ">=" : "<=", mc->flag == NL_RATER_LENIENT ? "" : "-", t,
            mc->adjustment > 0 ? "lowered" : "raised", fabs(mc->adjustment));
        return;
    case NL_ADJUST_NOT_FLAGGED:
        nl_sformat(text, size, "not adjusted: not flagged (|z| under %g)", t);
        return;
    case NL_ADJUST_TOO_FEW:
        nl_sformat(text, size, "not adjusted: |z| past %g, but under %g people rated", t,
                   settings->min_team_size);
        return;
    case NL_ADJUST_UNDER_A_STEP:
        nl_sformat(text, size, "not adjusted: flagged, but %.2f rounds to 0 (step %g)", mc->shrunk,
                   settings->step);
        return;
    case NL_ADJUST_NOBODY_RATED:
        nl_sformat(text, size, "not adjusted: nobody rated");
        return;
    }
    nl_sformat(text, size, "%s", "");
}

double nl_rating_gap(const nl_framework *fw, const nl_person *person)
{
    const nl_level *level = &fw->levels[person->level];
    double sum = 0;
    size_t n = 0;
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (!isnan(level->expected[s]) && !isnan(person->scores[s])) {
            sum += person->scores[s] - level->expected[s];
            n++;
        }
    }
    return n > 0 ? sum / (double)n : NAN;
}

static int compare_managers(const void *a, const void *b)
{
    return strcmp(((const nl_manager_calibration *)a)->manager,
                  ((const nl_manager_calibration *)b)->manager);
}

/* A manager and their index before ranking. */
typedef struct ranked {
    nl_manager_calibration mc;
    size_t before;
} ranked;

/* The size of the effect: |z| largest first, nobody rated last, then by name (names are
 * unique, so the order is total). */
static int compare_effects(const void *a, const void *b)
{
    const nl_manager_calibration *x = &((const ranked *)a)->mc, *y = &((const ranked *)b)->mc;
    bool nx = isnan(x->z), ny = isnan(y->z);
    if (nx != ny)
        return nx ? 1 : -1;
    if (!nx && fabs(x->z) != fabs(y->z))
        return fabs(x->z) > fabs(y->z) ? -1 : 1;
    return strcmp(x->manager, y->manager);
}

/* Reorders the managers by effect and renumbers each person's manager. */
static bool rank_managers(nl_calibration *c, size_t people)
{
    ranked *r = malloc((c->count ? c->count : 1) * sizeof *r);
    size_t *after = malloc((c->count ? c->count : 1) * sizeof *after);
    if (r == NULL || after == NULL) {
        free(r);
        free(after);
        return false;
    }
    for (size_t j = 0; j < c->count; j++)
        r[j] = (ranked){c->managers[j], j};
    qsort(r, c->count, sizeof *r, compare_effects);
    for (size_t j = 0; j < c->count; j++) {
        c->managers[j] = r[j].mc;
        after[r[j].before] = j;
    }
    for (size_t i = 0; i < people; i++)
        c->manager_of[i] = after[c->manager_of[i]];
    free(r);
    free(after);
    return true;
}

/* Bars of the distribution of z: width z_threshold / 4, so that +-z_threshold fall on bar
 * edges; 12 bars each side at most, the outermost open. */
#define Z_BINS_A_SIDE 12

static long z_bin_of(double z, double width)
{
    /* The flags allow for rounding (a z of exactly 2 may come out as 1.9999999999999996):
     * the bars do too, so a flagged manager is never drawn inside the threshold. */
    long k = z >= 0 ? (long)floor(z / width + NL_EPSILON / width)
                    : -(long)floor(-z / width + NL_EPSILON / width) - 1;
    return k < -Z_BINS_A_SIDE ? -Z_BINS_A_SIDE : k > Z_BINS_A_SIDE - 1 ? Z_BINS_A_SIDE - 1 : k;
}

static bool z_distribution(nl_calibration *c, double threshold)
{
    double width = threshold / 4;
    long lo = LONG_MAX, hi = LONG_MIN;
    for (size_t j = 0; j < c->count; j++) {
        if (isnan(c->managers[j].z))
            continue;
        long k = z_bin_of(c->managers[j].z, width);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (lo > hi)
        return true; /* nobody rated: no bars */
    c->bin_count = (size_t)(hi - lo + 1);
    c->bins = calloc(c->bin_count, sizeof *c->bins);
    if (c->bins == NULL)
        return false;
    for (long k = lo; k <= hi; k++) {
        nl_z_bin *bin = &c->bins[k - lo];
        bin->from = k == -Z_BINS_A_SIDE ? -INFINITY : (double)k * width;
        bin->to = k == Z_BINS_A_SIDE - 1 ? INFINITY : (double)(k + 1) * width;
    }
    for (size_t j = 0; j < c->count; j++) {
        const nl_manager_calibration *mc = &c->managers[j];
        if (isnan(mc->z))
            continue;
        nl_z_bin *bin = &c->bins[z_bin_of(mc->z, width) - lo];
        bin->lenient += mc->flag == NL_RATER_LENIENT;
        bin->severe += mc->flag == NL_RATER_SEVERE;
        bin->typical += mc->flag == NL_RATER_TYPICAL;
    }
    return true;
}

/* The flag, the adjustment and why, of a manager whose z is known. */
static void decide(const nl_calibration_settings *set, nl_manager_calibration *mc)
{
    double n = (double)mc->rated;
    /* Allowing for rounding, as every threshold does: a z of exactly 2 by hand may come out
     * as 1.9999999999999996. */
    bool past = fabs(mc->z) >= set->z_threshold - NL_EPSILON;
    if (past && n >= set->min_team_size)
        mc->flag = mc->z > 0 ? NL_RATER_LENIENT : NL_RATER_SEVERE;
    mc->shrunk = mc->offset * n / (n + set->shrinkage);
    /* Rounded to the step managers rate in: an offset too small to move a rating by a step is
     * noise, and shifting everyone at the bar by 0.01 would flip them. */
    double rounded = set->step > 0 ? round(mc->shrunk / set->step) * set->step : mc->shrunk;
    /* Only a flagged manager is adjusted: an unflagged offset is within what chance gives. */
    mc->adjustment = mc->flag != NL_RATER_TYPICAL ? rounded : 0;
    if (mc->adjustment == 0)
        mc->adjustment = 0; /* no -0 */
    mc->reason = mc->flag == NL_RATER_TYPICAL ? (past ? NL_ADJUST_TOO_FEW : NL_ADJUST_NOT_FLAGGED)
                 : mc->adjustment == 0        ? NL_ADJUST_UNDER_A_STEP
                                              : NL_ADJUST_FLAGGED;
}

static const char *manager_name(const nl_person *p)
{
    return p->manager[0] ? p->manager : "(no manager)";
}

void nl_calibration_free(nl_calibration *c)
{
    if (c == NULL)
        return;
    free(c->managers);
    free(c->manager_of);
    free(c->bins);
    free(c);
}

nl_status nl_calibration_compute(const nl_framework *fw, const nl_matrix *m, nl_calibration **out)
{
    size_t count;
    const nl_person *people = nl_matrix_people(m, &count);
    nl_calibration *c = calloc(1, sizeof *c);
    nl_strmap *index = nl_strmap_new();
    double *gaps = malloc((count ? count : 1) * sizeof *gaps);
    size_t cap = 0;
    if (c == NULL || index == NULL || gaps == NULL ||
        (c->manager_of = malloc((count ? count : 1) * sizeof *c->manager_of)) == NULL)
        goto nomem;
    /* Gather managers, then sort them by name and renumber: the order must not depend on
     * input. They are ranked by effect once their z is known. */
    for (size_t i = 0; i < count; i++) {
        const char *name = manager_name(&people[i]);
        if (!nl_strmap_get(index, name, NULL)) {
            if (!nl_grow((void **)&c->managers, &cap, c->count + 1, sizeof *c->managers) ||
                !nl_strmap_put(index, name, c->count))
                goto nomem;
            c->managers[c->count++] = (nl_manager_calibration){.manager = name};
        }
    }
    if (c->count > 1)
        qsort(c->managers, c->count, sizeof *c->managers, compare_managers);
    for (size_t j = 0; j < c->count; j++) {
        if (!nl_strmap_put(index, c->managers[j].manager, j))
            goto nomem;
    }
    double sum = 0, sum_sq = 0;
    for (size_t i = 0; i < count; i++) {
        nl_strmap_get(index, manager_name(&people[i]), &c->manager_of[i]);
        nl_manager_calibration *mc = &c->managers[c->manager_of[i]];
        mc->people++;
        gaps[i] = nl_rating_gap(fw, &people[i]);
        if (isnan(gaps[i]))
            continue;
        mc->rated++;
        mc->mean_gap = mc->rated == 1 ? gaps[i] : mc->mean_gap + gaps[i];
        sum += gaps[i];
        c->rated++;
    }
    c->mean_gap = c->rated ? sum / (double)c->rated : NAN;
    for (size_t i = 0; i < count; i++) {
        if (!isnan(gaps[i]))
            sum_sq += (gaps[i] - c->mean_gap) * (gaps[i] - c->mean_gap);
    }
    c->sd = c->rated ? sqrt(sum_sq / (double)c->rated) : NAN;
    for (size_t j = 0; j < c->count; j++) {
        nl_manager_calibration *mc = &c->managers[j];
        if (mc->rated == 0) {
            mc->mean_gap = mc->offset = mc->z = NAN;
            mc->reason = NL_ADJUST_NOBODY_RATED;
            continue;
        }
        double n = (double)mc->rated;
        mc->mean_gap /= n;
        mc->offset = mc->mean_gap - c->mean_gap;
        mc->z = c->sd > 0 ? mc->offset / (c->sd / sqrt(n)) : 0;
        decide(&fw->calibration, mc);
        c->lenient += mc->flag == NL_RATER_LENIENT;
        c->severe += mc->flag == NL_RATER_SEVERE;
        c->adjusted += mc->reason == NL_ADJUST_FLAGGED;
    }
    if (!rank_managers(c, count) || !z_distribution(c, fw->calibration.z_threshold))
        goto nomem;
    nl_strmap_free(index);
    free(gaps);
    *out = c;
    return NL_OK;
nomem:
    nl_strmap_free(index);
    free(gaps);
    nl_calibration_free(c);
    return NL_ERR_NOMEM;
}

void nl_calibrated_scores(const nl_framework *fw, const nl_calibration *c, size_t person_index,
                          const nl_person *person, double *adjusted)
{
    double adjustment = c->managers[c->manager_of[person_index]].adjustment;
    if (isnan(adjustment))
        adjustment = 0;
    for (size_t s = 0; s < fw->skill_count; s++) {
        double x = person->scores[s];
        if (!isnan(x)) {
            x -= adjustment;
            double low = fw->skills[s].scale_min, high = fw->skills[s].scale_max;
            x = x < low ? low : x > high ? high : x;
        }
        adjusted[s] = x;
    }
}

nl_status nl_evaluate_calibrated(const nl_evaluator *ev, const nl_calibration *c,
                                 size_t person_index, const nl_person *person, nl_outcome *outcome,
                                 double *readiness)
{
    const nl_framework *fw = nl_evaluator_framework(ev);
    double *scores = malloc((fw->skill_count ? fw->skill_count : 1) * sizeof *scores);
    if (scores == NULL)
        return NL_ERR_NOMEM;
    nl_calibrated_scores(fw, c, person_index, person, scores);
    nl_person shadow = *person;
    shadow.scores = scores;
    nl_person_result result;
    nl_status status = nl_evaluate_person_brief(ev, &shadow, &result);
    if (status == NL_OK) {
        const nl_track_result *t = nl_person_result_track(&result);
        *outcome = result.outcome;
        *readiness = t ? t->readiness : NAN;
        nl_person_result_clear(&result);
    }
    free(scores);
    return status;
}
