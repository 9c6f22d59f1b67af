#include "nextlevel/stats.h"

#include <math.h>

/* log(n choose k), through the log-gamma function: exact factorials overflow past 170. */
static double log_choose(double n, double k)
{
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

double nl_fisher_exact(size_t a, size_t b, size_t c, size_t d)
{
    /* With the margins fixed, a alone decides the table: a = x has the hypergeometric
     * probability C(col1, x) C(n - col1, row1 - x) / C(n, row1), x from lo to hi. */
    double row1 = (double)a + (double)b, col1 = (double)a + (double)c;
    double n = row1 + (double)c + (double)d;
    double lo = row1 + col1 - n > 0 ? row1 + col1 - n : 0;
    double hi = row1 < col1 ? row1 : col1;
    if (row1 == 0 || col1 == 0 || row1 == n || col1 == n)
        return 1;
    /* R's way: log densities, scaled by the largest before exponentiating so that nothing
     * underflows, then the share of those no larger than the observed one. */
    double log_observed = log_choose(col1, (double)a) + log_choose(n - col1, row1 - (double)a);
    double log_max = -INFINITY;
    for (double x = lo; x <= hi; x++) {
        double l = log_choose(col1, x) + log_choose(n - col1, row1 - x);
        log_max = l > log_max ? l : log_max;
    }
    double observed = exp(log_observed - log_max) * (1 + 1e-7);
    double total = 0, extreme = 0;
    for (double x = lo; x <= hi; x++) {
        double p = exp(log_choose(col1, x) + log_choose(n - col1, row1 - x) - log_max);
        total += p;
        if (p <= observed)
            extreme += p;
    }
    double result = extreme / total;
    return result > 1 ? 1 : result;
}
