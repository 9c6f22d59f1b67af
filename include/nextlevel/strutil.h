#ifndef NEXTLEVEL_STRUTIL_H
#define NEXTLEVEL_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Small string and array helpers shared by the readers. Functions that return char * return
 * a new string the caller frees, or NULL when out of memory. */

/* A copy of the first len bytes of s, NUL-terminated. */
char *nl_strndup(const char *s, size_t len);

/* A copy of s; NULL when s is NULL, so that a failed allocation passes through. */
char *nl_strdup(const char *s);

/* a followed by sep followed by b, freeing a: for values continued over several lines. a or b
 * may be NULL (an allocation that failed, as in nl_strjoin(nl_strdup(x), "/", y)): then a is
 * freed and the result is NULL, so a chain of joins needs one check at its end. */
char *nl_strjoin(char *a, const char *sep, const char *b);

/* Makes room for need elements of elem bytes in *items (capacity *cap), doubling as it grows.
 * Returns false when out of memory, leaving *items as it was. */
bool nl_grow(void **items, size_t *cap, size_t need, size_t elem);

/* Strips leading and trailing ASCII white space in place; returns s + leading spaces. */
char *nl_trim(char *s);

/* The form in which column headers and labels are compared: ASCII letters lowered, white
 * space and underscores dropped, so "Months in level" equals "months_in_level". */
char *nl_fold_key(const char *s, size_t len);

/* Whether a and b have the same nl_fold_key form. It allocates nothing, so that a lookup by
 * name cannot mistake running out of memory for "no such name". */
bool nl_fold_equal(const char *a, const char *b);

/* ASCII case-insensitive equality of two NUL-terminated strings. */
bool nl_strcaseeq(const char *a, const char *b);

/* nl_strcaseeq of at most the first n bytes of a and b. */
bool nl_strncaseeq(const char *a, const char *b, size_t n);

/* Where s starts and how long it is (*len) without its leading and trailing ASCII white space,
 * as nl_trim, but without writing to s: for lookups that must not allocate a trimmed copy. */
const char *nl_trimmed_span(const char *s, size_t *len);

/* The length of the UTF-8 character at s (1 for ASCII), looking at no more than avail bytes:
 * 0 when the bytes are not one (overlong forms, surrogates and code points past U+10FFFF are
 * not), -1 when the avail bytes are the valid start of one that goes on past them. */
int nl_utf8_char_len(const char *s, size_t avail);

/* Index of the first byte of s[0..len) that is not part of valid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF are invalid), or -1 when all of it is valid. */
long nl_utf8_invalid_at(const char *s, size_t len);

/* Parses a plain decimal number: optional sign, digits, optional fraction after '.', or after
 * ',' when decimal_comma is true; surrounding spaces allowed. Rejects hex, exponents, nan and
 * inf, which are never meant as scores in an HR export. */
bool nl_parse_decimal(const char *s, bool decimal_comma, double *out);

/* Splits s at sep into trimmed, non-empty items, each a new string; *items is a new array the
 * caller frees with nl_free_strings. Returns false when out of memory. */
bool nl_split(const char *s, char sep, char ***items, size_t *count);

/* Frees count strings and the array holding them. */
void nl_free_strings(char **items, size_t count);

/* s for quoting in a message: characters a reader cannot see are written as names, U+00A0 as
 * "<no-break space>", a tab as "<tab>", U+200B as "<zero-width space>", other control and
 * format characters as "<U+XXXX>"; invalid UTF-8 bytes as "<byte 0xXX>". Written into buf
 * (at most size bytes with the NUL; a text cut short ends in "..."), which is returned. */
const char *nl_visible(const char *s, char *buf, size_t size);

/* The name nl_visible shows for an invisible code point ("tab", "escape", "right-to-left
 * override"), or NULL when it has none. */
const char *nl_invisible_name(unsigned long cp);

/* Writes the spreadsheet name of 1-based column number col ("A", "Z", "AA") into buf. */
void nl_column_name(long col, char buf[16]);

#endif
