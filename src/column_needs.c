#include "nextlevel/column_needs.h"
#include "nextlevel/textsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool nl_gate_reads_skill(const nl_framework *fw, const nl_gate *gate, size_t skill)
{
    size_t family = fw->skills[skill].family;
    switch (gate->kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_FLOOR:
        return nl_gate_covers_family(gate, family);
    case NL_GATE_FAMILY_AVERAGE:
        return gate->family_count > 0 && gate->families[0] == family;
    case NL_GATE_BALANCE:
        return gate->family_count > 1 &&
               (gate->families[0] == family || gate->families[1] == family);
    case NL_GATE_CRITICAL_SKILLS:
        for (size_t i = 0; i < gate->skill_count; i++)
            if (gate->skills[i] == skill)
                return true;
        return false;
    case NL_GATE_READINESS_SCORE:
        return true;
    case NL_GATE_POINTS:
        return nl_gate_counts_points(fw, gate, skill);
    case NL_GATE_TENURE:
    case NL_GATE_ATTRIBUTE:
    case NL_GATE_KIND_COUNT:
        break;
    }
    return false;
}

/* Whether some skill of family is among found. */
static bool family_found(const nl_framework *fw, size_t family, const nl_columns_found *found)
{
    for (size_t s = 0; s < fw->skill_count; s++)
        if (fw->skills[s].family == family && found->skill[s])
            return true;
    return false;
}

bool nl_tenure_found(const bool *field)
{
    return field[NL_FIELD_MONTHS] || field[NL_FIELD_YEARS] || field[NL_FIELD_LEVEL_START];
}

void nl_tenure_columns(const nl_framework *fw, char *what, size_t cap)
{
    nl_sformat(what, cap,
               "the column '%s' (the template's [columns] months_in_level; a years_in_level or "
               "level_start_date column would do too)",
               fw->columns[NL_FIELD_MONTHS]);
}

bool nl_gate_unreadable(const nl_framework *fw, const nl_gate *gate, const nl_columns_found *found,
                        char *what, size_t cap)
{
    switch (gate->kind) {
    case NL_GATE_TENURE:
        nl_tenure_columns(fw, what, cap);
        return !nl_tenure_found(found->field);
    case NL_GATE_ATTRIBUTE:
        nl_sformat(what, cap, "the column '%s' (the template's [attribute %s])",
                   fw->attributes[gate->attribute].column, fw->attributes[gate->attribute].id);
        return !found->attribute[gate->attribute];
    case NL_GATE_BALANCE:
        /* Balance compares two families: it needs a skill of each. */
        for (size_t i = 0; i < 2 && i < gate->family_count; i++) {
            if (!family_found(fw, gate->families[i], found)) {
                nl_sformat(what, cap, "a rating of any skill of the family %s",
                           fw->families[gate->families[i]]);
                return true;
            }
        }
        return false;
    default:
        break;
    }
    for (size_t s = 0; s < fw->skill_count; s++)
        if (found->skill[s] && nl_gate_reads_skill(fw, gate, s))
            return false;
    size_t at = (size_t)nl_sformat(what, cap, "a rating of any of its skills (");
    const char *sep = "";
    for (size_t s = 0; s < fw->skill_count && at < cap; s++) {
        if (nl_gate_reads_skill(fw, gate, s)) {
            at += (size_t)nl_sformat(what + at, cap - at, "%s%s", sep, fw->skills[s].id);
            sep = ", ";
        }
    }
    if (at < cap)
        nl_sformat(what + at, cap - at, ")");
    return true;
}

nl_columns_found nl_columns_of_file(const nl_file_summary *f)
{
    nl_columns_found found = {.skill = f->skill_found, .attribute = f->attribute_found};
    memcpy(found.field, f->field_found, sizeof found.field);
    return found;
}

bool nl_columns_of_matrix(const nl_framework *fw, const nl_matrix *m, nl_columns_found *out)
{
    *out = (nl_columns_found){0};
    out->skill = calloc(fw->skill_count ? fw->skill_count : 1, sizeof *out->skill);
    out->attribute = calloc(fw->attribute_count ? fw->attribute_count : 1, sizeof *out->attribute);
    if (out->skill == NULL || out->attribute == NULL) {
        nl_columns_found_free(out);
        return false;
    }
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    for (size_t f = 0; f < file_count; f++) {
        if (files[f].unusable)
            continue;
        for (size_t s = 0; s < fw->skill_count; s++)
            out->skill[s] |= files[f].skill_found[s];
        for (size_t a = 0; a < fw->attribute_count; a++)
            out->attribute[a] |= files[f].attribute_found[a];
        for (int field = 0; field < NL_FIELD_COUNT; field++)
            out->field[field] |= files[f].field_found[field];
    }
    return true;
}

void nl_columns_found_free(nl_columns_found *found)
{
    free(found->skill);
    free(found->attribute);
    found->skill = NULL;
    found->attribute = NULL;
}
