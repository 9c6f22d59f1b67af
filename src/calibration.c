#include "nextlevel/calibration.h"

#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *nl_rater_flag_name(nl_rater_flag flag)
{
    return flag == NL_RATER_LENIENT ? "lenient" : flag == NL_RATER_SEVERE ? "severe" : "";
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
    /* Gather managers, then sort them and renumber: the order must not depend on input. */
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
    const nl_calibration_settings *set = &fw->calibration;
    for (size_t j = 0; j < c->count; j++) {
        nl_manager_calibration *mc = &c->managers[j];
        if (mc->rated == 0) {
            mc->mean_gap = mc->offset = mc->z = NAN;
            continue;
        }
        double n = (double)mc->rated;
        mc->mean_gap /= n;
        mc->offset = mc->mean_gap - c->mean_gap;
        mc->z = c->sd > 0 ? mc->offset / (c->sd / sqrt(n)) : 0;
        /* Allowing for rounding, as every threshold does: a z of exactly 2 by hand may
         * come out as 1.9999999999999996. */
        if (n >= set->min_team_size && mc->z >= set->z_threshold - NL_EPSILON)
            mc->flag = NL_RATER_LENIENT;
        else if (n >= set->min_team_size && mc->z <= -set->z_threshold + NL_EPSILON)
            mc->flag = NL_RATER_SEVERE;
        /* Rounded to the step managers rate in: an offset too small to move a rating by a
         * step is noise, and shifting everyone at the bar by 0.01 would flip them. */
        mc->adjustment = mc->offset * n / (n + set->shrinkage);
        if (set->step > 0)
            mc->adjustment = round(mc->adjustment / set->step) * set->step;
        if (mc->adjustment == 0)
            mc->adjustment = 0; /* no -0 */
    }
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
            x = x < fw->scale_min ? fw->scale_min : x > fw->scale_max ? fw->scale_max : x;
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
