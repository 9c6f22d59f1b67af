#include "nextlevel/trend.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Quarters have three months: a tenure gate's missing months become quarters this way. */
#define MONTHS_PER_QUARTER 3.0

const char *nl_band_name(nl_band band)
{
    switch (band) {
    case NL_BAND_READY_NOW:
        return "Ready now";
    case NL_BAND_NEXT_QUARTER:
        return "Next quarter";
    case NL_BAND_TWO_THREE_QUARTERS:
        return "In 2-3 quarters";
    case NL_BAND_LATER:
        return "Later";
    case NL_BAND_NONE:
        return "";
    }
    return "";
}

/* Whole quarters until every failing hard tenure gate of the track passes. A soft tenure gate
 * does not delay the band: it is a risk its mitigation handles, listed with the others. */
static double tenure_quarters(const nl_framework *fw, const nl_track_result *track,
                              const nl_person *person)
{
    double quarters = 0;
    for (size_t g = 0; g < track->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (gate->kind != NL_GATE_TENURE || gate->severity != NL_HARD ||
            track->gates[g].status != NL_GATE_FAIL)
            continue;
        double missing =
            nl_gate_param(gate, NL_GATE_THRESHOLD, track->next_level) - person->months_in_level;
        double q = ceil(missing / MONTHS_PER_QUARTER - NL_EPSILON);
        quarters = q > quarters ? q : quarters;
    }
    return quarters;
}

nl_band nl_band_of_quarters(double quarters)
{
    /* Whole quarters, so no rounding is left to decide a band. */
    if (isnan(quarters))
        return NL_BAND_NONE;
    if (quarters <= 0)
        return NL_BAND_READY_NOW;
    if (quarters <= 1)
        return NL_BAND_NEXT_QUARTER;
    if (quarters <= 3)
        return NL_BAND_TWO_THREE_QUARTERS;
    return NL_BAND_LATER;
}

void nl_band_of(const nl_framework *fw, const nl_person_result *result, const nl_trend *trend,
                nl_band_info *info)
{
    const nl_track_result *track = nl_person_result_track(result);
    *info = (nl_band_info){.band = NL_BAND_NONE,
                           .distance = NAN,
                           .growth = NAN,
                           .skill_quarters = NAN,
                           .tenure_quarters = NAN,
                           .quarters = NAN};
    if (track == NULL || result->outcome == NL_NOT_EVALUATED)
        return;
    if (result->outcome == NL_READY_NOW) {
        *info = (nl_band_info){.band = NL_BAND_READY_NOW, .distance = 0, .growth = NAN};
        return;
    }
    info->distance = track->distance;
    /* Growth is measured in the distance's own unit: how many points closer to Ready now the
     * person came since last quarter. A rise in a skill already at the bar brings nobody
     * closer, and a fall counts against. */
    info->growth_measured = trend != NULL && !isnan(trend->distance_then);
    info->growth = info->growth_measured
                       ? nearbyint((trend->distance_then - track->distance) * 1e9) / 1e9
                       : fw->growth_per_quarter;
    if (info->distance <= NL_EPSILON)
        info->skill_quarters = 0;
    else if (info->growth > NL_EPSILON)
        info->skill_quarters = ceil(info->distance / info->growth - NL_EPSILON);
    else
        info->skill_quarters = INFINITY;
    info->tenure_quarters = tenure_quarters(fw, track, result->person);
    info->quarters = fmax(info->skill_quarters, info->tenure_quarters);
    /* Not Ready now is at least a quarter away: to raise the scores, or to act on the
     * mitigations of the open soft gates. */
    if (info->quarters < 1)
        info->quarters = 1;
    info->band = nl_band_of_quarters(info->quarters);
}

const nl_person *nl_history_find(const nl_history *history, const nl_person *now)
{
    size_t index, count;
    if (history == NULL || history->previous == NULL ||
        !nl_matrix_find(history->previous, now->id, &index))
        return NULL;
    return &nl_matrix_people(history->previous, &count)[index];
}

nl_status nl_trend_of(const nl_history *history, const nl_person_result *now, nl_trend *trend)
{
    *trend = (nl_trend){.readiness_then = NAN, .change = NAN, .distance_then = NAN};
    trend->previous = nl_history_find(history, now->person);
    if (trend->previous == NULL)
        return NL_OK;
    nl_person_result then;
    if (nl_evaluate_person_brief(history->ev, trend->previous, &then) != NL_OK)
        return NL_ERR_NOMEM;
    const nl_track_result *t_then = nl_person_result_track(&then);
    const nl_track_result *t_now = nl_person_result_track(now);
    trend->outcome_then = then.outcome;
    trend->readiness_then = t_then ? t_then->readiness : NAN;
    trend->change = t_now && t_then ? t_now->readiness - t_then->readiness : NAN;
    trend->promoted = trend->previous->level != now->person->level;
    /* Last quarter's distance to the same next level, when both quarters have one. */
    for (size_t k = 0; t_now != NULL && !trend->promoted && k < then.track_count; k++) {
        const nl_track_result *t = &then.tracks[k];
        if (t->next_level == t_now->next_level && t->outcome <= NL_DEVELOPING)
            trend->distance_then = t->outcome == NL_READY_NOW ? 0 : t->distance;
    }
    nl_person_result_clear(&then);
    return NL_OK;
}

nl_status nl_trend_and_band(const nl_history *history, const nl_framework *fw,
                            const nl_person_result *now, nl_trend *trend, nl_band_info *band)
{
    nl_status status = nl_trend_of(history, now, trend);
    if (status == NL_OK)
        nl_band_of(fw, now, trend, band);
    return status;
}

typedef struct skill_change {
    size_t skill;
    double change;
} skill_change;

static int compare_changes(const void *a, const void *b)
{
    const skill_change *x = a, *y = b;
    double ax = fabs(x->change), ay = fabs(y->change);
    if (ax != ay)
        return ax > ay ? -1 : 1;
    return (x->skill > y->skill) - (x->skill < y->skill);
}

char *nl_describe_skill_changes(const nl_framework *fw, const nl_person *now, const nl_person *then)
{
    skill_change *changes = malloc((fw->skill_count ? fw->skill_count : 1) * sizeof *changes);
    if (changes == NULL)
        return NULL;
    size_t n = 0;
    for (size_t s = 0; s < fw->skill_count; s++) {
        double change = now->scores[s] - then->scores[s];
        if (!isnan(change) && fabs(change) > 1e-9)
            changes[n++] = (skill_change){s, change};
    }
    if (n > 1)
        qsort(changes, n, sizeof *changes, compare_changes);
    char *text = nl_strdup("");
    for (size_t i = 0; i < n && text != NULL; i++) {
        char item[256];
        nl_sformat(item, sizeof item, "%s %+g", fw->skills[changes[i].skill].id, changes[i].change);
        text = nl_strjoin(text, i ? ", " : "", item);
    }
    free(changes);
    return text;
}
