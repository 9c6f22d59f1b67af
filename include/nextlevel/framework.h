#ifndef NEXTLEVEL_FRAMEWORK_H
#define NEXTLEVEL_FRAMEWORK_H

#include "nextlevel/diag.h"
#include "nextlevel/error.h"
#include "nextlevel/textout.h"

#include <stdbool.h>
#include <stddef.h>

/* A framework template, loaded from its INI file (and expectations grid) into a read-only
 * model. Everything that refers to another thing does so by index into the framework's
 * arrays; NAN marks "no value" in expectation and weight tables. The format is documented
 * in docs/template-format.md. */

/* Score points, summed over skills, that a person is expected to gain per quarter when
 * no earlier quarter measures it and the template does not say (growth_per_quarter). */
#define NL_DEFAULT_GROWTH_PER_QUARTER 1.0

/* The smallest step ratings move in ([framework] step), when the template does not say: plans
 * raise scores, and calibration rounds its adjustments, in steps of it. */
#define NL_DEFAULT_STEP 0.5

/* How many raises a development plan row shows, most important first ([plans] max_raises). */
#define NL_DEFAULT_MAX_RAISES 5

typedef enum nl_gate_kind {
    NL_GATE_MEETS_EXPECTATIONS,
    NL_GATE_FAMILY_AVERAGE,
    NL_GATE_READINESS_SCORE,
    NL_GATE_FLOOR,
    NL_GATE_CRITICAL_SKILLS,
    NL_GATE_BALANCE,
    NL_GATE_TENURE,
    NL_GATE_ATTRIBUTE,
    NL_GATE_POINTS, /* sums milestone points (the skills' `points` mappings) */
    NL_GATE_KIND_COUNT
} nl_gate_kind;

typedef enum nl_severity { NL_HARD, NL_SOFT } nl_severity;
typedef enum nl_missing_rule { NL_MISSING_NOT_EVALUATED, NL_MISSING_SKIP } nl_missing_rule;
typedef enum nl_aggregate { NL_AGG_MEAN, NL_AGG_MEDIAN, NL_AGG_MIN, NL_AGG_ROLES } nl_aggregate;
typedef enum nl_compare { NL_CMP_GE, NL_CMP_GT, NL_CMP_LE, NL_CMP_LT, NL_CMP_EQ } nl_compare;

/* The fields a matrix column can be mapped to in [columns]. */
typedef enum nl_field {
    NL_FIELD_ID,
    NL_FIELD_NAME,
    NL_FIELD_TEAM,
    NL_FIELD_MANAGER,
    NL_FIELD_LEVEL,
    NL_FIELD_MONTHS,
    NL_FIELD_SKILL,
    NL_FIELD_SCORE,
    NL_FIELD_ASSESSOR,
    NL_FIELD_DATE,
    NL_FIELD_YEARS,       /* tenure in years (12 months each), used when months is empty */
    NL_FIELD_LEVEL_START, /* the date the person reached their level, in date_format */
    NL_FIELD_COUNT
} nl_field;

/* How the level_start_date column writes its dates ([columns] date_format). A small fixed
 * set, so that a day and a month are never guessed. */
typedef enum nl_date_format {
    NL_DATE_ISO,       /* YYYY-MM-DD, the default */
    NL_DATE_DMY_DOT,   /* DD.MM.YYYY */
    NL_DATE_DMY_SLASH, /* DD/MM/YYYY */
    NL_DATE_MDY_SLASH, /* MM/DD/YYYY */
    NL_DATE_FORMAT_COUNT
} nl_date_format;

typedef struct nl_label {
    double value;
    char *text;
} nl_label;

/* One entry of a `points` mapping: a score on the scale and the milestone points it earns. */
typedef struct nl_point {
    double value;
    double points;
} nl_point;

/* Where a person's level comes from ([framework] level_from). */
typedef enum nl_level_from {
    NL_LEVEL_FROM_COLUMN, /* the matrix's level column (the default) */
    NL_LEVEL_FROM_POINTS  /* the level whose min_points the person's total milestone points reach */
} nl_level_from;

/* A person's level when the file gives none (level_in_file). */
#define NL_NO_LEVEL ((size_t)-1)

typedef struct nl_role_weight {
    char *role;
    double weight;
} nl_role_weight;

typedef struct nl_skill {
    char *id, *name, *description;
    size_t family; /* index into families */
    double step;   /* the skill's rating step: its own step key, else the framework's */
    /* The skill's scale: its own scale key, else the framework's. */
    double scale_min, scale_max;
    /* Its labels and points mapping: its own (owned, own_labels / own_points), else the
     * framework's (borrowed); none when the skill sets its own scale and not them. points are
     * ascending by value and strictly increasing. */
    nl_label *labels;
    size_t label_count;
    nl_point *points;
    size_t point_count;
    bool own_labels, own_points;
    long line;
} nl_skill;

typedef struct nl_level {
    char *id, *title;
    bool entry;
    size_t *next; /* indices into levels: none at the top, two or more for tracks */
    size_t next_count;
    double *expected; /* per skill; NAN where the level expects nothing */
    /* per skill: the level deliberately expects nothing of it (not_expected), which silences
     * the lint finding about the missing expectation; NULL when the level names none */
    bool *not_expected;
    double min_points; /* the lowest total milestone points of the level; NAN when not given */
    long line;
} nl_level;

typedef struct nl_attribute {
    char *id, *column, *description;
    long line;
} nl_attribute;

typedef struct nl_profile {
    char *name, *description;
    double *family_weight; /* per family, >= 0; a family not named weighs 0 */
    double *skill_weight;  /* per skill, >= 0, default 1 */
    long line;
} nl_profile;

/* The numbers of a gate that may differ by next level (KEY.LEVEL in the template): threshold
 * holds the kind's main figure (threshold, min_score, max_distance or min_months), tolerance
 * the bar gates' tolerance. */
typedef enum nl_gate_param_id {
    NL_GATE_THRESHOLD,
    NL_GATE_TOLERANCE,
    NL_GATE_PARAM_COUNT
} nl_gate_param_id;

/* One decision gate. Which fields matter depends on kind:
 * meets_expectations: families (none = all), tolerance;  family_average: families[0],
 * threshold (0..1);  readiness_score: threshold (0..100);  floor: threshold = min_score,
 * families (none = all);  critical_skills: skills, tolerance;  balance: families[0] and [1],
 * threshold = max_distance;  tenure: threshold = min_months;  attribute: attribute, op,
 * threshold;  points: families (none = every skill with points), weights, threshold (total
 * milestone points). */
typedef struct nl_gate {
    char *id, *title, *mitigation;
    nl_gate_kind kind;
    nl_severity severity;
    size_t *families;
    size_t family_count;
    size_t *skills;
    size_t skill_count;
    size_t attribute;
    nl_compare op;
    double threshold; /* the value for every next level without its own (see nl_gate_param) */
    double tolerance;
    double *weights; /* points: per skill, the gate's own multiplier (default 1); else NULL */
    /* per level, indexed like fw->levels: the value given as KEY.LEVEL for people whose next
     * level it is, NAN where none was; NULL when the gate has no KEY.LEVEL for the param */
    double *per_level[NL_GATE_PARAM_COUNT];
    /* per level: whether the gate applies when that is the next level (its `levels` key, or
     * the levels given a value when the plain key is absent); NULL: it applies to every level */
    bool *applies_to;
    long line;
} nl_gate;

/* [calibration]: when a manager's ratings stand out, and how adjustments shrink. */
typedef struct nl_calibration_settings {
    double min_team_size; /* fewer rated people: never flagged (default 3) */
    double z_threshold;   /* |z| at or above this flags lenient or severe (default 2) */
    double shrinkage;     /* k in n / (n + k): small teams get small adjustments (default 5) */
    double
        step; /* adjustments are rounded to this (default the framework's step; 0: not rounded) */
} nl_calibration_settings;

/* [plans]: how development plans are shown. */
typedef struct nl_plan_settings {
    double max_raises; /* raises a plan row lists, the rest counted (default 5) */
} nl_plan_settings;

/* [fairness]: the group column whose outcome rates are compared. */
typedef struct nl_fairness_settings {
    char *group_column;     /* NULL: no fairness check */
    double min_group_size;  /* smaller groups are merged or suppressed (default 5) */
    double ratio_threshold; /* a rate ratio under this may be flagged (default 0.8) */
    double p_threshold;     /* ...when Fisher's exact test gives p under this (default 0.05) */
    bool holm;              /* p_adjust = holm (default): p adjusted for the groups compared */
    bool suppress_small;    /* small_groups = suppress; default merge */
} nl_fairness_settings;

/* [report]: what every printed page of the workbook says, and the CSV outputs' dialect. */
typedef struct nl_report_settings {
    /* The confidentiality line of every printed page's footer: the template's text (at most
     * NL_CONFIDENTIALITY_MAX characters, no control characters) or NL_DEFAULT_CONFIDENTIALITY.
     * Never NULL after a load. */
    char *confidentiality;
    /* csv_dialect = plain (default), excel or excel-eu; --csv-dialect wins over it. */
    nl_csv_dialect csv_dialect;
} nl_report_settings;

/* [slate]: the promotion budget, slots for the whole organisation (budget = N) or per team
 * (budget.TEAM = N), never both; --budget wins over either. */
typedef struct nl_team_budget {
    char *team; /* as the matrix's team column spells it */
    size_t slots;
} nl_team_budget;

/* A readiness_score gate's threshold set with --threshold GATE=V or GATE.LEVEL=V. */
typedef struct nl_threshold_override {
    size_t gate;  /* index into fw->gates */
    size_t level; /* the next level it is set for, or SIZE_MAX for every level */
    double value;
} nl_threshold_override;

typedef struct nl_slate_settings {
    bool has_budget; /* budget = N was given */
    size_t budget;
    nl_team_budget *teams; /* budget.TEAM keys, in file order */
    size_t team_count;
} nl_slate_settings;

#define NL_DEFAULT_CONFIDENTIALITY "Confidential: promotion review, for leadership and HR only"
/* A footer holds 255 characters in all (Excel's limit), with the sheet name, run date and
 * page numbers beside this line, and every '&' doubled. */
#define NL_CONFIDENTIALITY_MAX 100

/* The most skills a framework may have: the workbook's Skill gaps sheet has a column per skill
 * beside 4 identity columns, a gap and a 4-column legend, within Excel's 16,384 columns. */
#define NL_MAX_SKILLS 16375

typedef struct nl_framework {
    char *path;
    char sha256[65]; /* of the template's bytes as read (it may have been a pipe, read once) */
    char *name, *description;
    double scale_min, scale_max; /* the default scale; a skill may have its own */
    double step; /* the smallest step ratings move in (default 0.5); a skill may have its own */
    nl_label *labels; /* the default labels; a skill may have its own */
    size_t label_count;
    nl_point *points; /* the default points mapping (none when not given) */
    size_t point_count;
    nl_level_from level_from;
    size_t default_profile;
    char *expectations_path; /* resolved against the template's folder, or NULL */
    nl_missing_rule missing_rule;
    nl_aggregate aggregate;
    double growth_per_quarter; /* score points a person is expected to gain in a quarter */
    nl_role_weight *role_weights;
    size_t role_weight_count;
    char *columns[NL_FIELD_COUNT]; /* header names, defaults filled in */
    nl_date_format date_format;    /* of the level_start_date column */
    nl_calibration_settings calibration;
    nl_fairness_settings fairness;
    nl_report_settings report;
    nl_plan_settings plans;
    nl_slate_settings slate;
    nl_threshold_override *threshold_overrides; /* --threshold, in the order given */
    size_t threshold_override_count;

    char **families;
    size_t family_count;
    nl_skill *skills;
    size_t skill_count;
    nl_level *levels;
    size_t level_count;
    nl_attribute *attributes;
    size_t attribute_count;
    nl_profile *profiles;
    size_t profile_count;
    nl_gate *gates;
    size_t gate_count;

    nl_diag_list diags; /* every error and lint warning, in file order per check */

    /* Hash indexes behind nl_framework_find_skill and _level (a template of 10,000 levels
     * took 20 s with linear lookups). Made by nl_framework_load (a framework built by hand
     * has none and is searched one by one), filled as skills and levels are added. */
    struct nl_name_index *skill_index, *level_index;
} nl_framework;

/* Loads and lints a template. Returns NL_OK, or NL_ERR_TEMPLATE when the template has errors
 * (err names the first; fw->diags has them all), NL_ERR_IO, NL_ERR_NOMEM. On NL_OK and on
 * NL_ERR_TEMPLATE *out is a framework the caller frees (so that `check` can show every
 * finding); on other failures *out is NULL. Warnings alone do not fail the load. */
nl_status nl_framework_load(const char *path, nl_framework **out, nl_error *err);

/* Frees the framework; NULL does nothing. */
void nl_framework_free(nl_framework *fw);

/* Index lookups by id (exact) or, for skills and levels, also by display name/title
 * (ignoring case, spaces and underscores). Return false when nothing matches. A skill or
 * level must have its id and name set before the first lookup that follows its addition. */
bool nl_framework_find_skill(const nl_framework *fw, const char *text, size_t *index);
bool nl_framework_find_level(const nl_framework *fw, const char *text, size_t *index);
bool nl_framework_find_family(const nl_framework *fw, const char *name, size_t *index);
bool nl_framework_find_profile(const nl_framework *fw, const char *name, size_t *index);

/* The first skill whose id or name, folded (nl_fold_key), equals folded: how a header cell
 * names a skill column. */
bool nl_framework_match_skill(const nl_framework *fw, const char *folded, size_t *index);

/* Parses a score of skill: a number within the skill's scale (decimal comma allowed when
 * decimal_comma) or one of the skill's labels (ignoring case and surrounding spaces). */
bool nl_framework_parse_score(const nl_framework *fw, size_t skill, const char *text,
                              bool decimal_comma, double *score);

/* When text is not a rating of skill but is a label of another skill (or of the framework's
 * scale), names that meaning: *other is the other skill's index (SIZE_MAX: the framework's
 * labels) and *value the score it stands for there. Returns false when text is no label
 * anywhere. */
bool nl_framework_other_label(const nl_framework *fw, size_t skill, const char *text, size_t *other,
                              double *value);

/* The label of a score on the framework's scale, or NULL when it has none for it. */
const char *nl_framework_label(const nl_framework *fw, double score);

/* The label of a score of skill (its own labels, else the framework's), or NULL. */
const char *nl_skill_label(const nl_framework *fw, size_t skill, double score);

/* The milestone points a score of skill earns: those of the highest mapped value at or below
 * score (a milestone not fully reached earns the one below), 0 below the lowest. Returns false
 * (and leaves *points alone) when the skill has no points mapping or score is NAN. */
bool nl_skill_points(const nl_framework *fw, size_t skill, double score, double *points);

/* Whether any skill has a points mapping. */
bool nl_framework_has_points(const nl_framework *fw);

/* The level a total of milestone points places a person at under level_from = points: the
 * level with the greatest min_points at or below total (the first level when none is). */
size_t nl_framework_level_of_points(const nl_framework *fw, double total);

/* A person's total milestone points over every skill with points, unweighted; a skill not
 * assessed (NAN) earns 0. */
double nl_framework_total_points(const nl_framework *fw, const double *scores);

/* The share of the readiness score that a family's weight gives it when every family is
 * assessed: its weight over the sum of the profile's family weights (0 when they sum to 0). */
double nl_profile_family_share(const nl_framework *fw, const nl_profile *profile, size_t family);

/* A gate's param for people whose next level is next_level (an index into fw->levels): the
 * KEY.LEVEL value when the template gives one, else the plain key's. */
double nl_gate_param(const nl_gate *gate, nl_gate_param_id which, size_t next_level);

/* Whether a gate applies when next_level is the next level; a gate that does not is "not
 * applicable" for that track: it neither passes nor fails. */
bool nl_gate_applies(const nl_gate *gate, size_t next_level);

/* Applies --threshold GATE=V (every next level) or GATE.LEVEL=V (people whose next level is
 * LEVEL, id or title) to a readiness_score gate, exactly as editing the template's threshold
 * or threshold.LEVEL key would, and records it in fw->threshold_overrides. Returns NL_OK,
 * NL_ERR_USAGE naming what is wrong (an unknown gate or level, a gate of another kind or one
 * that does not apply to LEVEL, a value outside 0..100), or NL_ERR_NOMEM. */
nl_status nl_framework_override_threshold(nl_framework *fw, const char *spec, nl_error *err);

/* Whether a gate's params or applicability differ between next levels. */
bool nl_gate_varies(const nl_gate *gate);

/* The template key of a gate kind's param ("min_months", "tolerance", ...), or NULL when the
 * kind has none. */
const char *nl_gate_param_key(nl_gate_kind kind, nl_gate_param_id which);

/* Whether the template scores skills at all: false for an attribute-only template (no skills;
 * gates on attributes and tenure only), whose readiness score is not applicable. */
bool nl_framework_has_skills(const nl_framework *fw);

/* Whether a gate covers a family: one of its families, or any family when it names none. */
bool nl_gate_covers_family(const nl_gate *gate, size_t family);

/* Whether a points gate sums skill's milestone points: the skill has points, is in one of the
 * gate's families (any when it names none) and weighs more than 0. */
bool nl_gate_counts_points(const nl_framework *fw, const nl_gate *gate, size_t skill);

/* Whether a gate compares skill with the next level's expectation: meets_expectations over
 * the skill's family, or critical_skills naming it. */
bool nl_gate_checks_expectation(const nl_framework *fw, const nl_gate *gate, size_t skill);

/* Whether a gate kind's figure is made from skill scores (every kind but tenure and
 * attribute): the gates the operating level checks beyond the first step up the ladder. */
bool nl_gate_kind_reads_skills(nl_gate_kind kind);

/* Template names of the enums, for messages and reports. */
const char *nl_gate_kind_name(nl_gate_kind kind);
const char *nl_field_name(nl_field field);
const char *nl_date_format_name(nl_date_format format);
const char *nl_compare_name(nl_compare op);
const char *nl_aggregate_name(nl_aggregate rule);

/* Semantic checks run by nl_framework_load after building (framework_lint.c): adds errors
 * and warnings to fw->diags. */
void nl_framework_lint(nl_framework *fw);

#endif
