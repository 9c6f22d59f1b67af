/* The text sanitiser (textsafe.h): what goes into the workbook's XML, CSV and JSON, and the
 * terminal. */
#include "nextlevel/textsafe.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nl_xml_text of s as a new string (s copied when it is written as it is). */
static char *xml(const char *s, unsigned flags, size_t max_units, const char *marker)
{
    char *out;
    cr_assert(nl_xml_text(s, flags, max_units, marker, &out));
    return out ? out : strdup(s);
}

Test(xml_text, characters_xml_forbids_become_the_replacement_character)
{
    char *s = xml("a\xEF\xBF\xBF"
                  "b\x01"
                  "c\xEF\xBF\xBE"
                  "d\xFF"
                  "e",
                  0, 0, NULL);
    cr_assert_str_eq(s, "a\xEF\xBF\xBD"
                        "b\xEF\xBF\xBD"
                        "c\xEF\xBF\xBD"
                        "d\xEF\xBF\xBD"
                        "e");
    free(s);
    /* Tab, line feed and carriage return are allowed; one-line text has them as spaces. */
    s = xml("a\tb\nc\rd", 0, 0, NULL);
    cr_assert_str_eq(s, "a\tb\nc\rd");
    free(s);
    s = xml("a\tb\nc\rd\x7F"
            "e",
            NL_XML_ONE_LINE, 0, NULL);
    cr_assert_str_eq(s, "a b c d e");
    free(s);
}

Test(xml_text, a_typed_excel_escape_is_kept_as_typed_in_a_cell)
{
    char out[64];
    char *s = xml("_x0041_ and _x00e9_ and _x12_", NL_XML_CELL, 0, NULL);
    snprintf(out, sizeof out, "%s", s);
    cr_assert_str_eq(out, "_x005F_x0041_ and _x005F_x00e9_ and _x12_");
    free(s);
    s = xml("_x0041_", 0, 0, NULL); /* outside a cell nothing decodes it */
    cr_assert_str_eq(s, "_x0041_");
    free(s);
}

Test(xml_text, text_is_cut_at_a_character_counted_in_utf16_units)
{
    /* Five emoji are ten units: within 8 units with a 2-character marker, three fit. */
    const char *emoji = "\xF0\x9F\x98\x80";
    char five[32] = "";
    for (int i = 0; i < 5; i++)
        strcat(five, emoji);
    char *s = xml(five, 0, 8, "..");
    char want[32] = "";
    for (int i = 0; i < 3; i++)
        strcat(want, emoji);
    strcat(want, "..");
    cr_assert_str_eq(s, want);
    free(s);
    s = xml(five, 0, 10, "..");
    cr_assert_str_eq(s, five);
    free(s);
    /* An escaped underscore is 7 code points to libxlsxwriter's count. */
    s = xml("_x0041_", NL_XML_CELL, 10, "");
    cr_assert_str_eq(s, "_x005F_x00");
    free(s);
}

Test(xml_text, plain_text_is_written_as_it_is)
{
    char *out = (char *)1;
    cr_assert(nl_xml_text("Ana Mar\xC3\xAD"
                          "a snake_case",
                          NL_XML_CELL, 100, "", &out));
    cr_assert_null(out);
}

Test(utf8, whole_drops_a_character_left_incomplete)
{
    cr_assert_eq(nl_utf8_whole("ab\xC3", 3), 2);
    cr_assert_eq(nl_utf8_whole("ab\xC3\xA9", 4), 4);
    cr_assert_eq(nl_utf8_whole("a\xF0\x9F\x98", 4), 1);
    cr_assert_eq(nl_utf8_whole("a\xFF", 2), 2); /* invalid, not incomplete: kept */
    char buf[5];
    nl_sformat(buf, sizeof buf, "%s", "abc\xC3\xA9\xC3\xA9");
    cr_assert_str_eq(buf, "abc");
}

/* What the terminal stream writes for the pieces written one after another. */
static char *through_terminal(const char *const *pieces, size_t count)
{
    char *text = NULL;
    size_t len = 0;
    FILE *under = open_memstream(&text, &len);
    cr_assert_not_null(under);
    FILE *shown = nl_terminal_stream(under);
    cr_assert_not_null(shown);
    for (size_t i = 0; i < count; i++)
        fputs(pieces[i], shown);
    fclose(shown);
    fclose(under);
    return text;
}

Test(terminal, controls_and_bidi_overrides_are_shown_by_name)
{
    const char *pieces[] = {"a\x1B[31mb\tc\n", "d\xE2\x80\xAE"
                                               "e\xC2\x9B"
                                               "f\xFF"
                                               "g\x07\r"};
    char *text = through_terminal(pieces, 2);
    cr_assert_str_eq(text, "a<escape>[31mb\tc\nd<right-to-left override>e<U+009B>f<byte "
                           "0xFF>g<U+0007><carriage return>");
    free(text);
}

Test(terminal, a_character_split_between_writes_is_kept_whole)
{
    const char *pieces[] = {"\xC3", "\xA9 \xE2\x80", "\xAE", "\xF0\x9F", "\x98\x80", "\xC3"};
    char *text = through_terminal(pieces, 6);
    cr_assert_str_eq(text, "\xC3\xA9 <right-to-left override>\xF0\x9F\x98\x80<byte 0xC3>");
    free(text);
}

Test(utf8, writing_replaces_invalid_bytes)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    nl_write_utf8(out, "a\xFF\xC3\xA9\xC3", 5);
    fclose(out);
    cr_assert_str_eq(text, "a\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD");
    free(text);
}
