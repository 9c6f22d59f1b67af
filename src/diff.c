#include "nextlevel/diff.h"

#include "nextlevel/strmap.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

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

nl_status nl_diff_results(const char *old_path, const char *new_path, FILE *out,
                          nl_diff_counts *counts, nl_error *err)
{
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
