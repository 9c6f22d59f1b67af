#include "nextlevel/framework.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Lint checks that need the whole framework built. Errors here are the ones that make an
 * evaluation meaningless; warnings are things a template author probably did not mean. */

static void add(nl_framework *fw, nl_diag_severity severity, long line, const char *fmt,
                const char *a, const char *b) __attribute__((format(printf, 4, 0)));

static void add(nl_framework *fw, nl_diag_severity severity, long line, const char *fmt,
                const char *a, const char *b)
{
    nl_diag_add(&fw->diags, severity, fw->path, line, 0, fmt, a, b);
}

/* Depth-first search for a cycle through `next`; state: 0 new, 1 on the path, 2 done. */
static bool has_cycle_from(const nl_framework *fw, size_t level, unsigned char *state,
                           size_t *cycle_at)
{
    state[level] = 1;
    for (size_t i = 0; i < fw->levels[level].next_count; i++) {
        size_t next = fw->levels[level].next[i];
        if (state[next] == 1) {
            *cycle_at = next; /* back on the current path: next lies on the cycle */
            return true;
        }
        if (state[next] == 0 && has_cycle_from(fw, next, state, cycle_at))
            return true;
    }
    state[level] = 2;
    return false;
}

static void lint_ladder(nl_framework *fw)
{
    unsigned char *state = calloc(fw->level_count ? fw->level_count : 1, 1);
    size_t *queue = calloc(fw->level_count ? fw->level_count : 1, sizeof *queue);
    bool *reached = calloc(fw->level_count ? fw->level_count : 1, sizeof *reached);
    if (state == NULL || queue == NULL || reached == NULL) {
        fw->diags.out_of_memory = true;
        goto out;
    }
    for (size_t l = 0; l < fw->level_count; l++) {
        size_t cycle_at;
        if (state[l] == 0 && has_cycle_from(fw, l, state, &cycle_at)) {
            add(fw, NL_DIAG_ERROR, fw->levels[cycle_at].line,
                "the next levels form a cycle through %s: a ladder must lead upwards",
                fw->levels[cycle_at].id, NULL);
            goto out;
        }
    }
    /* Reachable: from the first level and every level marked entry = yes. */
    size_t head = 0, tail = 0;
    for (size_t l = 0; l < fw->level_count; l++) {
        if (l == 0 || fw->levels[l].entry) {
            reached[l] = true;
            queue[tail++] = l;
        }
    }
    while (head < tail) {
        const nl_level *level = &fw->levels[queue[head++]];
        for (size_t i = 0; i < level->next_count; i++) {
            if (!reached[level->next[i]]) {
                reached[level->next[i]] = true;
                queue[tail++] = level->next[i];
            }
        }
    }
    for (size_t l = 0; l < fw->level_count; l++) {
        if (!reached[l])
            add(fw, NL_DIAG_WARNING, fw->levels[l].line,
                "level %s cannot be reached: no level names it as next and it is not marked "
                "entry = yes",
                fw->levels[l].id, NULL);
    }
out:
    free(reached);
    free(queue);
    free(state);
}

/* Per level, whether anyone is promoted into it (it is some level's next); NULL, with the
 * diagnostics marked out of memory, when there is no room. The caller frees it. */
static bool *levels_promoted_into(nl_framework *fw)
{
    bool *is_next = calloc(fw->level_count ? fw->level_count : 1, sizeof *is_next);
    if (is_next == NULL) {
        fw->diags.out_of_memory = true;
        return NULL;
    }
    for (size_t k = 0; k < fw->level_count; k++) {
        for (size_t i = 0; i < fw->levels[k].next_count; i++)
            is_next[fw->levels[k].next[i]] = true;
    }
    return is_next;
}

/* A level people are promoted into must say what it expects of every skill a gate checks. */
static void lint_expectations(nl_framework *fw)
{
    bool *is_next = levels_promoted_into(fw);
    if (is_next == NULL)
        return;
    for (size_t l = 0; l < fw->level_count; l++) {
        if (!is_next[l])
            continue;
        const nl_level *level = &fw->levels[l];
        for (size_t g = 0; g < fw->gate_count; g++) {
            for (size_t s = 0; s < fw->skill_count; s++) {
                if (!isnan(level->expected[s]) ||
                    !nl_gate_checks_expectation(fw, &fw->gates[g], s) ||
                    !nl_gate_applies(&fw->gates[g], l) ||
                    (level->not_expected != NULL && level->not_expected[s]))
                    continue;
                char detail[256];
                nl_sformat(detail, sizeof detail, "%s, which gate %s checks", fw->skills[s].id,
                           fw->gates[g].id);
                add(fw, NL_DIAG_WARNING, level->line,
                    "level %s has no expectation for %s: the skill is left out of that check",
                    level->id, detail);
            }
        }
    }
    free(is_next);
}

static void lint_profiles(nl_framework *fw)
{
    for (size_t p = 0; p < fw->profile_count; p++) {
        const nl_profile *profile = &fw->profiles[p];
        double total = 0;
        for (size_t f = 0; f < fw->family_count; f++)
            total += profile->family_weight[f];
        if (total <= 0 && fw->family_count > 0)
            add(fw, NL_DIAG_ERROR, profile->line,
                "priority profile %s weighs every family 0: give at least one family a weight",
                profile->name, NULL);
        for (size_t f = 0; f < fw->family_count; f++) {
            if (profile->family_weight[f] <= 0)
                continue;
            double skills = 0;
            for (size_t s = 0; s < fw->skill_count; s++) {
                if (fw->skills[s].family == f)
                    skills += profile->skill_weight[s];
            }
            if (skills <= 0)
                add(fw, NL_DIAG_ERROR, profile->line,
                    "priority profile %s weighs family %s but none of its skills", profile->name,
                    fw->families[f]);
        }
    }
}

/* Whether a floor's min_score is at the bottom of the scale for a level it applies to. */
static bool floor_never_fails(const nl_framework *fw, const nl_gate *gate)
{
    if (!nl_gate_varies(gate))
        return gate->threshold <= fw->scale_min;
    for (size_t l = 0; l < fw->level_count; l++) {
        if (nl_gate_applies(gate, l) && nl_gate_param(gate, NL_GATE_THRESHOLD, l) <= fw->scale_min)
            return true;
    }
    return false;
}

static void lint_gates(nl_framework *fw)
{
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (gate->kind == NL_GATE_FLOOR && floor_never_fails(fw, gate))
            add(fw, NL_DIAG_WARNING, gate->line,
                "gate %s: min_score at the bottom of the scale can never fail", gate->id, NULL);
        bool counts = false;
        for (size_t s = 0; gate->kind == NL_GATE_POINTS && s < fw->skill_count && !counts; s++)
            counts = nl_gate_counts_points(fw, gate, s);
        if (gate->kind == NL_GATE_POINTS && !counts)
            add(fw, NL_DIAG_ERROR, gate->line,
                "gate %s sums milestone points, but none of its skills has points: give "
                "[framework] or the skills a points mapping",
                gate->id, NULL);
        if (gate->kind == NL_GATE_BALANCE && gate->family_count == 2 &&
            gate->families[0] == gate->families[1])
            add(fw, NL_DIAG_ERROR, gate->line, "gate %s compares family %s with itself", gate->id,
                fw->families[gate->families[0]]);
    }
}

/* Levels by total milestone points: each level's range starts at its min_points, so two equal
 * minimums, or a next level that starts no higher than the level it follows, leave a range
 * that no one can be placed in. */
static void lint_points_levels(nl_framework *fw)
{
    bool from_points = fw->level_from == NL_LEVEL_FROM_POINTS;
    char detail[256];
    for (size_t l = 0; l < fw->level_count; l++) {
        const nl_level *level = &fw->levels[l];
        if (isnan(level->min_points)) {
            if (from_points)
                add(fw, NL_DIAG_ERROR, level->line,
                    "level %s has no min_points, and the levels come from milestone points "
                    "(level_from = points): give it the lowest total of the level",
                    level->id, NULL);
            continue;
        }
        if (!from_points)
            add(fw, NL_DIAG_WARNING, level->line,
                "level %s: min_points is unused: the levels come from the level column (set "
                "level_from = points in [framework] to place people by their milestone points)",
                level->id, NULL);
        for (size_t k = 0; k < l; k++) {
            if (fw->levels[k].min_points != level->min_points)
                continue;
            nl_sformat(detail, sizeof detail, "%s and %s both have min_points %g", fw->levels[k].id,
                       level->id, level->min_points);
            add(fw, NL_DIAG_ERROR, level->line, "overlapping level ranges: %s", detail, NULL);
        }
        for (size_t i = 0; i < level->next_count; i++) {
            const nl_level *next = &fw->levels[level->next[i]];
            if (isnan(next->min_points) || next->min_points > level->min_points ||
                next->min_points == level->min_points)
                continue;
            nl_sformat(detail, sizeof detail,
                       "%s (min_points %g) follows %s (min_points %g) but starts below it",
                       next->id, next->min_points, level->id, level->min_points);
            add(fw, NL_DIAG_ERROR, next->line, "overlapping level ranges: %s", detail, NULL);
        }
    }
    if (from_points && !nl_framework_has_points(fw))
        add(fw, NL_DIAG_ERROR, 0,
            "level_from = points, but no skill has points: give [framework] or the skills a "
            "points mapping",
            NULL, NULL);
}

/* One column may feed several fields (each reads the same cell), but a level read from the
 * column of another [columns] field is never a level: every row would be rejected. */
static void lint_columns(nl_framework *fw)
{
    const char *level = fw->columns[NL_FIELD_LEVEL];
    for (int f = 0; f < NL_FIELD_COUNT; f++) {
        if (f != NL_FIELD_LEVEL && nl_fold_equal(level, fw->columns[f]))
            nl_diag_add(&fw->diags, NL_DIAG_WARNING, fw->path, 0, 0,
                        "[columns] level and %s name the same column '%s': each row's level "
                        "would be its %s, which is no level",
                        nl_field_name((nl_field)f), level, nl_field_name((nl_field)f));
    }
}

/* A gate's per-level values and levels are read only for levels someone is promoted into. */
static void lint_gate_levels(nl_framework *fw, const bool *is_next)
{
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (!nl_gate_varies(gate))
            continue;
        bool applies_somewhere = false;
        for (size_t l = 0; l < fw->level_count; l++) {
            applies_somewhere = applies_somewhere || (is_next[l] && nl_gate_applies(gate, l));
            bool given = false;
            for (int p = 0; p < NL_GATE_PARAM_COUNT; p++)
                given = given || (gate->per_level[p] != NULL && !isnan(gate->per_level[p][l]));
            if (!is_next[l] && (given || (gate->applies_to != NULL && gate->applies_to[l])))
                add(fw, NL_DIAG_WARNING, gate->line,
                    "gate %s names level %s, which no level leads to (next): what it says for "
                    "that level is never used",
                    gate->id, fw->levels[l].id);
        }
        if (!applies_somewhere)
            add(fw, NL_DIAG_WARNING, gate->line,
                "gate %s applies to no level anyone is promoted into: it is never checked",
                gate->id, NULL);
    }
}

static void lint_per_level(nl_framework *fw)
{
    bool *is_next = levels_promoted_into(fw);
    if (is_next == NULL)
        return;
    lint_gate_levels(fw, is_next);
    free(is_next);
}

void nl_framework_lint(nl_framework *fw)
{
    lint_columns(fw);
    lint_ladder(fw);
    lint_expectations(fw);
    lint_profiles(fw);
    lint_gates(fw);
    lint_points_levels(fw);
    lint_per_level(fw);
}
