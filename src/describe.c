#include "nextlevel/describe.h"

#include "nextlevel/numfmt.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends formatted text to *s (a string from nl_strdup); on out of memory *s becomes NULL. */
static void append(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(char **s, const char *fmt, ...)
{
    if (*s == NULL)
        return;
    char piece[1024];
    va_list ap;
    va_start(ap, fmt);
    nl_vsformat(piece, sizeof piece, fmt, ap);
    va_end(ap);
    *s = nl_strjoin(*s, "", piece);
}

/* Appends a long text as is (reasons can exceed the formatting buffer). */
static void append_text(char **s, const char *sep, const char *text)
{
    if (*s != NULL)
        *s = nl_strjoin(*s, **s ? sep : "", text);
}

char *nl_describe_plan(const nl_framework *fw, const nl_track_result *track)
{
    char *s = nl_strdup("");
    for (size_t i = 0; i < track->plan_count; i++) {
        const nl_plan_step *step = &track->plan[i];
        append(&s, "%s%s +%s (%s -> %s)%s", i ? "; " : "", fw->skills[step->skill].id,
               NL_G(step->to - step->from), NL_G(step->from), NL_G(step->to),
               step->for_soft_gates ? " [soft]" : "");
    }
    return s;
}

char *nl_describe_failed(const nl_framework *fw, const nl_track_result *track, nl_severity severity)
{
    char *s = nl_strdup("");
    for (size_t g = 0; g < track->gate_count; g++) {
        /* A soft gate that could not be checked is a risk as much as a failed one. */
        bool counts = track->gates[g].status == NL_GATE_FAIL ||
                      (severity == NL_SOFT && track->gates[g].status == NL_GATE_SKIPPED);
        if (counts && fw->gates[g].severity == severity)
            append_text(&s, "; ", track->gates[g].reason);
    }
    return s;
}

char *nl_describe_mitigations(const nl_framework *fw, const nl_track_result *track)
{
    char *s = nl_strdup("");
    for (size_t g = 0; g < track->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        nl_gate_status status = track->gates[g].status;
        if ((status == NL_GATE_FAIL || status == NL_GATE_SKIPPED) && gate->severity == NL_SOFT &&
            gate->mitigation != NULL) {
            append(&s, "%s%s: ", s && *s ? "; " : "", gate->title);
            append_text(&s, "", gate->mitigation);
        }
    }
    return s;
}

char *nl_describe_profiles(const nl_framework *fw, const nl_person_result *result)
{
    char *s = nl_strdup("");
    for (size_t p = 0; p < fw->profile_count; p++)
        append(&s, "%s%s: %s", p ? "; " : "", fw->profiles[p].name,
               nl_outcome_name(result->profile_outcomes[p]));
    return s;
}

/* A text grown in place: the tracks column is written for every person of a run, and joining
 * a new string for each short skill cost a copy of the whole text each time. */
typedef struct grown {
    char *s;
    size_t len, cap;
    bool lost; /* out of memory */
} grown;

static void put(grown *g, const char *piece)
{
    size_t n = strlen(piece);
    if (g->lost || !nl_grow((void **)&g->s, &g->cap, g->len + n + 1, 1)) {
        g->lost = true;
        return;
    }
    memcpy(g->s + g->len, piece, n + 1);
    g->len += n;
}

char *nl_describe_tracks(const nl_framework *fw, const nl_person_result *result)
{
    grown g = {0};
    put(&g, "");
    for (size_t t = 0; t < result->track_count; t++) {
        const nl_track_result *track = &result->tracks[t];
        put(&g, t ? "; " : "");
        put(&g, fw->levels[track->next_level].id);
        put(&g, ": ");
        put(&g, nl_outcome_name(track->outcome));
        /* The score, then the skills the track's plan raises (or, Not evaluated, the skills
         * it lacks), in the template's order: "L4: Developing (93.9; short: system_design)". */
        const char *open = " (";
        if (!isnan(track->readiness)) {
            char score[64];
            nl_sformat(score, sizeof score, "%s%.1f", open, track->readiness);
            put(&g, score);
            open = "; ";
        }
        const char *sep = NULL;
        for (size_t k = 0; k < fw->skill_count; k++) {
            if (nl_track_short_of(track, k)) {
                put(&g, sep ? sep : open);
                put(&g, sep ? "" : "short: ");
                put(&g, fw->skills[k].id);
                sep = ", ";
                open = "; ";
            }
        }
        sep = NULL;
        for (size_t i = 0; track->outcome == NL_NOT_EVALUATED && i < track->missing_count; i++) {
            put(&g, sep ? sep : open);
            put(&g, sep ? "" : "missing: ");
            put(&g, fw->skills[track->missing[i]].id);
            sep = ", ";
            open = "; ";
        }
        if (*open == ';')
            put(&g, ")");
    }
    if (g.lost) {
        free(g.s);
        return NULL;
    }
    return g.s;
}

char *nl_describe_tipping(const nl_framework *fw, const nl_evaluator *ev,
                          const nl_person_result *result)
{
    size_t a, b;
    if (!nl_evaluator_tipping_families(ev, &a, &b) || result->track_count == 0)
        return nl_strdup("");
    if (isnan(result->tipping_weight))
        return nl_strdup("none in [0,1]");
    const nl_profile *p = nl_evaluator_profile(ev);
    double current = p->family_weight[a] / (p->family_weight[a] + p->family_weight[b]);
    char *s = nl_strdup("");
    append(&s, "%s when %s's share of the %s+%s weight goes %s %.3f (now %.3f)",
           nl_outcome_name(result->tipping_outcome), fw->families[a], fw->families[a],
           fw->families[b], result->tipping_weight > current ? "above" : "below",
           result->tipping_weight, current);
    return s;
}

char *nl_describe_missing(const nl_framework *fw, const nl_track_result *track)
{
    char *s = nl_strdup("");
    for (size_t i = 0; i < track->missing_count; i++)
        append(&s, "%s%s", i ? ", " : "", fw->skills[track->missing[i]].id);
    if (track->missing_data != NULL)
        append_text(&s, ", ", track->missing_data);
    return s;
}

char *nl_describe_summary(const nl_framework *fw, const nl_person_result *result)
{
    const nl_track_result *track = nl_person_result_track(result);
    if (track == NULL)
        return nl_strdup("Top of the ladder: no next level to evaluate");
    if (track->outcome == NL_NOT_EVALUATED) {
        /* What is missing first, then the hard gates that fail whatever it turns out to be:
         * a missing score must not hide a verdict the assessed ones already give. */
        char *missing = nl_describe_missing(fw, track);
        char *fails = nl_describe_failed(fw, track, NL_HARD);
        char *s = missing && fails ? nl_strdup("Not evaluated: missing ") : NULL;
        append_text(&s, "", missing ? missing : "");
        if (fails != NULL && *fails != '\0') {
            append_text(&s, "", "; already fails: ");
            append_text(&s, "", fails);
        }
        free(missing);
        free(fails);
        return s;
    }
    if (track->outcome == NL_DEVELOPING)
        return nl_describe_failed(fw, track, NL_HARD);
    if (track->outcome == NL_READY_WITH_RISK)
        return nl_describe_failed(fw, track, NL_SOFT);
    char *s = nl_strdup("");
    append(&s, "Every gate passed for %s (%s)", fw->levels[track->next_level].id,
           fw->levels[track->next_level].title);
    return s;
}

char *nl_describe_gate_param(const nl_framework *fw, const nl_gate *gate, nl_gate_param_id which)
{
    char *s = nl_strdup("");
    double plain = which == NL_GATE_THRESHOLD ? gate->threshold : gate->tolerance;
    const char *sep = "";
    if (!isnan(plain)) {
        append(&s, "%.15g", plain);
        sep = "; ";
    }
    const double *at = gate->per_level[which];
    for (size_t l = 0; at != NULL && l < fw->level_count; l++) {
        if (!isnan(at[l])) {
            append(&s, "%s%s: %.15g", sep, fw->levels[l].id, at[l]);
            sep = "; ";
        }
    }
    return s;
}

char *nl_describe_gate_levels(const nl_framework *fw, const nl_gate *gate)
{
    if (gate->applies_to == NULL)
        return NULL;
    char *s = nl_strdup("");
    const char *sep = "";
    for (size_t l = 0; l < fw->level_count; l++) {
        if (gate->applies_to[l]) {
            append(&s, "%s%s", sep, fw->levels[l].id);
            sep = ", ";
        }
    }
    return s;
}

/* "KEY VALUE" of a param, with its per-level values when it has some. */
static void append_param(char **s, const char *sep, const nl_framework *fw, const nl_gate *gate,
                         nl_gate_param_id which)
{
    const char *key = nl_gate_param_key(gate->kind, which);
    double plain = which == NL_GATE_THRESHOLD ? gate->threshold : gate->tolerance;
    if (gate->per_level[which] == NULL) {
        append(s, "%s%s %g", sep, key, plain);
        return;
    }
    char *values = nl_describe_gate_param(fw, gate, which);
    append(s, "%s%s ", sep, key);
    append_text(s, "", values ? values : "");
    if (values == NULL) {
        free(*s);
        *s = NULL;
    }
    free(values);
}

char *nl_describe_gate_parameters(const nl_framework *fw, const nl_gate *gate)
{
    char *s = nl_strdup("");
    const char *sep = "";
    if (gate->family_count > 0) {
        append(&s, "families ");
        for (size_t i = 0; i < gate->family_count; i++)
            append(&s, "%s%s", i ? ", " : "", fw->families[gate->families[i]]);
        sep = "; ";
    } else if (gate->kind == NL_GATE_MEETS_EXPECTATIONS || gate->kind == NL_GATE_FLOOR) {
        append(&s, "all families");
        sep = "; ";
    } else if (gate->kind == NL_GATE_POINTS) {
        append(&s, "every skill with points");
        sep = "; ";
    }
    if (gate->skill_count > 0) {
        append(&s, "%sskills ", sep);
        for (size_t i = 0; i < gate->skill_count; i++)
            append(&s, "%s%s", i ? ", " : "", fw->skills[gate->skills[i]].id);
        sep = "; ";
    }
    switch (gate->kind) {
    case NL_GATE_MEETS_EXPECTATIONS:
    case NL_GATE_CRITICAL_SKILLS:
        append_param(&s, sep, fw, gate, NL_GATE_TOLERANCE);
        break;
    case NL_GATE_TENURE:
        append_param(&s, "", fw, gate, NL_GATE_THRESHOLD);
        break;
    case NL_GATE_ATTRIBUTE:
        append(&s, "%s %s ", fw->attributes[gate->attribute].id, nl_compare_name(gate->op));
        if (gate->per_level[NL_GATE_THRESHOLD] == NULL) {
            append(&s, "%g", gate->threshold);
        } else {
            char *values = nl_describe_gate_param(fw, gate, NL_GATE_THRESHOLD);
            append_text(&s, "", values ? values : "");
            free(values);
        }
        break;
    case NL_GATE_POINTS: {
        const char *wsep = "; weights ";
        for (size_t k = 0; gate->weights && k < fw->skill_count; k++) {
            if (gate->weights[k] != 1) {
                append(&s, "%s%s:%g", wsep, fw->skills[k].id, gate->weights[k]);
                wsep = ", ";
            }
        }
        append_param(&s, sep, fw, gate, NL_GATE_THRESHOLD);
        append(&s, " milestone points");
        break;
    }
    case NL_GATE_KIND_COUNT:
        break;
    default: /* family_average, readiness_score, floor, balance, and kinds added since */
        append_param(&s, sep, fw, gate, NL_GATE_THRESHOLD);
        break;
    }
    char *levels = nl_describe_gate_levels(fw, gate);
    if (levels != NULL) {
        append(&s, "; applies only to ");
        append_text(&s, "", levels);
        free(levels);
    }
    return s;
}

char *nl_describe_threshold_overrides(const nl_framework *fw)
{
    char *s = nl_strdup("");
    for (size_t i = 0; i < fw->threshold_override_count; i++) {
        const nl_threshold_override *o = &fw->threshold_overrides[i];
        append(&s, "%s%s%s%s %s", i ? "; " : "", fw->gates[o->gate].id,
               o->level == SIZE_MAX ? "" : " at ",
               o->level == SIZE_MAX ? "" : fw->levels[o->level].id, NL_G(o->value));
    }
    return s;
}
