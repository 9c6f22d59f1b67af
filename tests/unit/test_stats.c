/* Fisher's exact test (stats.h), two-sided as R's fisher.test computes it.
 *
 * Expected values: the first two are R's (fisher.test(matrix(c(3, 1, 1, 3), 2)) gives
 * p = 0.4857, the tea-tasting table; matrix(c(10, 0, 0, 10), 2) gives 1.0825088e-05); the
 * others are exact, computed with Python's fractions and math.comb:
 *
 *   from math import comb; from fractions import Fraction
 *   def fisher(a, b, c, d):
 *       r1, c1, n = a + b, a + c, a + b + c + d
 *       P = lambda x: Fraction(comb(c1, x) * comb(n - c1, r1 - x), comb(n, r1))
 *       return float(sum(P(x) for x in range(max(0, r1 + c1 - n), min(r1, c1) + 1)
 *                        if P(x) <= P(a)))
 */
#include "nextlevel/stats.h"

#include <criterion/criterion.h>

/* Within a relative 1e-9: the log-gamma route loses a few last digits, nothing more. */
static void expect_p(size_t a, size_t b, size_t c, size_t d, double want)
{
    double got = nl_fisher_exact(a, b, c, d);
    cr_assert(got >= want * (1 - 1e-9) && got <= want * (1 + 1e-9),
              "[[%zu, %zu], [%zu, %zu]]: p %.12g, expected %.12g", a, b, c, d, got, want);
}

Test(fisher, the_tea_tasting_table_as_r_gives_it)
{
    /* The tables 3-1 and 1-3 are equally probable: both tails count (only with the tolerance,
     * since their log-gamma probabilities differ in the last bits). */
    expect_p(3, 1, 1, 3, 0.4857142857142857);
    expect_p(1, 3, 3, 1, 0.4857142857142857);
}

Test(fisher, a_perfect_separation_as_r_gives_it)
{
    /* R: 1.0825088e-05 = 2 / C(20, 10). */
    expect_p(10, 0, 0, 10, 1.082508822446903e-05);
    expect_p(0, 10, 10, 0, 1.082508822446903e-05);
    expect_p(5, 0, 0, 5, 0.007936507936507936); /* 2 / C(10, 5) = 2 / 252 */
}

Test(fisher, exact_values_of_unbalanced_tables)
{
    expect_p(1, 9, 11, 3, 0.0027594561852200836);
    expect_p(2, 28, 12, 18, 0.0047691701519859755);
    /* Two four-fifths failures: 3 of 300 against 12 of 300 (ratio 0.25) is significant at
     * 0.05, 1 of 285 against 6 of 286 (ratio 0.17) is not: too few are ready to tell. */
    expect_p(3, 297, 12, 288, 0.03295357157911737);
    expect_p(1, 284, 6, 280, 0.12270143667439443);
    expect_p(7, 93, 2, 98, 0.16972027756678768);
}

Test(fisher, the_rows_swapped_or_the_columns_swapped_give_the_same_p)
{
    double p = nl_fisher_exact(2, 28, 12, 18);
    cr_assert_float_eq(nl_fisher_exact(12, 18, 2, 28), p, 1e-15);
    cr_assert_float_eq(nl_fisher_exact(28, 2, 18, 12), p, 1e-15);
}

Test(fisher, equal_rows_or_an_empty_margin_give_one)
{
    expect_p(4, 4, 4, 4, 1.0);
    /* Nobody with the outcome, everybody with it, an empty row: nothing to compare. */
    cr_assert_eq(nl_fisher_exact(0, 10, 0, 10), 1.0);
    cr_assert_eq(nl_fisher_exact(10, 0, 10, 0), 1.0);
    cr_assert_eq(nl_fisher_exact(0, 0, 3, 7), 1.0);
    cr_assert_eq(nl_fisher_exact(0, 0, 0, 0), 1.0);
}

Test(fisher, large_tables_stay_finite_and_in_range)
{
    /* 100,000 people: factorials far past a double's range; lgamma keeps it finite. */
    double p = nl_fisher_exact(500, 49500, 700, 49300);
    cr_assert(p > 0 && p < 1e-6, "p %g", p);
    p = nl_fisher_exact(600, 49400, 601, 49399);
    cr_assert(p > 0.9 && p <= 1, "p %g", p);
}
