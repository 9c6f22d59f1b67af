#include "nextlevel/fairness.h"

#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OTHER_GROUPS "Other (small groups)"

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

/* Rates and ratios to the highest rate of the groups shown; flags under the threshold. */
static void finish_rates(nl_fairness *f, double threshold)
{
    double best_ready = 0, best_either = 0;
    for (size_t g = 0; g < f->count; g++) {
        nl_group_rates *r = &f->groups[g];
        r->rate_ready = r->evaluated ? (double)r->ready_now / (double)r->evaluated : NAN;
        r->rate_ready_or_risk =
            r->evaluated ? (double)r->ready_or_risk / (double)r->evaluated : NAN;
        best_ready = r->rate_ready > best_ready ? r->rate_ready : best_ready;
        best_either = r->rate_ready_or_risk > best_either ? r->rate_ready_or_risk : best_either;
    }
    for (size_t g = 0; g < f->count; g++) {
        nl_group_rates *r = &f->groups[g];
        r->ratio_ready = best_ready > 0 ? r->rate_ready / best_ready : NAN;
        r->ratio_ready_or_risk = best_either > 0 ? r->rate_ready_or_risk / best_either : NAN;
        /* A tiny allowance keeps exactly 0.8 (4 of 5 against 5 of 5) from being flagged. */
        r->flagged = r->ratio_ready < threshold - 1e-9 || r->ratio_ready_or_risk < threshold - 1e-9;
    }
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
        const char *name = groups[i][0] ? groups[i] : "(not given)";
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
        if ((other.name = nl_strdup(OTHER_GROUPS)) == NULL)
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
    finish_rates(f, settings->ratio_threshold);
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
