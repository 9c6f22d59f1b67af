#define _GNU_SOURCE /* fopencookie */
#include "nextlevel/textsafe.h"

#include "nextlevel/strutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decodes the character at s (avail bytes): its length and code point, or 0 when the byte at
 * s does not start a valid one. */
static size_t decode(const unsigned char *s, size_t avail, unsigned long *cp)
{
    int n = nl_utf8_char_len((const char *)s, avail);
    if (n <= 0)
        return 0;
    unsigned long c = n == 1 ? s[0] : s[0] & (0x7Fu >> n);
    for (int i = 1; i < n; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *cp = c;
    return (size_t)n;
}

void nl_write_utf8(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t start = 0, i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int n = nl_utf8_char_len(s + i, len - i);
        if (n > 0) {
            i += (size_t)n;
            continue;
        }
        fwrite(s + start, 1, i - start, out);
        fputs(NL_REPLACEMENT, out);
        start = ++i;
    }
    fwrite(s + start, 1, len - start, out);
}

char *nl_utf8_repaired(const char *s)
{
    size_t len = strlen(s);
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *copy = malloc(len * 3 + 1);
    if (copy == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int k = (unsigned char)s[i] < 0x80 ? 1 : nl_utf8_char_len(s + i, len - i);
        if (k > 0) {
            memcpy(copy + n, s + i, (size_t)k);
            n += (size_t)k;
            i += (size_t)k;
        } else {
            memcpy(copy + n, NL_REPLACEMENT, 3);
            n += 3;
            i++;
        }
    }
    copy[n] = '\0';
    return copy;
}

/* Whether XML 1.0 forbids cp in a document (surrogates never decode from valid UTF-8). */
static bool xml_forbidden(unsigned long cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF;
}

/* Whether s starts "_xHHHH_", which Excel decodes in a cell's string. */
static bool excel_escape_at(const char *s)
{
    if (s[0] != '_' || s[1] != 'x')
        return false;
    for (int i = 2; i < 6; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return s[6] == '_';
}

/* What one character of the input is written as. */
typedef struct xml_piece {
    const char *bytes;
    size_t len;    /* bytes */
    size_t points; /* code points written */
    size_t units;  /* UTF-16 units Excel counts once it has decoded the cell */
    size_t used;   /* input bytes it stands for */
} xml_piece;

static xml_piece next_piece(const char *s, size_t avail, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;
    xml_piece piece = {s, 1, 1, 1, 1};
    unsigned long cp = 0;
    size_t n = decode(p, avail, &cp);
    if (n == 0 || xml_forbidden(cp)) {
        piece.bytes = NL_REPLACEMENT;
        piece.len = 3;
        piece.used = n ? n : 1; /* an invalid byte is replaced alone: the next may start one */
        return piece;
    }
    if ((flags & NL_XML_ONE_LINE) && (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x7F)) {
        piece.bytes = " ";
        return piece;
    }
    if ((flags & NL_XML_CELL) && excel_escape_at(s)) {
        piece.bytes = "_x005F_";
        piece.len = 7;
        piece.points = 7;
        return piece;
    }
    piece.len = piece.used = n;
    piece.units = cp > 0xFFFF ? 2 : 1;
    return piece;
}

/* Writes the pieces of s (len bytes) into buf while they fit max_units; returns the bytes
 * written and sets *all when the whole text fitted. */
static size_t write_pieces(const char *s, size_t len, unsigned flags, size_t max_units, char *buf,
                           bool *all)
{
    size_t out = 0, units = 0, points = 0;
    *all = false;
    for (size_t i = 0; i < len;) {
        xml_piece piece = next_piece(s + i, len - i, flags);
        if (units + piece.units > max_units || points + piece.points > max_units)
            return out;
        memcpy(buf + out, piece.bytes, piece.len);
        out += piece.len;
        units += piece.units;
        points += piece.points;
        i += piece.used;
    }
    *all = true;
    return out;
}

/* Whether s can go into the XML as it is: printable ASCII with no "_xHHHH_", and valid UTF-8
 * sequences that are not U+FFFE or U+FFFF, within max_units. */
static bool xml_as_is(const char *s, size_t len, size_t max_units)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t units = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c >= 0x80) {
            int n = nl_utf8_char_len(s + i, len - i);
            if (n <= 0 || (c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE))
                return false;
            units += n == 4 ? 2 : 1;
            i += (size_t)n;
        } else if (c < 0x20 || c == 0x7F || (c == '_' && excel_escape_at(s + i))) {
            return false; /* rare in a name: checked again on the slow path */
        } else {
            units++;
            i++;
        }
    }
    return max_units == 0 || units <= max_units;
}

bool nl_xml_text(const char *s, unsigned flags, size_t max_units, const char *marker, char **out)
{
    *out = NULL;
    size_t len = strlen(s);
    if (xml_as_is(s, len, max_units))
        return true;
    size_t marker_len = marker ? strlen(marker) : 0;
    /* Every piece is at most 7 bytes for one input byte, and at most 4 bytes a unit. */
    size_t room = len < SIZE_MAX / 8 ? len * 7 : SIZE_MAX / 8;
    if (max_units != 0 && room > max_units * 4)
        room = max_units * 4;
    char *buf = malloc(room + marker_len + 1);
    if (buf == NULL)
        return false;
    bool all;
    size_t n = write_pieces(s, len, flags, max_units ? max_units : SIZE_MAX, buf, &all);
    if (!all) {
        size_t marker_units = marker_len < max_units ? marker_len : max_units;
        n = write_pieces(s, len, flags, max_units - marker_units, buf, &all);
        memcpy(buf + n, marker, marker_units);
        n += marker_units;
    }
    buf[n] = '\0';
    *out = buf;
    return true;
}

bool nl_terminal_unsafe(unsigned long cp)
{
    return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp < 0xA0) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes the len bytes of s as nl_write_terminal does; returns how many it took: all but a
 * character left incomplete at the end when more may follow. */
static size_t write_shown(FILE *out, const char *s, size_t len, bool more)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t start = 0, i = 0;
    while (i < len) {
        if (p[i] >= 0x20 && p[i] < 0x7F) {
            i++;
            continue;
        }
        unsigned long cp = 0;
        size_t n = decode(p + i, len - i, &cp);
        if (n == 0 && more && nl_utf8_char_len(s + i, len - i) == -1)
            break;
        if (n != 0 && !nl_terminal_unsafe(cp)) {
            i += n;
            continue;
        }
        fwrite(s + start, 1, i - start, out);
        const char *name = n ? nl_invisible_name(cp) : NULL;
        if (n == 0)
            fprintf(out, "<byte 0x%02X>", p[i]);
        else if (name != NULL)
            fprintf(out, "<%s>", name);
        else
            fprintf(out, "<U+%04lX>", cp);
        i += n ? n : 1;
        start = i;
    }
    fwrite(s + start, 1, i - start, out);
    return i;
}

void nl_write_terminal(FILE *out, const char *s)
{
    write_shown(out, s, strlen(s), false);
}

/* The state of a stream made by nl_terminal_stream. */
typedef struct shown_stream {
    FILE *under;
    char carry[4]; /* the start of a character cut between two writes */
    size_t carry_len;
} shown_stream;

static ssize_t shown_write(void *cookie, const char *buf, size_t size)
{
    shown_stream *st = cookie;
    size_t taken = 0;
    while (st->carry_len > 0 && taken < size) {
        /* Completes the carried character one byte at a time: at most 3 rounds. */
        st->carry[st->carry_len++] = buf[taken++];
        size_t used = write_shown(st->under, st->carry, st->carry_len, true);
        memmove(st->carry, st->carry + used, st->carry_len - used);
        st->carry_len -= used;
    }
    size_t used = write_shown(st->under, buf + taken, size - taken, true);
    memcpy(st->carry, buf + taken + used, size - taken - used); /* under 4 bytes */
    st->carry_len = size - taken - used;
    return ferror(st->under) ? -1 : (ssize_t)size;
}

static int shown_close(void *cookie)
{
    shown_stream *st = cookie;
    write_shown(st->under, st->carry, st->carry_len, false);
    int flushed = fflush(st->under);
    free(st);
    return flushed == 0 ? 0 : -1;
}

FILE *nl_terminal_stream(FILE *under)
{
    shown_stream *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    st->under = under;
    cookie_io_functions_t io = {.write = shown_write, .close = shown_close};
    FILE *stream = fopencookie(st, "w", io);
    if (stream == NULL) {
        free(st);
        return NULL;
    }
    /* Unbuffered: what is written reaches under at once, in order with what others write to
     * it directly (the progress line). */
    setvbuf(stream, NULL, _IONBF, 0);
    return stream;
}

size_t nl_utf8_whole(const char *s, size_t len)
{
    /* A character is at most 4 bytes: an incomplete one starts in the last 3. */
    for (size_t back = 1; back <= 3 && back <= len; back++) {
        unsigned char c = (unsigned char)s[len - back];
        if ((c & 0xC0) == 0x80)
            continue; /* a continuation byte: its lead is further back */
        if (c >= 0xC0 && nl_utf8_char_len(s + len - back, back) == -1)
            return len - back;
        break;
    }
    return len;
}

int nl_vsformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(buf, size, fmt, ap);
    if (n >= 0 && size > 0 && (size_t)n >= size)
        buf[nl_utf8_whole(buf, size - 1)] = '\0';
    return n;
}

int nl_sformat(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = nl_vsformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

long nl_text_line_flaw(const char *s, size_t len, char *why, size_t size)
{
    const unsigned char *p = (const unsigned char *)s;
    long column = 1;
    for (size_t i = 0; i < len; column++) {
        unsigned long cp = 0;
        size_t n = decode(p + i, len - i, &cp);
        if (n == 0) {
            nl_sformat(why, size,
                       "holds a character that is not UTF-8 (code 0x%02X): save the template as "
                       "UTF-8",
                       p[i]);
            return column;
        }
        bool line_end = cp == '\n' || (cp == '\r' && (i + 1 == len || p[i + 1] == '\n'));
        if ((cp < 0x20 && cp != '\t' && !line_end) || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            nl_sformat(why, size,
                       "holds an invisible control character (U+%04lX): delete it, it would "
                       "break the reports",
                       cp);
            return column;
        }
        if (cp == 0xFFFE || cp == 0xFFFF) {
            nl_sformat(why, size,
                       "holds U+%04lX, which is not a character: delete it, it would break the "
                       "workbook",
                       cp);
            return column;
        }
        i += n;
    }
    return 0;
}
