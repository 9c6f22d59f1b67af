#include "nextlevel/fairness.h"

#include "nextlevel/stats.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void nl_fairness_free(nl_fairness *f)
{
    if (f == NULL)
        return;
    for (size_t g = 0; g < f->count; g++)
        free(f->groups[g].name);
    free(f->groups);
    nl_free_strings(f->merged, f->merged_count);
    nl_free_strings(f->suppressed, f->suppressed_count);
    free(f);
}

static int compare_groups(const void *a, const void *b)
{
    return strcmp(((const nl_group_rates *)a)->name, ((const nl_group_rates *)b)->name);
}

static bool add_name(char ***names, size_t *count, const char *name)
{
    char **grown = realloc(*names, (*count + 1) * sizeof *grown);
    if (grown == NULL)
        return false;
    *names = grown;
    if ((grown[*count] = nl_strdup(name)) == NULL)
        return false;
    (*count)++;
    return true;
}

/* Whether a group may be a reference: a real group, not the people without one nor the
 * merged small groups. */
static bool real_group(const nl_group_rates *r)
{
    return strcmp(r->name, NL_FAIRNESS_NOT_GIVEN) != 0 && strcmp(r->name, NL_FAIRNESS_OTHER) != 0;
}

/* The measure's count and test of a group: Ready now (either false) or Ready now or with
 * risk. */
static size_t measure_count(const nl_group_rates *r, bool either)
{
    return either ? r->ready_or_risk : r->ready_now;
}

static nl_rate_test *measure(nl_group_rates *r, bool either)
{
    return either ? &r->either : &r->ready;
}

/* The reference of a measure: the real group with the highest rate, the larger one on a tie,
 * then the first by name; SIZE_MAX without a real group. */
static size_t find_reference(nl_fairness *f, bool either)
{
    size_t best = SIZE_MAX;
    for (size_t g = 0; g < f->count; g++) {
        nl_group_rates *r = &f->groups[g];
        if (!real_group(r) || r->evaluated == 0)
            continue;
        if (best == SIZE_MAX) {
            best = g;
            continue;
        }
        /* Compared as counts cross-multiplied: exact, where two rates such as 2/6 and 1/3
         * could differ in their last bit. */
        const nl_group_rates *b = &f->groups[best];
        size_t lhs = measure_count(r, either) * b->evaluated;
        size_t rhs = measure_count(b, either) * r->evaluated;
        if (lhs > rhs || (lhs == rhs && r->evaluated > b->evaluated))
            best = g;
    }
    return best;
}

/* A test and its p, to sort by p. */
typedef struct p_entry {
    double p;
    nl_rate_test *test;
} p_entry;

/* By p, then by group order (qsort is not stable; the entries are made in group order). */
static int compare_p(const void *a, const void *b)
{
    const p_entry *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->test > y->test) - (x->test < y->test);
}

/* Holm's step-down adjustment of the measure's p values (the groups compared with the
 * reference): the i-th smallest of m (from 0) is multiplied by m - i, kept at most 1 and never
 * below the one before it. Returns false when out of memory. */
static bool holm_adjust(nl_fairness *f, bool either)
{
    p_entry *ps = malloc((f->count ? f->count : 1) * sizeof *ps);
    if (ps == NULL)
        return false;
    size_t m = 0;
    for (size_t g = 0; g < f->count; g++) {
        nl_rate_test *t = measure(&f->groups[g], either);
        if (!isnan(t->p))
            ps[m++] = (p_entry){t->p, t};
    }
    qsort(ps, m, sizeof *ps, compare_p);
    double previous = 0;
    for (size_t i = 0; i < m; i++) {
        double adjusted = (double)(m - i) * ps[i].p;
        adjusted = adjusted > 1 ? 1 : adjusted;
        previous = adjusted > previous ? adjusted : previous;
        ps[i].test->p_adjusted = previous;
    }
    free(ps);
    return true;
}

/* A measure's rate, ratio, p and flag for every group against its reference. */
static bool test_measure(nl_fairness *f, const nl_fairness_settings *settings, bool either)
{
    size_t ref = find_reference(f, either);
    const nl_group_rates *reference = ref == SIZE_MAX ? NULL : &f->groups[ref];
    double ref_rate = NAN;
    if (reference != NULL)
        ref_rate = (double)measure_count(reference, either) / (double)reference->evaluated;
    for (size_t g = 0; g < f->count; g++) {
        nl_group_rates *r = &f->groups[g];
        nl_rate_test *t = measure(r, either);
        size_t yes = measure_count(r, either);
        t->rate = r->evaluated ? (double)yes / (double)r->evaluated : NAN;
        t->ratio = t->p = t->p_adjusted = NAN;
        t->reference = g == ref;
        t->flagged = false;
        if (reference == NULL || !(ref_rate > 0))
            continue;
        t->ratio = t->reference ? 1 : t->rate / ref_rate;
        if (t->reference)
            continue;
        size_t ref_yes = measure_count(reference, either);
        t->p = t->p_adjusted =
            nl_fisher_exact(yes, r->evaluated - yes, ref_yes, reference->evaluated - ref_yes);
    }
    if (settings->holm && !holm_adjust(f, either))
        return false;
    for (size_t g = 0; g < f->count; g++) {
        nl_rate_test *t = measure(&f->groups[g], either);
        /* A tiny allowance keeps exactly 0.8 (4 of 5 against 5 of 5) from failing the ratio;
         * both must fail for a flag. */
        t->flagged = !isnan(t->p_adjusted) && t->ratio < settings->ratio_threshold - 1e-9 &&
                     t->p_adjusted < settings->p_threshold;
    }
    if (either)
        f->reference_either = ref;
    else
        f->reference_ready = ref;
    return true;
}

static bool finish_rates(nl_fairness *f, const nl_fairness_settings *settings)
{
    if (!test_measure(f, settings, false) || !test_measure(f, settings, true))
        return false;
    for (size_t g = 0; g < f->count; g++) {
        nl_group_rates *r = &f->groups[g];
        r->flagged = r->ready.flagged || r->either.flagged;
        f->flagged += r->flagged;
    }
    return true;
}

nl_status nl_fairness_compute(const nl_fairness_settings *settings, const char *const *groups,
                              const nl_outcome *outcomes, size_t count, nl_fairness **out)
{
    nl_fairness *f = calloc(1, sizeof *f);
    nl_strmap *index = nl_strmap_new();
    nl_group_rates *all = NULL;
    size_t all_count = 0, cap = 0;
    if (f == NULL || index == NULL)
        goto nomem;
    for (size_t i = 0; i < count; i++) {
        if (outcomes[i] > NL_DEVELOPING)
            continue; /* not evaluated, or nothing to evaluate: no rate to compare */
        const char *name = groups[i][0] ? groups[i] : NL_FAIRNESS_NOT_GIVEN;
        size_t g;
        if (!nl_strmap_get(index, name, &g)) {
            if (!nl_grow((void **)&all, &cap, all_count + 1, sizeof *all) ||
                !nl_strmap_put(index, name, all_count))
                goto nomem;
            all[all_count] = (nl_group_rates){.name = nl_strdup(name)};
            if (all[all_count].name == NULL)
                goto nomem;
            g = all_count++;
        }
        all[g].evaluated++;
        all[g].ready_now += outcomes[i] == NL_READY_NOW;
        all[g].ready_or_risk += outcomes[i] <= NL_READY_WITH_RISK;
    }
    if (all_count > 1)
        qsort(all, all_count, sizeof *all, compare_groups);
    f->groups = calloc(all_count + 1, sizeof *f->groups);
    if (f->groups == NULL)
        goto nomem;
    nl_group_rates other = {0};
    for (size_t g = 0; g < all_count; g++) {
        if ((double)all[g].evaluated >= settings->min_group_size) {
            f->groups[f->count++] = all[g];
            all[g].name = NULL;
            continue;
        }
        if (!add_name(&f->merged, &f->merged_count, all[g].name))
            goto nomem;
        other.evaluated += all[g].evaluated;
        other.ready_now += all[g].ready_now;
        other.ready_or_risk += all[g].ready_or_risk;
    }
    if (other.evaluated > 0 && !settings->suppress_small &&
        (double)other.evaluated >= settings->min_group_size) {
        if ((other.name = nl_strdup(NL_FAIRNESS_OTHER)) == NULL)
            goto nomem;
        f->groups[f->count++] = other;
    } else if (other.evaluated > 0) {
        /* Suppressed: the merged names move to the suppressed list. */
        f->suppressed = f->merged;
        f->suppressed_count = f->merged_count;
        f->suppressed_people = other.evaluated;
        f->merged = NULL;
        f->merged_count = 0;
    }
    if (!finish_rates(f, settings))
        goto nomem;
    for (size_t g = 0; g < all_count; g++)
        free(all[g].name);
    free(all);
    nl_strmap_free(index);
    *out = f;
    return NL_OK;
nomem:
    for (size_t g = 0; g < all_count; g++)
        free(all[g].name);
    free(all);
    nl_strmap_free(index);
    nl_fairness_free(f);
    return NL_ERR_NOMEM;
}
