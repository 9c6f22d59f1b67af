#include "nextlevel/numfmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const double powers_of_ten[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

/* Products of a double and a power of ten below this are within 1e-7 of the exact product,
 * so a rounding that is not within 1e-6 of a tie is the one printf makes from the exact
 * decimal expansion. */
#define EXACT_ENOUGH 1e9
#define TIE_MARGIN   1e-6

/* Rounds magnitude * 10^decimals to an integer, or returns false when that could round
 * otherwise than printf (a near tie, or a product too large to be exact enough). */
static bool round_scaled(double magnitude, int decimals, double *rounded)
{
    double scaled = magnitude * powers_of_ten[decimals];
    if (!(scaled < EXACT_ENOUGH))
        return false;
    *rounded = nearbyint(scaled);
    return fabs(fabs(scaled - *rounded) - 0.5) >= TIE_MARGIN;
}

/* Writes the integer rounded as a decimal with decimals digits after the point (at least one
 * digit before it), after an optional minus sign; returns the end of the text. */
static char *put_fixed(char *out, bool negative, double rounded, int decimals)
{
    char digits[16];
    int count = 0;
    for (long long whole = (long long)rounded; whole > 0 || count <= decimals; whole /= 10)
        digits[count++] = (char)('0' + whole % 10);
    if (negative)
        *out++ = '-';
    for (int i = count - 1; i >= decimals; i--)
        *out++ = digits[i];
    if (decimals > 0) {
        *out++ = '.';
        for (int i = decimals - 1; i >= 0; i--)
            *out++ = digits[i];
    }
    *out = '\0';
    return out;
}

const char *nl_format_fixed(double value, int decimals, char buf[32])
{
    double rounded;
    if (isfinite(value) && decimals >= 0 && decimals <= 9 &&
        round_scaled(fabs(value), decimals, &rounded)) {
        put_fixed(buf, signbit(value), rounded, decimals);
        return buf;
    }
    snprintf(buf, 32, "%.*f", decimals, value);
    return buf;
}

/* "%g" prints fixed notation for decimal exponents -4 to 5 (after rounding to 6 significant
 * digits) with the trailing zeros of the fraction removed; others take printf's way. */
const char *nl_format_g(double value, char buf[32])
{
    double magnitude = fabs(value);
    if (magnitude >= 1e-4 && magnitude < 1e6) {
        int exponent = 5;
        while (exponent > -4 && magnitude < powers_of_ten[exponent + 4] * 1e-4)
            exponent--;
        int decimals = 5 - exponent;
        double rounded;
        /* A misjudged exponent (powers below 1 are inexact) shows as a result without exactly
         * 6 digits and goes to printf. */
        if (round_scaled(magnitude, decimals, &rounded) && rounded >= 1e5 && rounded < 1e6) {
            char *end = put_fixed(buf, value < 0, rounded, decimals);
            if (decimals > 0) {
                while (end[-1] == '0')
                    end--;
                if (end[-1] == '.')
                    end--;
                *end = '\0';
            }
            return buf;
        }
    }
    snprintf(buf, 32, "%g", value);
    return buf;
}
