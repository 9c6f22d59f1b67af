#ifndef NEXTLEVEL_FAIRNESS_H
#define NEXTLEVEL_FAIRNESS_H

#include "nextlevel/error.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"

#include <stdbool.h>
#include <stddef.h>

/* The fairness check of the gates: per group of the template's [fairness] group column, the
 * rate of Ready now (and of Ready now or with risk) among people evaluated, and each rate's
 * ratio to the highest group's (the four-fifths rule of adverse-impact analysis). Groups
 * smaller than min_group_size are merged into "Other (small groups)" (or suppressed), so that
 * no individual can be singled out. The formulas are in the README ("Fairness"). */

typedef struct nl_group_rates {
    char *name; /* owned */
    size_t evaluated, ready_now, ready_or_risk;
    double rate_ready, rate_ready_or_risk;   /* shares of evaluated */
    double ratio_ready, ratio_ready_or_risk; /* to the highest group's rate; NAN when 0 */
    bool flagged;                            /* a ratio under the threshold */
} nl_group_rates;

typedef struct nl_fairness {
    nl_group_rates *groups; /* by name, "Other (small groups)" last */
    size_t count;
    char **merged; /* names of the small groups merged into Other */
    size_t merged_count;
    char **suppressed; /* names of the groups left out (too small even merged) */
    size_t suppressed_count;
    size_t suppressed_people;
} nl_fairness;

/* Computes the rates from each person's group ("" counts as "(not given)") and outcome.
 * Returns NL_OK or NL_ERR_NOMEM; the caller frees *out with nl_fairness_free. */
nl_status nl_fairness_compute(const nl_fairness_settings *settings, const char *const *groups,
                              const nl_outcome *outcomes, size_t count, nl_fairness **out);

/* Frees it; NULL does nothing. */
void nl_fairness_free(nl_fairness *f);

#endif
