/* String helpers (strutil.h) and the string map (strmap.h). */
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- nl_parse_decimal ---- */

static double parse_ok(const char *text, bool decimal_comma)
{
    double value = -12345;
    cr_assert(nl_parse_decimal(text, decimal_comma, &value), "'%s' was refused", text);
    return value;
}

static void parse_refused(const char *text, bool decimal_comma)
{
    double value = -12345;
    cr_assert_not(nl_parse_decimal(text, decimal_comma, &value), "'%s' was accepted as %g", text,
                  value);
    cr_assert_eq(value, -12345, "'%s' wrote to the result although refused", text);
}

Test(parse_decimal, plain_numbers)
{
    cr_assert_eq(parse_ok("3", false), 3.0);
    cr_assert_eq(parse_ok(" 3.5 ", false), 3.5);
    cr_assert_eq(parse_ok("\t4.25\t", false), 4.25);
    cr_assert_eq(parse_ok("+2", false), 2.0);
    cr_assert_eq(parse_ok("-1.5", false), -1.5);
    cr_assert_eq(parse_ok(".5", false), 0.5);
    cr_assert_eq(parse_ok("3.", false), 3.0);
    cr_assert_eq(parse_ok("007", false), 7.0);
    cr_assert_eq(parse_ok("1200", false), 1200.0);
}

Test(parse_decimal, minus_zero_is_plain_zero)
{
    double zero = parse_ok("-0", false);
    cr_assert_eq(zero, 0.0);
    cr_assert_not(signbit(zero), "-0 must not give negative zero");
    cr_assert_not(signbit(parse_ok("-0.0", false)));
}

Test(parse_decimal, decimal_comma_only_when_asked)
{
    cr_assert_eq(parse_ok("3,5", true), 3.5);
    cr_assert_eq(parse_ok(" 2,25 ", true), 2.25);
    cr_assert_eq(parse_ok("3.5", true), 3.5, "a point stays valid with decimal_comma");
    parse_refused("3,5", false);
    parse_refused("1,000.5", true);
    parse_refused("3,5,1", true);
}

Test(parse_decimal, refuses_what_is_never_a_score)
{
    static const char *const bad[] = {
        "",  " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e3", "1E3", "0x3", "0x1p3", "3.5.1",
        ".", "-", "+",   "3 5", "3a",  "a3",   "--3",      "+-3", "3-",  "½",   "3.5 x", "1,5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        parse_refused(bad[i], false);
}

Test(parse_decimal, very_long_digit_strings_are_refused_not_truncated)
{
    char digits[200];
    memset(digits, '1', sizeof digits - 1);
    digits[sizeof digits - 1] = '\0';
    parse_refused(digits, false);
}

/* ---- nl_utf8_invalid_at ---- */

#define UTF8(literal) nl_utf8_invalid_at(literal, sizeof(literal) - 1)

Test(utf8, valid_text_of_every_sequence_length)
{
    cr_assert_eq(UTF8(""), -1);
    cr_assert_eq(UTF8("plain ascii"), -1);
    cr_assert_eq(UTF8("Zo\xC3\xAB"), -1);                   /* U+00EB, 2 bytes */
    cr_assert_eq(UTF8("\xE2\x82\xAC 5"), -1);               /* U+20AC, 3 bytes */
    cr_assert_eq(UTF8("\xF0\x9F\x98\x80"), -1);             /* U+1F600, 4 bytes */
    cr_assert_eq(UTF8("\xF4\x8F\xBF\xBF"), -1);             /* U+10FFFF, the last code point */
    cr_assert_eq(UTF8("\xC2\x80\xDF\xBF\xE0\xA0\x80"), -1); /* smallest of each length */
    cr_assert_eq(UTF8("\xED\x9F\xBF\xEE\x80\x80"), -1);     /* around the surrogates */
    cr_assert_eq(UTF8("a\0b"), -1, "NUL is valid UTF-8 (callers check NUL themselves)");
}

Test(utf8, overlong_forms_are_invalid)
{
    cr_assert_eq(UTF8("ab\xC0\x80"), 2);
    cr_assert_eq(UTF8("\xC1\xBF"), 0);
    cr_assert_eq(UTF8("x\xE0\x80\xAF"), 1);    /* overlong '/' in 3 bytes */
    cr_assert_eq(UTF8("\xF0\x8F\xBF\xBF"), 0); /* overlong U+FFFF in 4 bytes */
}

Test(utf8, surrogates_are_invalid)
{
    cr_assert_eq(UTF8("\xED\xA0\x80"), 0);   /* U+D800 */
    cr_assert_eq(UTF8("ok\xED\xBF\xBF"), 2); /* U+DFFF */
}

Test(utf8, truncated_sequences_are_invalid)
{
    cr_assert_eq(UTF8("abc\xC3"), 3);
    cr_assert_eq(UTF8("abc\xE2\x82"), 3);
    cr_assert_eq(UTF8("\xF0\x9F\x98"), 0);
    cr_assert_eq(UTF8("\xC3x"), 0, "a lead byte followed by ASCII");
    cr_assert_eq(UTF8("\xE2\x82x"), 0);
    /* A valid sequence cut by the length argument. */
    cr_assert_eq(nl_utf8_invalid_at("Zo\xC3\xAB", 3), 2);
}

Test(utf8, bytes_that_never_start_a_sequence)
{
    cr_assert_eq(UTF8("\x80"), 0); /* a lone continuation byte */
    cr_assert_eq(UTF8("a\xBF"), 1);
    cr_assert_eq(UTF8("\xF5\x80\x80\x80"), 0);
    cr_assert_eq(UTF8("\xF8\x88\x80\x80\x80"), 0);
    cr_assert_eq(UTF8("\xFF"), 0);
    cr_assert_eq(UTF8("\xFE"), 0);
    cr_assert_eq(UTF8("\xF4\x90\x80\x80"), 0); /* U+110000, past the last code point */
    cr_assert_eq(UTF8("Latin-1 caf\xE9!"), 11);
}

/* ---- keys, comparisons, trimming ---- */

static void assert_folds_to(const char *text, const char *expected)
{
    char *folded = nl_fold_key(text, strlen(text));
    cr_assert_not_null(folded);
    cr_assert_str_eq(folded, expected, "fold of '%s'", text);
    free(folded);
}

Test(fold_key, drops_case_spaces_and_underscores)
{
    assert_folds_to("Months in level", "monthsinlevel");
    assert_folds_to("months_in_level", "monthsinlevel");
    assert_folds_to("  Employee ID ", "employeeid");
    assert_folds_to("Stakeholder_Management", "stakeholdermanagement");
    assert_folds_to("\tA_b C\r\n", "abc");
    assert_folds_to("", "");
    assert_folds_to("L3-b.2", "l3-b.2");
    /* Bytes past ASCII are kept as they are: no locale-dependent lowering. */
    assert_folds_to("\xC3\x89quipe", "\xC3\x89quipe");
}

Test(fold_key, honours_the_length)
{
    char *folded = nl_fold_key("Team Name", 4);
    cr_assert_str_eq(folded, "team");
    free(folded);
}

/* Lookups by name compare with nl_fold_equal: it must agree with nl_fold_key, and it allocates
 * nothing (a failed allocation in the lookup read "Conflict resolution" as no skill at all). */
Test(fold_key, fold_equal_agrees_with_fold_key)
{
    static const char *const pairs[][2] = {{"Months in level", "months_in_level"},
                                           {"Employee ID", "employeeid"},
                                           {" A_b\tC\r\n", "abc"},
                                           {"Caf\xc3\xa9", "caf\xc3\xa9"},
                                           {"Caf\xc3\xa9", "CAF\xc3\x89"},
                                           {"abc", "abcd"},
                                           {"", "_ _"},
                                           {"x", ""}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        char *a = nl_fold_key(pairs[i][0], strlen(pairs[i][0]));
        char *b = nl_fold_key(pairs[i][1], strlen(pairs[i][1]));
        cr_assert_eq(nl_fold_equal(pairs[i][0], pairs[i][1]), strcmp(a, b) == 0, "pair %zu", i);
        cr_assert_eq(nl_fold_equal(a, pairs[i][1]), strcmp(a, b) == 0, "pair %zu, folded", i);
        free(a);
        free(b);
    }
}

/* Score labels are looked up through these, without a trimmed copy that could fail. */
Test(trim, trimmed_span_leaves_the_text_alone)
{
    size_t len;
    const char *text = " \t Proficient \r\n";
    const char *start = nl_trimmed_span(text, &len);
    cr_assert_eq(start, text + 3);
    cr_assert_eq(len, 10);
    cr_assert(nl_strncaseeq("PROFICIENT", start, len));
    cr_assert_not(nl_strncaseeq("Proficiens", start, len));
    cr_assert_eq(nl_trimmed_span("   ", &len)[0], '\0');
    cr_assert_eq(len, 0);
}

Test(strcaseeq, ascii_case_only)
{
    cr_assert(nl_strcaseeq("Proficient", "PROFICIENT"));
    cr_assert(nl_strcaseeq("", ""));
    cr_assert_not(nl_strcaseeq("Proficient", "Proficient "));
    cr_assert_not(nl_strcaseeq("abc", "ab"));
    cr_assert_not(nl_strcaseeq("\xC3\xA9", "\xC3\x89"));
}

Test(trim, strips_both_ends_in_place)
{
    char text[] = " \t Data  \r\n";
    char *trimmed = nl_trim(text);
    cr_assert_str_eq(trimmed, "Data");
    cr_assert_eq(trimmed, text + 3);
    char blank[] = "   ";
    cr_assert_str_eq(nl_trim(blank), "");
}

Test(strjoin, joins_and_takes_ownership)
{
    char *s = nl_strdup("coding:4");
    s = nl_strjoin(s, ", ", "testing:3");
    cr_assert_str_eq(s, "coding:4, testing:3");
    s = nl_strjoin(s, "", "");
    cr_assert_str_eq(s, "coding:4, testing:3");
    free(s);
    char *copy = nl_strndup("abcdef", 3);
    cr_assert_str_eq(copy, "abc");
    free(copy);
}

/* nl_strjoin(nl_strdup(x), ...) is how callers write it: a failed copy must come out as NULL,
 * not as strlen(NULL). */
Test(strjoin, passes_a_failed_allocation_on)
{
    cr_assert_null(nl_strjoin(NULL, "/", "name"));
    cr_assert_null(nl_strjoin(nl_strdup("dir"), "/", NULL)); /* a is freed: no leak */
    cr_assert_null(nl_strdup(NULL));
}

Test(grow, doubles_and_keeps_contents)
{
    int *items = NULL;
    size_t cap = 0;
    for (int i = 0; i < 1000; i++) {
        cr_assert(nl_grow((void **)&items, &cap, (size_t)i + 1, sizeof *items));
        cr_assert_geq(cap, (size_t)i + 1);
        items[i] = i * 3;
    }
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(items[i], i * 3);
    size_t before = cap;
    cr_assert(nl_grow((void **)&items, &cap, 10, sizeof *items));
    cr_assert_eq(cap, before, "a smaller need must not shrink");
    /* An impossible size is refused and leaves the array alone. */
    cr_assert_not(nl_grow((void **)&items, &cap, (size_t)-1 / 2, sizeof *items));
    cr_assert_eq(cap, before);
    cr_assert_eq(items[999], 2997);
    free(items);
}

/* ---- nl_split ---- */

static void assert_split(const char *text, char sep, const char *const *expected)
{
    char **items = (char **)0x1;
    size_t count = 99;
    cr_assert(nl_split(text, sep, &items, &count));
    size_t n = 0;
    while (expected[n] != NULL)
        n++;
    cr_assert_eq(count, n, "'%s' split into %zu items, expected %zu", text, count, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(items[i], expected[i], "'%s' item %zu", text, i);
    nl_free_strings(items, count);
}

#define SPLIT(text, sep, ...) assert_split(text, sep, (const char *const[]){__VA_ARGS__})

Test(split, trims_items_and_drops_empty_ones)
{
    SPLIT("coding:4, system_design:3 ,testing:2", ',', "coding:4", "system_design:3", "testing:2",
          NULL);
    SPLIT("L4, M1", ',', "L4", "M1", NULL);
    SPLIT("a,,b, ,c,", ',', "a", "b", "c", NULL);
    SPLIT("single", ',', "single", NULL);
    SPLIT("", ',', NULL);
    SPLIT(" , ,", ',', NULL);
    SPLIT("a:b:c", ':', "a", "b", "c", NULL);
    SPLIT("  spaced  item  ", ',', "spaced  item", NULL);
}

Test(free_strings, accepts_null)
{
    nl_free_strings(NULL, 0);
}

/* ---- nl_column_name ---- */

static void assert_column(long col, const char *expected)
{
    char buf[16];
    memset(buf, 'x', sizeof buf);
    nl_column_name(col, buf);
    cr_assert_str_eq(buf, expected, "column %ld", col);
}

Test(column_name, spreadsheet_letters)
{
    assert_column(1, "A");
    assert_column(2, "B");
    assert_column(26, "Z");
    assert_column(27, "AA");
    assert_column(28, "AB");
    assert_column(52, "AZ");
    assert_column(53, "BA");
    assert_column(702, "ZZ");
    assert_column(703, "AAA");
    assert_column(16384, "XFD"); /* the last column of an Excel sheet */
    assert_column(0, "");
}

/* ---- nl_strmap ---- */

Test(strmap, put_get_and_replace)
{
    nl_strmap *map = nl_strmap_new();
    cr_assert_not_null(map);
    cr_assert_eq(nl_strmap_count(map), 0);
    size_t value = 77;
    cr_assert_not(nl_strmap_get(map, "E1001", &value));
    cr_assert_eq(value, 77, "a miss must not write the value");
    cr_assert(nl_strmap_put(map, "E1001", 0));
    cr_assert(nl_strmap_put(map, "E1002", 1));
    cr_assert(nl_strmap_put(map, "", 2));
    cr_assert_eq(nl_strmap_count(map), 3);
    cr_assert(nl_strmap_get(map, "E1001", &value));
    cr_assert_eq(value, 0);
    cr_assert(nl_strmap_get(map, "", &value));
    cr_assert_eq(value, 2);
    cr_assert(nl_strmap_get(map, "E1002", NULL));
    cr_assert_not(nl_strmap_get(map, "e1001", NULL), "keys are case-sensitive");
    cr_assert_not(nl_strmap_get(map, "E100", NULL));

    cr_assert(nl_strmap_put(map, "E1001", 42));
    cr_assert_eq(nl_strmap_count(map), 3, "replacing must not add a key");
    cr_assert(nl_strmap_get(map, "E1001", &value));
    cr_assert_eq(value, 42);
    nl_strmap_free(map);
    nl_strmap_free(NULL);
}

Test(strmap, keys_are_copied)
{
    nl_strmap *map = nl_strmap_new();
    char key[] = "team-a";
    cr_assert(nl_strmap_put(map, key, 5));
    key[5] = 'b';
    size_t value;
    cr_assert(nl_strmap_get(map, "team-a", &value));
    cr_assert_eq(value, 5);
    cr_assert_not(nl_strmap_get(map, "team-b", NULL));
    nl_strmap_free(map);
}

Test(strmap, thousands_of_keys_through_many_rehashes)
{
    enum { N = 20000 };
    nl_strmap *map = nl_strmap_new();
    char key[32];
    for (size_t i = 0; i < N; i++) {
        snprintf(key, sizeof key, "E%06zu", i);
        cr_assert(nl_strmap_put(map, key, i * 2));
    }
    cr_assert_eq(nl_strmap_count(map), N);
    for (size_t i = 0; i < N; i++) {
        size_t value = 0;
        snprintf(key, sizeof key, "E%06zu", i);
        cr_assert(nl_strmap_get(map, key, &value), "%s lost", key);
        cr_assert_eq(value, i * 2, "%s -> %zu", key, value);
    }
    for (size_t i = 0; i < N; i += 3) {
        snprintf(key, sizeof key, "E%06zu", i);
        cr_assert(nl_strmap_put(map, key, 1));
    }
    cr_assert_eq(nl_strmap_count(map), N);
    size_t value;
    cr_assert(nl_strmap_get(map, "E000003", &value));
    cr_assert_eq(value, 1);
    cr_assert(nl_strmap_get(map, "E000004", &value));
    cr_assert_eq(value, 8);
    snprintf(key, sizeof key, "E%06d", N);
    cr_assert_not(nl_strmap_get(map, key, NULL));
    nl_strmap_free(map);
}
