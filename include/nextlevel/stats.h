#ifndef NEXTLEVEL_STATS_H
#define NEXTLEVEL_STATS_H

#include <stddef.h>

/* Statistical tests the review needs, small enough to write out rather than depend on. */

/* Fisher's exact test of the 2x2 table
 *
 *         outcome   no outcome
 *   row 1    a          b
 *   row 2    c          d
 *
 * two-sided, as R's fisher.test computes it: with the margins fixed, the sum of the
 * hypergeometric probabilities of every table no more probable than the observed one (within a
 * relative tolerance of 1e-7, so that tables as probable as the observed one up to rounding
 * count). Returns p in [0, 1]; 1 when a margin is 0 (nothing to compare). */
double nl_fisher_exact(size_t a, size_t b, size_t c, size_t d);

#endif
