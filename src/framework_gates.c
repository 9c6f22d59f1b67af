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

const char *nl_gate_param_key(nl_gate_kind kind, nl_gate_param_id which)
{
    if (which == NL_GATE_TOLERANCE)
        return kind == NL_GATE_MEETS_EXPECTATIONS || kind == NL_GATE_CRITICAL_SKILLS ? "tolerance"
                                                                                     : NULL;
    switch (kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_CRITICAL_SKILLS:
    case NL_GATE_KIND_COUNT:
        return NULL;
    case NL_GATE_FLOOR:
        return "min_score";
    case NL_GATE_BALANCE:
        return "max_distance";
    case NL_GATE_TENURE:
        return "min_months";
    default: /* family_average, readiness_score, attribute, and kinds added since */
        return "threshold";
    }
}

/* The range a kind's param must lie in, as the plain key and every KEY.LEVEL read it. */
static void param_range(const nl_framework *fw, nl_gate_kind kind, nl_gate_param_id which,
                        double *min, double *max)
{
    *min = -1e15;
    *max = 1e15;
    if (which == NL_GATE_TOLERANCE) {
        *min = 0;
        *max = 1e6;
        return;
    }
    switch (kind) {
    case NL_GATE_FAMILY_AVERAGE:
    case NL_GATE_BALANCE:
        *min = 0;
        *max = 1;
        break;
    case NL_GATE_READINESS_SCORE:
        *min = 0;
        *max = 100;
        break;
    case NL_GATE_FLOOR:
        if (fw->scale_min < fw->scale_max) { /* else the scale's own error says so */
            *min = fw->scale_min;
            *max = fw->scale_max;
        }
        break;
    case NL_GATE_TENURE:
        *min = 0;
        *max = 1200;
        break;
    case NL_GATE_POINTS:
        *min = 0;
        break;
    default:
        break;
    }
}

/* Whether the section gives key per level (key.LEVEL): then the plain key may be left out, and
 * the gate applies only to the levels given. */
static bool has_per_level(const nl_ini_section *section, const char *key)
{
    size_t len = strlen(key);
    for (size_t e = 0; e < section->count; e++) {
        if (strncmp(section->entries[e].key, key, len) == 0 && section->entries[e].key[len] == '.')
            return true;
    }
    return false;
}

/* Reads the plain key of a param (required unless given per level). */
static void read_param(builder *b, nl_ini_section *section, nl_gate *gate, nl_gate_param_id which,
                       bool required)
{
    const char *key = nl_gate_param_key(gate->kind, which);
    double min, max;
    param_range(b->fw, gate->kind, which, &min, &max);
    fwb_number(b, section, key, required && !has_per_level(section, key), min, max,
               which == NL_GATE_THRESHOLD ? &gate->threshold : &gate->tolerance);
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
    read_param(b, section, gate, NL_GATE_THRESHOLD, true);
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
        read_param(b, section, gate, NL_GATE_TOLERANCE, false);
        break;
    case NL_GATE_FAMILY_AVERAGE:
        take_gate_families(b, section, gate, "family", true, 1);
        read_param(b, section, gate, NL_GATE_THRESHOLD, true);
        break;
    case NL_GATE_READINESS_SCORE:
        read_param(b, section, gate, NL_GATE_THRESHOLD, true);
        break;
    case NL_GATE_FLOOR:
        take_gate_families(b, section, gate, "families", false, 0);
        read_param(b, section, gate, NL_GATE_THRESHOLD, true);
        break;
    case NL_GATE_CRITICAL_SKILLS:
        take_gate_skills(b, section, gate);
        read_param(b, section, gate, NL_GATE_TOLERANCE, false);
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
        read_param(b, section, gate, NL_GATE_THRESHOLD, true);
        break;
    case NL_GATE_TENURE:
        read_param(b, section, gate, NL_GATE_THRESHOLD, true);
        break;
    case NL_GATE_ATTRIBUTE:
        take_gate_attribute(b, section, gate);
        break;
    case NL_GATE_POINTS:
        take_gate_families(b, section, gate, "families", false, 0);
        take_gate_weights(b, section, gate);
        read_param(b, section, gate, NL_GATE_THRESHOLD, true);
        break;
    case NL_GATE_KIND_COUNT:
        break;
    }
}

/* A level list for messages, "L5, L6", of the levels flags marks. */
static void level_list(const nl_framework *fw, const bool *flags, char *text, size_t size)
{
    text[0] = '\0';
    for (size_t l = 0; l < fw->level_count; l++) {
        if (!flags[l])
            continue;
        size_t used = strlen(text);
        nl_sformat(text + used, size - used, "%s%s", used ? ", " : "", fw->levels[l].id);
    }
}

/* levels = L4, L5: the gate applies only when the next level is one of them. */
static void take_levels(builder *b, nl_ini_section *section, nl_gate *gate)
{
    nl_framework *fw = b->fw;
    nl_ini_entry *entry = nl_ini_find(section, "levels");
    if (entry == NULL)
        return;
    fwb_item *items;
    size_t count;
    if (!fwb_items(b, entry, &items, &count))
        return;
    gate->applies_to = calloc(fw->level_count ? fw->level_count : 1, sizeof *gate->applies_to);
    if (gate->applies_to == NULL) {
        b->out_of_memory = true;
        fwb_free_items(items, count);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        size_t level;
        if (nl_framework_find_level(fw, items[i].text, &level))
            gate->applies_to[level] = true;
        else
            nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, items[i].line, items[i].column,
                        "gate %s: levels names '%s', which is not a level of the template",
                        gate->id, items[i].text);
    }
    if (count == 0)
        fwb_error(b, entry->line, "gate %s: 'levels' names no level", gate->id, NULL);
    fwb_free_items(items, count);
}

/* KEY.LEVEL = VALUE for a param of the gate's kind: its value for people whose next level is
 * LEVEL. A dotted key of another name stays unused, reported as an unknown key. */
static void take_per_level(builder *b, nl_ini_entry *entry, nl_gate *gate)
{
    nl_framework *fw = b->fw;
    const char *dot = strchr(entry->key, '.');
    if (entry->used || dot == NULL)
        return;
    size_t key_len = (size_t)(dot - entry->key);
    nl_gate_param_id which = NL_GATE_PARAM_COUNT;
    for (int p = 0; p < NL_GATE_PARAM_COUNT; p++) {
        const char *key = nl_gate_param_key(gate->kind, (nl_gate_param_id)p);
        if (key != NULL && strlen(key) == key_len && strncmp(key, entry->key, key_len) == 0)
            which = (nl_gate_param_id)p;
    }
    if (which == NL_GATE_PARAM_COUNT)
        return;
    entry->used = true;
    const char *level_text = dot + 1;
    size_t level;
    if (!nl_framework_find_level(fw, level_text, &level)) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, entry->line,
                    entry->column + (long)key_len + 1,
                    "gate %s: '%s' names no level of the template: after '%.*s.' comes a level "
                    "id or title",
                    gate->id, entry->key, (int)key_len, entry->key);
        return;
    }
    double value, min, max;
    param_range(fw, gate->kind, which, &min, &max);
    long value_column = entry->parts ? entry->parts[0].column : 0;
    if (!nl_parse_decimal(entry->value, false, &value)) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, entry->line, value_column,
                    "'%s' must be a number, not '%s'", entry->key, entry->value);
        return;
    }
    if (value < min || value > max) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, entry->line, value_column,
                    "'%s' must be between %g and %g, not %g", entry->key, min, max, value);
        return;
    }
    double **at = &gate->per_level[which];
    if (*at == NULL) {
        if ((*at = malloc((fw->level_count ? fw->level_count : 1) * sizeof **at)) == NULL) {
            b->out_of_memory = true;
            return;
        }
        for (size_t l = 0; l < fw->level_count; l++)
            (*at)[l] = NAN;
    }
    if (!isnan((*at)[level])) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, entry->line, entry->column,
                    "gate %s: %s for level %s is given twice", gate->id, entry->key,
                    fw->levels[level].id);
        return;
    }
    (*at)[level] = value;
    if (gate->applies_to != NULL && !gate->applies_to[level]) {
        char list[512];
        level_list(fw, gate->applies_to, list, sizeof list);
        nl_diag_add(&fw->diags, NL_DIAG_WARNING, fw->path, entry->line, entry->column,
                    "gate %s: %s is never used: the gate applies only to %s (levels)", gate->id,
                    entry->key, list);
    }
}

/* A required param given only per level (no plain key): the gate applies to those levels
 * alone, and a level its `levels` names must have a value. */
static void limit_to_given_levels(builder *b, nl_ini_section *section, nl_gate *gate)
{
    nl_framework *fw = b->fw;
    const char *key = nl_gate_param_key(gate->kind, NL_GATE_THRESHOLD);
    const double *at = gate->per_level[NL_GATE_THRESHOLD];
    if (key == NULL || at == NULL || nl_ini_find(section, key) != NULL)
        return;
    gate->threshold = NAN; /* no value for the other levels, which the gate leaves alone */
    if (gate->applies_to == NULL) {
        gate->applies_to = calloc(fw->level_count ? fw->level_count : 1, sizeof *gate->applies_to);
        if (gate->applies_to == NULL) {
            b->out_of_memory = true;
            return;
        }
        for (size_t l = 0; l < fw->level_count; l++)
            gate->applies_to[l] = !isnan(at[l]);
        return;
    }
    nl_ini_entry *levels = nl_ini_find(section, "levels");
    for (size_t l = 0; l < fw->level_count; l++) {
        if (gate->applies_to[l] && isnan(at[l]))
            nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, levels ? levels->line : gate->line, 0,
                        "gate %s applies to %s (levels) but gives no %s for it: give %s or "
                        "%s.%s",
                        gate->id, fw->levels[l].id, key, key, key, fw->levels[l].id);
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
    take_levels(b, section, gate);
    for (size_t e = 0; e < section->count; e++)
        take_per_level(b, &section->entries[e], gate);
    limit_to_given_levels(b, section, gate);
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

nl_status nl_framework_override_threshold(nl_framework *fw, const char *spec, nl_error *err)
{
    const char *equals = strchr(spec, '=');
    if (equals == NULL || equals == spec)
        return nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                            "--threshold: '%s' must read GATE=VALUE or GATE.LEVEL=VALUE, e.g. "
                            "readiness=80",
                            spec);
    char *name = nl_strndup(spec, (size_t)(equals - spec));
    if (name == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    char *level_name = strchr(name, '.');
    if (level_name != NULL)
        *level_name++ = '\0';
    nl_status status = NL_OK;
    size_t gate = SIZE_MAX, level = SIZE_MAX;
    for (size_t g = 0; g < fw->gate_count && gate == SIZE_MAX; g++)
        if (strcmp(fw->gates[g].id, name) == 0)
            gate = g;
    double value;
    if (gate == SIZE_MAX) {
        status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                              "--threshold: the template has no gate '%s'", name);
    } else if (fw->gates[gate].kind != NL_GATE_READINESS_SCORE) {
        status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                              "--threshold: gate %s is a %s gate; only readiness_score gates "
                              "take a threshold from the command line",
                              name, nl_gate_kind_name(fw->gates[gate].kind));
    } else if (level_name != NULL && !nl_framework_find_level(fw, level_name, &level)) {
        status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                              "--threshold: '%s' names no level of the template: after '%s.' "
                              "comes a level id or title",
                              spec, name);
    } else if (level != SIZE_MAX && !nl_gate_applies(&fw->gates[gate], level)) {
        status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                              "--threshold: gate %s does not apply to people whose next level is "
                              "%s (see its levels key)",
                              name, fw->levels[level].id);
    } else if (!nl_parse_decimal(equals + 1, false, &value) || value < 0 || value > 100) {
        status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                              "--threshold: the threshold of gate %s must be a readiness score "
                              "from 0 to 100, not '%s'",
                              name, equals + 1);
    }
    free(name);
    if (status != NL_OK)
        return status;
    nl_gate *g = &fw->gates[gate];
    double *at = g->per_level[NL_GATE_THRESHOLD];
    if (level == SIZE_MAX) {
        /* Every level: the plain key and every threshold.LEVEL the template gives. */
        g->threshold = value;
        for (size_t l = 0; at != NULL && l < fw->level_count; l++)
            if (!isnan(at[l]))
                at[l] = value;
    } else {
        if (at == NULL) {
            at = malloc((fw->level_count ? fw->level_count : 1) * sizeof *at);
            if (at == NULL)
                return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
            for (size_t l = 0; l < fw->level_count; l++)
                at[l] = NAN;
            g->per_level[NL_GATE_THRESHOLD] = at;
        }
        at[level] = value;
    }
    nl_threshold_override *grown =
        realloc(fw->threshold_overrides, (fw->threshold_override_count + 1) * sizeof *grown);
    if (grown == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    fw->threshold_overrides = grown;
    grown[fw->threshold_override_count++] = (nl_threshold_override){gate, level, value};
    return NL_OK;
}

double nl_gate_param(const nl_gate *gate, nl_gate_param_id which, size_t next_level)
{
    const double *at = gate->per_level[which];
    if (at != NULL && !isnan(at[next_level]))
        return at[next_level];
    return which == NL_GATE_THRESHOLD ? gate->threshold : gate->tolerance;
}

bool nl_gate_applies(const nl_gate *gate, size_t next_level)
{
    return gate->applies_to == NULL || gate->applies_to[next_level];
}

bool nl_gate_varies(const nl_gate *gate)
{
    return gate->applies_to != NULL || gate->per_level[NL_GATE_THRESHOLD] != NULL ||
           gate->per_level[NL_GATE_TOLERANCE] != NULL;
}
