/* madvise is Linux's (and BSD's), not POSIX: posix_madvise's DONTNEED does nothing in glibc. */
#define _DEFAULT_SOURCE
#include "nextlevel/diff.h"

#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <jansson.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static nl_status load(const char *path, json_t **root, json_t **people, nl_error *err)
{
    json_error_t error;
    *root = json_load_file(path, 0, &error);
    if (*root == NULL) {
        FILE *probe = fopen(path, "rb");
        if (probe == NULL) {
            int saved = errno;
            return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), path, 0, 0,
                                "cannot open the results file: %s", strerror(saved));
        }
        fclose(probe);
        return nl_error_set(err, NL_ERR_INPUT, path, error.line, error.column, "not valid JSON: %s",
                            error.text);
    }
    *people = json_object_get(*root, "people");
    if (!json_is_array(*people)) {
        json_decref(*root);
        return nl_error_set(err, NL_ERR_INPUT, path, 0, 0,
                            "no \"people\" list: is this the output of nextlevel evaluate "
                            "--format json?");
    }
    return NL_OK;
}

static const char *text_of(json_t *object, const char *key)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s ? s : "";
}

static double number_of(json_t *object, const char *key)
{
    json_t *v = json_object_get(object, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The element of array whose member key is the string value, or NULL. */
static json_t *find_by(json_t *array, const char *key, const char *value)
{
    size_t i;
    json_t *element;
    json_array_foreach(array, i, element)
    {
        if (strcmp(text_of(element, key), value) == 0)
            return element;
    }
    return NULL;
}

/* Person id -> index of the first person with that id in the people array: matching each
 * person by a search of the other file made 20,000 people take minutes. The map borrows the
 * ids, which live as long as the JSON. Returns NULL when out of memory. */
static nl_strmap *index_people(json_t *people)
{
    nl_strmap *map = nl_strmap_new_borrowing();
    size_t i;
    json_t *person;
    json_array_foreach(people, i, person)
    {
        if (map == NULL)
            break;
        const char *id = text_of(person, "id");
        if (!nl_strmap_get(map, id, NULL) && !nl_strmap_put(map, id, i)) {
            nl_strmap_free(map);
            map = NULL;
        }
    }
    return map;
}

static json_t *find_person(json_t *people, const nl_strmap *index, const char *id)
{
    size_t i;
    return nl_strmap_get(index, id, &i) ? json_array_get(people, i) : NULL;
}

/* ---- reading a result file one person at a time ----
 * A result file of 100,000 people is over a gigabyte of JSON, and jansson's tree of it about
 * five. The files are mapped instead and each person's entry is checked by a scanner that
 * keeps only what the diff prints of everyone (id, name, team, outcome); jansson parses the
 * entries of the people whose outcome changed, whose reasons the diff explains. The scanner
 * accepts a subset of what jansson accepts: anything else it does not expect (a file that is
 * not regular, escapes in a member name, a number jansson might refuse, an error) sends the
 * run back to reading both files whole, which also words every error as before. Pages
 * already read are given back as the scan goes, so memory stays that of the people kept. */

/* A regular file mapped for reading from offset on; moved forward as the scan goes. */
typedef struct mapped_file {
    int fd;
    size_t size;   /* of the file */
    size_t offset; /* of bytes[0] in the file, a multiple of the page size */
    const char *bytes;
} mapped_file;

typedef struct json_scan {
    mapped_file *file;
    const char *p, *end;
} json_scan;

/* How much of a file is read between two moves of its mapping. */
#define MAP_STEP ((size_t)8 << 20)

/* Maps the file again from the page of s->p, giving back the pages read: a file of gigabytes
 * then costs a few megabytes (advice to drop the pages left them counted on this kernel).
 * Only between two people, where nothing points into the old mapping but s->p. */
static bool move_mapping(json_scan *s)
{
    mapped_file *m = s->file;
    size_t at = m->offset + (size_t)(s->p - m->bytes);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t offset = at / page * page;
    if (offset - m->offset < MAP_STEP)
        return true;
    munmap((void *)m->bytes, m->size - m->offset);
    void *bytes = mmap(NULL, m->size - offset, PROT_READ, MAP_PRIVATE, m->fd, (off_t)offset);
    if (bytes == MAP_FAILED) {
        m->bytes = NULL;
        return false;
    }
    m->bytes = bytes;
    m->offset = offset;
    s->p = m->bytes + (at - offset);
    s->end = m->bytes + (m->size - offset);
    return true;
}

static void skip_space(json_scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string at s->p: its bytes between the quotes in *text, *len; *escaped when it holds a
 * backslash. Only what jansson accepts: valid UTF-8, no control character; escapes \u0000
 * and surrogates (which jansson pairs or refuses) are left to the whole-file reader. */
static bool scan_string(json_scan *s, const char **text, size_t *len, bool *escaped)
{
    const char *p = s->p + 1, *end = s->end;
    *escaped = false;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            *text = s->p + 1;
            *len = (size_t)(p - *text);
            s->p = p + 1;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            *escaped = true;
            if (end - p < 2)
                return false;
            char e = p[1];
            if (e == 'u') {
                if (end - p < 6 || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]) || !is_hex(p[5]))
                    return false;
                unsigned long code = strtoul((char[]){p[2], p[3], p[4], p[5], '\0'}, NULL, 16);
                if (code == 0 || (code >= 0xD800 && code <= 0xDFFF))
                    return false;
                p += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                       e == 'r' || e == 't') {
                p += 2;
            } else {
                return false;
            }
        } else if (c < 0x80) {
            p++;
        } else {
            int n = nl_utf8_char_len(p, (size_t)(end - p));
            if (n <= 0)
                return false;
            p += n;
        }
    }
    return false;
}

/* A number jansson reads too: integers of at most 18 digits (no overflow), reals that cannot
 * overflow to infinity; others go to the whole-file reader. */
static bool scan_number(json_scan *s)
{
    const char *p = s->p, *end = s->end;
    if (p < end && *p == '-')
        p++;
    const char *digits = p;
    if (p < end && *p == '0')
        p++;
    else
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    if (p == digits)
        return false;
    const char *integer_end = p;
    bool real = false;
    if (p < end && *p == '.') {
        real = true;
        const char *fraction = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == fraction)
            return false;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = true;
        p++;
        bool negative = p < end && *p == '-';
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        long exponent = 0;
        const char *exponent_digits = p;
        while (p < end && *p >= '0' && *p <= '9' && exponent < 100000)
            exponent = exponent * 10 + (*p++ - '0');
        if (p == exponent_digits || (p < end && *p >= '0' && *p <= '9'))
            return false;
        /* jansson refuses only an overflow to infinity; underflow reads as 0 or tiny. */
        if (!negative && (integer_end - digits) + exponent > 300)
            return false;
    }
    if (!real && p - digits > 18)
        return false;
    s->p = p;
    return true;
}

static bool scan_word(json_scan *s, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return false;
    s->p += n;
    return true;
}

/* jansson counts depth from the top of the file: stay well within its limit. */
#define MAX_DEPTH 1000

static bool scan_value(json_scan *s, int depth);

/* Just past '{' or '[': true (and past it) when close follows at once. */
static bool closes_at_once(json_scan *s, char close)
{
    skip_space(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return true;
    }
    return false;
}

/* After a member or an element: true at ',' with *more, true at close without; false else. */
static bool item_end(json_scan *s, char close, bool *more)
{
    skip_space(s);
    if (s->p >= s->end)
        return false;
    char c = *s->p++;
    *more = c == ',';
    return c == ',' || c == close;
}

/* Calls on_member for each member of the object at s->p (its name, unescaped, and with s->p
 * at its value, which on_member must scan); on_member NULL scans the values. */
typedef bool (*member_fn)(json_scan *s, const char *name, size_t len, int depth, void *data);

static bool scan_object(json_scan *s, int depth, member_fn on_member, void *data)
{
    if (depth > MAX_DEPTH)
        return false;
    s->p++; /* '{' */
    if (closes_at_once(s, '}'))
        return true;
    for (bool more = true; more;) {
        skip_space(s);
        const char *name;
        size_t len;
        bool escaped;
        if (s->p >= s->end || *s->p != '"' || !scan_string(s, &name, &len, &escaped) || escaped)
            return false;
        skip_space(s);
        if (s->p >= s->end || *s->p != ':')
            return false;
        s->p++;
        skip_space(s);
        if (!(on_member ? on_member(s, name, len, depth, data) : scan_value(s, depth + 1)) ||
            !item_end(s, '}', &more))
            return false;
    }
    return true;
}

/* Scans the array at s->p, each element through on_element (scan_value when NULL). */
typedef bool (*element_fn)(json_scan *s, int depth, void *data);

static bool scan_array(json_scan *s, int depth, element_fn on_element, void *data)
{
    if (depth > MAX_DEPTH)
        return false;
    s->p++; /* '[' */
    if (closes_at_once(s, ']'))
        return true;
    for (bool more = true; more;) {
        skip_space(s);
        if (s->p >= s->end ||
            !(on_element ? on_element(s, depth + 1, data) : scan_value(s, depth + 1)) ||
            !item_end(s, ']', &more))
            return false;
    }
    return true;
}

static bool scan_value(json_scan *s, int depth)
{
    if (s->p >= s->end)
        return false;
    const char *text;
    size_t len;
    bool escaped;
    switch (*s->p) {
    case '{':
        return scan_object(s, depth, NULL, NULL);
    case '[':
        return scan_array(s, depth, NULL, NULL);
    case '"':
        return scan_string(s, &text, &len, &escaped);
    case 't':
        return scan_word(s, "true");
    case 'f':
        return scan_word(s, "false");
    case 'n':
        return scan_word(s, "null");
    default:
        return scan_number(s);
    }
}

/* What the diff prints of a person, as jansson's text_of would give it: the last member of
 * that name wins (as in jansson's object), and one that is not a string reads "". */
enum { FIELD_ID, FIELD_NAME, FIELD_TEAM, FIELD_OUTCOME, FIELD_COUNT };
static const char *const field_names[FIELD_COUNT] = {"id", "name", "team", "outcome"};

typedef struct person_fields {
    const char *text[FIELD_COUNT]; /* NULL: absent or not a string */
    size_t len[FIELD_COUNT];
    bool escaped[FIELD_COUNT];
} person_fields;

static bool take_member(json_scan *s, const char *name, size_t len, int depth, void *data)
{
    person_fields *f = data;
    for (int k = 0; k < FIELD_COUNT; k++) {
        if (len == strlen(field_names[k]) && memcmp(name, field_names[k], len) == 0) {
            f->text[k] = NULL;
            if (*s->p == '"')
                return scan_string(s, &f->text[k], &f->len[k], &f->escaped[k]);
            return scan_value(s, depth + 1);
        }
    }
    return scan_value(s, depth + 1);
}

/* A field's text as a string of its own ("" when absent); NULL when out of memory. */
static char *field_text(const person_fields *f, int k)
{
    if (f->text[k] == NULL)
        return nl_strdup("");
    if (!f->escaped[k])
        return nl_strndup(f->text[k], f->len[k]);
    json_error_t error;
    json_t *value = json_loadb(f->text[k] - 1, f->len[k] + 2, JSON_DECODE_ANY, &error);
    char *text = json_is_string(value) ? nl_strdup(json_string_value(value)) : NULL;
    json_decref(value);
    return text;
}

typedef struct scanned_person {
    char *field[FIELD_COUNT];
    const char *entry; /* the person's bytes, while on_person runs */
    size_t length;
    size_t offset; /* of entry in the file */
} scanned_person;

typedef bool (*person_fn)(const scanned_person *person, void *data);

typedef struct people_reader {
    person_fn on_person;
    void *data;
    bool seen_people;
} people_reader;

static bool scan_person(json_scan *s, int depth, void *data)
{
    people_reader *reader = data;
    if (*s->p != '{')
        return false;
    const char *entry = s->p;
    person_fields fields = {0};
    if (!scan_object(s, depth, take_member, &fields))
        return false;
    scanned_person person = {.entry = entry,
                             .length = (size_t)(s->p - entry),
                             .offset = s->file->offset + (size_t)(entry - s->file->bytes)};
    bool ok = true;
    for (int k = 0; k < FIELD_COUNT; k++)
        ok = ok && (person.field[k] = field_text(&fields, k)) != NULL;
    ok = ok && reader->on_person(&person, reader->data);
    for (int k = 0; k < FIELD_COUNT; k++)
        free(person.field[k]);
    return ok && move_mapping(s);
}

static bool take_top_member(json_scan *s, const char *name, size_t len, int depth, void *data)
{
    people_reader *reader = data;
    if (len != strlen("people") || memcmp(name, "people", len) != 0)
        return scan_value(s, depth + 1);
    /* A second "people" replaces the first in jansson's object: read whole instead. */
    if (reader->seen_people || *s->p != '[')
        return false;
    reader->seen_people = true;
    return scan_array(s, depth + 1, scan_person, reader);
}

/* Maps a regular file for reading; false when it cannot be (empty, not regular, no room). */
static bool map_file(const char *path, mapped_file *m)
{
    *m = (mapped_file){.fd = open(path, O_RDONLY | O_CLOEXEC)};
    if (m->fd < 0)
        return false;
    struct stat info;
    if (fstat(m->fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0 &&
        (uintmax_t)info.st_size <= SIZE_MAX) {
        void *bytes = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_PRIVATE, m->fd, 0);
        if (bytes != MAP_FAILED) {
            m->bytes = bytes;
            m->size = (size_t)info.st_size;
            return true;
        }
    }
    close(m->fd);
    m->fd = -1;
    return false;
}

static void unmap_file(mapped_file *m)
{
    if (m->bytes != NULL)
        munmap((void *)m->bytes, m->size - m->offset);
    if (m->fd >= 0)
        close(m->fd);
    *m = (mapped_file){.fd = -1};
}

/* Reads a whole result file, calling on_person for each element of "people". Returns false
 * for anything unexpected (the caller then reads the file whole). */
static bool read_people(mapped_file *m, person_fn on_person, void *data)
{
    json_scan s = {.file = m, .p = m->bytes, .end = m->bytes + m->size};
    people_reader reader = {.on_person = on_person, .data = data};
    skip_space(&s);
    if (s.p >= s.end || *s.p != '{' || !scan_object(&s, 1, take_top_member, &reader))
        return false;
    skip_space(&s);
    return reader.seen_people && s.p == s.end;
}

static json_t *deciding_track(json_t *person)
{
    return find_by(json_object_get(person, "tracks"), "next_level", text_of(person, "next_level"));
}

static json_t *find_gate(json_t *track, const char *id)
{
    return find_by(json_object_get(track, "gates"), "id", id);
}

/* Explains an outcome change: level and next level, every gate that flipped, the score. */
static void explain(FILE *out, json_t *before, json_t *after)
{
    if (strcmp(text_of(before, "level"), text_of(after, "level")) != 0)
        fprintf(out, "  level %s -> %s\n", text_of(before, "level"), text_of(after, "level"));
    if (strcmp(text_of(before, "next_level"), text_of(after, "next_level")) != 0)
        fprintf(out, "  evaluated against %s, was %s\n", text_of(after, "next_level"),
                text_of(before, "next_level"));
    json_t *old_track = deciding_track(before), *new_track = deciding_track(after);
    size_t i;
    json_t *gate;
    json_array_foreach(json_object_get(new_track, "gates"), i, gate)
    {
        json_t *old_gate = find_gate(old_track, text_of(gate, "id"));
        const char *now = text_of(gate, "status");
        const char *then = old_gate ? text_of(old_gate, "status") : "absent";
        if (strcmp(now, then) == 0)
            continue;
        fprintf(out, "  gate %s (%s): %s -> %s: %s\n", text_of(gate, "id"),
                text_of(gate, "severity"), then, now, text_of(gate, "reason"));
        if (old_gate != NULL)
            fprintf(out, "    was: %s\n", text_of(old_gate, "reason"));
    }
    double r0 = number_of(before, "readiness_score"), r1 = number_of(after, "readiness_score");
    if (!isnan(r0) && !isnan(r1))
        fprintf(out, "  readiness score %.1f -> %.1f (%+.1f)\n", r0, r1, r1 - r0);
}

/* ---- the diff, one person at a time ---- */

/* What the old file's people are remembered by: enough for "left", and where the rest is. */
typedef struct old_person {
    char *field[FIELD_COUNT];
    size_t offset, length; /* of the entry in the old file */
} old_person;

typedef struct streaming {
    old_person *old;
    size_t old_count, old_cap;
    nl_strmap *old_index; /* id -> first old person with it (borrows their ids) */
    nl_strmap *new_ids;   /* every id of the new file */
    int old_fd;           /* to read a changed person's old entry again */
    char *old_entry;      /* that entry */
    size_t old_entry_cap;
    FILE *text; /* the report, held until both files are read whole */
    nl_diff_counts counts;
} streaming;

static bool remember_old(const scanned_person *person, void *data)
{
    streaming *st = data;
    if (!nl_grow((void **)&st->old, &st->old_cap, st->old_count + 1, sizeof *st->old))
        return false;
    old_person *p = &st->old[st->old_count];
    *p = (old_person){.offset = person->offset, .length = person->length};
    st->old_count++;
    for (int k = 0; k < FIELD_COUNT; k++)
        if ((p->field[k] = nl_strdup(person->field[k])) == NULL)
            return false;
    const char *id = p->field[FIELD_ID];
    return nl_strmap_get(st->old_index, id, NULL) ||
           nl_strmap_put(st->old_index, id, st->old_count - 1);
}

static json_t *parse_entry(const char *entry, size_t length)
{
    json_error_t error;
    return json_loadb(entry, length, 0, &error);
}

static bool compare_new(const scanned_person *after, void *data)
{
    streaming *st = data;
    const char *id = after->field[FIELD_ID], *name = after->field[FIELD_NAME],
               *team = after->field[FIELD_TEAM], *outcome = after->field[FIELD_OUTCOME];
    if (!nl_strmap_get(st->new_ids, id, NULL) && !nl_strmap_put(st->new_ids, id, 0))
        return false;
    size_t i;
    if (!nl_strmap_get(st->old_index, id, &i)) {
        fprintf(st->text, "%s %s (%s): new, %s\n", id, name, team, outcome);
        st->counts.added++;
        return true;
    }
    const old_person *p = &st->old[i];
    if (strcmp(p->field[FIELD_OUTCOME], outcome) == 0) {
        st->counts.unchanged++;
        return true;
    }
    bool read = nl_grow((void **)&st->old_entry, &st->old_entry_cap, p->length + 1, 1) &&
                pread(st->old_fd, st->old_entry, p->length, (off_t)p->offset) == (ssize_t)p->length;
    json_t *before = read ? parse_entry(st->old_entry, p->length) : NULL,
           *now = parse_entry(after->entry, after->length);
    bool ok = before != NULL && now != NULL;
    if (ok) {
        st->counts.changed++;
        fprintf(st->text, "%s %s (%s): %s -> %s\n", id, name, team, p->field[FIELD_OUTCOME],
                outcome);
        explain(st->text, before, now);
    }
    json_decref(before);
    json_decref(now);
    return ok;
}

/* Copies the held report to out, up to the first failed write. */
static void copy_text(FILE *text, FILE *out)
{
    char buf[65536];
    size_t got;
    rewind(text);
    while ((got = fread(buf, 1, sizeof buf, text)) > 0 && fwrite(buf, 1, got, out) == got)
        ;
}

/* Diffs two regular files one person at a time. Returns false, having written nothing, when
 * the files must be read whole instead. */
static bool diff_streaming(const char *old_path, const char *new_path, FILE *out,
                           nl_diff_counts *counts)
{
    mapped_file old_file, new_file;
    if (!map_file(old_path, &old_file))
        return false;
    if (!map_file(new_path, &new_file)) {
        unmap_file(&old_file);
        return false;
    }
    streaming st = {.old_index = nl_strmap_new_borrowing(), .new_ids = nl_strmap_new()};
    st.old_fd = old_file.fd;
    st.text = tmpfile();
    bool ok = st.old_index != NULL && st.new_ids != NULL && st.text != NULL &&
              read_people(&old_file, remember_old, &st) && read_people(&new_file, compare_new, &st);
    for (size_t i = 0; ok && i < st.old_count; i++) {
        const old_person *p = &st.old[i];
        if (!nl_strmap_get(st.new_ids, p->field[FIELD_ID], NULL)) {
            fprintf(st.text, "%s %s (%s): left, was %s\n", p->field[FIELD_ID], p->field[FIELD_NAME],
                    p->field[FIELD_TEAM], p->field[FIELD_OUTCOME]);
            st.counts.left++;
        }
    }
    if (ok) {
        fprintf(st.text, "%zu changed outcome, %zu unchanged, %zu new, %zu left\n",
                st.counts.changed, st.counts.unchanged, st.counts.added, st.counts.left);
        ok = !ferror(st.text);
        /* A failed write shows on out, which the caller checks: not a reason to read again. */
        if (ok)
            copy_text(st.text, out);
        *counts = st.counts;
    }
    for (size_t i = 0; i < st.old_count; i++)
        for (int k = 0; k < FIELD_COUNT; k++)
            free(st.old[i].field[k]);
    free(st.old);
    free(st.old_entry);
    nl_strmap_free(st.old_index);
    nl_strmap_free(st.new_ids);
    if (st.text != NULL)
        fclose(st.text);
    unmap_file(&old_file);
    unmap_file(&new_file);
    return ok;
}

nl_status nl_diff_results(const char *old_path, const char *new_path, FILE *out,
                          nl_diff_counts *counts, nl_error *err)
{
    if (diff_streaming(old_path, new_path, out, counts))
        return NL_OK;
    json_t *old_root, *new_root, *old_people, *new_people;
    nl_status status = load(old_path, &old_root, &old_people, err);
    if (status != NL_OK)
        return status;
    status = load(new_path, &new_root, &new_people, err);
    if (status != NL_OK) {
        json_decref(old_root);
        return status;
    }
    nl_strmap *old_index = index_people(old_people), *new_index = index_people(new_people);
    if (old_index == NULL || new_index == NULL) {
        nl_strmap_free(old_index);
        nl_strmap_free(new_index);
        json_decref(old_root);
        json_decref(new_root);
        return nl_error_set(err, NL_ERR_NOMEM, new_path, 0, 0, "out of memory");
    }
    *counts = (nl_diff_counts){0};
    size_t i;
    json_t *after;
    json_array_foreach(new_people, i, after)
    {
        const char *id = text_of(after, "id");
        json_t *before = find_person(old_people, old_index, id);
        if (before == NULL) {
            fprintf(out, "%s %s (%s): new, %s\n", id, text_of(after, "name"),
                    text_of(after, "team"), text_of(after, "outcome"));
            counts->added++;
            continue;
        }
        if (strcmp(text_of(before, "outcome"), text_of(after, "outcome")) == 0) {
            counts->unchanged++;
            continue;
        }
        counts->changed++;
        fprintf(out, "%s %s (%s): %s -> %s\n", id, text_of(after, "name"), text_of(after, "team"),
                text_of(before, "outcome"), text_of(after, "outcome"));
        explain(out, before, after);
    }
    json_t *before;
    json_array_foreach(old_people, i, before)
    {
        if (find_person(new_people, new_index, text_of(before, "id")) == NULL) {
            fprintf(out, "%s %s (%s): left, was %s\n", text_of(before, "id"),
                    text_of(before, "name"), text_of(before, "team"), text_of(before, "outcome"));
            counts->left++;
        }
    }
    fprintf(out, "%zu changed outcome, %zu unchanged, %zu new, %zu left\n", counts->changed,
            counts->unchanged, counts->added, counts->left);
    nl_strmap_free(old_index);
    nl_strmap_free(new_index);
    json_decref(old_root);
    json_decref(new_root);
    return NL_OK;
}
