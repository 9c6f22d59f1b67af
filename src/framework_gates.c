#include "framework_build.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const gate_kind_names[NL_GATE_KIND_COUNT] = {
    "meets_expectations",
    "family_average",
    "readiness_score",
    "floor",
    "critical_skills",
    "balance",
    "tenure",
    "attribute",
    "points",
};

const char *nl_gate_kind_name(nl_gate_kind kind)
{
    return kind < NL_GATE_KIND_COUNT ? gate_kind_names[kind] : "unknown";
}

static void take_gate_families(builder *b, nl_ini_section *section, nl_gate *gate, const char *key,
                               bool required, size_t exact_count)
{
    nl_framework *fw = b->fw;
    char **items;
    size_t count;
    long line = section->line;
    if (!fwb_list(b, section, key, required, &items, &count, &line))
        return;
    gate->families = calloc(count ? count : 1, sizeof *gate->families);
    if (gate->families == NULL) {
        b->out_of_memory = true;
        nl_free_strings(items, count);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        size_t family;
        if (nl_framework_find_family(fw, items[i], &family))
            gate->families[gate->family_count++] = family;
        else
            fwb_error(b, line, "gate %s: '%s' is not a family of the template's skills", gate->id,
                      items[i]);
    }
    if (exact_count > 0 && count != exact_count)
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, line, 0,
                    "gate %s: '%s' needs exactly %zu families, not %zu", gate->id, key, exact_count,
                    count);
    nl_free_strings(items, count);
}

static void take_gate_skills(builder *b, nl_ini_section *section, nl_gate *gate)
{
    nl_framework *fw = b->fw;
    char **items;
    size_t count;
    long line = section->line;
    if (!fwb_list(b, section, "skills", true, &items, &count, &line))
        return;
    gate->skills = calloc(count ? count : 1, sizeof *gate->skills);
    if (gate->skills == NULL) {
        b->out_of_memory = true;
        nl_free_strings(items, count);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        size_t skill;
        if (nl_framework_find_skill(fw, items[i], &skill))
            gate->skills[gate->skill_count++] = skill;
        else
            fwb_error(b, line, "gate %s: '%s' is not a skill of the template", gate->id, items[i]);
    }
    if (count == 0)
        fwb_error(b, line, "gate %s: 'skills' names no skill", gate->id, NULL);
    nl_free_strings(items, count);
}

static void take_gate_attribute(builder *b, nl_ini_section *section, nl_gate *gate)
{
    nl_framework *fw = b->fw;
    static const char *const ops[] = {">=", ">", "<=", "<", "="};
    nl_ini_entry *entry = nl_ini_find(section, "attribute");
    if (entry == NULL) {
        fwb_error(b, section->line, "gate %s needs 'attribute'", gate->id, NULL);
    } else {
        bool found = false;
        for (size_t a = 0; a < fw->attribute_count && !found; a++) {
            if (strcmp(fw->attributes[a].id, entry->value) == 0) {
                gate->attribute = a;
                found = true;
            }
        }
        if (!found)
            fwb_error(b, entry->line, "gate %s: no [attribute %s] section", gate->id, entry->value);
    }
    if (nl_ini_find(section, "op") == NULL)
        fwb_error(b, section->line, "gate %s needs 'op' (>=, >, <=, < or =)", gate->id, NULL);
    gate->op = (nl_compare)fwb_choice(b, section, "op", ops, 5, NL_CMP_GE);
    fwb_number(b, section, "threshold", true, -1e15, 1e15, &gate->threshold);
}

/* A points gate's weights: "SKILL:WEIGHT" items, every other skill 1. */
static void take_gate_weights(builder *b, nl_ini_section *section, nl_gate *gate)
{
    nl_framework *fw = b->fw;
    gate->weights = malloc((fw->skill_count ? fw->skill_count : 1) * sizeof *gate->weights);
    if (gate->weights == NULL) {
        b->out_of_memory = true;
        return;
    }
    for (size_t s = 0; s < fw->skill_count; s++)
        gate->weights[s] = 1;
    char **items;
    size_t count;
    long line = section->line;
    if (!fwb_list(b, section, "weights", false, &items, &count, &line))
        return;
    for (size_t i = 0; i < count; i++) {
        char written[256]; /* the item before fwb_split_pair cuts it, for the message */
        nl_sformat(written, sizeof written, "%s", items[i]);
        char *skill_text, *weight_text;
        double weight;
        size_t skill;
        if (!fwb_split_pair(items[i], &skill_text, &weight_text) ||
            !nl_parse_decimal(weight_text, false, &weight) || weight < 0)
            fwb_error(b, line, "gate %s: weight '%s' must read SKILL:WEIGHT with WEIGHT >= 0",
                      gate->id, written);
        else if (!nl_framework_find_skill(fw, skill_text, &skill))
            fwb_error(b, line, "gate %s: '%s' is not a skill of the template", gate->id,
                      skill_text);
        else
            gate->weights[skill] = weight;
    }
    nl_free_strings(items, count);
}

static void take_gate_parameters(builder *b, nl_ini_section *section, nl_gate *gate)
{
    switch (gate->kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
        take_gate_families(b, section, gate, "families", false, 0);
        fwb_number(b, section, "tolerance", false, 0, 1e6, &gate->tolerance);
        break;
    case NL_GATE_FAMILY_AVERAGE:
        take_gate_families(b, section, gate, "family", true, 1);
        fwb_number(b, section, "threshold", true, 0, 1, &gate->threshold);
        break;
    case NL_GATE_READINESS_SCORE:
        fwb_number(b, section, "threshold", true, 0, 100, &gate->threshold);
        break;
    case NL_GATE_FLOOR:
        take_gate_families(b, section, gate, "families", false, 0);
        if (b->fw->scale_min < b->fw->scale_max)
            fwb_number(b, section, "min_score", true, b->fw->scale_min, b->fw->scale_max,
                       &gate->threshold);
        else /* the scale could not be read: its own error says so */
            fwb_number(b, section, "min_score", true, -1e15, 1e15, &gate->threshold);
        break;
    case NL_GATE_CRITICAL_SKILLS:
        take_gate_skills(b, section, gate);
        fwb_number(b, section, "tolerance", false, 0, 1e6, &gate->tolerance);
        break;
    case NL_GATE_BALANCE:
        if (nl_ini_find(section, "families") != NULL) {
            take_gate_families(b, section, gate, "families", true, 2);
        } else {
            size_t technical, soft;
            gate->families = calloc(2, sizeof *gate->families);
            if (gate->families == NULL) {
                b->out_of_memory = true;
            } else if (nl_framework_find_family(b->fw, "technical", &technical) &&
                       nl_framework_find_family(b->fw, "soft", &soft)) {
                gate->families[0] = technical;
                gate->families[1] = soft;
                gate->family_count = 2;
            } else {
                fwb_error(b, section->line,
                          "gate %s: no families given and the template has no technical "
                          "and soft families",
                          gate->id, NULL);
            }
        }
        fwb_number(b, section, "max_distance", true, 0, 1, &gate->threshold);
        break;
    case NL_GATE_TENURE:
        fwb_number(b, section, "min_months", true, 0, 1200, &gate->threshold);
        break;
    case NL_GATE_ATTRIBUTE:
        take_gate_attribute(b, section, gate);
        break;
    case NL_GATE_POINTS:
        take_gate_families(b, section, gate, "families", false, 0);
        take_gate_weights(b, section, gate);
        fwb_number(b, section, "threshold", true, 0, 1e15, &gate->threshold);
        break;
    case NL_GATE_KIND_COUNT:
        break;
    }
}

void fwb_build_gate(builder *b, nl_ini_section *section, const char *id)
{
    nl_framework *fw = b->fw;
    static const char *const severities[] = {"hard", "soft"};
    nl_gate *gate = &fw->gates[fw->gate_count];
    *gate = (nl_gate){.line = section->line};
    if ((gate->id = nl_strdup(id)) == NULL) {
        b->out_of_memory = true;
        return;
    }
    fw->gate_count++;
    fwb_text(b, section, "title", false, &gate->title);
    if (gate->title == NULL && (gate->title = nl_strdup(id)) == NULL)
        b->out_of_memory = true;
    nl_ini_entry *severity = nl_ini_find(section, "severity");
    if (severity == NULL)
        fwb_error(b, section->line, "gate %s needs 'severity' (hard or soft)", id, NULL);
    gate->severity = (nl_severity)fwb_choice(b, section, "severity", severities, 2, NL_HARD);
    fwb_text(b, section, "mitigation", gate->severity == NL_SOFT && severity != NULL,
             &gate->mitigation);
    nl_ini_entry *kind = nl_ini_find(section, "kind");
    if (kind == NULL) {
        fwb_error(b, section->line, "gate %s needs 'kind'", id, NULL);
        gate->kind = NL_GATE_KIND_COUNT;
        return;
    }
    gate->kind = (nl_gate_kind)fwb_choice(b, section, "kind", gate_kind_names, NL_GATE_KIND_COUNT,
                                          NL_GATE_KIND_COUNT);
    take_gate_parameters(b, section, gate);
}

bool nl_gate_covers_family(const nl_gate *gate, size_t family)
{
    if (gate->family_count == 0)
        return true;
    for (size_t i = 0; i < gate->family_count; i++) {
        if (gate->families[i] == family)
            return true;
    }
    return false;
}

bool nl_gate_counts_points(const nl_framework *fw, const nl_gate *gate, size_t skill)
{
    return gate->kind == NL_GATE_POINTS && fw->skills[skill].point_count > 0 &&
           nl_gate_covers_family(gate, fw->skills[skill].family) &&
           (gate->weights == NULL || gate->weights[skill] > 0);
}

bool nl_gate_checks_expectation(const nl_framework *fw, const nl_gate *gate, size_t skill)
{
    if (gate->kind == NL_GATE_MEETS_EXPECTATIONS)
        return nl_gate_covers_family(gate, fw->skills[skill].family);
    for (size_t i = 0; gate->kind == NL_GATE_CRITICAL_SKILLS && i < gate->skill_count; i++) {
        if (gate->skills[i] == skill)
            return true;
    }
    return false;
}
