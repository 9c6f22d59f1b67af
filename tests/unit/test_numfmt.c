/* The fast number formatting against printf itself: every value must print exactly as printf
 * prints it, rounding ties, carries into a new digit and power-of-ten boundaries included. */
#include "nextlevel/numfmt.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void expect_as_printf(double value)
{
    char want[64], got[32];
    snprintf(want, sizeof want, "%g", value);
    cr_assert_str_eq(nl_format_g(value, got), want, "%%g of %.17g: [%s], printf says [%s]", value,
                     got, want);
    for (int decimals = 0; decimals <= 9; decimals++) {
        snprintf(want, sizeof want, "%.*f", decimals, value);
        if (strlen(want) >= 32)
            continue; /* beyond the buffer: such values are never ours */
        cr_assert_str_eq(nl_format_fixed(value, decimals, got), want,
                         "%%.%df of %.17g: [%s], printf says [%s]", decimals, value, got, want);
    }
}

static void expect_with_neighbours(double value)
{
    for (int sign = -1; sign <= 1; sign += 2) {
        expect_as_printf(sign * value);
        expect_as_printf(nextafter(sign * value, 0));
        expect_as_printf(nextafter(sign * value, sign * INFINITY));
    }
}

Test(numfmt, ties_carries_and_boundaries)
{
    static const double edges[] = {0,
                                   0.5,
                                   1.5,
                                   2.5,
                                   0.125,
                                   0.05,
                                   0.15,
                                   0.25,
                                   0.35,
                                   1.005,
                                   0.0001,
                                   0.00009999995,
                                   0.000099999949,
                                   0.001,
                                   0.0009999995,
                                   0.01,
                                   0.1,
                                   1,
                                   9.999995,
                                   9.9999949,
                                   9.5,
                                   99.95,
                                   99999.95,
                                   99999.949,
                                   999999.4,
                                   999999.5,
                                   999999.6,
                                   1e6,
                                   123456.5,
                                   123455.5,
                                   1.000005,
                                   1.0000049,
                                   0.30000000000000004,
                                   1e-5,
                                   0.00012345650,
                                   3.4999995,
                                   84.222225,
                                   0.015625,
                                   1.0 / 3,
                                   2.0 / 3,
                                   100.0 / 7,
                                   999999999.5,
                                   1e9,
                                   1e15,
                                   1e-300,
                                   1e300};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        expect_with_neighbours(edges[i]);
    expect_as_printf(-0.0);
    expect_as_printf(NAN);
    expect_as_printf(INFINITY);
    expect_as_printf(-INFINITY);
}

/* Scores in half and quarter steps, their means over raters, margins and percentages. */
Test(numfmt, the_numbers_of_a_report)
{
    for (int k = -4000; k <= 4000; k++) {
        expect_as_printf(k / 4.0);
        expect_as_printf(k / 3.0);
        expect_as_printf(k / 7.0);
        expect_as_printf(k / 1000.0);
        expect_as_printf(k * 0.01);
        expect_as_printf(k * 0.05);
    }
}

Test(numfmt, random_values_in_every_decade)
{
    unsigned long long state = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 100000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        double mantissa = (double)(state >> 11) / 9007199254740992.0; /* [0, 1) */
        int decade = (int)(state % 16) - 6;                           /* 1e-6 to 1e9 */
        expect_as_printf((i % 2 ? -1 : 1) * mantissa * pow(10, decade));
    }
}
