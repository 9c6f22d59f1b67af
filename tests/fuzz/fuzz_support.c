#include "fuzz_support.h"

#include "nextlevel/cli.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <minizip/unzip.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fz_fail(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fputs("\nFUZZ CHECK FAILED: ", stderr);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    abort();
}

size_t fz_split(const uint8_t *data, size_t size, fz_part *parts, size_t max)
{
    const size_t seplen = sizeof FZ_SEPARATOR - 1;
    size_t count = 0, start = 0;
    for (size_t i = 0; count + 1 < max && i + seplen <= size; i++) {
        if (memcmp(data + i, FZ_SEPARATOR, seplen) != 0)
            continue;
        parts[count++] = (fz_part){data + start, i - start};
        start = i + seplen;
        i = start - 1;
    }
    parts[count++] = (fz_part){data + start, size - start};
    return count;
}

static char scratch[256];
static void clear_at(const char *dir, bool remove_self);

static void remove_scratch(void)
{
    if (scratch[0] != '\0') {
        fz_clear(scratch);
        rmdir(scratch);
    }
}

/* A run that found something ends in abort(), before atexit: the next run removes the folders
 * of targets whose process is gone ("nextlevel-fuzz-TARGET-PID-XXXXXX"). */
static void remove_stale(const char *base, const char *target)
{
    DIR *d = opendir(base);
    if (d == NULL)
        return;
    char prefix[64];
    int plen = snprintf(prefix, sizeof prefix, "nextlevel-fuzz-%s-", target);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, (size_t)plen) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (pid <= 0 || *end != '-' || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", base, e->d_name);
        clear_at(path, true);
    }
    closedir(d);
}

const char *fz_scratch(const char *target)
{
    if (scratch[0] != '\0')
        return scratch;
    struct stat st;
    const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : NULL;
    if (base == NULL)
        base = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    remove_stale(base, target);
    snprintf(scratch, sizeof scratch, "%s/nextlevel-fuzz-%s-%ld-XXXXXX", base, target,
             (long)getpid());
    if (mkdtemp(scratch) == NULL)
        fz_fail("cannot make the scratch folder %s: %s", scratch, strerror(errno));
    atexit(remove_scratch);
    return scratch;
}

static void clear_at(const char *dir, bool remove_self)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        fz_fail("cannot open %s: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            fz_fail("cannot stat %s: %s", path, strerror(errno));
        if (S_ISDIR(st.st_mode))
            clear_at(path, true);
        else if (unlink(path) != 0)
            fz_fail("cannot remove %s: %s", path, strerror(errno));
    }
    closedir(d);
    if (remove_self && rmdir(dir) != 0)
        fz_fail("cannot remove %s: %s", dir, strerror(errno));
}

void fz_clear(const char *dir)
{
    clear_at(dir, false);
}

void fz_write(const char *dir, const char *name, const void *data, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        fz_fail("cannot write %s: %s", path, strerror(errno));
}

bool fz_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

void fz_check_terminal(const char *text, size_t len, const char *what)
{
    const uint8_t *s = (const uint8_t *)text;
    if (!fz_utf8_valid(s, len))
        fz_fail("%s is not valid UTF-8", what);
    for (size_t i = 0; i < len; i++) {
        bool bad = (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') || s[i] == 0x7F ||
                   (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) ||
                   (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 && s[i + 2] >= 0xAA &&
                    s[i + 2] <= 0xAE) ||
                   (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x81 && s[i + 2] >= 0xA6 &&
                    s[i + 2] <= 0xA9);
        if (bad)
            fz_fail("%s holds a character a terminal would act on (byte %zu: 0x%02X): %.*s", what,
                    i, s[i], (int)(len - i < 80 ? len - i : 80), text + i);
    }
}

int fz_run_cli(int argc, char **argv)
{
    char *out_text = NULL, *err_text = NULL;
    size_t out_len = 0, err_len = 0;
    FILE *out = open_memstream(&out_text, &out_len);
    FILE *err = open_memstream(&err_text, &err_len);
    if (out == NULL || err == NULL)
        fz_fail("cannot capture the command line's output");
    int code = nl_cli_run(argc, argv, out, err);
    fclose(out);
    fclose(err);
    if (getenv("NL_FUZZ_VERBOSE") != NULL)
        fprintf(stderr, "%s%sexit %d\n", out_text, err_text, code);
    fz_check_terminal(out_text, out_len, "the command line's standard output");
    fz_check_terminal(err_text, err_len, "the command line's standard error");
    free(out_text);
    free(err_text);
    return code;
}

/* The whole file, NUL-terminated (for the messages); aborts when it cannot be read. */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fz_fail("cannot open the output %s: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            uint8_t *grown = realloc(buf, cap *= 2);
            if (grown == NULL)
                free(buf);
            buf = grown;
        }
    }
    fclose(f);
    if (buf == NULL)
        fz_fail("out of memory reading %s", path);
    buf[len] = '\0';
    *size = len;
    return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Reads the current member of the zip whole; aborts on a bad member (CRC, size). */
static uint8_t *read_member(unzFile zip, const char *path, const char *name, size_t size)
{
    uint8_t *buf = malloc(size + 1);
    if (buf == NULL)
        fz_fail("out of memory reading %s in %s", name, path);
    if (unzOpenCurrentFile(zip) != UNZ_OK)
        fz_fail("%s: member %s cannot be opened", path, name);
    size_t len = 0;
    int got;
    while (len < size && (got = unzReadCurrentFile(zip, buf + len, (unsigned)(size - len))) > 0)
        len += (size_t)got;
    char extra;
    got = unzReadCurrentFile(zip, &extra, 1);
    if (len != size || got != 0)
        fz_fail("%s: member %s holds %zu bytes (or more), not the %zu its header says", path, name,
                len, size);
    if (unzCloseCurrentFile(zip) != UNZ_OK)
        fz_fail("%s: member %s fails its CRC check", path, name);
    buf[len] = '\0';
    return buf;
}

void fz_check_xlsx(const char *path)
{
    unzFile zip = unzOpen64(path);
    if (zip == NULL)
        fz_fail("%s is not a zip file", path);
    bool content_types = false, workbook = false;
    size_t members = 0;
    for (int more = unzGoToFirstFile(zip); more == UNZ_OK; more = unzGoToNextFile(zip)) {
        unz_file_info64 info;
        char name[512];
        if (unzGetCurrentFileInfo64(zip, &info, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK)
            fz_fail("%s: member %zu has no readable header", path, members);
        members++;
        if (info.uncompressed_size > (1u << 30))
            fz_fail("%s: member %s claims %llu bytes", path, name,
                    (unsigned long long)info.uncompressed_size);
        uint8_t *data = read_member(zip, path, name, (size_t)info.uncompressed_size);
        content_types |= strcmp(name, "[Content_Types].xml") == 0;
        workbook |= strcmp(name, "xl/workbook.xml") == 0;
        if (ends_with(name, ".xml") || ends_with(name, ".rels")) {
            if (!fz_utf8_valid(data, (size_t)info.uncompressed_size))
                fz_fail("%s: XML part %s is not valid UTF-8", path, name);
            xmlResetLastError();
            xmlDocPtr doc = xmlReadMemory(
                (const char *)data, (int)info.uncompressed_size, name, NULL,
                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
            if (doc == NULL) {
                const xmlError *e = xmlGetLastError();
                fz_fail("%s: XML part %s is not well-formed: line %d: %s", path, name,
                        e ? e->line : 0, e && e->message ? e->message : "(no message)");
            }
            xmlFreeDoc(doc);
        }
        free(data);
    }
    unzClose(zip);
    if (!content_types || !workbook)
        fz_fail("%s: no [Content_Types].xml or xl/workbook.xml among its %zu members", path,
                members);
}

void fz_check_json(const char *path)
{
    size_t size;
    uint8_t *data = slurp(path, &size);
    if (!fz_utf8_valid(data, size))
        fz_fail("%s is not valid UTF-8", path);
    json_error_t error;
    json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &error);
    if (root == NULL)
        fz_fail("%s is not valid JSON: line %d, column %d: %s", path, error.line, error.column,
                error.text);
    if (!json_is_object(root))
        fz_fail("%s: the document is not an object", path);
    json_decref(root);
    free(data);
}

/* Why data is not RFC 4180 CSV with separator sep (into why), or false when it is. A field is
 * quoted ("" for a quote inside) or holds no quote, CR or LF; records end in LF or CR LF, the
 * last one too; every record has the header's number of fields; no NUL byte anywhere. */
static bool csv_problem(const uint8_t *data, size_t size, char sep, char *why, size_t room)
{
    size_t i = 0;
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    size_t record = 1, fields = 1, expected = 0;
    while (i < size) {
        if (data[i] == '"') {
            for (i++;; i++) {
                if (i >= size) {
                    snprintf(why, room, "record %zu: a quoted field never ends", record);
                    return true;
                }
                if (data[i] == '\0') {
                    snprintf(why, room, "record %zu holds a NUL byte", record);
                    return true;
                }
                if (data[i] == '"') {
                    if (i + 1 < size && data[i + 1] == '"')
                        i++;
                    else
                        break;
                }
            }
            i++;
            if (i < size && data[i] != sep && data[i] != '\n' && data[i] != '\r') {
                snprintf(why, room, "record %zu: text after a field's closing quote", record);
                return true;
            }
        } else {
            while (i < size && data[i] != sep && data[i] != '\n' && data[i] != '\r') {
                if (data[i] == '"' || data[i] == '\0') {
                    snprintf(why, room, "record %zu: a %s inside an unquoted field", record,
                             data[i] ? "quote" : "NUL byte");
                    return true;
                }
                i++;
            }
        }
        if (i >= size) {
            snprintf(why, room, "the last record (%zu) has no line end", record);
            return true;
        }
        if (data[i] == sep) {
            fields++;
            i++;
            continue;
        }
        if (data[i] == '\r' && (i + 1 >= size || data[i + 1] != '\n')) {
            snprintf(why, room, "record %zu: a CR without LF", record);
            return true;
        }
        i += data[i] == '\r' ? 2 : 1;
        if (expected == 0) {
            expected = fields;
        } else if (fields != expected) {
            snprintf(why, room, "record %zu has %zu fields, the header %zu", record, fields,
                     expected);
            return true;
        }
        record++;
        fields = 1;
    }
    return false;
}

void fz_check_csv(const char *path, char sep)
{
    size_t size;
    uint8_t *data = slurp(path, &size);
    if (!fz_utf8_valid(data, size))
        fz_fail("%s is not valid UTF-8", path);
    char why[256], other[256];
    if (csv_problem(data, size, sep ? sep : ',', why, sizeof why) &&
        (sep != 0 || csv_problem(data, size, ';', other, sizeof other)))
        fz_fail("%s is not RFC 4180 CSV (separator '%c'): %s", path, sep ? sep : ',', why);
    free(data);
}

static size_t check_at(const char *dir, char sep)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        fz_fail("cannot open %s: %s", dir, strerror(errno));
    size_t checked = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            fz_fail("cannot stat %s: %s", path, strerror(errno));
        if (strstr(e->d_name, ".tmp-") != NULL)
            fz_fail("a temporary file was left behind: %s", path);
        if (S_ISDIR(st.st_mode)) {
            checked += check_at(path, sep);
            continue;
        }
        if (ends_with(e->d_name, ".xlsx"))
            fz_check_xlsx(path);
        else if (ends_with(e->d_name, ".csv"))
            fz_check_csv(path, sep);
        else if (ends_with(e->d_name, ".json"))
            fz_check_json(path);
        else
            continue;
        checked++;
    }
    closedir(d);
    return checked;
}

void fz_check_by_content(const char *path)
{
    size_t size;
    uint8_t *data = slurp(path, &size);
    size_t start = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
        fz_check_xlsx(path);
    else if (size > start && data[start] == '{')
        fz_check_json(path);
    else
        fz_check_csv(path, 0);
    free(data);
}

size_t fz_check_tree(const char *dir, char sep)
{
    return check_at(dir, sep);
}
