#include "framework_build.h"

#include "nextlevel/csvread.h"
#include "nextlevel/inidoc.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const field_names[NL_FIELD_COUNT] = {
    "id",    "name",  "team",     "manager", "level",          "months_in_level",
    "skill", "score", "assessor", "date",    "years_in_level", "level_start_date",
};

static const char *const date_format_names[NL_DATE_FORMAT_COUNT] = {"YYYY-MM-DD", "DD.MM.YYYY",
                                                                    "DD/MM/YYYY", "MM/DD/YYYY"};

const char *nl_date_format_name(nl_date_format format)
{
    return format < NL_DATE_FORMAT_COUNT ? date_format_names[format] : "unknown";
}

const char *nl_field_name(nl_field field)
{
    return field < NL_FIELD_COUNT ? field_names[field] : "unknown";
}

const char *nl_compare_name(nl_compare op)
{
    static const char *const names[] = {">=", ">", "<=", "<", "="};
    return names[op];
}

const char *nl_aggregate_name(nl_aggregate rule)
{
    static const char *const names[] = {"mean", "median", "min", "roles"};
    return names[rule];
}

bool nl_framework_find_family(const nl_framework *fw, const char *name, size_t *index)
{
    for (size_t i = 0; i < fw->family_count; i++) {
        if (strcmp(fw->families[i], name) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* Ids (exact) and folded ids and names, each mapped to the first skill or level that has it. */
struct nl_name_index {
    nl_strmap *exact, *folded;
    size_t indexed; /* entries 0..indexed-1 are in the maps */
};

typedef struct named_array {
    const char *base;
    size_t count, stride, id_offset, name_offset;
} named_array;

static const char *named_text(const named_array *a, size_t i, size_t offset)
{
    return *(char *const *)(a->base + i * a->stride + offset);
}

/* Adds folded(text) -> i unless an earlier entry has it. */
static bool index_folded(nl_strmap *map, const char *text, size_t i)
{
    if (text == NULL)
        return true;
    char *key = nl_fold_key(text, strlen(text));
    bool ok = key != NULL && (nl_strmap_get(map, key, NULL) || nl_strmap_put(map, key, i));
    free(key);
    return ok;
}

/* Brings the index up to the array's count, making its maps on first use. Returns NULL when
 * there is none or out of memory (the caller then searches one by one). The framework is
 * complete before any thread reads it, so growing here never races. */
static struct nl_name_index *index_of(struct nl_name_index *x, const named_array *a)
{
    if (x == NULL)
        return NULL;
    if (x->exact == NULL)
        x->exact = nl_strmap_new_borrowing();
    if (x->folded == NULL)
        x->folded = nl_strmap_new();
    if (x->exact == NULL || x->folded == NULL)
        return NULL;
    for (; x->indexed < a->count; x->indexed++) {
        const char *id = named_text(a, x->indexed, a->id_offset);
        if (!nl_strmap_get(x->exact, id, NULL) && !nl_strmap_put(x->exact, id, x->indexed))
            return NULL;
        if (!index_folded(x->folded, id, x->indexed) ||
            !index_folded(x->folded, named_text(a, x->indexed, a->name_offset), x->indexed))
            return NULL;
    }
    return x;
}

static void index_free(struct nl_name_index *x)
{
    if (x == NULL)
        return;
    nl_strmap_free(x->exact);
    nl_strmap_free(x->folded);
    free(x);
}

/* The first entry whose folded id or name equals folded, searched one by one. */
static bool find_folded_linear(const named_array *a, const char *folded, size_t *index)
{
    for (size_t i = 0; i < a->count; i++) {
        const char *name = named_text(a, i, a->name_offset);
        if (nl_fold_equal(named_text(a, i, a->id_offset), folded) ||
            (name && nl_fold_equal(name, folded))) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* Matches text against ids exactly, then against ids and names in folded form. */
static bool find_named(struct nl_name_index *slot, const named_array *a, const char *text,
                       size_t *index)
{
    struct nl_name_index *x = index_of(slot, a);
    if (x != NULL) {
        if (nl_strmap_get(x->exact, text, index))
            return true;
        char *key = nl_fold_key(text, strlen(text));
        if (key != NULL) {
            bool found = nl_strmap_get(x->folded, key, index);
            free(key);
            return found;
        }
    }
    for (size_t i = 0; i < a->count; i++) {
        if (strcmp(named_text(a, i, a->id_offset), text) == 0) {
            *index = i;
            return true;
        }
    }
    return find_folded_linear(a, text, index);
}

static named_array skills_of(const nl_framework *fw)
{
    return (named_array){(const char *)fw->skills, fw->skill_count, sizeof(nl_skill),
                         offsetof(nl_skill, id), offsetof(nl_skill, name)};
}

bool nl_framework_find_skill(const nl_framework *fw, const char *text, size_t *index)
{
    named_array a = skills_of(fw);
    return find_named(fw->skill_index, &a, text, index);
}

bool nl_framework_find_level(const nl_framework *fw, const char *text, size_t *index)
{
    named_array a = {(const char *)fw->levels, fw->level_count, sizeof(nl_level),
                     offsetof(nl_level, id), offsetof(nl_level, title)};
    return find_named(fw->level_index, &a, text, index);
}

bool nl_framework_match_skill(const nl_framework *fw, const char *folded, size_t *index)
{
    named_array a = skills_of(fw);
    struct nl_name_index *x = index_of(fw->skill_index, &a);
    if (x != NULL)
        return nl_strmap_get(x->folded, folded, index);
    return find_folded_linear(&a, folded, index);
}

bool nl_framework_find_profile(const nl_framework *fw, const char *name, size_t *index)
{
    for (size_t i = 0; i < fw->profile_count; i++) {
        if (strcmp(fw->profiles[i].name, name) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* Finds a label among count (ignoring case) of the trimmed span text[0..len). */
static const nl_label *find_label(const nl_label *labels, size_t count, const char *text,
                                  size_t len)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(labels[i].text) == len && nl_strncaseeq(labels[i].text, text, len))
            return &labels[i];
    }
    return NULL;
}

bool nl_framework_parse_score(const nl_framework *fw, size_t skill, const char *text,
                              bool decimal_comma, double *score)
{
    const nl_skill *sk = &fw->skills[skill];
    double value;
    if (nl_parse_decimal(text, decimal_comma, &value)) {
        if (value < sk->scale_min || value > sk->scale_max)
            return false;
        *score = value;
        return true;
    }
    /* Trimmed by bounds, not in a copy: a copy that failed read as "not a label", and the row
     * was rejected instead of the run stopping for want of memory. */
    size_t len;
    const char *trimmed = nl_trimmed_span(text, &len);
    const nl_label *label = find_label(sk->labels, sk->label_count, trimmed, len);
    if (label == NULL)
        return false;
    *score = label->value;
    return true;
}

bool nl_framework_other_label(const nl_framework *fw, size_t skill, const char *text, size_t *other,
                              double *value)
{
    size_t len;
    const char *trimmed = nl_trimmed_span(text, &len);
    const nl_label *label;
    /* Only on a rejected cell, so a scan of every skill costs nothing on good rows. */
    for (size_t s = 0; s < fw->skill_count; s++) {
        const nl_skill *sk = &fw->skills[s];
        if (s == skill || !sk->own_labels ||
            (label = find_label(sk->labels, sk->label_count, trimmed, len)) == NULL)
            continue;
        *other = s;
        *value = label->value;
        return true;
    }
    if (fw->skills[skill].labels != fw->labels &&
        (label = find_label(fw->labels, fw->label_count, trimmed, len)) != NULL) {
        *other = SIZE_MAX;
        *value = label->value;
        return true;
    }
    return false;
}

static const char *label_among(const nl_label *labels, size_t count, double score)
{
    for (size_t i = 0; i < count; i++) {
        if (labels[i].value == score)
            return labels[i].text;
    }
    return NULL;
}

const char *nl_framework_label(const nl_framework *fw, double score)
{
    return label_among(fw->labels, fw->label_count, score);
}

const char *nl_skill_label(const nl_framework *fw, size_t skill, double score)
{
    return label_among(fw->skills[skill].labels, fw->skills[skill].label_count, score);
}

bool nl_skill_points(const nl_framework *fw, size_t skill, double score, double *points)
{
    const nl_skill *sk = &fw->skills[skill];
    if (sk->point_count == 0 || isnan(score))
        return false;
    double earned = 0;
    for (size_t i = 0; i < sk->point_count && sk->points[i].value <= score + 1e-9; i++)
        earned = sk->points[i].points;
    *points = earned;
    return true;
}

bool nl_framework_has_points(const nl_framework *fw)
{
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (fw->skills[s].point_count > 0)
            return true;
    }
    return false;
}

bool nl_gate_kind_reads_skills(nl_gate_kind kind)
{
    /* A switch without a default, so that a new kind is a compiler warning here until it is
     * sorted into one side. */
    switch (kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_FAMILY_AVERAGE:
    case NL_GATE_READINESS_SCORE:
    case NL_GATE_FLOOR:
    case NL_GATE_CRITICAL_SKILLS:
    case NL_GATE_BALANCE:
    case NL_GATE_POINTS:
        return true;
    case NL_GATE_TENURE:
    case NL_GATE_ATTRIBUTE:
    case NL_GATE_KIND_COUNT:
        break;
    }
    return false;
}

size_t nl_framework_level_of_points(const nl_framework *fw, double total)
{
    size_t best = 0;
    double best_min = -INFINITY;
    for (size_t l = 0; l < fw->level_count; l++) {
        double m = fw->levels[l].min_points;
        if (!isnan(m) && m <= total + 1e-9 && m > best_min) {
            best = l;
            best_min = m;
        }
    }
    return best;
}

double nl_framework_total_points(const nl_framework *fw, const double *scores)
{
    double total = 0, points;
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (nl_skill_points(fw, s, scores[s], &points))
            total += points;
    }
    return total;
}

double nl_profile_family_share(const nl_framework *fw, const nl_profile *profile, size_t family)
{
    double total = 0;
    for (size_t f = 0; f < fw->family_count; f++)
        total += profile->family_weight[f];
    return total > 0 ? profile->family_weight[family] / total : 0;
}

/* ---- [framework] ---- */

/* Reads a scale key ("LOW..HIGH") into *low and *high. Returns whether it was given and valid;
 * an invalid one is an error and leaves 0..0. */
static bool read_scale(builder *b, nl_ini_entry *scale, double *low, double *high)
{
    const char *dots = strstr(scale->value, "..");
    char low_text[64] = "", high_text[64] = "";
    if (dots != NULL && (size_t)(dots - scale->value) < sizeof low_text) {
        memcpy(low_text, scale->value, (size_t)(dots - scale->value));
        nl_sformat(high_text, sizeof high_text, "%s", dots + 2);
    }
    if (dots == NULL || !nl_parse_decimal(low_text, false, low) ||
        !nl_parse_decimal(high_text, false, high) || *low >= *high) {
        fwb_error(b, scale->line, "scale must read LOW..HIGH with LOW < HIGH, not '%s'",
                  scale->value, NULL);
        *low = 0;
        *high = 0;
        return false;
    }
    return true;
}

static void build_scale(builder *b, nl_ini_section *section)
{
    nl_framework *fw = b->fw;
    nl_ini_entry *scale = nl_ini_find(section, "scale");
    if (scale == NULL) {
        fwb_error(b, section->line, "[%s] needs 'scale', e.g. scale = 1..5", section->name, NULL);
        return;
    }
    read_scale(b, scale, &fw->scale_min, &fw->scale_max);
}

/* Reads a labels key into a new array (freed by the caller with free_labels), against the
 * scale low..high (0..0: not known, no range check). Returns whether the key was given. */
static bool build_labels(builder *b, nl_ini_section *section, double low, double high,
                         nl_label **out, size_t *out_count)
{
    char **items;
    size_t count;
    long line;
    *out = NULL;
    *out_count = 0;
    if (!fwb_list(b, section, "labels", false, &items, &count, &line))
        return false;
    nl_label *labels = calloc(count ? count : 1, sizeof *labels);
    if (labels == NULL) {
        b->out_of_memory = true;
        nl_free_strings(items, count);
        return true;
    }
    *out = labels;
    for (size_t i = 0; i < count; i++) {
        char *value_text, *text;
        double value;
        /* A label reads "3:Proficient": the number comes first here. */
        char *colon = strchr(items[i], ':');
        if (colon == NULL) {
            fwb_error(b, line, "label '%s' must read SCORE:TEXT, e.g. 3:Proficient", items[i],
                      NULL);
            continue;
        }
        *colon = '\0';
        value_text = nl_trim(items[i]);
        text = nl_trim(colon + 1);
        if (!nl_parse_decimal(value_text, false, &value) || *text == '\0') {
            fwb_error(b, line, "label '%s' must read SCORE:TEXT, e.g. 3:Proficient", value_text,
                      NULL);
            continue;
        }
        if (low < high && (value < low || value > high)) {
            fwb_error(b, line, "label score %s is outside the scale", value_text, NULL);
            continue;
        }
        labels[*out_count].value = value;
        labels[*out_count].text = nl_strdup(text);
        if (labels[*out_count].text == NULL) {
            b->out_of_memory = true;
            break;
        }
        (*out_count)++;
    }
    nl_free_strings(items, count);
    return true;
}

static void free_labels(nl_label *labels, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(labels[i].text);
    free(labels);
}

static int compare_points(const void *a, const void *b)
{
    const nl_point *x = a, *y = b;
    return (x->value > y->value) - (x->value < y->value);
}

/* Reads a points key ("VALUE:POINTS" or "LABEL:POINTS" items) against a scale and its labels
 * into a new array sorted by value (freed by the caller). where names the section for
 * messages. Returns whether the key was given. */
static bool build_points(builder *b, nl_ini_section *section, double low, double high,
                         const nl_label *labels, size_t label_count, nl_point **out,
                         size_t *out_count)
{
    char **items;
    size_t count;
    long line;
    *out = NULL;
    *out_count = 0;
    if (!fwb_list(b, section, "points", false, &items, &count, &line))
        return false;
    nl_point *points = calloc(count ? count : 1, sizeof *points);
    if (points == NULL) {
        b->out_of_memory = true;
        nl_free_strings(items, count);
        return true;
    }
    *out = points;
    for (size_t i = 0; i < count; i++) {
        char written[256]; /* the item before fwb_split_pair cuts it, for the message */
        nl_sformat(written, sizeof written, "%s", items[i]);
        char *key, *points_text;
        double value, earned;
        if (!fwb_split_pair(items[i], &key, &points_text) ||
            !nl_parse_decimal(points_text, false, &earned)) {
            fwb_error(b, line, "points item '%s' must read SCORE:POINTS or LABEL:POINTS, e.g. 3:6",
                      written, NULL);
            continue;
        }
        const nl_label *label = find_label(labels, label_count, key, strlen(key));
        if (label != NULL) {
            value = label->value;
        } else if (!nl_parse_decimal(key, false, &value) ||
                   (low < high && (value < low || value > high))) {
            fwb_error(b, line,
                      "points: '%s' is neither a score on the scale nor one of its labels (in "
                      "[%s])",
                      key, section->name);
            continue;
        }
        bool duplicate = false;
        for (size_t k = 0; k < *out_count; k++)
            duplicate = duplicate || points[k].value == value;
        if (duplicate) {
            fwb_error(b, line, "points: the score '%s' is given twice (in [%s])", key,
                      section->name);
            continue;
        }
        points[(*out_count)++] = (nl_point){value, earned};
    }
    nl_free_strings(items, count);
    qsort(points, *out_count, sizeof *points, compare_points);
    for (size_t k = 1; k < *out_count; k++) {
        if (points[k].points <= points[k - 1].points) {
            char detail[128];
            nl_sformat(detail, sizeof detail, "%g earns %g, no more than %g at %g", points[k].value,
                       points[k].points, points[k - 1].points, points[k - 1].value);
            fwb_error(b, line,
                      "points not increasing in [%s]: %s; a higher score must earn more points",
                      section->name, detail);
            break;
        }
    }
    return true;
}

static void build_role_weights(builder *b, nl_ini_section *section)
{
    nl_framework *fw = b->fw;
    char **items;
    size_t count;
    long line;
    if (!fwb_list(b, section, "role_weights", fw->aggregate == NL_AGG_ROLES, &items, &count, &line))
        return;
    fw->role_weights = calloc(count ? count : 1, sizeof *fw->role_weights);
    if (fw->role_weights == NULL) {
        b->out_of_memory = true;
        nl_free_strings(items, count);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        char *role, *weight_text;
        double weight;
        char written[256]; /* the item before fwb_split_pair cuts it, for the message */
        nl_sformat(written, sizeof written, "%s", items[i]);
        if (!fwb_split_pair(items[i], &role, &weight_text) ||
            !nl_parse_decimal(weight_text, false, &weight) || weight < 0) {
            fwb_error(b, line, "role weight '%s' must read ROLE:WEIGHT with WEIGHT >= 0", written,
                      NULL);
            continue;
        }
        nl_role_weight *rw = &fw->role_weights[fw->role_weight_count];
        rw->role = nl_strdup(role);
        rw->weight = weight;
        if (rw->role == NULL) {
            b->out_of_memory = true;
            break;
        }
        fw->role_weight_count++;
    }
    nl_free_strings(items, count);
}

/* Joins a path relative to the template's folder. */
static char *resolve_relative(const char *template_path, const char *relative)
{
    if (relative[0] == '/')
        return nl_strdup(relative);
    const char *slash = strrchr(template_path, '/');
    if (slash == NULL)
        return nl_strdup(relative);
    char *dir = nl_strndup(template_path, (size_t)(slash - template_path + 1));
    return dir ? nl_strjoin(dir, "", relative) : NULL;
}

static void build_framework_section(builder *b, nl_ini_section *section, char **default_profile,
                                    long *default_profile_line)
{
    nl_framework *fw = b->fw;
    static const char *const missing_names[] = {"not_evaluated", "skip"};
    static const char *const aggregate_names[] = {"mean", "median", "min", "roles"};
    fwb_text(b, section, "name", true, &fw->name);
    fwb_text(b, section, "description", false, &fw->description);
    build_scale(b, section);
    fw->step = NL_DEFAULT_STEP;
    fwb_number(b, section, "step", false, 0.001, 100, &fw->step);
    build_labels(b, section, fw->scale_min, fw->scale_max, &fw->labels, &fw->label_count);
    build_points(b, section, fw->scale_min, fw->scale_max, fw->labels, fw->label_count, &fw->points,
                 &fw->point_count);
    static const char *const level_from_names[] = {"column", "points"};
    fw->level_from = (nl_level_from)fwb_choice(b, section, "level_from", level_from_names, 2,
                                               NL_LEVEL_FROM_COLUMN);
    fw->missing_rule = (nl_missing_rule)fwb_choice(b, section, "missing_scores", missing_names, 2,
                                                   NL_MISSING_NOT_EVALUATED);
    fw->aggregate =
        (nl_aggregate)fwb_choice(b, section, "aggregate", aggregate_names, 4, NL_AGG_MEAN);
    build_role_weights(b, section);
    fw->growth_per_quarter = NL_DEFAULT_GROWTH_PER_QUARTER;
    fwb_number(b, section, "growth_per_quarter", false, 0.01, 1000, &fw->growth_per_quarter);
    nl_ini_entry *profile = nl_ini_find(section, "default_priorities");
    if (profile != NULL) {
        *default_profile = profile->value;
        *default_profile_line = profile->line;
    }
    char *grid = NULL;
    if (fwb_text(b, section, "expectations_file", false, &grid)) {
        fw->expectations_path = resolve_relative(fw->path, grid);
        if (fw->expectations_path == NULL)
            b->out_of_memory = true;
        free(grid);
    }
}

static void build_columns(builder *b, nl_ini_section *section)
{
    nl_framework *fw = b->fw;
    for (int f = 0; f < NL_FIELD_COUNT; f++) {
        if (section != NULL)
            fwb_text(b, section, field_names[f], false, &fw->columns[f]);
        if (fw->columns[f] == NULL && (fw->columns[f] = nl_strdup(field_names[f])) == NULL)
            b->out_of_memory = true;
    }
    if (section != NULL)
        fw->date_format = (nl_date_format)fwb_choice(b, section, "date_format", date_format_names,
                                                     NL_DATE_FORMAT_COUNT, NL_DATE_ISO);
}

/* ---- [skill ID] and [attribute ID] ---- */

static size_t intern_family(builder *b, const char *family)
{
    nl_framework *fw = b->fw;
    size_t index;
    if (nl_framework_find_family(fw, family, &index))
        return index;
    char **grown = realloc(fw->families, (fw->family_count + 1) * sizeof *grown);
    if (grown == NULL) {
        b->out_of_memory = true;
        return 0;
    }
    fw->families = grown;
    if ((fw->families[fw->family_count] = nl_strdup(family)) == NULL) {
        b->out_of_memory = true;
        return 0;
    }
    return fw->family_count++;
}

/* The skill's scale, labels and points: its own keys, else the framework's. A skill with its
 * own scale starts with no labels and no points: the framework's would not fit it. */
static void build_skill_scale(builder *b, nl_ini_section *section, nl_skill *skill)
{
    nl_framework *fw = b->fw;
    nl_ini_entry *scale = nl_ini_find(section, "scale");
    bool own_scale = scale != NULL;
    skill->scale_min = fw->scale_min;
    skill->scale_max = fw->scale_max;
    if (own_scale) {
        scale->used = true;
        read_scale(b, scale, &skill->scale_min, &skill->scale_max);
    }
    skill->own_labels = build_labels(b, section, skill->scale_min, skill->scale_max, &skill->labels,
                                     &skill->label_count);
    if (!skill->own_labels && !own_scale) {
        skill->labels = fw->labels;
        skill->label_count = fw->label_count;
    }
    skill->own_points = build_points(b, section, skill->scale_min, skill->scale_max, skill->labels,
                                     skill->label_count, &skill->points, &skill->point_count);
    if (!skill->own_points && !own_scale) {
        skill->points = fw->points;
        skill->point_count = fw->point_count;
    }
}

static void build_skill(builder *b, nl_ini_section *section, const char *id)
{
    nl_framework *fw = b->fw;
    nl_skill *skill = &fw->skills[fw->skill_count];
    *skill = (nl_skill){.line = section->line};
    if ((skill->id = nl_strdup(id)) == NULL) {
        b->out_of_memory = true;
        return;
    }
    fw->skill_count++;
    fwb_text(b, section, "name", true, &skill->name);
    fwb_text(b, section, "description", false, &skill->description);
    skill->step = fw->step;
    fwb_number(b, section, "step", false, 0.001, 100, &skill->step);
    build_skill_scale(b, section, skill);
    char *family = NULL;
    if (fwb_text(b, section, "family", true, &family)) {
        if (!fwb_valid_id(family))
            fwb_error(b, section->line, "family '%s' must be a single word", family, NULL);
        skill->family = intern_family(b, family);
        free(family);
    }
    if (skill->name == NULL && (skill->name = nl_strdup(id)) == NULL)
        b->out_of_memory = true;
}

static void build_attribute(builder *b, nl_ini_section *section, const char *id)
{
    nl_framework *fw = b->fw;
    nl_attribute *attr = &fw->attributes[fw->attribute_count];
    *attr = (nl_attribute){.line = section->line};
    if ((attr->id = nl_strdup(id)) == NULL) {
        b->out_of_memory = true;
        return;
    }
    fw->attribute_count++;
    fwb_text(b, section, "description", false, &attr->description);
    if (!fwb_text(b, section, "column", false, &attr->column) &&
        (attr->column = nl_strdup(id)) == NULL)
        b->out_of_memory = true;
}

/* ---- [level ID] ---- */

/* Sets level's expectation for a skill from "skill:score" text; source names where it came
 * from for the duplicate message. */
void fwb_set_expectation(builder *b, nl_level *level, const char *path, long line, long column,
                         const char *skill_text, const char *score_text)
{
    nl_framework *fw = b->fw;
    size_t skill;
    double score;
    if (!nl_framework_find_skill(fw, skill_text, &skill)) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, path, line, column,
                    "level %s: unknown skill '%s' in expectations", level->id, skill_text);
        return;
    }
    const nl_skill *sk = &fw->skills[skill];
    if (!nl_parse_decimal(score_text, false, &score) &&
        !nl_framework_parse_score(fw, skill, score_text, false, &score)) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, path, line, column,
                    "level %s: expectation '%s' for %s is neither a number nor a label", level->id,
                    score_text, fw->skills[skill].id);
        return;
    }
    /* Against a scale that could not be read (0..0), only the scale's own error is reported. */
    if (sk->scale_min < sk->scale_max && (score < sk->scale_min || score > sk->scale_max)) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, path, line, column,
                    "level %s: expectation %g for %s is outside the scale %g..%g", level->id, score,
                    fw->skills[skill].id, sk->scale_min, sk->scale_max);
        return;
    }
    if (!isnan(level->expected[skill])) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, path, line, column,
                    "level %s: the expectation for %s is given twice", level->id,
                    fw->skills[skill].id);
        return;
    }
    level->expected[skill] = score;
}

static void build_level(builder *b, nl_ini_section *section, const char *id)
{
    nl_framework *fw = b->fw;
    nl_level *level = &fw->levels[fw->level_count];
    *level = (nl_level){.line = section->line};
    level->id = nl_strdup(id);
    level->expected = malloc((fw->skill_count ? fw->skill_count : 1) * sizeof(double));
    if (level->id == NULL || level->expected == NULL) {
        free(level->id);
        free(level->expected);
        b->out_of_memory = true;
        return;
    }
    for (size_t s = 0; s < fw->skill_count; s++)
        level->expected[s] = NAN;
    level->min_points = NAN;
    fw->level_count++;
    fwb_number(b, section, "min_points", false, -1e15, 1e15, &level->min_points);
    level->entry = fw->level_count == 1; /* the first level is always an entry level */
    fwb_text(b, section, "title", true, &level->title);
    if (level->title == NULL && (level->title = nl_strdup(id)) == NULL)
        b->out_of_memory = true;
    nl_ini_entry *entry = nl_ini_find(section, "entry");
    if (entry != NULL) {
        if (strcmp(entry->value, "yes") == 0)
            level->entry = true;
        else if (strcmp(entry->value, "no") != 0)
            fwb_error(b, entry->line, "'entry' must be yes or no, not '%s'", entry->value, NULL);
    }
    char **items;
    size_t count;
    long line;
    if (fwb_list(b, section, "expectations", false, &items, &count, &line)) {
        for (size_t i = 0; i < count; i++) {
            char *skill_text, *score_text;
            if (!fwb_split_pair(items[i], &skill_text, &score_text))
                nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, line, 0,
                            "level %s: expectation '%s' must read SKILL:SCORE", level->id,
                            items[i]);
            else
                fwb_set_expectation(b, level, fw->path, line, 0, skill_text, score_text);
        }
        nl_free_strings(items, count);
    }
}

/* Resolves every level's `next` once all level ids are known. */
static void link_levels(builder *b)
{
    nl_framework *fw = b->fw;
    nl_ini_doc *doc = b->doc;
    for (size_t s = 0; s < doc->count; s++) {
        const char *id = fwb_section_arg(&doc->sections[s], "level");
        size_t index;
        if (id == NULL || !nl_framework_find_level(fw, id, &index) ||
            fw->levels[index].line != doc->sections[s].line)
            continue;
        nl_level *level = &fw->levels[index];
        char **items;
        size_t count;
        long line;
        if (!fwb_list(b, &doc->sections[s], "next", false, &items, &count, &line))
            continue;
        level->next = calloc(count ? count : 1, sizeof *level->next);
        if (level->next == NULL) {
            b->out_of_memory = true;
            nl_free_strings(items, count);
            return;
        }
        for (size_t i = 0; i < count; i++) {
            size_t next;
            if (strcmp(items[i], level->id) == 0)
                fwb_error(b, line, "level %s names itself as its next level", level->id, NULL);
            else if (!nl_framework_find_level(fw, items[i], &next))
                fwb_error(b, line, "next level '%s' of %s does not exist", items[i], level->id);
            else
                level->next[level->next_count++] = next;
        }
        nl_free_strings(items, count);
    }
}

/* not_expected = SKILL, ...: skills the level deliberately expects nothing of. Read once the
 * expectations grid is in, since naming a skill the level does expect is a mistake. */
static void take_not_expected(builder *b, nl_ini_section *section, nl_level *level)
{
    nl_framework *fw = b->fw;
    nl_ini_entry *entry = nl_ini_find(section, "not_expected");
    fwb_item *items;
    size_t count;
    if (entry == NULL || !fwb_items(b, entry, &items, &count))
        return;
    level->not_expected = calloc(fw->skill_count ? fw->skill_count : 1, sizeof(bool));
    if (level->not_expected == NULL) {
        b->out_of_memory = true;
        fwb_free_items(items, count);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        size_t skill;
        if (!nl_framework_find_skill(fw, items[i].text, &skill))
            nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, items[i].line, items[i].column,
                        "level %s: not_expected names '%s', which is not a skill of the template",
                        level->id, items[i].text);
        else if (!isnan(level->expected[skill]))
            nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, items[i].line, items[i].column,
                        "level %s: not_expected names %s, but the level expects %g of it: remove "
                        "one of the two",
                        level->id, fw->skills[skill].id, level->expected[skill]);
        else
            level->not_expected[skill] = true;
    }
    if (count == 0)
        fwb_error(b, entry->line, "level %s: 'not_expected' names no skill", level->id, NULL);
    fwb_free_items(items, count);
}

static void take_all_not_expected(builder *b)
{
    nl_framework *fw = b->fw;
    nl_ini_doc *doc = b->doc;
    for (size_t s = 0; s < doc->count && !b->out_of_memory; s++) {
        const char *id = fwb_section_arg(&doc->sections[s], "level");
        size_t index;
        /* The section that made the level (a duplicated one was skipped). */
        if (id != NULL && nl_framework_find_level(fw, id, &index) &&
            fw->levels[index].line == doc->sections[s].line)
            take_not_expected(b, &doc->sections[s], &fw->levels[index]);
    }
}

/* ---- [priorities NAME] ---- */

static void build_profile(builder *b, nl_ini_section *section, const char *name)
{
    nl_framework *fw = b->fw;
    nl_profile *profile = &fw->profiles[fw->profile_count];
    *profile = (nl_profile){.line = section->line};
    profile->name = nl_strdup(name);
    profile->family_weight = calloc(fw->family_count ? fw->family_count : 1, sizeof(double));
    profile->skill_weight = malloc((fw->skill_count ? fw->skill_count : 1) * sizeof(double));
    if (profile->name == NULL || profile->family_weight == NULL || profile->skill_weight == NULL) {
        free(profile->name);
        free(profile->family_weight);
        free(profile->skill_weight);
        b->out_of_memory = true;
        return;
    }
    fw->profile_count++;
    for (size_t s = 0; s < fw->skill_count; s++)
        profile->skill_weight[s] = 1.0;
    fwb_text(b, section, "description", false, &profile->description);
    for (size_t e = 0; e < section->count; e++) {
        nl_ini_entry *entry = &section->entries[e];
        if (entry->used)
            continue;
        entry->used = true;
        double weight;
        if (!nl_parse_decimal(entry->value, false, &weight)) {
            fwb_error(b, entry->line, "weight '%s' must be a number, not '%s'", entry->key,
                      entry->value);
            continue;
        }
        if (weight < 0) {
            fwb_error(b, entry->line, "weight '%s' is negative (%s); weights are >= 0", entry->key,
                      entry->value);
            continue;
        }
        size_t index;
        if (strncmp(entry->key, "skill.", 6) == 0) {
            if (nl_framework_find_skill(fw, entry->key + 6, &index))
                profile->skill_weight[index] = weight;
            else
                fwb_error(b, entry->line, "'%s' names no skill of the template", entry->key, NULL);
        } else if (nl_framework_find_family(fw, entry->key, &index)) {
            profile->family_weight[index] = weight;
        } else {
            fwb_error(b, entry->line,
                      "'%s' is neither a family of the template's skills nor skill.ID", entry->key,
                      NULL);
        }
    }
}

/* ---- [calibration] and [fairness] ---- */

static void build_calibration(builder *b, nl_ini_section *section)
{
    nl_framework *fw = b->fw;
    fw->calibration = (nl_calibration_settings){
        .min_team_size = 3, .z_threshold = 2.0, .shrinkage = 5.0, .step = fw->step};
    if (section == NULL)
        return;
    fwb_number(b, section, "min_team_size", false, 1, 1e6, &fw->calibration.min_team_size);
    fwb_number(b, section, "z_threshold", false, 0.1, 100, &fw->calibration.z_threshold);
    fwb_number(b, section, "shrinkage", false, 0, 1e6, &fw->calibration.shrinkage);
    fwb_number(b, section, "step", false, 0, 10, &fw->calibration.step);
}

static void build_plans(builder *b, nl_ini_section *section)
{
    nl_framework *fw = b->fw;
    fw->plans = (nl_plan_settings){.max_raises = NL_DEFAULT_MAX_RAISES};
    if (section != NULL &&
        fwb_number(b, section, "max_raises", false, 1, 1000, &fw->plans.max_raises) &&
        fw->plans.max_raises != floor(fw->plans.max_raises))
        fwb_error(b, nl_ini_find(section, "max_raises")->line,
                  "max_raises must be a whole number of raises", NULL, NULL);
}

static void build_fairness(builder *b, nl_ini_section *section)
{
    nl_framework *fw = b->fw;
    static const char *const small_names[] = {"merge", "suppress"};
    fw->fairness = (nl_fairness_settings){
        .min_group_size = 5, .ratio_threshold = 0.8, .p_threshold = 0.05, .holm = true};
    if (section == NULL)
        return;
    fwb_text(b, section, "group_column", true, &fw->fairness.group_column);
    fwb_number(b, section, "min_group_size", false, 1, 1e6, &fw->fairness.min_group_size);
    fwb_number(b, section, "ratio_threshold", false, 0.01, 1, &fw->fairness.ratio_threshold);
    fwb_number(b, section, "p_threshold", false, 1e-6, 1, &fw->fairness.p_threshold);
    static const char *const adjust_names[] = {"holm", "none"};
    fw->fairness.holm = fwb_choice(b, section, "p_adjust", adjust_names, 2, 0) == 0;
    fw->fairness.suppress_small = fwb_choice(b, section, "small_groups", small_names, 2, 0) == 1;
}

/* ---- [report] ---- */

static void build_report(builder *b, nl_ini_section *section)
{
    nl_report_settings *report = &b->fw->report;
    if (section != NULL &&
        fwb_text(b, section, "confidentiality", false, &report->confidentiality)) {
        long line = nl_ini_find(section, "confidentiality")->line;
        size_t characters = 0;
        bool control = false;
        for (const unsigned char *c = (const unsigned char *)report->confidentiality; *c; c++) {
            characters += (*c & 0xC0) != 0x80;
            control = control || *c < 0x20 || *c == 0x7F;
        }
        if (characters == 0 || characters > NL_CONFIDENTIALITY_MAX || control) {
            char limit[16];
            nl_sformat(limit, sizeof limit, "%d", NL_CONFIDENTIALITY_MAX);
            fwb_error(b, line,
                      "confidentiality must be one line of 1 to %s characters (it is printed in "
                      "every page's footer): '%s'",
                      limit, report->confidentiality);
        }
    }
    if (report->confidentiality == NULL &&
        (report->confidentiality = nl_strdup(NL_DEFAULT_CONFIDENTIALITY)) == NULL)
        b->out_of_memory = true;
    static const char *const dialect_names[] = {"plain", "excel", "excel-eu"};
    if (section != NULL)
        report->csv_dialect = (nl_csv_dialect)fwb_choice(b, section, "csv_dialect", dialect_names,
                                                         3, NL_DIALECT_PLAIN);
}

/* ---- [slate] ---- */

/* A budget's slots: a whole number from 0 to a million. */
static bool budget_slots(builder *b, const nl_ini_entry *entry, size_t *slots)
{
    double value;
    if (!nl_parse_decimal(entry->value, false, &value) || value < 0 || value > 1e6 ||
        value != floor(value)) {
        fwb_error(b, entry->line,
                  "'%s' must be a whole number of promotion slots from 0 to 1000000, not '%s'",
                  entry->key, entry->value);
        return false;
    }
    *slots = (size_t)value;
    return true;
}

static void build_slate(builder *b, nl_ini_section *section)
{
    nl_slate_settings *slate = &b->fw->slate;
    if (section == NULL)
        return;
    slate->teams = calloc(section->count ? section->count : 1, sizeof *slate->teams);
    if (slate->teams == NULL) {
        b->out_of_memory = true;
        return;
    }
    long org_line = 0, team_line = 0;
    for (size_t e = 0; e < section->count; e++) {
        nl_ini_entry *entry = &section->entries[e];
        if (strcmp(entry->key, "budget") == 0) {
            entry->used = true;
            org_line = entry->line;
            slate->has_budget = budget_slots(b, entry, &slate->budget);
        } else if (strncmp(entry->key, "budget.", 7) == 0) {
            entry->used = true;
            const char *team = entry->key + 7;
            if (team[0] == '\0') {
                fwb_error(b, entry->line,
                          "'budget.' needs a team after the dot, e.g. budget.Platform = 3", NULL,
                          NULL);
                continue;
            }
            size_t slots;
            if (!budget_slots(b, entry, &slots))
                continue;
            if (team_line == 0)
                team_line = entry->line;
            nl_team_budget *t = &slate->teams[slate->team_count];
            if ((t->team = nl_strdup(team)) == NULL) {
                b->out_of_memory = true;
                return;
            }
            t->slots = slots;
            slate->team_count++;
        }
    }
    if (org_line != 0 && team_line != 0)
        fwb_error(b, org_line > team_line ? org_line : team_line,
                  "[slate] gives an organisation budget and per-team budgets: give one or the "
                  "other",
                  NULL, NULL);
}

/* ---- the whole template ---- */

typedef enum section_kind {
    SEC_FRAMEWORK,
    SEC_COLUMNS,
    SEC_CALIBRATION,
    SEC_FAIRNESS,
    SEC_REPORT,
    SEC_PLANS,
    SEC_SLATE,
    SEC_ATTRIBUTE,
    SEC_SKILL,
    SEC_LEVEL,
    SEC_PRIORITIES,
    SEC_GATE,
    SEC_UNKNOWN
} section_kind;

static const char *const section_kinds[] = {"framework", "columns", "calibration", "fairness",
                                            "report",    "plans",   "slate",       "attribute",
                                            "skill",     "level",   "priorities",  "gate"};

static section_kind classify(const nl_ini_section *section, const char **arg)
{
    *arg = NULL;
    if (strcmp(section->name, "framework") == 0)
        return SEC_FRAMEWORK;
    if (strcmp(section->name, "columns") == 0)
        return SEC_COLUMNS;
    if (strcmp(section->name, "calibration") == 0)
        return SEC_CALIBRATION;
    if (strcmp(section->name, "fairness") == 0)
        return SEC_FAIRNESS;
    if (strcmp(section->name, "report") == 0)
        return SEC_REPORT;
    if (strcmp(section->name, "plans") == 0)
        return SEC_PLANS;
    if (strcmp(section->name, "slate") == 0)
        return SEC_SLATE;
    for (int k = SEC_ATTRIBUTE; k <= SEC_GATE; k++) {
        if ((*arg = fwb_section_arg(section, section_kinds[k])) != NULL)
            return (section_kind)k;
    }
    return SEC_UNKNOWN;
}

/* Marks every key of a section that is skipped as used: the section's own error says it all. */
static void skip_section(nl_ini_section *section)
{
    for (size_t e = 0; e < section->count; e++)
        section->entries[e].used = true;
}

/* Calls build for every section of kind into a new array of stride-sized items, reporting
 * duplicated ids. build appends to the array and counts it in the framework. */
static void build_all(builder *b, section_kind kind, void **array, size_t stride,
                      void (*build)(builder *, nl_ini_section *, const char *))
{
    nl_ini_doc *doc = b->doc;
    size_t n = 0;
    for (size_t s = 0; s < doc->count; s++) {
        const char *arg;
        if (classify(&doc->sections[s], &arg) == kind)
            n++;
    }
    *array = calloc(n ? n : 1, stride);
    if (*array == NULL) {
        b->out_of_memory = true;
        return;
    }
    /* id -> line of its first section, so that a duplicate is found without a second pass. */
    nl_strmap *first_lines = nl_strmap_new();
    if (first_lines == NULL) {
        b->out_of_memory = true;
        return;
    }
    for (size_t s = 0; s < doc->count && !b->out_of_memory; s++) {
        nl_ini_section *section = &doc->sections[s];
        const char *arg;
        if (classify(section, &arg) != kind)
            continue;
        if (!fwb_valid_id(arg)) {
            fwb_error(b, section->line, "[%s]: an id may hold only letters, digits, _ - .",
                      section->name, NULL);
            skip_section(section);
            continue;
        }
        size_t first_line;
        /* Compared by id, so that [skill  coding] is the same as [skill coding]. */
        if (nl_strmap_get(first_lines, arg, &first_line)) {
            nl_diag_add(&b->fw->diags, NL_DIAG_ERROR, b->fw->path, section->line, 0,
                        "duplicated id: [%s] is already defined on line %ld", section->name,
                        (long)first_line);
            skip_section(section);
            continue;
        }
        if (!nl_strmap_put(first_lines, arg, (size_t)section->line)) {
            b->out_of_memory = true;
            break;
        }
        build(b, section, arg);
    }
    nl_strmap_free(first_lines);
}

static nl_ini_section *find_section(nl_ini_doc *doc, const char *name)
{
    for (size_t s = 0; s < doc->count; s++) {
        if (strcmp(doc->sections[s].name, name) == 0)
            return &doc->sections[s];
    }
    return NULL;
}

static void report_unknown_sections_and_keys(builder *b)
{
    nl_ini_doc *doc = b->doc;
    size_t framework_sections = 0, plans_sections = 0;
    for (size_t s = 0; s < doc->count; s++) {
        nl_ini_section *section = &doc->sections[s];
        const char *arg;
        section_kind kind = classify(section, &arg);
        if (kind == SEC_UNKNOWN) {
            fwb_error(
                b, section->line,
                "unknown section [%s]; expected framework, columns, calibration, "
                "fairness, report, plans, slate, attribute ID, skill ID, level ID, priorities "
                "NAME or gate ID",
                section->name, NULL);
            continue;
        }
        if (kind == SEC_FRAMEWORK && ++framework_sections > 1)
            fwb_error(b, section->line, "[framework] is given more than once", NULL, NULL);
        /* Only the first [report] and [plans] are read, so a second is a mistake. */
        if (kind == SEC_REPORT && find_section(doc, "report") != section) {
            fwb_error(b, section->line, "[report] is given more than once", NULL, NULL);
            skip_section(section);
        }
        if (kind == SEC_SLATE && find_section(doc, "slate") != section) {
            fwb_error(b, section->line, "[slate] is given more than once", NULL, NULL);
            skip_section(section);
        }
        if (kind == SEC_PLANS && ++plans_sections > 1) {
            fwb_error(b, section->line, "[plans] is given more than once", NULL, NULL);
            skip_section(section);
        }
        for (size_t e = 0; e < section->count; e++) {
            if (!section->entries[e].used)
                fwb_error(b, section->entries[e].line, "unknown key '%s' in [%s]",
                          section->entries[e].key, section->name);
        }
    }
    if (framework_sections == 0)
        fwb_error(b, 0, "no [framework] section", NULL, NULL);
}

/* A template without skills is an attribute-only screen: allowed when every gate reads only
 * attributes or tenure (kinds added since read skills unless listed here). */
static void require_skills(builder *b)
{
    nl_framework *fw = b->fw;
    for (size_t g = 0; g < fw->gate_count; g++) {
        nl_gate_kind kind = fw->gates[g].kind;
        if (kind != NL_GATE_TENURE && kind != NL_GATE_ATTRIBUTE && kind != NL_GATE_KIND_COUNT)
            nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, fw->gates[g].line, 0,
                        "gate %s (%s) reads skill scores, but the template has no [skill ID] "
                        "section: add the skills, or keep only attribute and tenure gates",
                        fw->gates[g].id, nl_gate_kind_name(kind));
    }
    if (fw->gate_count == 0)
        fwb_error(b, 0,
                  "no [skill ID] section, and no gate: a template needs skills, or gates "
                  "on attributes and tenure",
                  NULL, NULL);
}

bool nl_framework_has_skills(const nl_framework *fw)
{
    return fw->skill_count > 0;
}

static void choose_default_profile(builder *b, const char *name, long line)
{
    nl_framework *fw = b->fw;
    if (fw->profile_count == 0 && fw->skill_count == 0 && fw->gate_count > 0 &&
        fw->profiles != NULL) {
        /* An attribute-only template has nothing to weigh: one empty profile stands in. */
        nl_profile *profile = &fw->profiles[0];
        *profile = (nl_profile){.name = nl_strdup("default"),
                                .family_weight = calloc(1, sizeof(double)),
                                .skill_weight = calloc(1, sizeof(double))};
        if (profile->name == NULL || profile->family_weight == NULL ||
            profile->skill_weight == NULL) {
            free(profile->name);
            free(profile->family_weight);
            free(profile->skill_weight);
            b->out_of_memory = true;
            return;
        }
        fw->profile_count = 1;
    }
    if (fw->profile_count == 0) {
        fwb_error(b, 0, "no [priorities NAME] section: at least one profile is needed", NULL, NULL);
        return;
    }
    if (name != NULL && !nl_framework_find_profile(fw, name, &fw->default_profile))
        fwb_error(b, line, "default_priorities names no [priorities %s] section", name, NULL);
}

static nl_status build(builder *b, nl_error *err)
{
    nl_framework *fw = b->fw;
    char *default_profile = NULL;
    long default_profile_line = 0;
    nl_ini_section *framework = find_section(b->doc, "framework");
    if (framework != NULL)
        build_framework_section(b, framework, &default_profile, &default_profile_line);
    build_columns(b, find_section(b->doc, "columns"));
    build_calibration(b, find_section(b->doc, "calibration"));
    build_fairness(b, find_section(b->doc, "fairness"));
    build_report(b, find_section(b->doc, "report"));
    build_plans(b, find_section(b->doc, "plans"));
    build_slate(b, find_section(b->doc, "slate"));
    build_all(b, SEC_SKILL, (void **)&fw->skills, sizeof(nl_skill), build_skill);
    build_all(b, SEC_ATTRIBUTE, (void **)&fw->attributes, sizeof(nl_attribute), build_attribute);
    build_all(b, SEC_LEVEL, (void **)&fw->levels, sizeof(nl_level), build_level);
    if (!b->out_of_memory)
        link_levels(b);
    if (!b->out_of_memory && fw->expectations_path != NULL) {
        nl_status status = fwb_load_grid(b, err);
        if (status != NL_OK)
            return status;
    }
    if (!b->out_of_memory)
        take_all_not_expected(b);
    build_all(b, SEC_PRIORITIES, (void **)&fw->profiles, sizeof(nl_profile), build_profile);
    build_all(b, SEC_GATE, (void **)&fw->gates, sizeof(nl_gate), fwb_build_gate);
    if (b->out_of_memory)
        return nl_error_set(err, NL_ERR_NOMEM, fw->path, 0, 0, "out of memory");
    choose_default_profile(b, default_profile, default_profile_line);
    if (fw->skill_count == 0)
        require_skills(b);
    /* Refused before any matrix is read: a wider framework ran for a minute, then failed
     * writing the Skill gaps sheet. */
    if (fw->skill_count > NL_MAX_SKILLS)
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, 0, 0,
                    "the template has %zu skills, more than the %d a workbook can show (its Skill "
                    "gaps sheet has a column for each skill, and Excel stops at 16,384 columns): "
                    "split the framework into several templates, for example one per job family",
                    fw->skill_count, NL_MAX_SKILLS);
    if (fw->level_count == 0)
        fwb_error(b, 0, "no [level ID] section", NULL, NULL);
    report_unknown_sections_and_keys(b);
    return NL_OK;
}

/* Orders findings by line so that `check` reads top to bottom; stable for equal lines. */
static void sort_diags(nl_diag_list *list)
{
    for (size_t i = 1; i < list->count; i++) {
        nl_diag d = list->items[i];
        size_t j = i;
        while (j > 0 && strcmp(list->items[j - 1].path, d.path) == 0 &&
               list->items[j - 1].line > d.line) {
            list->items[j] = list->items[j - 1];
            j--;
        }
        list->items[j] = d;
    }
}

nl_status nl_framework_load(const char *path, nl_framework **out, nl_error *err)
{
    *out = NULL;
    nl_framework *fw = calloc(1, sizeof *fw);
    if (fw == NULL || (fw->path = nl_strdup(path)) == NULL ||
        (fw->skill_index = calloc(1, sizeof *fw->skill_index)) == NULL ||
        (fw->level_index = calloc(1, sizeof *fw->level_index)) == NULL) {
        nl_framework_free(fw);
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    nl_ini_doc *doc = NULL;
    nl_status status = nl_ini_doc_load(path, &doc, &fw->diags, err);
    if (status == NL_OK) {
        memcpy(fw->sha256, doc->sha256, sizeof fw->sha256);
        builder b = {.fw = fw, .doc = doc};
        status = build(&b, err);
        if (status == NL_OK && fw->diags.errors == 0)
            nl_framework_lint(fw);
    }
    nl_ini_doc_free(doc);
    if (status == NL_OK && fw->diags.out_of_memory)
        status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    if (status != NL_OK) {
        nl_framework_free(fw);
        return status;
    }
    sort_diags(&fw->diags);
    *out = fw;
    if (fw->diags.errors > 0)
        return nl_diag_first_error(&fw->diags, NL_ERR_TEMPLATE, err);
    return NL_OK;
}

void nl_framework_free(nl_framework *fw)
{
    if (fw == NULL)
        return;
    free_labels(fw->labels, fw->label_count);
    free(fw->points);
    for (size_t i = 0; i < fw->role_weight_count; i++)
        free(fw->role_weights[i].role);
    free(fw->role_weights);
    for (size_t i = 0; i < fw->slate.team_count; i++)
        free(fw->slate.teams[i].team);
    free(fw->slate.teams);
    free(fw->threshold_overrides);
    for (int f = 0; f < NL_FIELD_COUNT; f++)
        free(fw->columns[f]);
    nl_free_strings(fw->families, fw->family_count);
    for (size_t i = 0; i < fw->skill_count; i++) {
        free(fw->skills[i].id);
        free(fw->skills[i].name);
        free(fw->skills[i].description);
        if (fw->skills[i].own_labels)
            free_labels(fw->skills[i].labels, fw->skills[i].label_count);
        if (fw->skills[i].own_points)
            free(fw->skills[i].points);
    }
    free(fw->skills);
    for (size_t i = 0; i < fw->level_count; i++) {
        free(fw->levels[i].id);
        free(fw->levels[i].title);
        free(fw->levels[i].next);
        free(fw->levels[i].expected);
        free(fw->levels[i].not_expected);
    }
    free(fw->levels);
    for (size_t i = 0; i < fw->attribute_count; i++) {
        free(fw->attributes[i].id);
        free(fw->attributes[i].column);
        free(fw->attributes[i].description);
    }
    free(fw->attributes);
    for (size_t i = 0; i < fw->profile_count; i++) {
        free(fw->profiles[i].name);
        free(fw->profiles[i].description);
        free(fw->profiles[i].family_weight);
        free(fw->profiles[i].skill_weight);
    }
    free(fw->profiles);
    for (size_t i = 0; i < fw->gate_count; i++) {
        free(fw->gates[i].id);
        free(fw->gates[i].title);
        free(fw->gates[i].mitigation);
        free(fw->gates[i].families);
        free(fw->gates[i].skills);
        free(fw->gates[i].weights);
        for (int p = 0; p < NL_GATE_PARAM_COUNT; p++)
            free(fw->gates[i].per_level[p]);
        free(fw->gates[i].applies_to);
    }
    free(fw->gates);
    nl_diag_list_clear(&fw->diags);
    index_free(fw->skill_index);
    index_free(fw->level_index);
    free(fw->name);
    free(fw->description);
    free(fw->expectations_path);
    free(fw->fairness.group_column);
    free(fw->report.confidentiality);
    free(fw->path);
    free(fw);
}
