#include "nextlevel/strutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *nl_strndup(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *nl_strdup(const char *s)
{
    return s ? nl_strndup(s, strlen(s)) : NULL;
}

char *nl_strjoin(char *a, const char *sep, const char *b)
{
    /* a is often straight from an allocation that may have failed: pass the failure on. */
    if (a == NULL || b == NULL) {
        free(a);
        return NULL;
    }
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *joined = realloc(a, la + ls + lb + 1);
    if (joined == NULL) {
        free(a);
        return NULL;
    }
    memcpy(joined + la, sep, ls);
    memcpy(joined + la + ls, b, lb + 1);
    return joined;
}

bool nl_grow(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t new_cap = *cap ? *cap : 8;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2 / elem)
            return false;
        new_cap *= 2;
    }
    void *grown = realloc(*items, new_cap * elem);
    if (grown == NULL)
        return false;
    *items = grown;
    *cap = new_cap;
    return true;
}

char *nl_trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t len = strlen(s);
    while (len > 0 &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
        s[--len] = '\0';
    return s;
}

/* Whether c is left out of the folded form. */
static bool folded_away(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '_' || c == '\r' || c == '\n';
}

char *nl_fold_key(const char *s, size_t len)
{
    char *folded = malloc(len + 1);
    if (folded == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (folded_away(c))
            continue;
        folded[n++] = (c < 0x80) ? (char)tolower(c) : (char)c;
    }
    folded[n] = '\0';
    return folded;
}

bool nl_fold_equal(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (;;) {
        while (folded_away(*x))
            x++;
        while (folded_away(*y))
            y++;
        if (*x == '\0' || *y == '\0')
            return *x == *y;
        unsigned char cx = *x < 0x80 ? (unsigned char)tolower(*x) : *x;
        unsigned char cy = *y < 0x80 ? (unsigned char)tolower(*y) : *y;
        if (cx != cy)
            return false;
        x++;
        y++;
    }
}

const char *nl_trimmed_span(const char *s, size_t *len)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    *len = n;
    return s;
}

bool nl_strncaseeq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[i];
        if (ca < 0x80 && cb < 0x80 ? tolower(ca) != tolower(cb) : ca != cb)
            return false;
        if (ca == '\0')
            return true;
    }
    return true;
}

bool nl_strcaseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        unsigned char ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca < 0x80 && cb < 0x80 ? tolower(ca) != tolower(cb) : ca != cb)
            return false;
    }
    return *a == *b;
}

int nl_utf8_char_len(const char *text, size_t avail)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    int n;
    if (c < 0x80) {
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* below: overlong */
        hi = c == 0xED ? 0x9F : 0xBF; /* above: surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80; /* below: overlong */
        hi = c == 0xF4 ? 0x8F : 0xBF; /* above: past U+10FFFF */
    } else {
        return 0;
    }
    for (int k = 1; k < n; k++) {
        if ((size_t)k >= avail)
            return -1;
        unsigned char b = s[k];
        if (k == 1 ? b < lo || b > hi : (b & 0xC0) != 0x80)
            return 0;
    }
    return n;
}

long nl_utf8_invalid_at(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)text[i] < 0x80) {
            i++;
            continue;
        }
        int n = nl_utf8_char_len(text + i, len - i);
        if (n <= 0)
            return (long)i;
        i += (size_t)n;
    }
    return -1;
}

bool nl_parse_decimal(const char *s, bool decimal_comma, double *out)
{
    char buf[64];
    size_t n = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '+' || *s == '-')
        buf[n++] = *s++;
    size_t digits = 0;
    while (isdigit((unsigned char)*s) && n < sizeof buf - 2) {
        buf[n++] = *s++;
        digits++;
    }
    if (*s == '.' || (decimal_comma && *s == ',')) {
        buf[n++] = '.';
        s++;
        while (isdigit((unsigned char)*s) && n < sizeof buf - 1) {
            buf[n++] = *s++;
            digits++;
        }
    }
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '\0' || digits == 0)
        return false;
    buf[n] = '\0';
    errno = 0;
    char *end;
    double value = strtod(buf, &end);
    if (errno != 0 || *end != '\0')
        return false;
    *out = value == 0.0 ? 0.0 : value; /* "-0" is zero, not negative zero */
    return true;
}

void nl_free_strings(char **items, size_t count)
{
    if (items == NULL)
        return;
    for (size_t i = 0; i < count; i++)
        free(items[i]);
    free(items);
}

bool nl_split(const char *s, char sep, char ***items, size_t *count)
{
    char **list = NULL;
    size_t n = 0, cap = 0;
    const char *start = s;
    for (;;) {
        const char *end = strchr(start, sep);
        size_t len = end ? (size_t)(end - start) : strlen(start);
        char *item = nl_strndup(start, len);
        if (item == NULL)
            goto fail;
        char *trimmed = nl_trim(item);
        if (*trimmed != '\0') {
            memmove(item, trimmed, strlen(trimmed) + 1);
            if (!nl_grow((void **)&list, &cap, n + 1, sizeof *list)) {
                free(item);
                goto fail;
            }
            list[n++] = item;
        } else {
            free(item);
        }
        if (end == NULL)
            break;
        start = end + 1;
    }
    *items = list;
    *count = n;
    return true;
fail:
    nl_free_strings(list, n);
    return false;
}

void nl_column_name(long col, char buf[16])
{
    char rev[16];
    size_t n = 0;
    while (col > 0 && n < sizeof rev - 1) {
        col--;
        rev[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = rev[n - 1 - i];
    buf[n] = '\0';
}

const char *nl_invisible_name(unsigned long cp)
{
    switch (cp) {
    case 0x09:
        return "tab";
    case 0x1B:
        return "escape";
    case 0x0A:
        return "line break";
    case 0x0D:
        return "carriage return";
    case 0xA0:
        return "no-break space";
    case 0xAD:
        return "soft hyphen";
    case 0x200B:
        return "zero-width space";
    case 0x200C:
        return "zero-width non-joiner";
    case 0x200D:
        return "zero-width joiner";
    case 0x200E:
        return "left-to-right mark";
    case 0x200F:
        return "right-to-left mark";
    case 0x2028:
        return "line separator";
    case 0x2029:
        return "paragraph separator";
    case 0x202A:
        return "left-to-right embedding";
    case 0x202B:
        return "right-to-left embedding";
    case 0x202C:
        return "pop directional formatting";
    case 0x202D:
        return "left-to-right override";
    case 0x202E:
        return "right-to-left override";
    case 0x202F:
        return "narrow no-break space";
    case 0x2060:
        return "word joiner";
    case 0x2066:
        return "left-to-right isolate";
    case 0x2067:
        return "right-to-left isolate";
    case 0x2068:
        return "first strong isolate";
    case 0x2069:
        return "pop directional isolate";
    case 0x3000:
        return "ideographic space";
    case 0xFEFF:
        return "byte order mark";
    }
    return NULL;
}

/* Whether cp is invisible without a name of its own: controls, odd-width spaces, format marks. */
static bool invisible_unnamed(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x2000 && cp <= 0x200A) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2061 && cp <= 0x206F) || cp == 0x205F;
}

/* Decodes one UTF-8 sequence at s (of at most len bytes): its length, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned long *cp)
{
    int valid = nl_utf8_char_len((const char *)s, len);
    if (valid <= 0)
        return 0;
    size_t n = (size_t)valid;
    unsigned long c = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *cp = c;
    return n;
}

/* Writes the visible form of s into buf while it fits in size bytes less reserve; returns
 * whether all of it did (buf ends where the last whole piece did). */
static bool render_visible(const char *s, char *buf, size_t size, size_t reserve)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), out = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < len;) {
        unsigned long cp = 0;
        size_t n = utf8_decode(p + i, len - i, &cp);
        char piece[48];
        const char *name = n ? nl_invisible_name(cp) : NULL;
        if (n == 0)
            snprintf(piece, sizeof piece, "<byte 0x%02X>", p[i]);
        else if (name != NULL)
            snprintf(piece, sizeof piece, "<%s>", name);
        else if (invisible_unnamed(cp))
            snprintf(piece, sizeof piece, "<U+%04lX>", cp);
        else {
            memcpy(piece, p + i, n);
            piece[n] = '\0';
        }
        size_t piece_len = strlen(piece);
        if (out + piece_len + reserve > size)
            return false;
        memcpy(buf + out, piece, piece_len + 1);
        out += piece_len;
        i += n ? n : 1;
    }
    return true;
}

const char *nl_visible(const char *s, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (!render_visible(s, buf, size, 1) && size >= 4) {
        /* Cut short: end on a whole piece, with room for the dots. */
        render_visible(s, buf, size, 4);
        strcat(buf, "...");
    }
    return buf;
}
