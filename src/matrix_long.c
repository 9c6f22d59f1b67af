#include "matrix_internal.h"

#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The long format: one row per (person, skill, assessor). Rows are gathered per person over the
 * whole file, then each skill's scores are combined by the template's aggregate rule. */

typedef struct assessment {
    size_t skill;
    double score;
    size_t role; /* index into role_weights when aggregating by roles */
} assessment;

typedef struct pending {
    nl_person person;
    assessment *items;
    size_t count, cap;
} pending;

struct long_state {
    pending *people;
    size_t count, cap;
    nl_strmap *index; /* person id -> index into people */
};

long_state *nl_long_new(const nl_framework *fw)
{
    (void)fw;
    long_state *state = calloc(1, sizeof *state);
    if (state == NULL)
        return NULL;
    if ((state->index = nl_strmap_new()) == NULL) {
        free(state);
        return NULL;
    }
    return state;
}

void nl_long_free(long_state *state)
{
    if (state == NULL)
        return;
    for (size_t i = 0; i < state->count; i++) {
        nl_person_clear(&state->people[i].person);
        free(state->people[i].items);
    }
    free(state->people);
    nl_strmap_free(state->index);
    free(state);
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
        const char *level_text = nl_matrix_field(r, rec, NL_FIELD_LEVEL);
        size_t level;
        if (*level_text != '\0' &&
            (!nl_framework_find_level(fw, level_text, &level) || level != p->person.level)) {
            r->out_of_memory |=
                !nl_matrix_reject(r, rec->line, r->field_column[NL_FIELD_LEVEL] + 1, id,
                                  "level '%s' differs from level %s given on line %ld", level_text,
                                  fw->levels[p->person.level].id, p->person.line);
            return NULL;
        }
        return p;
    }
    pending fresh = {0};
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
    return &state->people[state->count++];
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

/* Attribute columns in a long file: the first value given for a person counts. */
static bool take_attributes(nl_matrix_reader *r, const nl_csv_record *rec, nl_person *person)
{
    const nl_framework *fw = r->m->fw;
    for (size_t c = 0; c < r->column_count; c++) {
        if (r->columns[c].role != COL_ATTRIBUTE)
            continue;
        const char *text = nl_trim(rec->fields[c]);
        size_t a = r->columns[c].index;
        double value;
        if (*text == '\0')
            continue;
        if (!nl_parse_decimal(text, r->decimal_comma, &value)) {
            r->out_of_memory |=
                !nl_matrix_reject(r, rec->line, (long)c + 1, person->id, "%s '%s' is not a number",
                                  fw->attributes[a].column, text);
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
    const char *id = p->person.id;
    const char *skill_text = nl_matrix_field(r, rec, NL_FIELD_SKILL);
    const char *score_text = nl_matrix_field(r, rec, NL_FIELD_SCORE);
    const char *role_text = nl_matrix_field(r, rec, NL_FIELD_ASSESSOR);
    long skill_col = r->field_column[NL_FIELD_SKILL] + 1;
    assessment a = {0};
    if (!nl_framework_find_skill(fw, skill_text, &a.skill)) {
        r->out_of_memory |= !nl_matrix_reject(r, rec->line, skill_col, id,
                                              "'%s' is not a skill of the framework", skill_text);
        return !r->out_of_memory;
    }
    r->m->files[r->file].skill_found[a.skill] = true;
    if (*score_text == '\0') { /* not assessed: nothing to combine */
        take_attributes(r, rec, &p->person);
        return !r->out_of_memory;
    }
    if (!nl_framework_parse_score(fw, score_text, r->decimal_comma, &a.score)) {
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, r->field_column[NL_FIELD_SCORE] + 1, id,
            "'%s' for %s is neither a score from %g to %g nor a label of the scale", score_text,
            fw->skills[a.skill].name, fw->scale_min, fw->scale_max);
        return !r->out_of_memory;
    }
    if (fw->aggregate == NL_AGG_ROLES && !find_role(fw, role_text, &a.role)) {
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, r->field_column[NL_FIELD_ASSESSOR] + 1, id,
            "assessor role '%s' has no weight in the template's role_weights", role_text);
        return !r->out_of_memory;
    }
    if (!take_attributes(r, rec, &p->person))
        return !r->out_of_memory;
    if (!nl_grow((void **)&p->items, &p->cap, p->count + 1, sizeof *p->items)) {
        r->out_of_memory = true;
        return false;
    }
    p->items[p->count++] = a;
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

static bool aggregate(const nl_framework *fw, pending *p)
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
                roles[n++] = p->items[i].role;
            }
        }
        p->person.raters[s] = (uint16_t)(n < UINT16_MAX ? n : UINT16_MAX);
        p->person.scores[s] = n > 0 ? combine(fw, values, roles, n) : NAN;
        if (isnan(p->person.scores[s]))
            p->person.raters[s] = 0;
    }
    free(values);
    free(roles);
    return true;
}

bool nl_long_finish(nl_matrix_reader *r)
{
    long_state *state = r->long_rows;
    for (size_t i = 0; i < state->count; i++) {
        pending *p = &state->people[i];
        if (!aggregate(r->m->fw, p))
            return false;
        nl_matrix_add_person(r, &p->person, r->field_column[NL_FIELD_ID] + 1);
        if (r->out_of_memory)
            return false;
    }
    return true;
}
