#include "evaluate_internal.h"

#include "nextlevel/numfmt.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nl_gate_status_name(nl_gate_status status)
{
    switch (status) {
    case NL_GATE_PASS:
        return "pass";
    case NL_GATE_FAIL:
        return "fail";
    case NL_GATE_SKIPPED:
        break;
    case NL_GATE_NOT_APPLICABLE:
        return "not applicable";
    }
    return "not checked";
}

nl_gate_unit nl_gate_unit_of(nl_gate_kind kind)
{
    /* As the reasons below print them. */
    switch (kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_CRITICAL_SKILLS:
        return (nl_gate_unit){"rating gap", 1, false, 2};
    case NL_GATE_FLOOR:
        return (nl_gate_unit){"rating", 1, false, 2};
    case NL_GATE_FAMILY_AVERAGE:
        return (nl_gate_unit){"%", 100, true, 1};
    case NL_GATE_READINESS_SCORE:
        return (nl_gate_unit){"score points", 1, false, 1};
    case NL_GATE_BALANCE:
        return (nl_gate_unit){"percentage points", 100, false, 1};
    case NL_GATE_POINTS:
        return (nl_gate_unit){"milestone points", 1, false, 0};
    case NL_GATE_TENURE:
        return (nl_gate_unit){"months", 1, false, 0};
    case NL_GATE_ATTRIBUTE:
    case NL_GATE_KIND_COUNT:
        break;
    }
    return (nl_gate_unit){"value", 1, false, 0};
}

const char *nl_outcome_name(nl_outcome outcome)
{
    switch (outcome) {
    case NL_READY_NOW:
        return "Ready now";
    case NL_READY_WITH_RISK:
        return "Ready with risk";
    case NL_DEVELOPING:
        return "Developing";
    case NL_NOT_EVALUATED:
        return "Not evaluated";
    case NL_TOP_OF_LADDER:
        return "Top of ladder";
    }
    return "Unknown";
}

/* ---- the evaluator ---- */

/* Parses "family=w,family=w" into the override profile's family weights. */
static nl_status apply_weights(nl_evaluator *ev, const char *weights, nl_error *err)
{
    const nl_framework *fw = ev->fw;
    char **items = NULL;
    size_t count = 0;
    /* A family given twice is refused rather than letting the last weight win unseen. */
    bool *given = calloc(fw->family_count ? fw->family_count : 1, sizeof *given);
    if (given == NULL || !nl_split(weights, ',', &items, &count)) {
        free(given);
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    nl_status status = NL_OK;
    for (size_t f = 0; f < fw->family_count; f++)
        ev->override.family_weight[f] = 0;
    for (size_t i = 0; i < count && status == NL_OK; i++) {
        char *eq = strchr(items[i], '=');
        double weight;
        size_t family;
        if (eq == NULL) {
            status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                                  "--weights: '%s' must read FAMILY=WEIGHT", items[i]);
            break;
        }
        *eq = '\0';
        const char *name = nl_trim(items[i]);
        if (!nl_framework_find_family(fw, name, &family))
            status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                                  "--weights: '%s' is not a family of the template", name);
        else if (given[family])
            status =
                nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                             "--weights: %s is given twice: give each family one weight", name);
        else if (!nl_parse_decimal(eq + 1, false, &weight) || weight < 0)
            status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                                  "--weights: the weight of %s must be a number >= 0", name);
        else {
            ev->override.family_weight[family] = weight;
            given[family] = true;
        }
    }
    double total = 0;
    for (size_t f = 0; f < fw->family_count; f++)
        total += ev->override.family_weight[f];
    if (status == NL_OK && total <= 0)
        status = nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                              "--weights: at least one family needs a weight above 0");
    nl_free_strings(items, count);
    free(given);
    return status;
}

nl_status nl_evaluator_new(const nl_framework *fw, const char *profile_name, const char *weights,
                           nl_evaluator **out, nl_error *err)
{
    *out = NULL;
    nl_evaluator *ev = calloc(1, sizeof *ev);
    if (ev == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    ev->fw = fw;
    size_t index = fw->default_profile;
    if (profile_name != NULL && !nl_framework_find_profile(fw, profile_name, &index)) {
        free(ev);
        return nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                            "--priorities: the template has no profile '%s'", profile_name);
    }
    ev->deciding = &fw->profiles[index];
    if (weights != NULL) {
        const nl_profile *base = ev->deciding;
        ev->override = *base;
        ev->override.family_weight = malloc(fw->family_count * sizeof(double));
        if (ev->override.family_weight == NULL) {
            free(ev);
            return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
        nl_status status = apply_weights(ev, weights, err);
        if (status != NL_OK) {
            nl_evaluator_free(ev);
            return status;
        }
        ev->overridden = true;
        ev->deciding = &ev->override;
    }
    size_t technical, soft;
    if (nl_framework_find_family(fw, "technical", &technical) &&
        nl_framework_find_family(fw, "soft", &soft)) {
        ev->has_tipping = true;
        ev->tipping_first = technical;
        ev->tipping_second = soft;
    } else if (fw->family_count == 2) {
        ev->has_tipping = true;
        ev->tipping_first = 0;
        ev->tipping_second = 1;
    }
    ev->has_points = nl_framework_has_points(fw);
    *out = ev;
    return NL_OK;
}

void nl_evaluator_free(nl_evaluator *ev)
{
    if (ev == NULL)
        return;
    free(ev->override.family_weight);
    free(ev);
}

const nl_framework *nl_evaluator_framework(const nl_evaluator *ev)
{
    return ev->fw;
}

const nl_profile *nl_evaluator_profile(const nl_evaluator *ev)
{
    return ev->deciding;
}

bool nl_evaluator_overridden(const nl_evaluator *ev)
{
    return ev->overridden;
}

bool nl_evaluator_tipping_families(const nl_evaluator *ev, size_t *first, size_t *second)
{
    *first = ev->tipping_first;
    *second = ev->tipping_second;
    return ev->has_tipping;
}

/* ---- attainment ---- */

bool nl_skill_counts(const track_view *view, size_t skill)
{
    return !isnan(view->next->expected[skill]) && !isnan(view->scores[skill]);
}

double nl_attainment_origin(const nl_framework *fw, size_t skill)
{
    /* From 0 as the templates' 0..N and 1..N scales always were, or from the scale's minimum
     * when it is below 0: measured from 0 there, every expectation of 0 or below was met by
     * any score, and -5 everywhere read as Ready now. Each skill on its own scale. */
    double low = fw->skills[skill].scale_min;
    return low < 0 ? low : 0;
}

double nl_skill_attainment(const nl_framework *fw, size_t skill, double score, double expected)
{
    double origin = nl_attainment_origin(fw, skill);
    if (expected <= origin)
        return 1.0;
    double a = (score - origin) / (expected - origin);
    return a > 1.0 ? 1.0 : a;
}

void nl_attainments(const track_view *view, double *family_attainment, double *readiness)
{
    const nl_framework *fw = view->ev->fw;
    double weighted = 0, total = 0;
    for (size_t f = 0; f < fw->family_count; f++) {
        double sum = 0, weights = 0;
        for (size_t s = 0; s < fw->skill_count; s++) {
            if (fw->skills[s].family != f || !nl_skill_counts(view, s))
                continue;
            double w = view->skill_weight[s];
            sum += w * nl_skill_attainment(fw, s, view->scores[s], view->next->expected[s]);
            weights += w;
        }
        family_attainment[f] = weights > 0 ? sum / weights : NAN;
        if (!isnan(family_attainment[f]) && view->family_weight[f] > 0) {
            weighted += view->family_weight[f] * family_attainment[f];
            total += view->family_weight[f];
        }
    }
    *readiness = total > 0 ? 100.0 * weighted / total : NAN;
}

/* ---- gates ---- */

/* A growing one-line text; on out of memory it becomes NULL and stays so. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void text_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(text *t, const char *fmt, ...)
{
    if (t == NULL || (t->cap > 0 && t->s == NULL))
        return;
    /* Format into the room left, and only when it does not fit, grow and format again: a
     * reason is built from many small pieces, and measuring each first doubled the work. */
    size_t room = t->cap - t->len;
    va_list ap;
    va_start(ap, fmt);
    int n = nl_vsformat(room ? t->s + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < room) {
        t->len += (size_t)n;
        return;
    }
    size_t need = t->len + (size_t)n + 1;
    if (n < 0 || !nl_grow((void **)&t->s, &t->cap, need < 128 ? 128 : need, 1)) {
        free(t->s);
        t->s = NULL;
        t->cap = 1;
        return;
    }
    va_start(ap, fmt);
    nl_vsformat(t->s + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* Appends to a gate's reason only when one is asked for: its arguments, formatted numbers
 * among them, are not even evaluated for the brief evaluations (the review's pass, the
 * priority profiles and the tipping search), which ask for none. */
#define SAY(why, ...)                                                                              \
    do {                                                                                           \
        if ((why) != NULL)                                                                         \
            text_add((why), __VA_ARGS__);                                                          \
    } while (0)

/* Decimals to print a value compared with a limit so that the words never contradict the
 * verdict: a failing 84.96 against 85 prints "84.96", not "85.0". above says which side
 * passes. One decimal unless more are needed, at most six. */
static int decimals(double value, double limit, bool failed, bool above)
{
    for (int d = 1; d < 6; d++) {
        double scale = pow(10, d), shown = round(value * scale) / scale;
        if (!failed || (above ? shown < limit : shown > limit))
            return d;
    }
    return 6;
}

static void finish(nl_gate_result *r, double required, double actual, double margin)
{
    r->required = required;
    r->actual = actual;
    r->margin = margin;
    if (isnan(actual))
        r->status = NL_GATE_SKIPPED;
    else
        r->status = margin >= -NL_EPSILON ? NL_GATE_PASS : NL_GATE_FAIL;
}

static void check_bar(const track_view *v, const nl_gate *gate, nl_gate_result *r, text *why)
{
    const nl_framework *fw = v->ev->fw;
    double worst = INFINITY;
    size_t checked = 0;
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (nl_gate_checks_expectation(fw, gate, s) && nl_skill_counts(v, s)) {
            double gap = v->scores[s] - v->next->expected[s];
            worst = gap < worst ? gap : worst;
            checked++;
        }
    }
    if (checked == 0) {
        finish(r, -gate->tolerance, NAN, NAN);
        SAY(why, "%s not checked: nothing the next level expects is assessed", gate->title);
        return;
    }
    finish(r, -gate->tolerance, worst, worst + gate->tolerance);
    SAY(why, "%s %s: ", gate->title, r->status == NL_GATE_PASS ? "passed" : "failed");
    if (r->status == NL_GATE_PASS) {
        SAY(why, "%zu skill%s at %s (%s) expectations", checked, checked == 1 ? "" : "s",
            v->next->id, v->next->title);
    } else {
        const char *sep = "";
        for (size_t s = 0; s < fw->skill_count; s++) {
            if (!nl_gate_checks_expectation(fw, gate, s) || !nl_skill_counts(v, s))
                continue;
            double e = v->next->expected[s];
            if (v->scores[s] - e + gate->tolerance < -NL_EPSILON) {
                SAY(why, "%s%s %s < %s", sep, fw->skills[s].id, NL_G(v->scores[s]), NL_G(e));
                sep = ", ";
            }
        }
        SAY(why, " expected at %s (%s)", v->next->id, v->next->title);
    }
    if (gate->tolerance > 0)
        SAY(why, ", tolerance %s", NL_G(gate->tolerance));
}

static void check_floor(const track_view *v, const nl_gate *gate, nl_gate_result *r, text *why)
{
    const nl_framework *fw = v->ev->fw;
    double lowest = INFINITY;
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (nl_gate_covers_family(gate, fw->skills[s].family) && !isnan(v->scores[s]))
            lowest = v->scores[s] < lowest ? v->scores[s] : lowest;
    }
    if (isinf(lowest)) {
        finish(r, gate->threshold, NAN, NAN);
        SAY(why, "%s not checked: no skill assessed", gate->title);
        return;
    }
    finish(r, gate->threshold, lowest, lowest - gate->threshold);
    if (r->status == NL_GATE_PASS) {
        SAY(why, "%s passed: lowest score %s >= floor %s", gate->title, NL_G(lowest),
            NL_G(gate->threshold));
        return;
    }
    SAY(why, "%s failed: ", gate->title);
    const char *sep = "";
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (nl_gate_covers_family(gate, fw->skills[s].family) && !isnan(v->scores[s]) &&
            v->scores[s] < gate->threshold - NL_EPSILON) {
            SAY(why, "%s%s %s", sep, fw->skills[s].id, NL_G(v->scores[s]));
            sep = ", ";
        }
    }
    SAY(why, " below the floor of %s", NL_G(gate->threshold));
}

static void check_balance(const track_view *v, const nl_gate *gate, const double *att,
                          nl_gate_result *r, text *why)
{
    const nl_framework *fw = v->ev->fw;
    if (gate->family_count != 2) {
        finish(r, gate->threshold, NAN, NAN);
        return;
    }
    size_t a = gate->families[0], b = gate->families[1];
    double distance = fabs(att[a] - att[b]);
    finish(r, gate->threshold, distance, gate->threshold - distance);
    if (isnan(distance)) {
        SAY(why, "%s not checked: %s or %s has nothing assessed", gate->title, fw->families[a],
            fw->families[b]);
        return;
    }
    bool failed = r->status == NL_GATE_FAIL;
    int d = decimals(100 * distance, 100 * gate->threshold, failed, false);
    SAY(why, "%s %s: %s %s%% and %s %s%% are %s percentage points apart (at most %s)", gate->title,
        failed ? "failed" : "passed", fw->families[a], NL_FIXED(100 * att[a], d), fw->families[b],
        NL_FIXED(100 * att[b], d), NL_FIXED(100 * distance, d), NL_G(100 * gate->threshold));
}

/* ---- milestone points ---- */

static void not_checked(nl_gate_result *r, double required);

bool nl_points_best_raise(const track_view *v, const nl_gate *gate, size_t *skill, double *to,
                          double *gain)
{
    const nl_framework *fw = v->ev->fw;
    double best_rate = 0;
    bool found = false;
    for (size_t s = 0; s < fw->skill_count; s++) {
        const nl_skill *sk = &fw->skills[s];
        double score = v->scores[s], now, next_points;
        if (isnan(score) || !nl_gate_counts_points(fw, gate, s) ||
            !nl_skill_points(fw, s, score, &now))
            continue;
        /* The next milestone above the score, reached in whole steps of the skill. */
        size_t i = 0;
        while (i < sk->point_count && sk->points[i].value <= score + NL_EPSILON)
            i++;
        if (i == sk->point_count || sk->points[i].value > sk->scale_max + NL_EPSILON)
            continue;
        double target =
            score + ceil((sk->points[i].value - score) / sk->step - NL_EPSILON) * sk->step;
        target = target < sk->scale_max ? target : sk->scale_max;
        if (!nl_skill_points(fw, s, target, &next_points))
            continue;
        double g = gate->weights ? gate->weights[s] * (next_points - now) : next_points - now;
        double rate = g / (target - score);
        if (g > 0 && (!found || rate > best_rate * (1 + 1e-12))) {
            found = true;
            best_rate = rate;
            *skill = s;
            *to = target;
            *gain = g;
        }
    }
    return found;
}

/* A score as the skill's label, else the number. */
static const char *score_word(const nl_framework *fw, size_t skill, double score, char *buf,
                              size_t size)
{
    const char *label = nl_skill_label(fw, skill, score);
    if (label != NULL)
        return label;
    nl_sformat(buf, size, "%s", NL_G(score));
    return buf;
}

static void check_points(const track_view *v, const nl_gate *gate, nl_gate_result *r, text *why)
{
    const nl_framework *fw = v->ev->fw;
    double total = 0, headroom = 0, points;
    size_t counted = 0, lacking = 0;
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (!nl_gate_counts_points(fw, gate, s))
            continue;
        const nl_skill *sk = &fw->skills[s];
        double w = gate->weights ? gate->weights[s] : 1;
        if (isnan(v->scores[s])) {
            lacking++;
            headroom += w * sk->points[sk->point_count - 1].points;
        } else if (nl_skill_points(fw, s, v->scores[s], &points)) {
            total += w * points;
            counted++;
        }
    }
    double t = gate->threshold;
    bool strict = fw->missing_rule == NL_MISSING_NOT_EVALUATED && lacking > 0;
    if (counted == 0 || (strict && total + headroom >= t - NL_EPSILON)) {
        not_checked(r, t);
        if (counted == 0) {
            SAY(why, "%s not checked: no skill with milestone points assessed", gate->title);
            return;
        }
        SAY(why, "%s not checked: ", gate->title);
        size_t n = 0;
        for (size_t s = 0; s < fw->skill_count && why; s++) {
            if (nl_gate_counts_points(fw, gate, s) && isnan(v->scores[s]))
                SAY(why, "%s%s", n++ ? ", " : "", fw->skills[s].id);
        }
        SAY(why, " not assessed; %s milestone points on the skills assessed, required %s",
            NL_G(total), NL_G(t));
        return;
    }
    if (strict) { /* fails whatever the lacking skills score */
        finish(r, t, total + headroom, total + headroom - t);
        SAY(why, "%s failed: at most %s milestone points whatever ", gate->title,
            NL_G(total + headroom));
        size_t n = 0;
        for (size_t s = 0; s < fw->skill_count && why; s++) {
            if (nl_gate_counts_points(fw, gate, s) && isnan(v->scores[s]))
                SAY(why, "%s%s", n++ ? ", " : "", fw->skills[s].id);
        }
        SAY(why, " score%s, required %s", n == 1 ? "s" : "", NL_G(t));
        return;
    }
    finish(r, t, total, total - t);
    if (r->status == NL_GATE_PASS) {
        SAY(why, "%s passed: %s milestone points, required %s", gate->title, NL_G(total), NL_G(t));
        return;
    }
    SAY(why, "%s %s of %s required: %s more milestone points", gate->title, NL_G(total), NL_G(t),
        NL_G(t - total));
    size_t skill;
    double to, gain;
    if (why != NULL && nl_points_best_raise(v, gate, &skill, &to, &gain)) {
        char from_text[64], to_text[64];
        SAY(why, ": e.g. raise %s from %s to %s (+%s)", fw->skills[skill].name,
            score_word(fw, skill, v->scores[skill], from_text, sizeof from_text),
            score_word(fw, skill, to, to_text, sizeof to_text), NL_G(gain));
    }
}

static void check_attribute(const track_view *v, const nl_gate *gate, nl_gate_result *r, text *why)
{
    const nl_attribute *attr = &v->ev->fw->attributes[gate->attribute];
    double x = v->person->attributes[gate->attribute], t = gate->threshold;
    double margin = NAN;
    switch (gate->op) {
    case NL_CMP_GE:
        margin = x - t;
        break;
    case NL_CMP_GT:
        margin = x - t - 2 * NL_EPSILON;
        break;
    case NL_CMP_LE:
        margin = t - x;
        break;
    case NL_CMP_LT:
        margin = t - x - 2 * NL_EPSILON;
        break;
    case NL_CMP_EQ:
        margin = -fabs(x - t);
        break;
    }
    finish(r, t, x, margin);
    if (isnan(x)) {
        SAY(why, "%s not checked: no %s given", gate->title, attr->column);
        return;
    }
    SAY(why, "%s %s: %s %s, required %s %s", gate->title,
        r->status == NL_GATE_PASS ? "passed" : "failed", attr->id, NL_G(x),
        nl_compare_name(gate->op), NL_G(t));
}

/* ---- gates that read a skill the person lacks ---- */

/* Marks a text out of memory, as text_add does. */
static void text_lost(text *t)
{
    if (t == NULL)
        return;
    free(t->s);
    t->s = NULL;
    t->cap = 1;
}

/* Whether the next level expects skill s and the person lacks it. */
static bool skill_missing(const track_view *v, size_t s)
{
    return !isnan(v->next->expected[s]) && isnan(v->scores[s]);
}

/* Whether the gate's figure depends on skill s: a bar or floor over it, or an attainment it
 * weighs in. */
static bool gate_reads(const track_view *v, const nl_gate *gate, size_t s)
{
    const nl_framework *fw = v->ev->fw;
    size_t f = fw->skills[s].family;
    switch (gate->kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_CRITICAL_SKILLS:
        return nl_gate_checks_expectation(fw, gate, s);
    case NL_GATE_FLOOR:
        return nl_gate_covers_family(gate, f);
    case NL_GATE_FAMILY_AVERAGE:
        return f == gate->families[0] && v->skill_weight[s] > 0;
    case NL_GATE_BALANCE:
        return gate->family_count == 2 && (f == gate->families[0] || f == gate->families[1]) &&
               v->skill_weight[s] > 0;
    case NL_GATE_READINESS_SCORE:
        return v->skill_weight[s] > 0 && v->family_weight[f] > 0;
    case NL_GATE_POINTS: /* check_points weighs its lacking skills itself */
    case NL_GATE_TENURE:
    case NL_GATE_ATTRIBUTE:
    case NL_GATE_KIND_COUNT:
        break;
    }
    return false;
}

/* The number of skills the gate reads that the person lacks; names them in why,
 * "security, influence". */
static size_t say_missing(const track_view *v, const nl_gate *gate, text *why)
{
    const nl_framework *fw = v->ev->fw;
    size_t count = 0;
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (skill_missing(v, s) && gate_reads(v, gate, s)) {
            SAY(why, "%s%s", count ? ", " : "", fw->skills[s].id);
            count++;
        }
    }
    return count;
}

static bool reads_missing(const track_view *v, const nl_gate *gate)
{
    for (size_t s = 0; s < v->ev->fw->skill_count; s++) {
        if (skill_missing(v, s) && gate_reads(v, gate, s))
            return true;
    }
    return false;
}

/* The attainment of family f when the skills the person lacks attain their least (the scale's
 * minimum score against the expectation) and when they attain their most (1). Returns false
 * when the next level expects nothing of f. */
static bool family_bounds(const track_view *v, size_t f, double *lo, double *hi)
{
    const nl_framework *fw = v->ev->fw;
    double lo_sum = 0, hi_sum = 0, weights = 0;
    for (size_t s = 0; s < fw->skill_count; s++) {
        double e = v->next->expected[s], w = v->skill_weight[s];
        if (fw->skills[s].family != f || isnan(e))
            continue;
        if (isnan(v->scores[s])) {
            lo_sum += w * nl_skill_attainment(fw, s, fw->skills[s].scale_min, e);
            hi_sum += w;
        } else {
            double a = nl_skill_attainment(fw, s, v->scores[s], e);
            lo_sum += w * a;
            hi_sum += w * a;
        }
        weights += w;
    }
    if (!(weights > 0))
        return false;
    *lo = lo_sum / weights;
    *hi = hi_sum / weights;
    return true;
}

/* The readiness score's least and most over what the lacking skills could score. */
static bool readiness_bounds(const track_view *v, double *lo, double *hi)
{
    const nl_framework *fw = v->ev->fw;
    double lo_sum = 0, hi_sum = 0, total = 0;
    for (size_t f = 0; f < fw->family_count; f++) {
        double flo, fhi, w = v->family_weight[f];
        if (w <= 0 || !family_bounds(v, f, &flo, &fhi))
            continue;
        lo_sum += w * flo;
        hi_sum += w * fhi;
        total += w;
    }
    if (!(total > 0))
        return false;
    *lo = 100 * lo_sum / total;
    *hi = 100 * hi_sum / total;
    return true;
}

/* Marks the gate not checked: the requirement stands, there is no actual value. */
static void not_checked(nl_gate_result *r, double required)
{
    r->status = NL_GATE_SKIPPED;
    r->required = required;
    r->actual = NAN;
    r->margin = NAN;
}

/* A bar or a floor over a lacking skill: what fails on the assessed skills fails whatever the
 * lacking one scores (a worst gap or a lowest score can only get worse); a pass is not one. */
static void incomplete_bar(const track_view *v, const nl_gate *gate, nl_gate_result *r, text *why)
{
    text inner = {0};
    text *said = why ? &inner : NULL;
    if (gate->kind == NL_GATE_FLOOR)
        check_floor(v, gate, r, said);
    else
        check_bar(v, gate, r, said);
    if (said != NULL && inner.cap > 0 && inner.s == NULL) {
        text_lost(why);
        return;
    }
    if (r->status == NL_GATE_FAIL) {
        SAY(why, "%s, ", inner.s);
        say_missing(v, gate, why);
        SAY(why, " not assessed");
    } else {
        bool passed = r->status == NL_GATE_PASS;
        not_checked(r, r->required);
        SAY(why, "%s not checked: ", gate->title);
        say_missing(v, gate, why);
        SAY(why, " not assessed");
        /* "<title> passed: <detail>": the detail holds on what was assessed. */
        if (passed)
            SAY(why, "; passed on what was assessed: %s",
                inner.s + strlen(gate->title) + strlen(" passed: "));
    }
    free(inner.s);
}

static void incomplete_readiness(const track_view *v, const nl_gate *gate, double readiness,
                                 nl_gate_result *r, text *why)
{
    double lo, hi, t = gate->threshold;
    if (!readiness_bounds(v, &lo, &hi)) {
        not_checked(r, t);
        SAY(why, "%s not checked: nothing assessed", gate->title);
        return;
    }
    if (hi - t < -NL_EPSILON) {
        finish(r, t, hi, hi - t);
        SAY(why, "%s failed: readiness score at most %s whatever ", gate->title,
            NL_FIXED(hi, decimals(hi, t, true, true)));
        size_t n = say_missing(v, gate, why);
        SAY(why, " score%s", n == 1 ? "s" : "");
    } else {
        not_checked(r, t);
        SAY(why, "%s not checked: ", gate->title);
        say_missing(v, gate, why);
        SAY(why, " not assessed; the readiness score would be %s to %s", NL_FIXED(lo, 1),
            NL_FIXED(hi, 1));
    }
    if (!isnan(readiness))
        SAY(why, " (%s on the skills assessed)", NL_FIXED(readiness, 1));
    SAY(why, ", required %s", NL_G(t));
}

static void incomplete_family_average(const track_view *v, const nl_gate *gate, nl_gate_result *r,
                                      text *why)
{
    const char *family = v->ev->fw->families[gate->families[0]];
    double lo, hi, t = gate->threshold;
    if (!family_bounds(v, gate->families[0], &lo, &hi)) {
        not_checked(r, t);
        SAY(why, "%s not checked: nothing %s assessed", gate->title, family);
        return;
    }
    if (hi - t < -NL_EPSILON) {
        finish(r, t, hi, hi - t);
        SAY(why, "%s failed: %s attainment at most %s%% whatever ", gate->title, family,
            NL_FIXED(100 * hi, decimals(100 * hi, 100 * t, true, true)));
        size_t n = say_missing(v, gate, why);
        SAY(why, " score%s", n == 1 ? "s" : "");
    } else {
        not_checked(r, t);
        SAY(why, "%s not checked: ", gate->title);
        say_missing(v, gate, why);
        SAY(why, " not assessed; %s attainment would be %s%% to %s%%", family,
            NL_FIXED(100 * lo, 1), NL_FIXED(100 * hi, 1));
    }
    SAY(why, ", required %s%%", NL_FIXED(100 * t, 1));
}

static void incomplete_balance(const track_view *v, const nl_gate *gate, nl_gate_result *r,
                               text *why)
{
    const nl_framework *fw = v->ev->fw;
    double t = gate->threshold, lo_a, hi_a, lo_b, hi_b;
    size_t a = gate->families[0], b = gate->families[1];
    if (!family_bounds(v, a, &lo_a, &hi_a) || !family_bounds(v, b, &lo_b, &hi_b)) {
        not_checked(r, t);
        SAY(why, "%s not checked: %s or %s has nothing assessed", gate->title, fw->families[a],
            fw->families[b]);
        return;
    }
    /* The two attainments range over boxes: the nearest and the farthest they can be. */
    double least = fmax(0, fmax(lo_a - hi_b, lo_b - hi_a));
    double most = fmax(hi_a - lo_b, hi_b - lo_a);
    if (t - least < -NL_EPSILON) {
        finish(r, t, least, t - least);
        SAY(why, "%s failed: %s and %s are at least %s percentage points apart whatever ",
            gate->title, fw->families[a], fw->families[b],
            NL_FIXED(100 * least, decimals(100 * least, 100 * t, true, false)));
        size_t n = say_missing(v, gate, why);
        SAY(why, " score%s", n == 1 ? "s" : "");
    } else {
        not_checked(r, t);
        SAY(why, "%s not checked: ", gate->title);
        say_missing(v, gate, why);
        SAY(why, " not assessed; %s and %s would be %s to %s percentage points apart",
            fw->families[a], fw->families[b], NL_FIXED(100 * least, 1), NL_FIXED(100 * most, 1));
    }
    SAY(why, " (at most %s)", NL_G(100 * t));
}

/* Checks a gate that reads a skill the person lacks. */
static void check_incomplete(const track_view *v, const nl_gate *gate, double readiness,
                             nl_gate_result *r, text *why)
{
    switch (gate->kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_CRITICAL_SKILLS:
    case NL_GATE_FLOOR:
        incomplete_bar(v, gate, r, why);
        break;
    case NL_GATE_READINESS_SCORE:
        incomplete_readiness(v, gate, readiness, r, why);
        break;
    case NL_GATE_FAMILY_AVERAGE:
        incomplete_family_average(v, gate, r, why);
        break;
    case NL_GATE_BALANCE:
        incomplete_balance(v, gate, r, why);
        break;
    case NL_GATE_POINTS:
        check_points(v, gate, r, why);
        break;
    case NL_GATE_TENURE:
    case NL_GATE_ATTRIBUTE:
    case NL_GATE_KIND_COUNT:
        not_checked(r, gate->threshold);
        break;
    }
}

/* A gate that does not apply to the next level: no figures, and the levels it applies to. */
static void not_applicable(const nl_framework *fw, const nl_gate *gate, nl_gate_result *r,
                           text *why)
{
    r->status = NL_GATE_NOT_APPLICABLE;
    r->required = NAN;
    r->actual = NAN;
    r->margin = NAN;
    if (why == NULL)
        return;
    SAY(why, "%s not applicable: applies only to ", gate->title);
    const char *sep = "";
    for (size_t l = 0; l < fw->level_count; l++) {
        if (nl_gate_applies(gate, l)) {
            SAY(why, "%s%s", sep, fw->levels[l].id);
            sep = ", ";
        }
    }
}

void nl_check_gate(const track_view *v, size_t g, const double *att, double readiness,
                   nl_gate_result *r, char **reason_out)
{
    const nl_framework *fw = v->ev->fw;
    const nl_gate *gate = &fw->gates[g];
    text reason = {0};
    text *why = reason_out ? &reason : NULL;
    const char *verdict;
    size_t next = (size_t)(v->next - fw->levels);
    if (!nl_gate_applies(gate, next)) {
        not_applicable(fw, gate, r, why);
        if (reason_out != NULL)
            *reason_out = reason.s;
        return;
    }
    /* Every check below reads the params of this next level. */
    nl_gate at_level;
    if (nl_gate_varies(gate)) {
        at_level = *gate;
        at_level.threshold = nl_gate_param(gate, NL_GATE_THRESHOLD, next);
        at_level.tolerance = nl_gate_param(gate, NL_GATE_TOLERANCE, next);
        gate = &at_level;
    }
    if (v->lacking && reads_missing(v, gate)) {
        check_incomplete(v, gate, readiness, r, why);
        if (reason_out != NULL)
            *reason_out = reason.s;
        return;
    }
    switch (gate->kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_CRITICAL_SKILLS:
        check_bar(v, gate, r, why);
        break;
    case NL_GATE_FLOOR:
        check_floor(v, gate, r, why);
        break;
    case NL_GATE_FAMILY_AVERAGE: {
        double a = att[gate->families[0]];
        finish(r, gate->threshold, a, a - gate->threshold);
        verdict = r->status == NL_GATE_PASS ? "passed" : "failed";
        if (isnan(a))
            SAY(why, "%s not checked: nothing %s assessed", gate->title,
                fw->families[gate->families[0]]);
        else
            SAY(why, "%s %s: %s attainment %s%%, required %s%%", gate->title, verdict,
                fw->families[gate->families[0]],
                NL_FIXED(100 * a,
                         decimals(100 * a, 100 * gate->threshold, r->status == NL_GATE_FAIL, true)),
                NL_FIXED(100 * gate->threshold, 1));
        break;
    }
    case NL_GATE_READINESS_SCORE:
        finish(r, gate->threshold, readiness, readiness - gate->threshold);
        verdict = r->status == NL_GATE_PASS ? "passed" : "failed";
        if (isnan(readiness))
            SAY(why, "%s not checked: nothing assessed", gate->title);
        else
            SAY(why, "%s %s: readiness score %s, required %s", gate->title, verdict,
                NL_FIXED(readiness,
                         decimals(readiness, gate->threshold, r->status == NL_GATE_FAIL, true)),
                NL_G(gate->threshold));
        break;
    case NL_GATE_BALANCE:
        check_balance(v, gate, att, r, why);
        break;
    case NL_GATE_TENURE: {
        double months = v->person->months_in_level;
        finish(r, gate->threshold, months, months - gate->threshold);
        verdict = r->status == NL_GATE_PASS ? "passed" : "failed";
        if (isnan(months))
            SAY(why, "%s not checked: months in level not given", gate->title);
        else
            SAY(why, "%s %s: %s months in level, required %s", gate->title, verdict, NL_G(months),
                NL_G(gate->threshold));
        break;
    }
    case NL_GATE_ATTRIBUTE:
        check_attribute(v, gate, r, why);
        break;
    case NL_GATE_POINTS:
        check_points(v, gate, r, why);
        break;
    case NL_GATE_KIND_COUNT:
        finish(r, NAN, NAN, NAN);
        break;
    }
    if (reason_out != NULL)
        *reason_out = reason.s;
}

/* ---- one track ---- */

static bool contains(const char *haystack, const char *needle)
{
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* Lists what the next level needs that the person lacks; returns whether anything is. */
static bool find_missing(const track_view *v, nl_track_result *t)
{
    const nl_framework *fw = v->ev->fw;
    t->missing = malloc((fw->skill_count ? fw->skill_count : 1) * sizeof *t->missing);
    if (t->missing == NULL)
        return false;
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (!isnan(v->next->expected[s]) && isnan(v->person->scores[s]))
            t->missing[t->missing_count++] = s;
    }
    text other = {0};
    size_t next = (size_t)(v->next - fw->levels);
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (!nl_gate_applies(gate, next))
            continue; /* what it would read is missing from nothing this track checks */
        if (gate->kind == NL_GATE_TENURE && isnan(v->person->months_in_level) &&
            !contains(other.s, fw->columns[NL_FIELD_MONTHS]))
            text_add(&other, "%s%s", other.len ? ", " : "", fw->columns[NL_FIELD_MONTHS]);
        if (gate->kind == NL_GATE_ATTRIBUTE && isnan(v->person->attributes[gate->attribute]) &&
            !contains(other.s, fw->attributes[gate->attribute].column))
            text_add(&other, "%s%s", other.len ? ", " : "", fw->attributes[gate->attribute].column);
    }
    if (other.cap > 0 && other.s == NULL)
        return false;
    t->missing_data = other.s;
    return true;
}

/* Whether the next level expects skills but none of them is assessed: with missing_scores =
 * skip every gate would then be "not checked", and no gate can be said to pass. */
static bool nothing_assessed(const track_view *v)
{
    bool expects = false;
    for (size_t s = 0; s < v->ev->fw->skill_count; s++) {
        if (nl_skill_counts(v, s))
            return false;
        expects = expects || !isnan(v->next->expected[s]);
    }
    return expects;
}

/* What the gates of one track add up to. A gate that could not be checked never counts as
 * passed: a hard one leaves the person Not evaluated, a soft one is a risk. */
typedef struct verdict {
    bool hard_failed, soft_failed, hard_unchecked, lacking;
} verdict;

static void note_gate(verdict *v, const nl_gate *gate, nl_gate_status status)
{
    bool hard = gate->severity == NL_HARD;
    if (status == NL_GATE_FAIL)
        *(hard ? &v->hard_failed : &v->soft_failed) = true;
    if (status == NL_GATE_SKIPPED) {
        *(hard ? &v->hard_unchecked : &v->soft_failed) = true;
        /* A missing tenure or attribute is missing data like a missing score. */
        v->lacking |= gate->kind == NL_GATE_TENURE || gate->kind == NL_GATE_ATTRIBUTE;
    }
}

static nl_outcome verdict_outcome(const verdict *v, nl_missing_rule rule, bool nothing)
{
    if ((v->lacking && rule == NL_MISSING_NOT_EVALUATED) || v->hard_unchecked || nothing)
        return NL_NOT_EVALUATED;
    return v->hard_failed ? NL_DEVELOPING : v->soft_failed ? NL_READY_WITH_RISK : NL_READY_NOW;
}

/* Names the hard gates that could not be checked, for the Not evaluated reason. */
static bool note_unchecked(const nl_framework *fw, nl_track_result *t)
{
    for (size_t g = 0; g < fw->gate_count; g++) {
        if (t->gates[g].status != NL_GATE_SKIPPED || fw->gates[g].severity != NL_HARD ||
            fw->gates[g].kind == NL_GATE_TENURE || fw->gates[g].kind == NL_GATE_ATTRIBUTE)
            continue;
        char item[512];
        nl_sformat(item, sizeof item, "what gate %s checks", fw->gates[g].id);
        char *joined = t->missing_data ? nl_strjoin(t->missing_data, ", ", item) : nl_strdup(item);
        if (joined == NULL)
            return false;
        t->missing_data = joined;
    }
    return true;
}

static bool evaluate_track(const nl_evaluator *ev, const nl_person *person, size_t next,
                           bool reasons, nl_track_result *t)
{
    const nl_framework *fw = ev->fw;
    track_view v = {
        .ev = ev,
        .person = person,
        .next = &fw->levels[next],
        .family_weight = ev->deciding->family_weight,
        .skill_weight = ev->deciding->skill_weight,
        .scores = person->scores,
        .reasons = reasons,
    };
    t->next_level = next;
    t->family_attainment = malloc((fw->family_count ? fw->family_count : 1) * sizeof(double));
    t->gates = calloc(fw->gate_count ? fw->gate_count : 1, sizeof *t->gates);
    if (t->family_attainment == NULL || t->gates == NULL || !find_missing(&v, t))
        return false;
    v.lacking = fw->missing_rule == NL_MISSING_NOT_EVALUATED && t->missing_count > 0;
    t->gate_count = fw->gate_count;
    nl_attainments(&v, t->family_attainment, &t->readiness);
    for (size_t g = 0; g < fw->gate_count; g++) {
        nl_check_gate(&v, g, t->family_attainment, t->readiness, &t->gates[g],
                      reasons ? &t->gates[g].reason : NULL);
        if (reasons && t->gates[g].reason == NULL)
            return false;
    }
    verdict gates_say = {.lacking = t->missing_count > 0 || t->missing_data != NULL};
    for (size_t g = 0; g < fw->gate_count; g++)
        note_gate(&gates_say, &fw->gates[g], t->gates[g].status);
    t->outcome = verdict_outcome(&gates_say, fw->missing_rule, nothing_assessed(&v));
    /* Missing skills already say why; otherwise name the gates that had nothing to check. */
    if (t->outcome == NL_NOT_EVALUATED)
        return !gates_say.hard_unchecked || t->missing_count > 0 || note_unchecked(fw, t);
    return t->outcome == NL_READY_NOW || nl_plan_track(&v, t);
}

nl_outcome nl_track_outcome_without_readiness(const nl_evaluator *ev, const nl_person *person,
                                              const nl_track_result *track)
{
    const nl_framework *fw = ev->fw;
    track_view v = {.ev = ev,
                    .person = person,
                    .next = &fw->levels[track->next_level],
                    .scores = person->scores};
    verdict gates_say = {.lacking = track->missing_count > 0};
    for (size_t g = 0; g < track->gate_count; g++) {
        if (fw->gates[g].kind != NL_GATE_READINESS_SCORE)
            note_gate(&gates_say, &fw->gates[g], track->gates[g].status);
    }
    return verdict_outcome(&gates_say, fw->missing_rule, nothing_assessed(&v));
}

/* The outcome of a track under other family weights, without reasons or plans: for the
 * profile comparison and the tipping weight. scratch holds family_count doubles. */
static nl_outcome track_outcome(const nl_evaluator *ev, const nl_person *person, size_t next,
                                const nl_profile *profile, const double *family_weight,
                                double *scratch)
{
    const nl_framework *fw = ev->fw;
    track_view v = {
        .ev = ev,
        .person = person,
        .next = &fw->levels[next],
        .family_weight = family_weight,
        .skill_weight = profile->skill_weight,
        .scores = person->scores,
    };
    verdict gates_say = {0};
    for (size_t s = 0; s < fw->skill_count && !gates_say.lacking; s++)
        gates_say.lacking = !isnan(v.next->expected[s]) && isnan(person->scores[s]);
    double readiness;
    nl_attainments(&v, scratch, &readiness);
    for (size_t g = 0; g < fw->gate_count; g++) {
        nl_gate_result r;
        nl_check_gate(&v, g, scratch, readiness, &r, NULL);
        note_gate(&gates_say, &fw->gates[g], r.status);
    }
    return verdict_outcome(&gates_say, fw->missing_rule, nothing_assessed(&v));
}

/* The best outcome over the person's tracks under the given weights: the first key of
 * nearer_to_ready, the only one an outcome needs. */
static nl_outcome best_outcome(const nl_evaluator *ev, const nl_person *person,
                               const nl_profile *profile, const double *family_weight,
                               double *scratch)
{
    const nl_level *level = &ev->fw->levels[person->level];
    nl_outcome best = NL_TOP_OF_LADDER;
    for (size_t i = 0; i < level->next_count; i++) {
        nl_outcome o = track_outcome(ev, person, level->next[i], profile, family_weight, scratch);
        best = o < best ? o : best;
    }
    return best;
}

/* ---- what-if: profiles and the tipping weight ---- */

/* Outcome with the tipping pair's combined weight split share : 1 - share. */
static nl_outcome outcome_at_share(const nl_evaluator *ev, const nl_person *person, double share,
                                   double *weights, double *scratch)
{
    const nl_profile *p = ev->deciding;
    size_t a = ev->tipping_first, b = ev->tipping_second;
    size_t families = ev->fw->family_count;
    memcpy(weights, p->family_weight, families * sizeof *weights);
    double pair = p->family_weight[a] + p->family_weight[b];
    weights[a] = share * pair;
    weights[b] = (1 - share) * pair;
    return best_outcome(ev, person, p, weights, scratch);
}

/* The readiness score is linear in the share, so the outcome can only change where a
 * readiness_score gate's threshold is crossed: those points are solved exactly, and the nearest
 * one to the current share where the outcome differs is the tipping weight. */
static void find_tipping(const nl_evaluator *ev, nl_person_result *result, double *weights,
                         double *scratch)
{
    const nl_framework *fw = ev->fw;
    const nl_profile *p = ev->deciding;
    const nl_person *person = result->person;
    size_t a = ev->tipping_first, b = ev->tipping_second;
    double pair = p->family_weight[a] + p->family_weight[b];
    result->tipping_weight = NAN;
    if (!ev->has_tipping || pair <= 0 || result->track_count == 0)
        return;
    double current = p->family_weight[a] / pair;
    double best_distance = INFINITY;
    for (size_t t = 0; t < result->track_count; t++) {
        const nl_track_result *track = &result->tracks[t];
        double total = 0, others = 0;
        for (size_t f = 0; f < fw->family_count; f++) {
            if (isnan(track->family_attainment[f]) || p->family_weight[f] <= 0)
                continue;
            total += p->family_weight[f];
            if (f != a && f != b)
                others += p->family_weight[f] * track->family_attainment[f];
        }
        double att_a = track->family_attainment[a], att_b = track->family_attainment[b];
        if (isnan(att_a) || isnan(att_b) || total <= 0 || att_a == att_b)
            continue;
        for (size_t g = 0; g < fw->gate_count; g++) {
            if (fw->gates[g].kind != NL_GATE_READINESS_SCORE ||
                !nl_gate_applies(&fw->gates[g], track->next_level))
                continue;
            /* 100 * (others + pair * (s * att_a + (1 - s) * att_b)) / total = threshold */
            double threshold = nl_gate_param(&fw->gates[g], NL_GATE_THRESHOLD, track->next_level);
            double target = threshold * total / 100.0 - others;
            double share = (target / pair - att_b) / (att_a - att_b);
            if (!(share >= 0 && share <= 1) || fabs(share - current) < NL_EPSILON)
                continue;
            /* Look just past the crossing, on the side away from the current share. */
            double beyond = share + (share > current ? 1e-7 : -1e-7);
            beyond = beyond < 0 ? 0 : beyond > 1 ? 1 : beyond;
            nl_outcome o = outcome_at_share(ev, person, beyond, weights, scratch);
            if (o != result->outcome && fabs(share - current) < best_distance) {
                best_distance = fabs(share - current);
                result->tipping_weight = share;
                result->tipping_outcome = o;
            }
        }
    }
}

/* Whether track a is nearer to ready than track b, the headline track's rule: the better
 * outcome; of equal outcomes the shorter development plan (the nearest way up, even when its
 * readiness score is lower), then the higher readiness score. A tie keeps b, the track listed
 * first. */
static bool nearer_to_ready(const nl_track_result *a, const nl_track_result *b)
{
    if (a->outcome != b->outcome)
        return a->outcome < b->outcome;
    /* Distances are sums of whole rating steps, rounded to nine decimals as they are added. */
    if (fabs(a->distance - b->distance) > NL_EPSILON)
        return a->distance < b->distance;
    if (isnan(a->readiness) || isnan(b->readiness))
        return !isnan(a->readiness) && isnan(b->readiness);
    return a->readiness > b->readiness;
}

static nl_status evaluate_person(const nl_evaluator *ev, const nl_person *person, bool reasons,
                                 nl_person_result *result)
{
    const nl_framework *fw = ev->fw;
    const nl_level *level = &fw->levels[person->level];
    memset(result, 0, sizeof *result);
    result->person = person;
    result->outcome = NL_TOP_OF_LADDER;
    result->tipping_weight = NAN;
    result->milestone_points = ev->has_points ? nl_framework_total_points(fw, person->scores) : NAN;
    size_t families = fw->family_count ? fw->family_count : 1;
    double *scratch = malloc(2 * families * sizeof *scratch);
    result->profile_outcomes =
        malloc((fw->profile_count ? fw->profile_count : 1) * sizeof *result->profile_outcomes);
    result->tracks = calloc(level->next_count ? level->next_count : 1, sizeof *result->tracks);
    if (scratch == NULL || result->profile_outcomes == NULL || result->tracks == NULL)
        goto nomem;
    for (size_t i = 0; i < level->next_count; i++) {
        result->track_count++;
        if (!evaluate_track(ev, person, level->next[i], reasons, &result->tracks[i]))
            goto nomem;
        if (nearer_to_ready(&result->tracks[i], &result->tracks[result->best]))
            result->best = i;
    }
    if (result->track_count > 0)
        result->outcome = result->tracks[result->best].outcome;
    if (!nl_operating_level(ev, result))
        goto nomem;
    result->robust = true;
    for (size_t p = 0; p < fw->profile_count; p++) {
        const nl_profile *profile = &fw->profiles[p];
        result->profile_outcomes[p] =
            best_outcome(ev, person, profile, profile->family_weight, scratch);
        result->robust = result->robust && result->profile_outcomes[p] == result->outcome;
    }
    find_tipping(ev, result, scratch + families, scratch);
    free(scratch);
    return NL_OK;
nomem:
    free(scratch);
    nl_person_result_clear(result);
    return NL_ERR_NOMEM;
}

nl_status nl_evaluate_person(const nl_evaluator *ev, const nl_person *person,
                             nl_person_result *result)
{
    return evaluate_person(ev, person, true, result);
}

nl_status nl_evaluate_person_brief(const nl_evaluator *ev, const nl_person *person,
                                   nl_person_result *result)
{
    return evaluate_person(ev, person, false, result);
}

static void clear_track(nl_track_result *t)
{
    free(t->family_attainment);
    for (size_t g = 0; g < t->gate_count; g++)
        free(t->gates[g].reason);
    free(t->gates);
    free(t->missing);
    free(t->missing_data);
    free(t->plan);
    nl_free_strings(t->blockers, t->blocker_count);
}

void nl_person_result_clear(nl_person_result *result)
{
    for (size_t i = 0; i < result->track_count; i++)
        clear_track(&result->tracks[i]);
    free(result->tracks);
    free(result->profile_outcomes);
    memset(result, 0, sizeof *result);
}

const nl_track_result *nl_person_result_track(const nl_person_result *result)
{
    return result->track_count > 0 ? &result->tracks[result->best] : NULL;
}

bool nl_track_short_of(const nl_track_result *track, size_t skill)
{
    for (size_t i = 0; i < track->plan_count; i++) {
        if (track->plan[i].skill == skill)
            return true;
    }
    return false;
}
