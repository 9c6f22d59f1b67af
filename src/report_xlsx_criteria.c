#include "report_xlsx_internal.h"

#include "nextlevel/csvread.h"
#include "nextlevel/describe.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

/* ---- Criteria ---- */

/* The Criteria columns, in characters: names (setting, gate, parameter, profile, file), then
 * values and long texts (wide enough for a SHA-256 on one line; longer texts wrap), then four
 * narrow ones (kind, severity, format, counts, family shares). Every text fits its column or
 * wraps in it, so that nothing runs past the printed page. */
#define CRITERIA_COLUMNS 6
static const double criteria_width[CRITERIA_COLUMNS] = {34, 66, 26, 11, 11, 11};
/* Columns past the sixth, for a template with more than four families. */
#define CRITERIA_EXTRA_WIDTH 11
/* The height of one line of 11 pt text, in points. */
#define LINE_HEIGHT 15.0

const char *xw_detail_omitted(const xw_book *b)
{
    return b->opt->summary_detail ? "Gates and Skill gaps were left out (--detail summary)" : NULL;
}

void xw_detail_note(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row)
{
    const char *omitted = xw_detail_omitted(w->b);
    if (omitted != NULL)
        xw_text(w, ws, row, 0, omitted, w->b->f.subtitle);
}

/* Makes row tall enough for text wrapped in column col (rows keep their height otherwise). */
static void fit_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text)
{
    size_t lines = text ? xw_wrapped_lines(text, criteria_width[col], false) : 1;
    if (lines > 1)
        worksheet_set_row(ws, row, LINE_HEIGHT * lines, NULL);
}

/* A template number in full: the shortest decimal of it at 15 significant digits, as the
 * template would write it (0.15, 12, 0.125), never cut to a display precision. */
static const char *full_number(double value, char buf[32])
{
    nl_sformat(buf, 32, "%.15g", value);
    return buf;
}
#define FULL(x) full_number((x), (char[32]){0})

/* Writes "name | value" (the value wrapped in its column) and returns the next row. */
static lxw_row_t criteria_pair(xlsx_writer *w, lxw_row_t row, const char *key, const char *value)
{
    fit_text(w->b->criteria, row, 1, value);
    xw_text(w, w->b->criteria, row, 0, key, w->b->f.bold);
    xw_text(w, w->b->criteria, row, 1, value, w->b->f.wrap);
    return row + 1;
}

/* A header row: names[i] over column i, right-aligned over the columns that hold numbers. */
static lxw_row_t criteria_header(xlsx_writer *w, lxw_row_t row, const char *const *names,
                                 size_t count, size_t first_number)
{
    /* Headers past the sixteenth (a profile of more families) are not measured for height. */
    double widths[16] = {0};
    size_t measured = count < 16 ? count : 16;
    for (size_t i = 0; i < measured; i++)
        widths[i] = i < CRITERIA_COLUMNS ? criteria_width[i] : CRITERIA_EXTRA_WIDTH;
    xw_fit_header_row(w->b->criteria, row, names, widths, measured);
    for (size_t i = 0; i < count; i++)
        xw_text(w, w->b->criteria, row, (lxw_col_t)i, names[i],
                i >= first_number ? w->b->f.header_number : w->b->f.header);
    return row + 1;
}

/* "Gates and Skill gaps (--detail summary); Trend (no --previous)": every sheet this workbook
 * does not have, and why; "none" when it has them all. */
static void absent_sheets(const xw_book *b, char *text, size_t size)
{
    const char *parts[3];
    size_t n = 0;
    if (b->opt->summary_detail)
        parts[n++] = "Gates and Skill gaps (--detail summary)";
    if (b->history == NULL)
        parts[n++] = "Trend (no --previous: last quarter was not given)";
    if (b->fairness_sheet == NULL)
        parts[n++] = "Fairness (the template's [fairness] names no group_column)";
    nl_sformat(text, size, "%s", n == 0 ? "none: every sheet is here" : "");
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(text);
        nl_sformat(text + used, size - used, "%s%s", i ? "; " : "", parts[i]);
    }
}

/* "manager 0.5, peer 0.3, self 0.2". Returns a new string, NULL when out of memory. */
static char *role_weights(const nl_framework *fw)
{
    char *s = nl_strdup(fw->role_weight_count ? "" : "none");
    for (size_t i = 0; i < fw->role_weight_count && s != NULL; i++) {
        char item[256];
        nl_sformat(item, sizeof item, "%s %s", fw->role_weights[i].role,
                   FULL(fw->role_weights[i].weight));
        s = nl_strjoin(s, i ? ", " : "", item);
    }
    return s;
}

/* "0:0, 1:1, 2:3" appended to s after sep. Returns s grown, or NULL. */
static char *with_points(char *s, const char *sep, const nl_point *points, size_t count)
{
    for (size_t i = 0; i < count && s != NULL; i++) {
        char item[128];
        nl_sformat(item, sizeof item, "%s:%s", FULL(points[i].value), FULL(points[i].points));
        s = nl_strjoin(s, i ? ", " : sep, item);
    }
    return s;
}

/* "1 to 5; labels 1 Novice, 2 Advanced beginner, ...". Returns a new string or NULL. */
static char *score_scale_of(double low, double high, const nl_label *labels, size_t label_count,
                            const nl_point *points, size_t point_count)
{
    char text[128];
    nl_sformat(text, sizeof text, "%s to %s", FULL(low), FULL(high));
    char *s = nl_strdup(text);
    for (size_t i = 0; i < label_count && s != NULL; i++) {
        char item[256];
        nl_sformat(item, sizeof item, "%s %s", FULL(labels[i].value), labels[i].text);
        s = nl_strjoin(s, i ? ", " : "; labels ", item);
    }
    return with_points(s, "; milestone points ", points, point_count);
}

static char *score_scale(const nl_framework *fw)
{
    return score_scale_of(fw->scale_min, fw->scale_max, fw->labels, fw->label_count, fw->points,
                          fw->point_count);
}

/* A row per skill whose scale, labels or points are its own; then how levels are placed. */
static lxw_row_t criteria_skill_scales(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->b->fw;
    for (size_t k = 0; k < fw->skill_count; k++) {
        const nl_skill *sk = &fw->skills[k];
        if (sk->scale_min == fw->scale_min && sk->scale_max == fw->scale_max && !sk->own_labels &&
            !sk->own_points)
            continue;
        char name[512];
        nl_sformat(name, sizeof name, "Score scale of %s", sk->id);
        char *scale = score_scale_of(sk->scale_min, sk->scale_max, sk->labels, sk->label_count,
                                     sk->points, sk->point_count);
        if (scale == NULL)
            w->out_of_memory = true;
        row = criteria_pair(w, row, name, scale ? scale : "");
        free(scale);
    }
    if (fw->level_from == NL_LEVEL_FROM_POINTS)
        row = criteria_pair(w, row, "Levels",
                            "from milestone points (level_from = points): each person is "
                            "placed at the level with the highest min_points their total "
                            "milestone points over every skill reach; the level column is only "
                            "checked against it");
    return row;
}

/* The run and the template's settings, one a row. */
static lxw_row_t criteria_run(xlsx_writer *w, lxw_row_t row)
{
    const xw_book *b = w->b;
    xw_text(w, b->criteria, row++, 0, "Criteria: how this workbook was produced", b->f.title);
    row = criteria_pair(w, row, "Tool", "nextlevel " NEXTLEVEL_VERSION);
    row = criteria_pair(w, row, "Run date", b->date_text);
    if (b->opt->group_label != NULL)
        row = criteria_pair(w, row, "This workbook holds", b->opt->group_label);
    row = criteria_pair(w, row, "Detail level",
                        b->opt->summary_detail
                            ? "summary (--detail summary): the Gates and Skill gaps sheets, which "
                              "grow with people x gates and people x skills, are left out"
                            : "full (the default): every sheet");
    char text[512];
    absent_sheets(b, text, sizeof text);
    row = criteria_pair(w, row, "Sheets left out", text);
    row = criteria_pair(w, row, "Redacted",
                        b->opt->redaction ? b->opt->redaction : "no: real names and ids");
    return row;
}

static lxw_row_t criteria_template(xlsx_writer *w, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_framework *fw = b->fw;
    char text[1024];
    row++;
    xw_text(w, b->criteria, row++, 0, "Template", b->f.section);
    row = criteria_pair(w, row, "Name", fw->name);
    if (fw->description != NULL)
        row = criteria_pair(w, row, "Description", fw->description);
    row = criteria_pair(w, row, "Template file", fw->path);
    row = criteria_pair(w, row, "Template SHA-256",
                        b->opt->template_digest ? b->opt->template_digest : "not computed");
    if (fw->expectations_path != NULL)
        row = criteria_pair(w, row, "Expectations grid", fw->expectations_path);
    char *scale = score_scale(fw);
    if (scale == NULL)
        w->out_of_memory = true;
    row = criteria_pair(w, row, "Score scale", scale ? scale : "");
    free(scale);
    row = criteria_skill_scales(w, row);
    row = criteria_pair(w, row, "Missing scores",
                        fw->missing_rule == NL_MISSING_SKIP
                            ? "skip: the skill is left out of the person's checks"
                            : "not_evaluated: the person is Not evaluated");
    char *roles = role_weights(fw);
    nl_sformat(text, sizeof text, "%s; assessor weights (role_weights): %s",
               nl_aggregate_name(fw->aggregate), roles ? roles : "");
    if (roles == NULL)
        w->out_of_memory = true;
    free(roles);
    row = criteria_pair(w, row, "Long-format scores combined by", text);
    nl_sformat(text, sizeof text,
               "%s (growth_per_quarter): the score points a person gains in a quarter, for the "
               "readiness bands when last quarter does not measure the person's growth",
               FULL(fw->growth_per_quarter));
    row = criteria_pair(w, row, "Expected growth", text);
    nl_sformat(text, sizeof text, "%s%s", nl_evaluator_profile(b->ev)->name,
               nl_evaluator_overridden(b->ev) ? " with what-if family weights (--weights)" : "");
    row = criteria_pair(w, row, "Deciding priority profile", text);
    if (fw->threshold_override_count > 0) {
        char *thresholds = nl_describe_threshold_overrides(fw);
        if (thresholds == NULL)
            w->out_of_memory = true;
        nl_sformat(text, sizeof text,
                   "%s: set on the command line, replacing the template's thresholds of these "
                   "readiness_score gates (the gates below show them)",
                   thresholds ? thresholds : "");
        free(thresholds);
        row = criteria_pair(w, row, "What-if thresholds (--threshold)", text);
    }
    const nl_calibration_settings *cal = &fw->calibration;
    nl_sformat(text, sizeof text,
               "%s; a manager is flagged at |z| >= %s (z_threshold) with at least %s people rated "
               "(min_team_size); only flagged managers are adjusted; adjustments shrink by "
               "n / (n + %s) (shrinkage) and are rounded to steps of %s (step)",
               b->rv->calibrate
                   ? "flagged managers' scores adjusted (--calibrate), outcomes shown side by side"
                   : "statistics only, no scores adjusted",
               FULL(cal->z_threshold), FULL(cal->min_team_size), FULL(cal->shrinkage),
               FULL(cal->step));
    row = criteria_pair(w, row, "Calibration", text);
    if (fw->fairness.group_column != NULL) {
        nl_sformat(
            text, sizeof text,
            "column %s (group_column); groups under %s people (min_group_size) are %s "
            "(small_groups); a group is flagged when its rate ratio to the reference group "
            "is under %s (ratio_threshold) and Fisher's exact p%s is under %s (p_threshold)",
            fw->fairness.group_column, FULL(fw->fairness.min_group_size),
            fw->fairness.suppress_small ? "left out" : "merged", FULL(fw->fairness.ratio_threshold),
            fw->fairness.holm ? " (Holm-adjusted, p_adjust)" : "", FULL(fw->fairness.p_threshold));
        row = criteria_pair(w, row, "Fairness check", text);
    }
    for (size_t a = 0; a < fw->attribute_count; a++) {
        nl_sformat(text, sizeof text, "attribute %s", fw->attributes[a].id);
        char value[1024];
        nl_sformat(value, sizeof value, "column %s%s%s", fw->attributes[a].column,
                   fw->attributes[a].description ? ": " : "",
                   fw->attributes[a].description ? fw->attributes[a].description : "");
        row = criteria_pair(w, row, text, value);
    }
    bool below_zero = fw->scale_min < 0;
    for (size_t k = 0; k < fw->skill_count; k++)
        below_zero = below_zero || fw->skills[k].scale_min < 0;
    row =
        criteria_pair(w, row, "Attainment",
                      below_zero ? "min((score - m) / (expected - m), 1) per skill, m the scale's "
                                   "minimum (below 0)"
                                 : "min(score / expected, 1) per skill");
    row = criteria_pair(w, row, "Family attainment",
                        "skill attainments averaged with the profile's skill weights");
    row = criteria_pair(w, row, "Readiness score",
                        nl_framework_has_skills(fw)
                            ? "100 x family attainments averaged with the profile's family weights"
                            : NL_NO_SKILLS_NOTE);
    return row;
}

/* One parameter of a gate: its template key in the first column, its value in full (with its
 * unit) in the second. */
static lxw_row_t gate_parameter(xlsx_writer *w, lxw_row_t row, const char *key, const char *value)
{
    fit_text(w->b->criteria, row, 1, value);
    xw_text(w, w->b->criteria, row, 0, key, w->b->f.text);
    xw_text(w, w->b->criteria, row, 1, value, w->b->f.wrap);
    return row + 1;
}

/* "technical, soft", or the gate's default when it names none. */
static void gate_families(const nl_framework *fw, const nl_gate *gate, char *text, size_t size)
{
    nl_sformat(text, size, "%s", gate->family_count ? "" : "all families (none named)");
    for (size_t i = 0; i < gate->family_count; i++) {
        size_t used = strlen(text);
        nl_sformat(text + used, size - used, "%s%s", i ? ", " : "",
                   fw->families[gate->families[i]]);
    }
}

/* What one value of a param means, with its unit. */
static void param_text(const nl_framework *fw, const nl_gate *gate, nl_gate_param_id which,
                       double value, char *text, size_t size)
{
    const char *label = NULL;
    if (which == NL_GATE_TOLERANCE) {
        nl_sformat(text, size,
                   "%s score points: how far below the next level's expectation a skill may "
                   "score and still pass",
                   FULL(value));
        return;
    }
    switch (gate->kind) {
    case NL_GATE_FAMILY_AVERAGE:
        nl_sformat(text, size,
                   "%s: the family's attainment of the next level's expectations must reach %s%%",
                   FULL(value), FULL(100 * value));
        break;
    case NL_GATE_READINESS_SCORE:
        nl_sformat(text, size, "%s: the readiness score (0 to 100) must reach it", FULL(value));
        break;
    case NL_GATE_FLOOR:
        label = nl_framework_label(fw, value);
        nl_sformat(text, size, "%s%s%s%s: no skill may score below it", FULL(value),
                   label ? " (" : "", label ? label : "", label ? ")" : "");
        break;
    case NL_GATE_BALANCE:
        nl_sformat(text, size,
                   "%s: the two families' attainments of the next level's expectations may be %s "
                   "percentage points apart at most",
                   FULL(value), FULL(100 * value));
        break;
    case NL_GATE_TENURE:
        nl_sformat(text, size, "%s months in the current level at least", FULL(value));
        break;
    case NL_GATE_POINTS:
        nl_sformat(text, size,
                   "%s milestone points: the total of the skills' points (each times its "
                   "weight) must reach it",
                   FULL(value));
        break;
    default: /* attribute, and kinds added since */
        nl_sformat(text, size, "%s", FULL(value));
        break;
    }
}

/* A param's rows: its plain key (unless it is given per level only), then one row per level
 * given its own value (KEY.LEVEL), which says for whom it holds. */
static lxw_row_t param_rows(xlsx_writer *w, lxw_row_t row, const nl_gate *gate,
                            nl_gate_param_id which)
{
    const nl_framework *fw = w->b->fw;
    const char *key = nl_gate_param_key(gate->kind, which);
    if (key == NULL)
        return row;
    char text[1024];
    double plain = which == NL_GATE_THRESHOLD ? gate->threshold : gate->tolerance;
    if (!isnan(plain)) {
        param_text(fw, gate, which, plain, text, sizeof text);
        row = gate_parameter(w, row, key, text);
    }
    const double *at = gate->per_level[which];
    for (size_t l = 0; at != NULL && l < fw->level_count; l++) {
        if (isnan(at[l]))
            continue;
        char name[512];
        nl_sformat(name, sizeof name, "%s.%s", key, fw->levels[l].id);
        param_text(fw, gate, which, at[l], text, sizeof text);
        size_t used = strlen(text);
        nl_sformat(text + used, sizeof text - used, ", for people whose next level is %s (%s)",
                   fw->levels[l].id, fw->levels[l].title);
        row = gate_parameter(w, row, name, text);
    }
    return row;
}

/* A points gate's weights row: the skills it counts other than once (none: no row). */
static lxw_row_t points_weights(xlsx_writer *w, lxw_row_t row, const nl_gate *gate)
{
    const nl_framework *fw = w->b->fw;
    char *weights = nl_strdup("");
    for (size_t k = 0; weights != NULL && gate->weights && k < fw->skill_count; k++) {
        if (gate->weights[k] == 1 || !nl_gate_counts_points(fw, gate, k))
            continue;
        char item[512];
        nl_sformat(item, sizeof item, "%s x%s", fw->skills[k].id, FULL(gate->weights[k]));
        weights = nl_strjoin(weights, *weights ? ", " : "", item);
    }
    if (weights == NULL)
        w->out_of_memory = true;
    else if (*weights)
        row = gate_parameter(w, row, "weights", weights);
    free(weights);
    return row;
}

/* The kind's parameters, each with its template key and unit. */
static lxw_row_t gate_parameters(xlsx_writer *w, lxw_row_t row, const nl_gate *gate)
{
    const nl_framework *fw = w->b->fw;
    char text[1024];
    gate_families(fw, gate, text, sizeof text);
    switch (gate->kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_FLOOR:
    case NL_GATE_BALANCE:
        row = gate_parameter(w, row, "families", text);
        break;
    case NL_GATE_FAMILY_AVERAGE:
        row = gate_parameter(w, row, "family", text);
        break;
    default:
        break;
    }
    if (gate->skill_count > 0) {
        char *skills = nl_strdup("");
        for (size_t i = 0; i < gate->skill_count && skills != NULL; i++) {
            const nl_skill *skill = &fw->skills[gate->skills[i]];
            char item[512];
            nl_sformat(item, sizeof item, "%s (%s)", skill->id, skill->name);
            skills = nl_strjoin(skills, i ? ", " : "", item);
        }
        if (skills == NULL)
            w->out_of_memory = true;
        row = gate_parameter(w, row, "skills", skills ? skills : "");
        free(skills);
    }
    if (gate->kind == NL_GATE_ATTRIBUTE) {
        nl_sformat(text, sizeof text, "%s (column %s)", fw->attributes[gate->attribute].id,
                   fw->attributes[gate->attribute].column);
        row = gate_parameter(w, row, "attribute", text);
        row = gate_parameter(w, row, "op", nl_compare_name(gate->op));
    }
    if (gate->kind == NL_GATE_POINTS)
        row = points_weights(w, row, gate);
    for (int p = 0; p < NL_GATE_PARAM_COUNT; p++)
        row = param_rows(w, row, gate, (nl_gate_param_id)p);
    char *levels = nl_describe_gate_levels(fw, gate);
    if (levels != NULL) {
        nl_sformat(text, sizeof text,
                   "%s: the gate applies only when the next level is one of these; for the "
                   "others it is not applicable (neither passed nor failed)",
                   levels);
        row = gate_parameter(w, row, "levels", text);
        free(levels);
    }
    return row;
}

static lxw_row_t criteria_gates(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->b->fw;
    lxw_worksheet *ws = w->b->criteria;
    static const char *const names[] = {"Gate, then its parameters", "Title, then each value",
                                        "Kind", "Severity"};
    row++;
    xw_text(w, ws, row++, 0, "Decision gates, in the order they are checked", w->b->f.section);
    row = criteria_header(w, row, names, 4, 4);
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        fit_text(ws, row, 1, gate->title);
        xw_text(w, ws, row, 0, gate->id, w->b->f.bold);
        xw_text(w, ws, row, 1, gate->title, w->b->f.wrap);
        xw_text(w, ws, row, 2, nl_gate_kind_name(gate->kind), NULL);
        xw_text(w, ws, row++, 3, gate->severity == NL_HARD ? "hard" : "soft", NULL);
        row = gate_parameters(w, row, gate);
        if (gate->mitigation != NULL)
            row = gate_parameter(w, row, "mitigation", gate->mitigation);
    }
    return row;
}

/* "technical 0.6, soft 0.25, impact 0.15; skill weights system_design 2", then description
 * (NULL: none) on a line of its own. Returns a new string or NULL. */
static char *profile_text(const nl_framework *fw, const nl_profile *profile,
                          const char *description)
{
    char *s = nl_strdup("");
    for (size_t f = 0; f < fw->family_count && s != NULL; f++) {
        char item[256];
        nl_sformat(item, sizeof item, "%s %s", fw->families[f], FULL(profile->family_weight[f]));
        s = nl_strjoin(s, f ? ", " : "", item);
    }
    const char *sep = "; skill weights ";
    for (size_t k = 0; k < fw->skill_count && s != NULL; k++) {
        if (profile->skill_weight[k] == 1.0)
            continue;
        char item[256];
        nl_sformat(item, sizeof item, "%s %s", fw->skills[k].id, FULL(profile->skill_weight[k]));
        s = nl_strjoin(s, sep, item);
        sep = ", ";
    }
    if (s != NULL && description != NULL)
        s = nl_strjoin(s, "\n", description);
    return s;
}

static void profile_row(xlsx_writer *w, lxw_row_t row, const nl_profile *profile, const char *label,
                        const char *description)
{
    const nl_framework *fw = w->b->fw;
    char *text = profile_text(fw, profile, description);
    fit_text(w->b->criteria, row, 1, text);
    xw_text(w, w->b->criteria, row, 0, label, NULL);
    xw_owned(w, w->b->criteria, row, 1, text, w->b->f.wrap);
    for (size_t f = 0; f < fw->family_count; f++)
        xw_number(w, w->b->criteria, row, (lxw_col_t)(2 + f),
                  nl_profile_family_share(fw, profile, f), w->b->f.percent);
}

static lxw_row_t criteria_profiles(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->b->fw;
    row++;
    xw_text(w, w->b->criteria, row++, 0,
            "Priority profiles: the template's weights, and each family's share of the readiness "
            "score",
            w->b->f.section);
    size_t count = 2 + fw->family_count;
    const char **names = calloc(count, sizeof *names);
    char **shares = calloc(fw->family_count ? fw->family_count : 1, sizeof *shares);
    if (names == NULL || shares == NULL) {
        w->out_of_memory = true;
        free(names);
        free(shares);
        return row;
    }
    names[0] = "Profile";
    names[1] = "Weights in the template";
    for (size_t f = 0; f < fw->family_count; f++) {
        shares[f] = nl_strjoin(nl_strdup(fw->families[f]), "", " share");
        names[2 + f] = shares[f] ? shares[f] : "";
        w->out_of_memory = w->out_of_memory || shares[f] == NULL;
    }
    row = criteria_header(w, row, names, count, 2);
    for (size_t f = 0; f < fw->family_count; f++)
        free(shares[f]);
    free(shares);
    free(names);
    for (size_t p = 0; p < fw->profile_count; p++) {
        char label[256];
        nl_sformat(label, sizeof label, "%s%s", fw->profiles[p].name,
                   &fw->profiles[p] == nl_evaluator_profile(w->b->ev) ? " (deciding)" : "");
        profile_row(w, row++, &fw->profiles[p], label, fw->profiles[p].description);
    }
    if (nl_evaluator_overridden(w->b->ev)) {
        const nl_profile *what_if = nl_evaluator_profile(w->b->ev);
        char description[512];
        nl_sformat(description, sizeof description,
                   "The family weights given with --weights, with the skill weights of %s.",
                   what_if->name);
        profile_row(w, row++, what_if, "what-if weights (deciding)", description);
    }
    return row;
}

/* The files of one quarter whose flags are set: path, digest, format and counts. */
static lxw_row_t input_rows(xlsx_writer *w, lxw_row_t row, const nl_matrix *m, const bool *listed)
{
    static const char *const names[] = {"Input file", "SHA-256",         "Format",
                                        "Rows read",  "People accepted", "Rows rejected"};
    lxw_worksheet *ws = w->b->criteria;
    size_t count;
    const nl_file_summary *files = nl_matrix_files(m, &count);
    row = criteria_header(w, row, names, 6, 3);
    for (size_t i = 0; i < count; i++) {
        if (!listed[i])
            continue;
        const nl_file_summary *f = &files[i];
        char format[64];
        nl_sformat(format, sizeof format, "%s, %s-delimited", f->long_format ? "long" : "wide",
                   nl_csv_delimiter_name(f->delimiter));
        fit_text(ws, row, 0, f->path);
        xw_text(w, ws, row, 0, f->path, w->b->f.wrap);
        xw_text(w, ws, row, 1, f->sha256[0] ? f->sha256 : "not computed", NULL);
        xw_text(w, ws, row, 2, format, NULL);
        xw_number(w, ws, row, 3, (double)f->rows_read, w->b->f.integer);
        xw_number(w, ws, row, 4, (double)f->people_accepted, w->b->f.integer);
        xw_number(w, ws, row++, 5, (double)f->rows_rejected, w->b->f.integer);
    }
    return row;
}

/* Which files of m to list: all of them for the whole organisation; for a pack, the files its
 * people come from (this quarter's, or last quarter's entries of the same people). */
static bool *files_listed(const xw_book *b, const nl_matrix *m, bool previous)
{
    size_t file_count, people_count;
    nl_matrix_files(m, &file_count);
    const nl_person *people = nl_matrix_people(b->m, &people_count);
    bool *listed = calloc(file_count ? file_count : 1, sizeof *listed);
    if (listed == NULL)
        return NULL;
    for (size_t i = 0; i < file_count && b->view->whole; i++)
        listed[i] = true;
    for (size_t i = 0; i < b->count && !b->view->whole; i++) {
        const nl_person *p = &people[b->people[b->order[i]].person];
        if (previous)
            p = nl_history_find(b->history, p);
        if (p != NULL)
            listed[p->file] = true;
    }
    return listed;
}

static void criteria_inputs(xlsx_writer *w, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_matrix *quarters[] = {b->m, b->history ? b->history->previous : NULL};
    static const char *const titles[][2] = {
        {"Inputs, this quarter", "Inputs, this quarter (the files this pack's people come from)"},
        {"Inputs, last quarter (--previous)",
         "Inputs, last quarter (--previous; the files of this pack's people)"},
    };
    for (size_t q = 0; q < 2; q++) {
        if (quarters[q] == NULL)
            continue;
        bool *listed = files_listed(b, quarters[q], q == 1);
        if (listed == NULL) {
            w->out_of_memory = true;
            return;
        }
        row++;
        xw_text(w, b->criteria, row++, 0, titles[q][!b->view->whole], b->f.section);
        row = input_rows(w, row, quarters[q], listed);
        free(listed);
    }
}

void xw_criteria_sheet(xlsx_writer *w)
{
    lxw_worksheet *ws = w->b->criteria;
    for (lxw_col_t c = 0; c < CRITERIA_COLUMNS; c++)
        worksheet_set_column(ws, c, c, criteria_width[c], NULL);
    /* Family shares past the sixth column. */
    if (2 + w->b->fw->family_count > CRITERIA_COLUMNS)
        worksheet_set_column(ws, CRITERIA_COLUMNS, (lxw_col_t)(1 + w->b->fw->family_count),
                             CRITERIA_EXTRA_WIDTH, NULL);
    lxw_row_t row = criteria_run(w, 0);
    row = criteria_template(w, row);
    row = criteria_gates(w, row);
    row = criteria_profiles(w, row);
    criteria_inputs(w, row);
    /* A document of settings with three small tables, each under its own header: no one
     * header row belongs on every page. */
    xw_print_setup(w, ws, XW_NO_HEADER_ROW);
}
