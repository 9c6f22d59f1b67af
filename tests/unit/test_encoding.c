/* The decoder in front of the CSV layer (src/encoding.c): every input is fed whole and at
 * every chunk size, and must give the same UTF-8 and the same findings each time. */
#include "nextlevel/encoding.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

typedef struct output {
    char *bytes;
    size_t len, cap;
} output;

static nl_status collect(const char *bytes, size_t len, void *data, nl_error *err)
{
    (void)err;
    output *o = data;
    if (o->len + len + 1 > o->cap) {
        o->cap = (o->len + len + 1) * 2;
        o->bytes = realloc(o->bytes, o->cap);
        cr_assert_not_null(o->bytes);
    }
    memcpy(o->bytes + o->len, bytes, len);
    o->len += len;
    o->bytes[o->len] = '\0';
    return NL_OK;
}

typedef struct decoded {
    output out;
    nl_file_encoding found;
    bool suspect;
} decoded;

static decoded decode_in_pieces(const char *forced, const char *data, size_t len, size_t chunk)
{
    decoded d;
    memset(&d, 0, sizeof d);
    collect("", 0, &d.out, NULL);
    nl_decoder *dec = nl_decoder_new(forced);
    cr_assert_not_null(dec);
    nl_error err = {0};
    size_t step = chunk == 0 || chunk > len ? (len ? len : 1) : chunk;
    for (size_t at = 0; at < len; at += step) {
        size_t n = len - at < step ? len - at : step;
        cr_assert_eq(nl_decoder_feed(dec, data + at, n, collect, &d.out, &err), NL_OK);
    }
    cr_assert_eq(nl_decoder_finish(dec, collect, &d.out, &err), NL_OK);
    d.found = *nl_decoder_result(dec);
    d.suspect = nl_decoder_suspect(dec);
    nl_decoder_free(dec);
    return d;
}

/* Decodes whole, then at every chunk size, asserting every reading is the same. */
static decoded decode(const char *forced, const char *data, size_t len)
{
    decoded whole = decode_in_pieces(forced, data, len, 0);
    for (size_t chunk = 1; chunk < len; chunk++) {
        decoded part = decode_in_pieces(forced, data, len, chunk);
        cr_assert_eq(part.out.len, whole.out.len, "chunk %zu: length", chunk);
        cr_assert(memcmp(part.out.bytes, whole.out.bytes, whole.out.len) == 0, "chunk %zu: bytes",
                  chunk);
        cr_assert_str_eq(part.found.name, whole.found.name, "chunk %zu", chunk);
        cr_assert_str_eq(part.found.sample, whole.found.sample, "chunk %zu", chunk);
        cr_assert_eq(part.found.fallback, whole.found.fallback, "chunk %zu", chunk);
        cr_assert_eq(part.found.mixed, whole.found.mixed, "chunk %zu", chunk);
        cr_assert_eq(part.found.bom, whole.found.bom, "chunk %zu", chunk);
        cr_assert_eq(part.found.undefined, whole.found.undefined, "chunk %zu", chunk);
        cr_assert_eq(part.suspect, whole.suspect, "chunk %zu", chunk);
        free(part.out.bytes);
    }
    return whole;
}

#define DECODE(forced, literal) decode(forced, literal, sizeof(literal) - 1)

Test(encoding, utf8_passes_unchanged_and_clean)
{
    static const char text[] = "id,name\nE1,Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80\n";
    decoded d = DECODE(NULL, text);
    cr_assert_str_eq(d.out.bytes, text);
    cr_assert_str_eq(d.found.name, "UTF-8");
    cr_assert(!d.found.fallback && !d.found.mixed && !d.found.bom && !d.suspect);
    free(d.out.bytes);
    d = DECODE(NULL, "\xEF\xBB\xBFid\n");
    cr_assert_str_eq(d.out.bytes, "\xEF\xBB\xBFid\n", "the CSV layer drops the BOM");
    cr_assert(d.found.bom);
    free(d.out.bytes);
}

Test(encoding, not_utf8_is_windows_1252_with_a_sample)
{
    decoded d = DECODE(NULL, "id,name\nE1,M\xFCller \x80 5,x\n");
    cr_assert_str_eq(d.out.bytes, "id,name\nE1,M\xC3\xBCller \xE2\x82\xAC 5,x\n");
    cr_assert_str_eq(d.found.name, "Windows-1252");
    cr_assert(d.found.fallback && !d.found.mixed && !d.suspect);
    cr_assert_str_eq(d.found.sample, "M\xC3\xBCller \xE2\x82\xAC 5");
    free(d.out.bytes);
}

Test(encoding, utf16_with_a_bom_is_converted_surrogates_included)
{
    decoded d = DECODE(NULL, "\xFF\xFE"
                             "a\0\t\0\x3D\xD8\x00\xDE\r\0\n\0");
    cr_assert_str_eq(d.out.bytes, "a\t\xF0\x9F\x98\x80\r\n");
    cr_assert_str_eq(d.found.name, "UTF-16LE");
    cr_assert(d.found.bom);
    free(d.out.bytes);
    d = DECODE(NULL, "\xFE\xFF\0a\0\xEB\0\n");
    cr_assert_str_eq(d.out.bytes, "a\xC3\xAB\n");
    cr_assert_str_eq(d.found.name, "UTF-16BE");
    free(d.out.bytes);
}

Test(encoding, a_utf8_file_keeps_its_utf8_around_bytes_that_are_not)
{
    decoded d = DECODE(NULL, "M\xC3\xBCller\nJos\xE9,x\nend \xC3");
    cr_assert_str_eq(d.out.bytes, "M\xC3\xBCller\nJos\xC3\xA9,x\nend \xC3\x83");
    cr_assert(d.found.mixed && !d.found.fallback);
    cr_assert_str_eq(d.found.name, "UTF-8");
    cr_assert_str_eq(d.found.sample, "Jos\xC3\xA9");
    free(d.out.bytes);
}

Test(encoding, undefined_characters_are_marked_and_counted)
{
    decoded d = DECODE(NULL, "a\xE9,b\x81"
                             "c,\x8D\n");
    cr_assert_str_eq(d.out.bytes, "a\xC3\xA9,b\x81"
                                  "c,\x8D\n");
    cr_assert_eq(d.found.undefined, 2);
    cr_assert(d.suspect);
    free(d.out.bytes);
    /* Forced UTF-8: what is not UTF-8 is undefined, never a valid character. */
    d = DECODE("UTF-8", "a\xC3(b\xA9\n");
    cr_assert_str_eq(d.out.bytes, "a\xFF(b\xA9\n");
    cr_assert_eq(d.found.undefined, 2);
    cr_assert(d.found.forced && !d.found.fallback);
    free(d.out.bytes);
    d = DECODE(NULL, "a\0b\n");
    cr_assert(d.suspect, "a NUL is flagged for the matrix to check");
    free(d.out.bytes);
}

Test(encoding, a_forced_encoding_is_used_for_everything)
{
    decoded d = DECODE("CP1250", "\xA3ukasz Wi\x9Cniewski\n");
    cr_assert_str_eq(d.out.bytes, "\xC5\x81ukasz Wi\xC5\x9Bniewski\n");
    cr_assert_str_eq(d.found.name, "CP1250");
    cr_assert(d.found.forced && !d.found.fallback);
    free(d.out.bytes);
    d = DECODE("UTF-16LE", "\xFF\xFEz\0\n\0");
    cr_assert_str_eq(d.out.bytes, "\xEF\xBB\xBFz\n", "the BOM becomes a UTF-8 one, dropped later");
    free(d.out.bytes);
    cr_assert(nl_encoding_known("CP1252"));
    cr_assert(nl_encoding_known("windows-1251"));
    cr_assert(!nl_encoding_known("CP9999-NOPE"));
    cr_assert(!nl_encoding_known(""));
}
