#ifndef NEXTLEVEL_FAIRNESS_H
#define NEXTLEVEL_FAIRNESS_H

#include "nextlevel/error.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"

#include <stdbool.h>
#include <stddef.h>

/* The fairness check of the gates: per group of the template's [fairness] group column, the
 * rate of Ready now (and of Ready now or with risk) among people evaluated, each rate's ratio to
 * the reference group's (the four-fifths rule of adverse-impact analysis), and Fisher's exact
 * test of the group against the reference group. A rate is flagged only when both fail: the
 * ratio is under ratio_threshold AND p is under p_threshold, so that small groups and chance
 * differences raise no flag. With p_adjust = holm (the default) p is adjusted for the number of
 * groups compared with the reference (Holm's method): with seven groups, six comparisons a
 * measure would otherwise flag a group by chance in about half of all runs. Groups smaller than
 * min_group_size are merged into "Other (small groups)" (or suppressed), so that no individual can
 * be singled out. The formulas are in the README ("Fairness"). */

#define NL_FAIRNESS_NOT_GIVEN "(not given)"
#define NL_FAIRNESS_OTHER     "Other (small groups)"

/* One of the two measures (Ready now; Ready now or with risk) of one group. */
typedef struct nl_rate_test {
    double rate;       /* share of the group's people evaluated; NAN when none */
    double ratio;      /* to the reference group's rate; NAN without a reference or at a rate 0 */
    double p;          /* Fisher's exact test, two-sided, against the reference group; NAN for the
                          reference itself and without one */
    double p_adjusted; /* p adjusted by Holm's method for the groups compared on this measure
                          (p_adjust = holm), else p: the one the flag reads */
    bool reference;    /* this group is the measure's reference */
    bool flagged;      /* ratio under ratio_threshold and p_adjusted under p_threshold */
} nl_rate_test;

typedef struct nl_group_rates {
    char *name; /* owned */
    size_t evaluated, ready_now, ready_or_risk;
    nl_rate_test ready, either; /* Ready now; Ready now or with risk */
    bool flagged;               /* either measure flagged */
} nl_group_rates;

typedef struct nl_fairness {
    nl_group_rates *groups; /* by name, "Other (small groups)" last */
    size_t count;
    /* The reference of each measure: the real group (not "(not given)", not "Other (small
     * groups)") with the highest rate, the larger group on a tie, then the first by name;
     * SIZE_MAX when there is no real group. Indices into groups. */
    size_t reference_ready, reference_either;
    size_t flagged; /* groups with a flag */
    char **merged;  /* names of the small groups merged into Other */
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
