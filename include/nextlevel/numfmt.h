#ifndef NEXTLEVEL_NUMFMT_H
#define NEXTLEVEL_NUMFMT_H

/* Number formatting that prints exactly what printf prints, faster. printf's float formatting
 * (exact multi-precision decimal expansion) was a third of the time of the CSV output, whose
 * reason texts and cells carry some hundred numbers a person. Both functions fill buf and
 * return it, so that they can stand as printf "%s" arguments:
 *     text_add(why, "%s < %s", nl_format_g(score, (char[32]){0}), ...)                       */

/* printf's "%g" (6 significant digits) of value. */
const char *nl_format_g(double value, char buf[32]);

/* printf's "%.*f" of value with decimals digits after the point. */
const char *nl_format_fixed(double value, int decimals, char buf[32]);

/* A "%s" argument holding "%g" / "%.Nf" of x, in a buffer that lives as long as the enclosing
 * block. */
#define NL_G(x)        nl_format_g((x), (char[32]){0})
#define NL_FIXED(x, n) nl_format_fixed((x), (n), (char[32]){0})

#endif
