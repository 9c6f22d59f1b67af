#include "nextlevel/diff.h"

#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

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
 * five: the people are read one at a time instead, each parsed by jansson from its own bytes,
 * and a changed person's earlier entry is read again from the old file by its offset. Anything
 * this reader does not expect (a file that cannot be read twice, JSON it finds odd, an error)
 * sends the run back to reading both files whole, which also words every error as before. */

typedef struct span_reader {
    FILE *file;
    char buf[65536];
    size_t pos, len;
    off_t offset; /* of buf[0] in the file */
    char *span;   /* the bytes of the value read last */
    size_t span_len, span_cap;
} span_reader;

static int peek_byte(span_reader *r)
{
    if (r->pos == r->len) {
        r->offset += (off_t)r->len;
        r->len = fread(r->buf, 1, sizeof r->buf, r->file);
        r->pos = 0;
        if (r->len == 0)
            return EOF;
    }
    return (unsigned char)r->buf[r->pos];
}

static int next_byte(span_reader *r)
{
    int c = peek_byte(r);
    if (c != EOF)
        r->pos++;
    return c;
}

static void skip_space(span_reader *r)
{
    int c;
    while ((c = peek_byte(r)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        r->pos++;
}

static bool keep_byte(span_reader *r, int c)
{
    if (!nl_grow((void **)&r->span, &r->span_cap, r->span_len + 1, 1))
        return false;
    r->span[r->span_len++] = (char)c;
    return true;
}

/* Collects the bytes of one JSON value (not checked: jansson parses them) into r->span. */
static bool scan_value(span_reader *r)
{
    r->span_len = 0;
    int c = peek_byte(r);
    if (c != '{' && c != '[' && c != '"') {
        while ((c = peek_byte(r)) != EOF && c != ',' && c != ']' && c != '}' && c != ' ' &&
               c != '\t' && c != '\n' && c != '\r') {
            if (!keep_byte(r, next_byte(r)))
                return false;
        }
        return r->span_len > 0;
    }
    long depth = 0;
    do {
        c = next_byte(r);
        if (c == EOF || !keep_byte(r, c))
            return false;
        if (c == '"') {
            while ((c = next_byte(r)) != '"') {
                if (c == EOF || !keep_byte(r, c))
                    return false;
                if (c == '\\' && ((c = next_byte(r)) == EOF || !keep_byte(r, c)))
                    return false;
            }
            if (!keep_byte(r, c))
                return false;
        } else if (c == '{' || c == '[') {
            /* jansson counts depth from the top of the file: stay well within its limit. */
            if (++depth > 1000)
                return false;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    } while (depth > 0);
    return true;
}

static json_t *parse_span(span_reader *r)
{
    json_error_t error;
    return json_loadb(r->span, r->span_len, JSON_DECODE_ANY, &error);
}

typedef bool (*person_fn)(json_t *person, off_t offset, size_t length, void *data);

/* Reads a whole result file, calling on_person for each element of "people" with its place in
 * the file. Returns false for anything unexpected (the caller then reads the file whole). */
static bool read_people(FILE *file, person_fn on_person, void *data)
{
    span_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return false;
    r->file = file;
    bool ok = false, seen_people = false;
    skip_space(r);
    if (next_byte(r) != '{')
        goto out;
    for (;;) {
        skip_space(r);
        if (peek_byte(r) != '"' || !scan_value(r))
            goto out;
        json_t *key = parse_span(r);
        bool people = json_is_string(key) && strcmp(json_string_value(key), "people") == 0;
        json_decref(key);
        if (key == NULL)
            goto out;
        skip_space(r);
        if (next_byte(r) != ':')
            goto out;
        skip_space(r);
        if (people) {
            if (seen_people || next_byte(r) != '[')
                goto out;
            seen_people = true;
            skip_space(r);
            bool more = true;
            if (peek_byte(r) == ']') {
                next_byte(r);
                more = false;
            }
            while (more) {
                skip_space(r);
                off_t at = r->offset + (off_t)r->pos;
                if (!scan_value(r))
                    goto out;
                json_t *person = parse_span(r);
                bool taken = person != NULL && on_person(person, at, r->span_len, data);
                json_decref(person);
                if (!taken)
                    goto out;
                skip_space(r);
                int c = next_byte(r);
                if (c != ',' && c != ']')
                    goto out;
                more = c == ',';
            }
        } else {
            if (!scan_value(r))
                goto out;
            json_t *value = parse_span(r);
            json_decref(value);
            if (value == NULL)
                goto out;
        }
        skip_space(r);
        int c = next_byte(r);
        if (c == '}')
            break;
        if (c != ',')
            goto out;
    }
    skip_space(r);
    ok = seen_people && peek_byte(r) == EOF && !ferror(file);
out:
    free(r->span);
    free(r);
    return ok;
}

/* The track that decided: the one whose next level is the person's. */
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

/* What the old file's people are remembered by: enough for "left", and where to read the rest. */
typedef struct old_person {
    char *id, *name, *team, *outcome;
    off_t offset;
    size_t length;
} old_person;

typedef struct streaming {
    old_person *old;
    size_t old_count, old_cap;
    nl_strmap *old_index; /* id -> first old person with it (borrows their ids) */
    nl_strmap *new_ids;   /* every id of the new file */
    FILE *old_file;       /* opened again, to read a changed person's old entry */
    char *bytes;          /* that entry */
    size_t bytes_cap;
    FILE *text; /* the report, held until both files are read whole */
    nl_diff_counts counts;
} streaming;

static bool remember_old(json_t *person, off_t offset, size_t length, void *data)
{
    streaming *st = data;
    if (!nl_grow((void **)&st->old, &st->old_cap, st->old_count + 1, sizeof *st->old))
        return false;
    old_person *p = &st->old[st->old_count];
    *p = (old_person){.id = nl_strdup(text_of(person, "id")),
                      .name = nl_strdup(text_of(person, "name")),
                      .team = nl_strdup(text_of(person, "team")),
                      .outcome = nl_strdup(text_of(person, "outcome")),
                      .offset = offset,
                      .length = length};
    st->old_count++;
    if (p->id == NULL || p->name == NULL || p->team == NULL || p->outcome == NULL)
        return false;
    return nl_strmap_get(st->old_index, p->id, NULL) ||
           nl_strmap_put(st->old_index, p->id, st->old_count - 1);
}

/* The old file's entry of a person, parsed again from its bytes; NULL when it cannot be. */
static json_t *reread_old(streaming *st, const old_person *p)
{
    if (!nl_grow((void **)&st->bytes, &st->bytes_cap, p->length + 1, 1) ||
        fseeko(st->old_file, p->offset, SEEK_SET) != 0 ||
        fread(st->bytes, 1, p->length, st->old_file) != p->length)
        return NULL;
    json_error_t error;
    return json_loadb(st->bytes, p->length, JSON_DECODE_ANY, &error);
}

static bool compare_new(json_t *after, off_t offset, size_t length, void *data)
{
    (void)offset, (void)length;
    streaming *st = data;
    const char *id = text_of(after, "id");
    if (!nl_strmap_get(st->new_ids, id, NULL) && !nl_strmap_put(st->new_ids, id, 0))
        return false;
    size_t i;
    if (!nl_strmap_get(st->old_index, id, &i)) {
        fprintf(st->text, "%s %s (%s): new, %s\n", id, text_of(after, "name"),
                text_of(after, "team"), text_of(after, "outcome"));
        st->counts.added++;
        return true;
    }
    const old_person *p = &st->old[i];
    if (strcmp(p->outcome, text_of(after, "outcome")) == 0) {
        st->counts.unchanged++;
        return true;
    }
    json_t *before = reread_old(st, p);
    if (before == NULL)
        return false;
    st->counts.changed++;
    fprintf(st->text, "%s %s (%s): %s -> %s\n", id, text_of(after, "name"), text_of(after, "team"),
            p->outcome, text_of(after, "outcome"));
    explain(st->text, before, after);
    json_decref(before);
    return true;
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
    struct stat info;
    if (stat(old_path, &info) != 0 || !S_ISREG(info.st_mode) || stat(new_path, &info) != 0 ||
        !S_ISREG(info.st_mode))
        return false;
    streaming st = {.old_index = nl_strmap_new_borrowing(), .new_ids = nl_strmap_new()};
    FILE *old_file = fopen(old_path, "rb"), *new_file = fopen(new_path, "rb");
    st.old_file = fopen(old_path, "rb");
    st.text = tmpfile();
    bool ok = st.old_index != NULL && st.new_ids != NULL && old_file != NULL && new_file != NULL &&
              st.old_file != NULL && st.text != NULL && read_people(old_file, remember_old, &st) &&
              read_people(new_file, compare_new, &st);
    for (size_t i = 0; ok && i < st.old_count; i++) {
        const old_person *p = &st.old[i];
        if (!nl_strmap_get(st.new_ids, p->id, NULL)) {
            fprintf(st.text, "%s %s (%s): left, was %s\n", p->id, p->name, p->team, p->outcome);
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
    for (size_t i = 0; i < st.old_count; i++) {
        free(st.old[i].id);
        free(st.old[i].name);
        free(st.old[i].team);
        free(st.old[i].outcome);
    }
    free(st.old);
    free(st.bytes);
    nl_strmap_free(st.old_index);
    nl_strmap_free(st.new_ids);
    if (st.text != NULL)
        fclose(st.text);
    if (st.old_file != NULL)
        fclose(st.old_file);
    if (old_file != NULL)
        fclose(old_file);
    if (new_file != NULL)
        fclose(new_file);
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
