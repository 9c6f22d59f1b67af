#include "nextlevel/encoding.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The output buffer of a conversion: one read chunk of Windows-1252 grows to at most three
 * times its size, so a chunk takes a few turns of iconv; the UTF-8 path needs no buffer. */
#define OUT_SIZE 65536
/* Bytes of an unfinished character held back from one chunk to the next (a UTF-8 or UTF-16
 * character is at most 4; stateful encodings may need a little more). */
#define CARRY_MAX 16
/* How much of the text before the first converted character the sample shows. */
#define SAMPLE_BEFORE 40

typedef enum decoder_mode {
    MODE_START, /* the first bytes, which may be a byte order mark, are not in yet */
    MODE_UTF8,  /* checked as it goes; nothing is copied */
    MODE_ICONV  /* converted by iconv */
} decoder_mode;

struct nl_decoder {
    decoder_mode mode;
    char *forced;        /* NULL: detect */
    bool strict;         /* forced UTF-8: what is not UTF-8 is undefined, not Windows-1252 */
    bool seen_multibyte; /* UTF-8 text (or a UTF-8 BOM) was seen: the file is UTF-8 */
    iconv_t cd;          /* the conversion of MODE_ICONV, (iconv_t)-1 before */
    iconv_t byte_cd;     /* Windows-1252, for single bytes of a mixed file, (iconv_t)-1 before */
    size_t unit;         /* bytes skipped past an undefined character */
    char carry[CARRY_MAX];
    size_t carry_len;
    char *out;
    bool suspect;
    bool sample_open; /* the sample is being written */
    size_t sample_len;
    char tail[SAMPLE_BEFORE]; /* the last bytes given, for the start of the sample */
    size_t tail_len;
    nl_file_encoding result;
};

static const iconv_t NO_CD = (iconv_t)-1;

bool nl_encoding_known(const char *name)
{
    if (name == NULL || *name == '\0')
        return false;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == NO_CD)
        return false;
    iconv_close(cd);
    return true;
}

/* Whether name, upper-cased and without '-' or '_', starts with prefix. */
static bool name_is(const char *name, const char *prefix)
{
    for (; *prefix != '\0'; prefix++, name++) {
        while (*name == '-' || *name == '_')
            name++;
        if (toupper((unsigned char)*name) != *prefix)
            return false;
    }
    return true;
}

/* The width of the code units of an encoding: an undefined character skips one unit, so that
 * UTF-16 stays in step after a bad one. */
static size_t unit_of(const char *name)
{
    if (name_is(name, "UTF16") || name_is(name, "UCS2"))
        return 2;
    if (name_is(name, "UTF32") || name_is(name, "UCS4"))
        return 4;
    return 1;
}

nl_decoder *nl_decoder_new(const char *forced)
{
    nl_decoder *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    d->cd = d->byte_cd = NO_CD;
    d->unit = 1;
    nl_sformat(d->result.name, sizeof d->result.name, "UTF-8");
    if (forced != NULL) {
        d->forced = nl_strdup(forced);
        d->result.forced = true;
        nl_sformat(d->result.name, sizeof d->result.name, "%s", forced);
        if (d->forced == NULL) {
            nl_decoder_free(d);
            return NULL;
        }
        d->strict = name_is(forced, "UTF8") && strlen(forced) <= 5;
        if (!d->strict) {
            d->cd = iconv_open("UTF-8", forced);
            d->unit = unit_of(forced);
            if (d->cd == NO_CD) {
                nl_decoder_free(d);
                return NULL;
            }
        }
    }
    return d;
}

void nl_decoder_free(nl_decoder *d)
{
    if (d == NULL)
        return;
    if (d->cd != NO_CD)
        iconv_close(d->cd);
    if (d->byte_cd != NO_CD)
        iconv_close(d->byte_cd);
    free(d->forced);
    free(d->out);
    free(d);
}

const nl_file_encoding *nl_decoder_result(const nl_decoder *d)
{
    return &d->result;
}

bool nl_decoder_suspect(const nl_decoder *d)
{
    return d->suspect;
}

/* ---- the sample shown in the warning ---- */

static bool ends_text(unsigned char c)
{
    return c == ',' || c == ';' || c == '\t' || c == '"' || c == '\r' || c == '\n';
}

/* Closes the sample, dropping a character cut off at its end. */
static void sample_close(nl_decoder *d)
{
    nl_file_encoding *e = &d->result;
    d->sample_open = false;
    while (d->sample_len > 0 && nl_utf8_invalid_at(e->sample, d->sample_len) >= 0)
        d->sample_len--;
    e->sample[d->sample_len] = '\0';
}

/* Adds decoded text to the open sample, up to the end of the cell or of the room. */
static void sample_add(nl_decoder *d, const char *text, size_t len)
{
    nl_file_encoding *e = &d->result;
    for (size_t i = 0; i < len && d->sample_open; i++) {
        if (ends_text((unsigned char)text[i]) || d->sample_len + 1 >= sizeof e->sample) {
            sample_close(d);
            return;
        }
        e->sample[d->sample_len++] = text[i];
    }
    e->sample[d->sample_len] = '\0';
}

/* Keeps the last bytes given, whatever the chunks, so that the sample does not depend on
 * where the file was split. */
static void tail_add(nl_decoder *d, const char *bytes, size_t len)
{
    if (len >= SAMPLE_BEFORE) {
        memcpy(d->tail, bytes + len - SAMPLE_BEFORE, SAMPLE_BEFORE);
        d->tail_len = SAMPLE_BEFORE;
        return;
    }
    size_t keep = d->tail_len + len > SAMPLE_BEFORE ? SAMPLE_BEFORE - len : d->tail_len;
    memmove(d->tail, d->tail + d->tail_len - keep, keep);
    memcpy(d->tail + keep, bytes, len);
    d->tail_len = keep + len;
}

/* Opens the sample (once per file) with the text of the cell given so far; what is given next
 * goes on adding to it, up to the end of the cell. */
static void sample_begin(nl_decoder *d)
{
    if (d->result.sample[0] != '\0' || d->sample_open)
        return;
    size_t from = d->tail_len;
    while (from > 0 && !ends_text((unsigned char)d->tail[from - 1]))
        from--;
    while (from < d->tail_len && ((unsigned char)d->tail[from] & 0xC0) == 0x80)
        from++; /* not in the middle of a character */
    d->sample_open = true;
    d->sample_len = 0;
    sample_add(d, d->tail + from, d->tail_len - from);
}

/* ---- decoding ---- */

static nl_status give(nl_decoder *d, const char *bytes, size_t len, nl_decoder_sink sink,
                      void *data, nl_error *err)
{
    if (len == 0)
        return NL_OK;
    if (d->sample_open)
        sample_add(d, bytes, len);
    tail_add(d, bytes, len);
    return sink(bytes, len, data, err);
}

/* Gives, in place of an undefined character whose first byte is c, a byte that is never valid
 * UTF-8 wherever it stands: c itself when it is a continuation byte (so that a message can
 * show it), else 0xFF. */
static nl_status give_undefined(nl_decoder *d, unsigned char c, nl_decoder_sink sink, void *data,
                                nl_error *err)
{
    char mark = (char)(c >= 0x80 && c <= 0xBF ? c : 0xFF);
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD, in the sample */
    d->result.undefined++;
    d->suspect = true;
    if (d->sample_open)
        sample_add(d, replacement, 3);
    tail_add(d, replacement, 3);
    return sink(&mark, 1, data, err);
}

static nl_status open_cd(iconv_t *cd, const char *from, nl_error *err)
{
    if (*cd == NO_CD)
        *cd = iconv_open("UTF-8", from);
    if (*cd != NO_CD)
        return NL_OK;
    int saved = errno;
    return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_NOMEM), NULL, 0, 0,
                        "cannot convert from %s: %s", from, strerror(saved));
}

/* Converts buf through d->cd; *used tells how much was taken (less than len only when an
 * unfinished character ends a buffer that is not the last). */
static nl_status decode_iconv(nl_decoder *d, const char *buf, size_t len, bool final, size_t *used,
                              nl_decoder_sink sink, void *data, nl_error *err)
{
    if (d->out == NULL && (d->out = malloc(OUT_SIZE)) == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    char *in = (char *)buf;
    size_t in_left = len;
    nl_status status = NL_OK;
    while (in_left > 0 && status == NL_OK) {
        char *out = d->out;
        size_t out_left = OUT_SIZE;
        size_t rc = iconv(d->cd, &in, &in_left, &out, &out_left);
        int saved = errno;
        size_t produced = OUT_SIZE - out_left;
        if (produced > 0) {
            d->suspect |= memchr(d->out, '\0', produced) != NULL;
            status = give(d, d->out, produced, sink, data, err);
        }
        if (rc != (size_t)-1 || status != NL_OK || saved == E2BIG)
            continue;
        if (saved == EINVAL && !final && in_left <= CARRY_MAX)
            break; /* the rest comes with the next chunk */
        status = give_undefined(d, (unsigned char)*in, sink, data, err);
        size_t skip = d->unit < in_left ? d->unit : in_left;
        in += skip;
        in_left -= skip;
    }
    *used = len - in_left;
    return status;
}

/* Reads the rest of a file that was all ASCII so far as Windows-1252. */
static nl_status switch_to_cp1252(nl_decoder *d, const char *buf, size_t at, size_t len, bool final,
                                  size_t *used, nl_decoder_sink sink, void *data, nl_error *err)
{
    nl_status status = open_cd(&d->cd, "CP1252", err);
    if (status != NL_OK)
        return status;
    d->mode = MODE_ICONV;
    d->unit = 1;
    d->result.fallback = true;
    nl_sformat(d->result.name, sizeof d->result.name, "Windows-1252");
    sample_begin(d);
    size_t rest = 0;
    status = decode_iconv(d, buf + at, len - at, final, &rest, sink, data, err);
    *used = at + rest;
    return status;
}

/* One byte that is not UTF-8 in a file that otherwise is, read as Windows-1252. */
static nl_status give_cp1252_byte(nl_decoder *d, const char *byte, nl_decoder_sink sink, void *data,
                                  nl_error *err)
{
    nl_status status = open_cd(&d->byte_cd, "CP1252", err);
    if (status != NL_OK)
        return status;
    char *in = (char *)byte, converted[8], *out = converted;
    size_t in_left = 1, out_left = sizeof converted;
    if (iconv(d->byte_cd, &in, &in_left, &out, &out_left) == (size_t)-1)
        return give_undefined(d, (unsigned char)*byte, sink, data, err);
    d->result.mixed = true;
    sample_begin(d);
    return give(d, converted, sizeof converted - out_left, sink, data, err);
}

/* Whether none of the 8 bytes at s is 0 or above 0x7F. */
static bool plain_ascii8(const unsigned char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    return (w & highs) == 0 && ((w - ones) & ~w & highs) == 0;
}

/* Checks buf as UTF-8 and gives it on without copying; see encoding.h for what happens at the
 * first byte that is not UTF-8. */
static nl_status decode_utf8(nl_decoder *d, const char *buf, size_t len, bool final, size_t *used,
                             nl_decoder_sink sink, void *data, nl_error *err)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0, run = 0; /* bytes from run to i are valid and not given yet */
    nl_status status = NL_OK;
    while (i < len && status == NL_OK) {
        while (i + 8 <= len && plain_ascii8(s + i))
            i += 8;
        if (i >= len)
            break;
        if (s[i] < 0x80) {
            d->suspect |= s[i] == 0;
            i++;
            continue;
        }
        int n = nl_utf8_char_len(buf + i, len - i);
        if (n > 0) {
            d->seen_multibyte = true;
            i += (size_t)n;
            continue;
        }
        if (n < 0 && !final)
            break; /* the rest of the character comes with the next chunk */
        status = give(d, buf + run, i - run, sink, data, err);
        if (status != NL_OK)
            break;
        if (!d->strict && !d->seen_multibyte)
            return switch_to_cp1252(d, buf, i, len, final, used, sink, data, err);
        status = d->strict ? give_undefined(d, s[i], sink, data, err)
                           : give_cp1252_byte(d, buf + i, sink, data, err);
        run = ++i;
    }
    if (status == NL_OK)
        status = give(d, buf + run, i - run, sink, data, err);
    *used = i;
    return status;
}

/* Settles the mode from the first bytes: a byte order mark, or --encoding. Returns how many
 * bytes of buf to skip (a UTF-16 byte order mark, which the UTF-8 output does not need). */
static nl_status start(nl_decoder *d, const unsigned char *s, size_t len, size_t *skip,
                       nl_error *err)
{
    *skip = 0;
    bool utf8_bom = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
    bool le = len >= 2 && s[0] == 0xFF && s[1] == 0xFE,
         be = len >= 2 && s[0] == 0xFE && s[1] == 0xFF;
    d->result.bom = utf8_bom || le || be;
    if (d->forced != NULL) {
        d->mode = d->strict ? MODE_UTF8 : MODE_ICONV;
        return NL_OK;
    }
    if (!le && !be) {
        /* The BOM is given on (the CSV layer drops it); it says the file is UTF-8. */
        d->seen_multibyte = utf8_bom;
        d->mode = MODE_UTF8;
        return NL_OK;
    }
    const char *name = le ? "UTF-16LE" : "UTF-16BE";
    nl_sformat(d->result.name, sizeof d->result.name, "%s", name);
    d->mode = MODE_ICONV;
    d->unit = 2;
    *skip = 2;
    return open_cd(&d->cd, name, err);
}

static nl_status decode_some(nl_decoder *d, const char *buf, size_t len, bool final, size_t *used,
                             nl_decoder_sink sink, void *data, nl_error *err)
{
    if (d->mode == MODE_START) {
        size_t skip = 0, rest = 0;
        *used = 0;
        if (len < 3 && !final)
            return NL_OK;
        nl_status status = start(d, (const unsigned char *)buf, len, &skip, err);
        if (status == NL_OK)
            status = decode_some(d, buf + skip, len - skip, final, &rest, sink, data, err);
        *used = skip + rest;
        return status;
    }
    if (d->mode == MODE_UTF8)
        return decode_utf8(d, buf, len, final, used, sink, data, err);
    return decode_iconv(d, buf, len, final, used, sink, data, err);
}

static nl_status decode(nl_decoder *d, const char *chunk, size_t len, bool final,
                        nl_decoder_sink sink, void *data, nl_error *err)
{
    size_t used = 0;
    nl_status status;
    if (d->carry_len > 0 || (len == 0 && final)) {
        /* The held-back bytes with the start of this chunk: enough to finish the character. */
        char joined[2 * CARRY_MAX];
        size_t taken = len < CARRY_MAX ? len : CARRY_MAX, n = d->carry_len + taken;
        memcpy(joined, d->carry, d->carry_len);
        if (taken > 0)
            memcpy(joined + d->carry_len, chunk, taken);
        status = decode_some(d, joined, n, final && taken == len, &used, sink, data, err);
        if (status != NL_OK)
            return status;
        if (used < d->carry_len || (used < n && taken == len)) {
            d->carry_len = n - used;
            memmove(d->carry, joined + used, d->carry_len);
            return NL_OK;
        }
        chunk += used - d->carry_len;
        len -= used - d->carry_len;
        d->carry_len = 0;
    }
    if (len == 0)
        return NL_OK;
    status = decode_some(d, chunk, len, final, &used, sink, data, err);
    if (status == NL_OK && used < len) {
        d->carry_len = len - used; /* at most CARRY_MAX: see decode_utf8 and decode_iconv */
        memcpy(d->carry, chunk + used, d->carry_len);
    }
    return status;
}

nl_status nl_decoder_feed(nl_decoder *d, const char *chunk, size_t len, nl_decoder_sink sink,
                          void *data, nl_error *err)
{
    return decode(d, chunk, len, false, sink, data, err);
}

nl_status nl_decoder_finish(nl_decoder *d, nl_decoder_sink sink, void *data, nl_error *err)
{
    nl_status status = decode(d, "", 0, true, sink, data, err);
    if (status == NL_OK && d->mode == MODE_ICONV && d->out != NULL) {
        /* A stateful encoding may still owe the bytes that end its last shift. */
        char *out = d->out;
        size_t out_left = OUT_SIZE;
        iconv(d->cd, NULL, NULL, &out, &out_left);
        status = give(d, d->out, OUT_SIZE - out_left, sink, data, err);
    }
    if (d->sample_open)
        sample_close(d);
    return status;
}

/* ---- messages ---- */

const char *nl_encoding_describe(const nl_file_encoding *e, char *buf, size_t size)
{
    const char *bom = e->bom ? " with BOM" : "";
    if (e->forced)
        nl_sformat(buf, size, "%s%s (given with --encoding)", e->name, bom);
    else if (e->fallback)
        nl_sformat(buf, size, "%s (the file is not UTF-8; first text read so: \"%s\")", e->name,
                   e->sample);
    else if (e->mixed)
        nl_sformat(buf, size,
                   "UTF-8%s, with some text that is not, read as Windows-1252 (first: "
                   "\"%s\")",
                   bom, e->sample);
    else
        nl_sformat(buf, size, "%s%s", e->name, bom);
    return buf;
}

void nl_encoding_warn(FILE *out, const char *path, const nl_file_encoding *e)
{
    if (e->forced || (!e->fallback && !e->mixed))
        return;
    if (e->fallback)
        fprintf(out,
                "nextlevel: warning: %s is not UTF-8: read as Windows-1252 (Excel's \"CSV "
                "(Comma delimited)\" on a Western European Windows)",
                path);
    else
        fprintf(out,
                "nextlevel: warning: %s is UTF-8 but holds text that is not: that text was "
                "read as Windows-1252",
                path);
    fprintf(out,
            "; its first such text reads \"%s\". If letters there look wrong, name the "
            "file's encoding, e.g. --encoding CP1250 (Central European: Polish, Czech) or "
            "--encoding CP1251 (Cyrillic), or save the file as \"CSV UTF-8\"\n",
            e->sample);
}
