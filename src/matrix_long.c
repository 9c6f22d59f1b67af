#include "matrix_internal.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The long format: one row per (person, skill, assessor). Rows are gathered per person over
 * every file read into the matrix (ratings are often exported one file per assessor role:
 * manager.csv, peer_self.csv), then each skill's scores are combined by the template's aggregate
 * rule. A person is added to the matrix at the end of the first file that names them; a later
 * file's rows join their assessments and the scores are combined again, in place, at the end of
 * that file. The gathered rows are kept until nl_long_release, once every input is read. */

/* One assessment: 24 bytes, as many as rows of a long file (a million people rated on 40
 * skills by three roles are 120 million of them). */
typedef struct assessment {
    double score;
    uint64_t place; /* the file (above PLACE_LINE_BITS) and line it came from, for a conflict */
    uint32_t skill;
    uint32_t kind; /* interned (assessor role ignoring case, date) */
} assessment;

#define PLACE_LINE_BITS 40
#define PLACE_LINE_MASK ((UINT64_C(1) << PLACE_LINE_BITS) - 1)

typedef struct pending {
    nl_person person; /* until the end of its first file; then it lives in the matrix */
    size_t slot;      /* index into the matrix's people once added; SIZE_MAX before */
    assessment *items;
    size_t count, cap;
    size_t earlier;   /* items[0 .. earlier) came from files read before the current one */
    size_t last_file; /* the last file that had a row of this person; SIZE_MAX: none yet */
} pending;

struct long_state {
    pending *people;
    size_t count, cap;
    nl_strmap *index;    /* person id -> index into people */
    nl_strmap *roles;    /* assessor role, lower case -> interned number */
    size_t *role_weight; /* per interned role: index into role_weights, SIZE_MAX when none */
    size_t role_count, role_cap;
    nl_strmap *kinds;    /* role (lower case) '\x1f' date -> interned kind */
    uint32_t *kind_role; /* per kind: its interned role */
    bool *kind_dated;    /* per kind: the date is not empty */
    size_t kind_count, kind_cap, kind_dated_cap;
    size_t *touched; /* indices into people that the file being read has rows of */
    size_t touched_count, touched_cap;
};

long_state *nl_long_new(const nl_framework *fw)
{
    (void)fw;
    long_state *state = calloc(1, sizeof *state);
    if (state == NULL)
        return NULL;
    state->index = nl_strmap_new();
    state->roles = nl_strmap_new();
    state->kinds = nl_strmap_new();
    if (state->index == NULL || state->roles == NULL || state->kinds == NULL) {
        nl_long_free(state);
        return NULL;
    }
    return state;
}

void nl_long_free(long_state *state)
{
    if (state == NULL)
        return;
    for (size_t i = 0; i < state->count; i++) {
        if (state->people[i].slot == SIZE_MAX)
            nl_person_clear(&state->people[i].person);
        free(state->people[i].items);
    }
    free(state->people);
    free(state->role_weight);
    free(state->touched);
    nl_strmap_free(state->index);
    nl_strmap_free(state->roles);
    nl_strmap_free(state->kinds);
    free(state->kind_role);
    free(state->kind_dated);
    free(state);
}

/* The person a pending entry stands for: its own until added, then the matrix's. */
static nl_person *person_of(nl_matrix_reader *r, pending *p)
{
    return p->slot == SIZE_MAX ? &p->person : &r->m->people[p->slot];
}

/* "manager.csv:4", or "line 4" in the same file. */
static void place_text(const nl_matrix_reader *r, size_t file, long line, char *out, size_t cap)
{
    if (file == r->file)
        nl_sformat(out, cap, "line %ld", line);
    else
        nl_sformat(out, cap, "%s:%ld", r->m->files[file].path, line);
}

/* Notes that the file being read has rows of p, so that its end combines p's scores again. */
static bool touch(nl_matrix_reader *r, size_t index)
{
    long_state *state = r->long_rows;
    pending *p = &state->people[index];
    if (p->last_file == r->file)
        return true;
    if (!nl_grow((void **)&state->touched, &state->touched_cap, state->touched_count + 1,
                 sizeof *state->touched)) {
        r->out_of_memory = true;
        return false;
    }
    state->touched[state->touched_count++] = index;
    p->last_file = r->file;
    p->earlier = p->count;
    return true;
}

/* Months in level given on a later row (in any tenure column), when the person's first row
 * left them out. */
static bool take_later_months(nl_matrix_reader *r, const nl_csv_record *rec, nl_person *person)
{
    if (!isnan(person->months_in_level) || (*nl_matrix_field(r, rec, NL_FIELD_MONTHS) == '\0' &&
                                            *nl_matrix_field(r, rec, NL_FIELD_YEARS) == '\0' &&
                                            *nl_matrix_field(r, rec, NL_FIELD_LEVEL_START) == '\0'))
        return true;
    double months = NAN; /* a rejected cell must not reach the person */
    if (!nl_matrix_take_tenure(r, rec, person->id, &months))
        return false;
    person->months_in_level = months;
    return true;
}

/* The pending person of this row: found by id, or started from the row's identity columns.
 * Returns NULL when the row was rejected (or memory ran out). */
static pending *person_of_row(nl_matrix_reader *r, const nl_csv_record *rec)
{
    long_state *state = r->long_rows;
    const nl_framework *fw = r->m->fw;
    const char *id = nl_matrix_field(r, rec, NL_FIELD_ID);
    size_t index;
    if (*id != '\0' && nl_strmap_get(state->index, id, &index)) {
        pending *p = &state->people[index];
        nl_person *person = person_of(r, p);
        const char *level_text = nl_matrix_field(r, rec, NL_FIELD_LEVEL);
        size_t level;
        bool found = *level_text != '\0' && nl_framework_find_level(fw, level_text, &level);
        /* Levels from points: a level cell may come on any row; only cells must agree. */
        if (found && person->level_in_file == NL_NO_LEVEL &&
            fw->level_from == NL_LEVEL_FROM_POINTS) {
            person->level_in_file = level;
        } else if (*level_text != '\0' && !found && person->level_in_file == NL_NO_LEVEL) {
            char shown[256];
            r->out_of_memory |= !nl_matrix_reject(
                r, rec->line, r->field_column[NL_FIELD_LEVEL] + 1, id,
                "level %s is not one of the template's levels (%s to %s): correct the cell",
                nl_matrix_shown(r, level_text, shown, sizeof shown), fw->levels[0].id,
                fw->levels[fw->level_count - 1].id);
            return NULL;
        } else if (*level_text != '\0' && (!found || level != person->level_in_file)) {
            char place[512], shown[256];
            place_text(r, person->file, person->line, place, sizeof place);
            r->out_of_memory |= !nl_matrix_reject(
                r, rec->line, r->field_column[NL_FIELD_LEVEL] + 1, id,
                "level %s differs from level %s given on %s: correct the cell that is wrong",
                nl_matrix_shown(r, level_text, shown, sizeof shown),
                fw->levels[person->level_in_file].id, place);
            return NULL;
        }
        if (!take_later_months(r, rec, person) || !touch(r, index))
            return NULL;
        return p;
    }
    size_t first;
    if (*id != '\0' && nl_matrix_find(r->m, id, &first)) {
        /* Read from a wide file already: a long row cannot add to a person given whole. */
        const nl_person *other = &r->m->people[first];
        r->out_of_memory |= !nl_matrix_reject(r, rec->line, r->field_column[NL_FIELD_ID] + 1, id,
                                              "the same id is already on line %ld of %s, a "
                                              "file with one row per person: remove one of "
                                              "the two",
                                              other->line, r->m->files[other->file].path);
        return NULL;
    }
    pending fresh = {.slot = SIZE_MAX, .last_file = SIZE_MAX};
    if (!nl_person_alloc(&fresh.person, fw, true)) {
        nl_person_clear(&fresh.person);
        r->out_of_memory = true;
        return NULL;
    }
    if (!nl_matrix_take_identity(r, rec, &fresh.person)) {
        nl_person_clear(&fresh.person);
        return NULL;
    }
    if (!nl_grow((void **)&state->people, &state->cap, state->count + 1, sizeof *state->people) ||
        !nl_strmap_put(state->index, fresh.person.id, state->count)) {
        nl_person_clear(&fresh.person);
        r->out_of_memory = true;
        return NULL;
    }
    state->people[state->count] = fresh;
    if (!touch(r, state->count++))
        return NULL;
    return &state->people[state->count - 1];
}

static bool find_role(const nl_framework *fw, const char *role, size_t *index)
{
    for (size_t i = 0; i < fw->role_weight_count; i++) {
        if (nl_strcaseeq(fw->role_weights[i].role, role)) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* The number of an assessor role (lower case); false when out of memory. */
static bool intern_role(nl_matrix_reader *r, const char *lower, const char *text, uint32_t *out)
{
    long_state *state = r->long_rows;
    size_t number;
    if (!nl_strmap_get(state->roles, lower, &number)) {
        number = state->role_count;
        size_t weight = SIZE_MAX;
        find_role(r->m->fw, text, &weight);
        if (!nl_grow((void **)&state->role_weight, &state->role_cap, number + 1,
                     sizeof *state->role_weight) ||
            !nl_strmap_put(state->roles, lower, number))
            return false;
        state->role_weight[state->role_count++] = weight;
    }
    *out = (uint32_t)number;
    return true;
}

/* The kind of a rating: its assessor role (any case of its letters) and date, one number for
 * the pair, so that an assessment stays 24 bytes. False when out of memory. */
static bool intern_kind(nl_matrix_reader *r, const char *role, const char *date, uint32_t *out)
{
    long_state *state = r->long_rows;
    char small[256];
    size_t role_len = strlen(role), date_len = strlen(date), len = role_len + 1 + date_len;
    char *key = len < sizeof small ? small : malloc(len + 1);
    if (key == NULL)
        return false;
    for (size_t i = 0; i < role_len; i++)
        key[i] = (char)(role[i] >= 'A' && role[i] <= 'Z' ? role[i] - 'A' + 'a' : role[i]);
    key[role_len] = '\x1f';
    memcpy(key + role_len + 1, date, date_len + 1);
    size_t number;
    bool ok = true;
    if (!nl_strmap_get(state->kinds, key, &number)) {
        uint32_t role_number;
        number = state->kind_count;
        key[role_len] = '\0'; /* the role alone */
        ok = intern_role(r, key, role, &role_number);
        key[role_len] = '\x1f';
        ok = ok &&
             nl_grow((void **)&state->kind_role, &state->kind_cap, number + 1,
                     sizeof *state->kind_role) &&
             nl_grow((void **)&state->kind_dated, &state->kind_dated_cap, number + 1,
                     sizeof *state->kind_dated) &&
             nl_strmap_put(state->kinds, key, number);
        if (ok) {
            state->kind_role[number] = role_number;
            state->kind_dated[number] = date_len > 0;
            state->kind_count++;
        }
    }
    if (key != small)
        free(key);
    *out = (uint32_t)number;
    return ok;
}

/* A rating of the same person, skill and assessor role (and date, when both rows have one) read
 * from an earlier file: the two files overlap, and nothing says which of the two is right. */
static const assessment *conflict(const long_state *state, const pending *p, const assessment *a)
{
    for (size_t i = 0; i < p->earlier; i++) {
        const assessment *b = &p->items[i];
        if (b->skill != a->skill)
            continue;
        if (b->kind == a->kind || (state->kind_role[b->kind] == state->kind_role[a->kind] &&
                                   (!state->kind_dated[b->kind] || !state->kind_dated[a->kind])))
            return b;
    }
    return NULL;
}

/* Attribute columns in a long file: the first value given for a person counts. */
static bool take_attributes(nl_matrix_reader *r, const nl_csv_record *rec, nl_person *person)
{
    const nl_framework *fw = r->m->fw;
    for (size_t a = 0; a < fw->attribute_count; a++) {
        long c = r->attribute_column[a];
        if (c < 0)
            continue;
        const char *text = nl_trim(rec->fields[c]);
        double value;
        if (*text == '\0')
            continue;
        if (!nl_parse_decimal(text, r->decimal_comma, &value)) {
            char shown[256];
            r->out_of_memory |= !nl_matrix_reject(
                r, rec->line, c + 1, person->id,
                "%s %s is not a number: correct the cell, or leave it empty if it is not known",
                fw->attributes[a].column, nl_matrix_shown(r, text, shown, sizeof shown));
            return false;
        }
        if (isnan(person->attributes[a]))
            person->attributes[a] = value;
    }
    return true;
}

bool nl_long_row(nl_matrix_reader *r, const nl_csv_record *rec)
{
    const nl_framework *fw = r->m->fw;
    pending *p = person_of_row(r, rec);
    if (p == NULL)
        return !r->out_of_memory;
    nl_person *person = person_of(r, p);
    const char *id = person->id;
    const char *skill_text = nl_matrix_field(r, rec, NL_FIELD_SKILL);
    const char *score_text = nl_matrix_field(r, rec, NL_FIELD_SCORE);
    const char *role_text = nl_matrix_field(r, rec, NL_FIELD_ASSESSOR);
    long skill_col = r->field_column[NL_FIELD_SKILL] + 1;
    size_t skill;
    uint64_t line = rec->line > 0 ? (uint64_t)rec->line : 0;
    assessment a = {.place = ((uint64_t)r->file << PLACE_LINE_BITS) |
                             (line < PLACE_LINE_MASK ? line : PLACE_LINE_MASK)};
    if (!nl_framework_find_skill(fw, skill_text, &skill)) {
        char shown[256];
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, skill_col, id,
            "%s is not one of the template's skills (by id or name): correct the cell, or "
            "remove the row",
            nl_matrix_shown(r, skill_text, shown, sizeof shown));
        return !r->out_of_memory;
    }
    a.skill = (uint32_t)skill;
    r->m->files[r->file].skill_found[skill] = true;
    if (*score_text == '\0') { /* not assessed: nothing to combine */
        if (take_attributes(r, rec, person))
            r->m->files[r->file].rows_used++;
        return !r->out_of_memory;
    }
    if (!nl_framework_parse_score(fw, skill, score_text, r->decimal_comma, &a.score)) {
        r->out_of_memory |= !nl_matrix_reject_score(
            r, rec->line, r->field_column[NL_FIELD_SCORE] + 1, id, skill, score_text);
        return !r->out_of_memory;
    }
    const char *date = nl_matrix_field(r, rec, NL_FIELD_DATE);
    if (!intern_kind(r, role_text, date, &a.kind)) {
        r->out_of_memory = true;
        return false;
    }
    long_state *state = r->long_rows;
    if (fw->aggregate == NL_AGG_ROLES && state->role_weight[state->kind_role[a.kind]] == SIZE_MAX) {
        char shown[256];
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, r->field_column[NL_FIELD_ASSESSOR] + 1, id,
            "assessor role %s has no weight in the template's role_weights: correct the cell, "
            "or add the role to role_weights",
            nl_matrix_shown(r, role_text, shown, sizeof shown));
        return !r->out_of_memory;
    }
    const assessment *earlier = conflict(state, p, &a);
    if (earlier != NULL) {
        /* Role and date are cells too: under --redact they are not quoted. */
        bool hide = r->m->hide_values;
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, skill_col, id,
            "%s%s rating of %s%s%s was already read from %s:%ld; the two files overlap: keep "
            "one of the two rows",
            *role_text && !hide ? "the " : "a", hide ? "" : role_text, fw->skills[skill].name,
            *date && !hide ? " dated " : "", hide ? "" : date,
            r->m->files[earlier->place >> PLACE_LINE_BITS].path,
            (long)(earlier->place & PLACE_LINE_MASK));
        return !r->out_of_memory;
    }
    if (!take_attributes(r, rec, person))
        return !r->out_of_memory;
    if (!nl_grow((void **)&p->items, &p->cap, p->count + 1, sizeof *p->items)) {
        r->out_of_memory = true;
        return false;
    }
    p->items[p->count++] = a;
    r->m->files[r->file].rows_used++;
    return true;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Combines the n scores of one skill (in values, roles alongside) by the template's rule. */
static double combine(const nl_framework *fw, double *values, const size_t *roles, size_t n)
{
    double result = 0;
    switch (fw->aggregate) {
    case NL_AGG_MEAN:
        for (size_t i = 0; i < n; i++)
            result += values[i];
        return result / (double)n;
    case NL_AGG_MEDIAN:
        qsort(values, n, sizeof *values, compare_doubles);
        return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    case NL_AGG_MIN:
        result = values[0];
        for (size_t i = 1; i < n; i++)
            result = values[i] < result ? values[i] : result;
        return result;
    case NL_AGG_ROLES: {
        /* Average within each role first, so three peers do not outweigh one manager, then
         * weight the roles present, renormalised over them. */
        double weighted = 0, total_weight = 0;
        for (size_t role = 0; role < fw->role_weight_count; role++) {
            double sum = 0;
            size_t count = 0;
            for (size_t i = 0; i < n; i++) {
                if (roles[i] == role) {
                    sum += values[i];
                    count++;
                }
            }
            if (count == 0 || fw->role_weights[role].weight <= 0)
                continue;
            weighted += fw->role_weights[role].weight * sum / (double)count;
            total_weight += fw->role_weights[role].weight;
        }
        return total_weight > 0 ? weighted / total_weight : NAN;
    }
    }
    return NAN;
}

/* Combines p's assessments into person's scores and rater counts. */
static bool aggregate(const long_state *state, const nl_framework *fw, const pending *p,
                      nl_person *person)
{
    double *values = malloc((p->count ? p->count : 1) * sizeof *values);
    size_t *roles = malloc((p->count ? p->count : 1) * sizeof *roles);
    if (values == NULL || roles == NULL) {
        free(values);
        free(roles);
        return false;
    }
    for (size_t s = 0; s < fw->skill_count; s++) {
        size_t n = 0;
        for (size_t i = 0; i < p->count; i++) {
            if (p->items[i].skill == s) {
                values[n] = p->items[i].score;
                roles[n++] = state->role_weight[state->kind_role[p->items[i].kind]];
            }
        }
        person->raters[s] = (uint16_t)(n < UINT16_MAX ? n : UINT16_MAX);
        person->scores[s] = n > 0 ? combine(fw, values, roles, n) : NAN;
        if (isnan(person->scores[s]))
            person->raters[s] = 0;
    }
    free(values);
    free(roles);
    return true;
}

/* The coverage of a file for a person first read from an earlier one: the skills this file's
 * own rows assess. */
static void count_continued(nl_matrix_reader *r, const pending *p, const nl_person *person)
{
    nl_file_summary *f = &r->m->files[r->file];
    if (p->count == p->earlier)
        return; /* every rating of theirs here was rejected */
    for (size_t s = 0; s < r->m->fw->skill_count; s++) {
        bool here = false;
        for (size_t i = p->earlier; i < p->count && !here; i++)
            here = p->items[i].skill == s;
        f->assessed[s] += here && !isnan(person->scores[s]);
    }
    f->people_continued++;
}

bool nl_long_finish(nl_matrix_reader *r)
{
    long_state *state = r->long_rows;
    for (size_t t = 0; t < state->touched_count; t++) {
        pending *p = &state->people[state->touched[t]];
        nl_person *person = person_of(r, p);
        if (!aggregate(state, r->m->fw, p, person))
            return false;
        nl_matrix_derive_level(r->m->fw, person);
        if (p->slot != SIZE_MAX) {
            count_continued(r, p, person);
            continue;
        }
        size_t slot = r->m->people_count;
        if (nl_matrix_add_person(r, &p->person, r->field_column[NL_FIELD_ID] + 1))
            p->slot = slot;
        if (r->out_of_memory)
            return false;
    }
    state->touched_count = 0;
    return true;
}
