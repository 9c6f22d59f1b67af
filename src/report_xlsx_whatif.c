#include "report_xlsx_internal.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The What if sheet (README, "The What if sheet"): the dials leadership may turn (the deciding
 * profile's family weights, the readiness_score gates' thresholds, the promotion budget) and,
 * per person, the formulas that recompute from them what depends on them alone: each track's
 * readiness score and outcome, the headline track, the outcome, and the slate. Everything
 * else a formula needs is written as the run's value, and each formula carries the run's own
 * result as its cached value, so a reader that does not recalculate shows the run.
 *
 * The slate avoids a rank per row (quadratic): each candidate gets two keys whose order is the
 * budget's order (review.h, nl_slate_cut), and each budget group one cutoff over them (LARGE).
 * Key 1 packs group, outcome, robustness, calibrated outcome and distance into an integer;
 * key 2, among the people at the group's key-1 cutoff only, the readiness score. */

/* Key 1's parts: the distance (smaller first) in millionths of a point below 2^30; above it the
 * calibrated outcome (2 bits), robustness and Ready now (a bit each), then the budget group:
 * whole numbers below 2^53, exact in a double and as text in a COUNTIF criterion. */
#define DISTANCE_SPAN 1073741824.0 /* 2^30 */
#define GROUP_SPAN    (16.0 * DISTANCE_SPAN)
/* Key 2: the group times this, plus the score plus 1 (0 for none). */
#define SCORE_SPAN 128.0
/* The outcome codes the formulas compute with: nl_outcome's values. */
#define CODE_TOP NL_TOP_OF_LADDER
/* A formula is at most a few hundred characters a track. */
#define FORMULA_MAX 8192

/* The people table's columns; each track then takes TRACK_FIXED + one per family. */
enum {
    COL_ID,
    COL_NAME,
    COL_TEAM,
    COL_LEVEL,
    COL_OUTCOME,
    COL_SCORE,
    COL_NEXT,
    COL_SLATE,
    COL_OUTCOME_RUN,
    COL_SCORE_RUN,
    COL_SLATE_RUN,
    COL_CODE,
    COL_PROFILES,
    COL_CALIBRATED,
    COL_GROUP,
    COL_HEADLINE,
    COL_DISTANCE,
    COL_KEY1,
    COL_KEY2,
    COL_TRACKS
};
enum { T_NEXT, T_FIXED, T_DISTANCE, T_SCORE, T_GATES, T_CODE, T_BEST, TRACK_FIXED };

/* The budget table's columns: what the reader reads, then the cutoff's workings. */
enum {
    B_SCOPE,
    B_SLOTS,
    B_RUN,
    B_CANDIDATES,
    B_ON,
    B_TIED,
    /* The cutoff's workings, right of what prints (the people table's visible columns). */
    B_CUT1 = COL_CODE,
    B_ABOVE1,
    B_OVER1,
    B_NEED,
    B_ABOVE2,
    B_CUT2,
    B_OVER2,
    B_AT2,
    B_IS_TIED,
    B_COLUMNS
};

static const char *const people_headers[COL_TRACKS] = {
    "ID",
    "Name",
    "Team",
    "Level",
    "Outcome",
    "Score",
    "Next level",
    "Slate",
    "Outcome as run",
    "Score as run",
    "Slate as run",
    "Outcome code (0 Ready now, 1 with risk, 2 Developing, 3 Not evaluated, 4 Top)",
    "Priority profiles agree on (code; -1 they differ)",
    "Calibrated outcome code",
    "Budget group",
    "Headline track",
    "Distance (as run; 0 when Ready now)",
    "Slate key 1",
    "Slate key 2",
};

static const char *const budget_headers[B_COLUMNS] = {
    [B_SCOPE] = "Scope",           [B_SLOTS] = "Slots",     [B_RUN] = "As run",
    [B_CANDIDATES] = "Candidates", [B_ON] = "On the slate", [B_TIED] = "Tied at the cut",
    [B_CUT1] = "Key-1 cutoff",     "Above the group",       "Above the cutoff",
    "Slots at the cutoff",         "Key-2 above the group", "Key-2 cutoff",
    "Above key-2 cutoff",          "At key-2 cutoff",       "Tie at the cut",
};

/* One threshold input: a readiness_score gate, for every next level (level SIZE_MAX) or one. */
typedef struct wi_threshold {
    size_t gate, level;
    lxw_row_t row;
} wi_threshold;

/* One budget group's cells for the run's own dials, each as its formula computes it. */
typedef struct wi_group {
    double slots; /* NAN: no budget (blank) */
    double candidates, above1, cut1, over1, need, above2, cut2, over2, at2, on, tied_count;
    bool tied;
} wi_group;

struct xw_whatif {
    lxw_worksheet *ws;
    bool candidates_only;
    size_t families, tracks; /* tracks: the most next levels any level has */
    lxw_row_t weight_row;
    lxw_col_t sum_col;   /* the weights' sum, in the model's columns, apart from the families */
    lxw_row_t words_row; /* the first of the slate marks' words (column COL_CODE) */
    wi_threshold *thresholds;
    size_t threshold_count;
    lxw_row_t budget_first; /* the first group's row */
    size_t groups;
    bool per_team;
    wi_group *group;
    lxw_row_t people_first, people_last; /* rows of the people table (last >= first) */
    size_t next_row;                     /* the next person's index in the table */
    lxw_format *input_number, *model_header, *code, *key;
    lxw_format *outcome_rule[OUTCOME_COUNT], *on_rule; /* conditional formats */
    /* Per row of the people table, the run's keys and slate marks as the formulas give them. */
    double *key1, *key2;
    const char **mark;
    size_t rows;
};

/* ---- formulas ---- */

typedef struct formula {
    char s[FORMULA_MAX];
    size_t len;
    bool overflow;
} formula;

/* Empties f without clearing its 8 KB: a formula is rebuilt some ten times a person. */
static void reset(formula *f)
{
    f->s[0] = '\0';
    f->len = 0;
    f->overflow = false;
}

static void put(formula *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(f->s + f->len, sizeof f->s - f->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof f->s - f->len)
        f->overflow = true;
    else
        f->len += (size_t)n;
}

/* A cell's name: B7, or $B$7. */
typedef struct ref {
    char s[24];
} ref;

static ref at(lxw_row_t row, lxw_col_t col)
{
    ref r;
    lxw_rowcol_to_cell(r.s, row, col);
    return r;
}

static ref fixed(lxw_row_t row, lxw_col_t col)
{
    ref r;
    lxw_rowcol_to_cell_abs(r.s, row, col, 1, 1);
    return r;
}

/* The people table's column col, absolute: $R$12:$R$60. */
typedef struct range {
    char s[48];
} range;

static range people_column(const struct xw_whatif *wi, lxw_col_t col)
{
    range r;
    lxw_rowcol_to_range_abs(r.s, wi->people_first, col, wi->people_last, col);
    return r;
}

static lxw_col_t track_col(const struct xw_whatif *wi, size_t track, size_t part)
{
    return (lxw_col_t)(COL_TRACKS + track * (TRACK_FIXED + wi->families) + part);
}

static void write_formula(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                          const formula *f, lxw_format *format, double value)
{
    if (f->overflow) {
        w->out_of_memory = true; /* no formula of this sheet comes near; a bound, not a case */
        return;
    }
    if (isnan(value))
        xw_check(w, worksheet_write_formula_str(ws, row, col, f->s, format, ""));
    else
        xw_check(w, worksheet_write_formula_num(ws, row, col, f->s, format, value));
}

static void write_formula_text(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                               const formula *f, lxw_format *format, const char *value)
{
    if (f->overflow) {
        w->out_of_memory = true;
        return;
    }
    xw_check(w, worksheet_write_formula_str(ws, row, col, f->s, format, value));
}

/* ---- the run's own results, as the formulas compute them ---- */

/* Key 1 of a candidate (outcome Ready now or with risk), else -1. */
static double slate_key1(size_t group, nl_outcome outcome, bool robust, nl_outcome calibrated,
                         double distance)
{
    if (outcome != NL_READY_NOW && outcome != NL_READY_WITH_RISK)
        return -1;
    double d = round(distance * 1e6);
    d = d < DISTANCE_SPAN - 1 ? d : DISTANCE_SPAN - 1;
    double high = (((double)group * 2 + (outcome == NL_READY_NOW)) * 2 + robust) * 4 +
                  (3 - (double)calibrated);
    return high * DISTANCE_SPAN + (DISTANCE_SPAN - 1 - d);
}

static double slate_key2(size_t group, double score)
{
    return (double)group * SCORE_SPAN + (isnan(score) ? 0 : score + 1);
}

static size_t group_of(const struct xw_whatif *wi, const person_summary *s)
{
    return wi->per_team ? s->team : 0;
}

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* COUNTIF(keys, ">=v") and its kin over the people table's rows, on a copy sorted largest
 * first: a binary search each, so that a budget group costs log n, not n (per-team budgets
 * have a group a team). */
static double count_at_least(const double *sorted, size_t n, double v)
{
    size_t lo = 0, hi = n; /* sorted[0, lo) >= v; sorted[hi, n) < v */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] >= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (double)lo;
}

static double count_above(const double *sorted, size_t n, double v)
{
    size_t lo = 0, hi = n; /* sorted[0, lo) > v; sorted[hi, n) <= v */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] > v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (double)lo;
}

static double count_equal(const double *sorted, size_t n, double v)
{
    return count_at_least(sorted, n, v) - count_above(sorted, n, v);
}

/* LARGE(keys, k) over the sorted copy. */
static double large(const double *sorted, size_t k)
{
    return sorted[k - 1];
}

/* The people table's rows in Readiness order: the view's people, or its slate candidates. */
static bool in_table(const struct xw_whatif *wi, const person_summary *s)
{
    return !wi->candidates_only || s->outcome <= NL_READY_WITH_RISK;
}

/* Every key, cutoff and count of the sheet for the run's own dials, computed as the formulas
 * compute them, so that the cached values are the formulas' own and a reader that
 * recalculates finds nothing changed. */
static bool compute_slate(const xw_book *b, struct xw_whatif *wi)
{
    size_t n = wi->rows;
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);
    size_t *group = malloc((n ? n : 1) * sizeof *group);
    double *score = malloc((n ? n : 1) * sizeof *score);
    if (sorted == NULL || group == NULL || score == NULL) {
        free(sorted);
        free(group);
        free(score);
        return false;
    }
    size_t r = 0;
    for (size_t i = 0; i < b->count; i++) {
        const person_summary *s = &b->people[b->order[i]];
        if (!in_table(wi, s))
            continue;
        group[r] = group_of(wi, s);
        score[r] = s->readiness;
        wi->key1[r++] = slate_key1(group_of(wi, s), s->outcome, s->robust, s->calibrated_outcome,
                                   s->outcome == NL_READY_NOW ? 0 : s->distance);
    }
    memcpy(sorted, wi->key1, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, descending);
    for (size_t g = 0; g < wi->groups; g++) {
        wi_group *gr = &wi->group[g];
        double low = (double)g * GROUP_SPAN, high = ((double)g + 1) * GROUP_SPAN;
        double slots = isnan(gr->slots) ? 0 : gr->slots;
        gr->candidates = count_at_least(sorted, n, low) - count_at_least(sorted, n, high);
        gr->above1 = count_at_least(sorted, n, high);
        gr->cut1 = slots <= 0                ? high
                   : slots >= gr->candidates ? low - 1
                                             : large(sorted, (size_t)(gr->above1 + slots));
        gr->over1 = count_above(sorted, n, gr->cut1) - gr->above1;
        gr->need = slots - gr->over1;
    }
    for (size_t i = 0; i < n; i++) {
        double k1 = wi->key1[i];
        wi->key2[i] =
            k1 >= 0 && k1 == wi->group[group[i]].cut1 ? slate_key2(group[i], score[i]) : -1;
    }
    memcpy(sorted, wi->key2, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, descending);
    for (size_t g = 0; g < wi->groups; g++) {
        wi_group *gr = &wi->group[g];
        double slots = isnan(gr->slots) ? 0 : gr->slots;
        bool cut = slots > 0 && slots < gr->candidates;
        gr->above2 = count_at_least(sorted, n, ((double)g + 1) * SCORE_SPAN);
        gr->cut2 = cut ? large(sorted, (size_t)(gr->above2 + gr->need)) : -1;
        gr->over2 = gr->cut2 < 0 ? 0 : count_above(sorted, n, gr->cut2) - gr->above2;
        gr->at2 = gr->cut2 < 0 ? 0 : count_equal(sorted, n, gr->cut2);
        gr->tied = gr->cut2 >= 0 && gr->over2 + gr->at2 > gr->need;
        gr->on = slots <= 0                ? 0
                 : slots >= gr->candidates ? gr->candidates
                                           : gr->over1 + gr->over2 + (gr->tied ? 0 : gr->at2);
        gr->tied_count = gr->tied ? gr->at2 : 0;
    }
    for (size_t i = 0; i < n; i++) {
        const wi_group *gr = &wi->group[group[i]];
        double k1 = wi->key1[i], k2 = wi->key2[i];
        nl_slate_mark mark = k1 < 0 || (!wi->per_team && isnan(gr->slots)) ? NL_SLATE_NONE
                             : k1 > gr->cut1                               ? NL_SLATE_ON
                             : k1 < gr->cut1                               ? NL_SLATE_BELOW
                             : k2 > gr->cut2                               ? NL_SLATE_ON
                             : k2 < gr->cut2                               ? NL_SLATE_BELOW
                             : gr->tied                                    ? NL_SLATE_TIED
                                                                           : NL_SLATE_ON;
        wi->mark[i] = nl_slate_mark_name(mark);
    }
    free(sorted);
    free(group);
    free(score);
    return true;
}

/* ---- the top: title, dials, counts ---- */

static lxw_row_t title_rows(xlsx_writer *w, struct xw_whatif *wi)
{
    const xw_book *b = w->b;
    lxw_worksheet *ws = wi->ws;
    xw_text(w, ws, 0, 0, "What if: weights, thresholds and the promotion budget", b->f.title);
    static const char *const notes[] = {
        "Type into the yellow cells: each person's readiness score, outcome and headline track, "
        "the slate and the Summary's outcome counts recalculate. \"As run\" beside each dial "
        "is this run's value: type it back to reset.",
        "What depends on more than these dials stays as run: the other gates' results, "
        "robustness across the priority profiles, calibrated outcomes, plan distances, bands "
        "and fairness. The sheet is protected without a password (Review > Unprotect sheet): "
        "the file format's protection is not encryption."};
    for (lxw_row_t r = 1; r <= 2; r++) {
        worksheet_set_row(ws, r, 30, NULL);
        xw_check(w, worksheet_merge_range(ws, r, 0, r, COL_SLATE_RUN, notes[r - 1], b->f.wrap));
    }
    lxw_row_t row = 3;
    if (wi->candidates_only) {
        char line[256];
        nl_sformat(line, sizeof line,
                   "This sheet covers the run's slate candidates only (Ready now and Ready with "
                   "risk): %s. The Summary's counts stay as run.",
                   b->opt->summary_detail ? "--detail summary" : "more than 100,000 people");
        xw_text(w, ws, row++, 0, line, b->f.bold);
    }
    return row + 1;
}

static lxw_row_t weight_rows(xlsx_writer *w, struct xw_whatif *wi, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_profile *profile = nl_evaluator_profile(b->ev);
    lxw_worksheet *ws = wi->ws;
    char title[160];
    nl_sformat(title, sizeof title, "Priority weights (profile %s)", profile->name);
    xw_text(w, ws, row++, 0, title, b->f.section);
    xw_text(w, ws, row, 0, "Family", b->f.header);
    for (size_t f = 0; f < wi->families; f++)
        xw_text(w, ws, row, (lxw_col_t)(1 + f), b->fw->families[f], b->f.header_number);
    wi->sum_col = (lxw_col_t)(wi->families + 2 > COL_CODE ? wi->families + 2 : COL_CODE);
    xw_text(w, ws, row, wi->sum_col, "Sum of the weights", wi->model_header);
    row++;
    wi->weight_row = row;
    xw_text(w, ws, row, 0, "Weight", b->f.bold);
    double total = 0;
    for (size_t f = 0; f < wi->families; f++)
        total += profile->family_weight[f];
    lxw_data_validation weight_rule = {
        .validate = LXW_VALIDATION_TYPE_DECIMAL,
        .criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO,
        .value_number = 0,
        .input_title = "Family weight",
        .input_message = "A weight of 0 or more; shares are weights over their sum.",
        .error_title = "Not a weight",
        .error_message = "Type a number of 0 or more.",
    };
    range weights;
    lxw_rowcol_to_range_abs(weights.s, row, 1, row, (lxw_col_t)wi->families);
    /* Row by row: the sheet is written top to bottom. */
    for (size_t f = 0; f < wi->families; f++) {
        xw_number(w, ws, row, (lxw_col_t)(1 + f), profile->family_weight[f], wi->input_number);
        xw_check(w, worksheet_data_validation_cell(ws, row, (lxw_col_t)(1 + f), &weight_rule));
    }
    formula sum;
    reset(&sum);
    put(&sum, "=SUM(%s)", weights.s);
    write_formula(w, ws, row, wi->sum_col, &sum, wi->code, total);
    xw_text(w, ws, row + 1, 0, "As run", NULL);
    for (size_t f = 0; f < wi->families; f++)
        xw_number(w, ws, row + 1, (lxw_col_t)(1 + f), profile->family_weight[f], b->f.number);
    xw_text(w, ws, row + 2, 0, "Share of the score", NULL);
    for (size_t f = 0; f < wi->families; f++) {
        lxw_col_t col = (lxw_col_t)(1 + f);
        formula share;
        reset(&share);
        put(&share, "=IF(SUM(%s)>0,%s/SUM(%s),\"\")", weights.s, at(row, col).s, weights.s);
        write_formula(w, ws, row + 2, col, &share, b->f.percent,
                      total > 0 ? profile->family_weight[f] / total : NAN);
    }
    return row + 4;
}

/* The threshold inputs: a row per readiness_score gate, or per next level it applies to where
 * the template sets it per level (as --threshold GATE.LEVEL would). */
static bool plan_thresholds(const xw_book *b, struct xw_whatif *wi)
{
    const nl_framework *fw = b->fw;
    bool *is_next = calloc(fw->level_count + 1, sizeof *is_next);
    wi->thresholds = malloc((fw->gate_count * (fw->level_count + 1) + 1) * sizeof *wi->thresholds);
    if (is_next == NULL || wi->thresholds == NULL) {
        free(is_next);
        return false;
    }
    for (size_t l = 0; l < fw->level_count; l++)
        for (size_t i = 0; i < fw->levels[l].next_count; i++)
            is_next[fw->levels[l].next[i]] = true;
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (gate->kind != NL_GATE_READINESS_SCORE)
            continue;
        if (gate->per_level[NL_GATE_THRESHOLD] == NULL) {
            wi->thresholds[wi->threshold_count++] = (wi_threshold){g, SIZE_MAX, 0};
            continue;
        }
        for (size_t l = 0; l < fw->level_count; l++)
            if (is_next[l] && nl_gate_applies(gate, l))
                wi->thresholds[wi->threshold_count++] = (wi_threshold){g, l, 0};
    }
    free(is_next);
    return true;
}

/* The input row holding gate g's threshold for next level l, or NULL. */
static const wi_threshold *threshold_for(const struct xw_whatif *wi, size_t g, size_t l)
{
    for (size_t i = 0; i < wi->threshold_count; i++) {
        const wi_threshold *t = &wi->thresholds[i];
        if (t->gate == g && (t->level == SIZE_MAX || t->level == l))
            return t;
    }
    return NULL;
}

static lxw_row_t threshold_rows(xlsx_writer *w, struct xw_whatif *wi, lxw_row_t row)
{
    const xw_book *b = w->b;
    const nl_framework *fw = b->fw;
    lxw_worksheet *ws = wi->ws;
    if (wi->threshold_count == 0)
        return row;
    xw_text(w, ws, row++, 0, "Readiness thresholds", b->f.section);
    static const char *const headers[] = {"Gate", "Threshold", "As run", "Command line"};
    worksheet_set_row(ws, row, 30, NULL);
    for (lxw_col_t c = 0; c < 4; c++)
        xw_text(w, ws, row, c, headers[c], c == 1 || c == 2 ? b->f.header_number : b->f.header);
    row++;
    lxw_data_validation threshold_rule = {
        .validate = LXW_VALIDATION_TYPE_DECIMAL,
        .criteria = LXW_VALIDATION_CRITERIA_BETWEEN,
        .minimum_number = 0,
        .maximum_number = 100,
        .input_title = "Readiness threshold",
        .input_message = "A readiness score from 0 to 100.",
        .error_title = "Not a threshold",
        .error_message = "Type a readiness score from 0 to 100.",
    };
    for (size_t i = 0; i < wi->threshold_count; i++, row++) {
        wi_threshold *t = &wi->thresholds[i];
        const nl_gate *gate = &fw->gates[t->gate];
        t->row = row;
        char label[256], key[192];
        if (t->level == SIZE_MAX) {
            nl_sformat(label, sizeof label, "%s", gate->title);
            nl_sformat(key, sizeof key, "%s", gate->id);
        } else {
            nl_sformat(label, sizeof label, "%s, next level %s", gate->title,
                       fw->levels[t->level].id);
            nl_sformat(key, sizeof key, "%s.%s", gate->id, fw->levels[t->level].id);
        }
        double value = t->level == SIZE_MAX ? gate->threshold
                                            : nl_gate_param(gate, NL_GATE_THRESHOLD, t->level);
        xw_text(w, ws, row, 0, label, NULL);
        xw_number(w, ws, row, 1, value, wi->input_number);
        xw_check(w, worksheet_data_validation_cell(ws, row, 1, &threshold_rule));
        xw_number(w, ws, row, 2, value, b->f.score);
        xw_text(w, ws, row, 3, key, b->f.text_after_number);
    }
    return row + 1;
}

static lxw_row_t budget_rows(xlsx_writer *w, struct xw_whatif *wi, lxw_row_t row)
{
    const xw_book *b = w->b;
    lxw_worksheet *ws = wi->ws;
    xw_text(w, ws, row++, 0, "Promotion budget", b->f.section);
    worksheet_set_row(ws, row, 30, NULL); /* two lines: "Tied at the cut" */
    for (lxw_col_t c = 0; c < B_COLUMNS; c++)
        if (budget_headers[c] != NULL)
            xw_text(w, ws, row, c, budget_headers[c],
                    c == B_SCOPE  ? b->f.header
                    : c <= B_TIED ? b->f.header_number
                                  : wi->model_header);
    row++;
    wi->budget_first = row;
    range key1 = people_column(wi, COL_KEY1), key2 = people_column(wi, COL_KEY2);
    lxw_data_validation slots_rule = {
        .validate = LXW_VALIDATION_TYPE_INTEGER,
        .criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO,
        .value_number = 0,
        .ignore_blank = LXW_VALIDATION_ON,
        .input_title = "Promotion slots",
        .input_message = wi->per_team ? "Slots for this team (blank: none)."
                                      : "Slots for the whole organisation (blank: no budget).",
        .error_title = "Not a number of slots",
        .error_message = "Type a whole number of 0 or more.",
    };
    for (size_t g = 0; g < wi->groups; g++, row++) {
        const wi_group *gr = &wi->group[g];
        if (wi->per_team)
            xw_identity(w, ws, row, B_SCOPE, b->rv->teams[g].name, NULL);
        else
            xw_text(w, ws, row, B_SCOPE, "Whole organisation", NULL);
        if (isnan(gr->slots))
            xw_check(w, worksheet_write_blank(ws, row, B_SLOTS, wi->input_number));
        else
            xw_number(w, ws, row, B_SLOTS, gr->slots, wi->input_number);
        xw_check(w, worksheet_data_validation_cell(ws, row, B_SLOTS, &slots_rule));
        if (!isnan(gr->slots))
            xw_number(w, ws, row, B_RUN, gr->slots, b->f.integer);
        ref slots = at(row, B_SLOTS);
        double low = (double)g * GROUP_SPAN, high = ((double)g + 1) * GROUP_SPAN;
        double high2 = ((double)g + 1) * SCORE_SPAN;
#define GCELL(col) at(row, col).s
        formula f;
        reset(&f);
        put(&f, "=COUNTIF(%s,\">=%.0f\")-COUNTIF(%s,\">=%.0f\")", key1.s, low, key1.s, high);
        write_formula(w, ws, row, B_CANDIDATES, &f, b->f.integer, gr->candidates);
        reset(&f);
        put(&f, "=COUNTIF(%s,\">=%.0f\")", key1.s, high);
        write_formula(w, ws, row, B_ABOVE1, &f, wi->code, gr->above1);
        reset(&f);
        put(&f, "=IF(N(%s)<=0,%.0f,IF(%s>=%s,%.0f,LARGE(%s,%s+%s)))", slots.s, high, slots.s,
            GCELL(B_CANDIDATES), low - 1, key1.s, GCELL(B_ABOVE1), slots.s);
        write_formula(w, ws, row, B_CUT1, &f, wi->key, gr->cut1);
        reset(&f);
        put(&f, "=COUNTIF(%s,\">\"&%s)-%s", key1.s, GCELL(B_CUT1), GCELL(B_ABOVE1));
        write_formula(w, ws, row, B_OVER1, &f, wi->code, gr->over1);
        reset(&f);
        put(&f, "=N(%s)-%s", slots.s, GCELL(B_OVER1));
        write_formula(w, ws, row, B_NEED, &f, wi->code, gr->need);
        reset(&f);
        put(&f, "=COUNTIF(%s,\">=%.0f\")", key2.s, high2);
        write_formula(w, ws, row, B_ABOVE2, &f, wi->code, gr->above2);
        reset(&f);
        put(&f, "=IF(OR(N(%s)<=0,%s>=%s),-1,LARGE(%s,%s+%s))", slots.s, slots.s,
            GCELL(B_CANDIDATES), key2.s, GCELL(B_ABOVE2), GCELL(B_NEED));
        write_formula(w, ws, row, B_CUT2, &f, wi->key, gr->cut2);
        reset(&f);
        put(&f, "=IF(%s<0,0,SUMPRODUCT(--(%s>%s))-%s)", GCELL(B_CUT2), key2.s, GCELL(B_CUT2),
            GCELL(B_ABOVE2));
        write_formula(w, ws, row, B_OVER2, &f, wi->code, gr->over2);
        reset(&f);
        put(&f, "=IF(%s<0,0,SUMPRODUCT(--(%s=%s)))", GCELL(B_CUT2), key2.s, GCELL(B_CUT2));
        write_formula(w, ws, row, B_AT2, &f, wi->code, gr->at2);
        reset(&f);
        put(&f, "=IF(AND(%s>=0,%s+%s>%s),1,0)", GCELL(B_CUT2), GCELL(B_OVER2), GCELL(B_AT2),
            GCELL(B_NEED));
        write_formula(w, ws, row, B_IS_TIED, &f, wi->code, gr->tied);
        reset(&f);
        put(&f, "=IF(N(%s)<=0,0,IF(%s>=%s,%s,%s+%s+IF(%s=1,0,%s)))", slots.s, slots.s,
            GCELL(B_CANDIDATES), GCELL(B_CANDIDATES), GCELL(B_OVER1), GCELL(B_OVER2),
            GCELL(B_IS_TIED), GCELL(B_AT2));
        write_formula(w, ws, row, B_ON, &f, b->f.integer, gr->on);
        reset(&f);
        put(&f, "=IF(%s=1,%s,0)", GCELL(B_IS_TIED), GCELL(B_AT2));
        write_formula(w, ws, row, B_TIED, &f, b->f.integer, gr->tied_count);
#undef GCELL
    }
    return row + 1;
}

static lxw_row_t count_rows(xlsx_writer *w, struct xw_whatif *wi, lxw_row_t row)
{
    xw_book *b = (xw_book *)w->b;
    lxw_worksheet *ws = wi->ws;
    xw_text(w, ws, row++, 0, wi->candidates_only ? "Outcomes of the candidates" : "Outcomes",
            b->f.section);
    xw_text(w, ws, row, 0, "Outcome", b->f.header);
    xw_text(w, ws, row, 1, "People", b->f.header_number);
    xw_text(w, ws, row, 2, "As run", b->f.header_number);
    xw_text(w, ws, row, COL_CODE, "Slate marks", wi->model_header);
    row++;
    b->whatif_counts_row = row;
    wi->words_row = row;
    static const nl_slate_mark words[] = {NL_SLATE_ON, NL_SLATE_TIED, NL_SLATE_BELOW};
    range codes = people_column(wi, COL_CODE);
    for (int o = 0; o < OUTCOME_COUNT; o++, row++) {
        /* The view's counts; with the candidates only, theirs. */
        size_t count = wi->candidates_only && o > NL_READY_WITH_RISK ? 0 : b->counts.people[o];
        xw_text(w, ws, row, 0, nl_outcome_name((nl_outcome)o), b->f.outcome[o]);
        formula f;
        reset(&f);
        put(&f, "=COUNTIF(%s,%d)", codes.s, o);
        write_formula(w, ws, row, 1, &f, b->f.integer, (double)count);
        xw_number(w, ws, row, 2, (double)count, b->f.integer);
        if ((size_t)o < sizeof words / sizeof *words)
            xw_text(w, ws, row, COL_CODE, nl_slate_mark_name(words[o]), NULL);
    }
    range on, tied;
    lxw_rowcol_to_range_abs(on.s, wi->budget_first, B_ON,
                            wi->budget_first + (lxw_row_t)wi->groups - 1, B_ON);
    lxw_rowcol_to_range_abs(tied.s, wi->budget_first, B_TIED,
                            wi->budget_first + (lxw_row_t)wi->groups - 1, B_TIED);
    double on_count = 0, tied_count = 0;
    for (size_t g = 0; g < wi->groups; g++) {
        on_count += wi->group[g].on;
        tied_count += wi->group[g].tied_count;
    }
    const char *labels[] = {"On the slate", "Tied at the cut"};
    const range *sums[] = {&on, &tied};
    double values[] = {on_count, tied_count};
    for (size_t i = 0; i < 2; i++, row++) {
        xw_text(w, ws, row, 0, labels[i], b->f.bold);
        formula f;
        reset(&f);
        put(&f, "=SUM(%s)", sums[i]->s);
        write_formula(w, ws, row, 1, &f, b->f.integer, values[i]);
        xw_number(w, ws, row, 2, values[i], b->f.integer);
    }
    return row + 1;
}

/* ---- the people ---- */

static lxw_row_t people_header(xlsx_writer *w, struct xw_whatif *wi, lxw_row_t row)
{
    const xw_book *b = w->b;
    lxw_worksheet *ws = wi->ws;
    xw_text(w, ws, row++, 0, "People", b->f.section);
    /* Two lines: the printed headers take one, and the model's longer ones (right of the print
     * area) show their start, whole in the cell on screen. */
    worksheet_set_row(ws, row, 30, NULL);
    for (lxw_col_t c = 0; c < COL_TRACKS; c++) {
        bool number = c == COL_SCORE || c == COL_SCORE_RUN;
        xw_text(w, ws, row, c, people_headers[c],
                c >= COL_CODE ? wi->model_header
                : number      ? b->f.header_number
                              : b->f.header);
    }
    static const char *const parts[TRACK_FIXED] = {
        "next level",
        "other gates (code)",
        "distance as run",
        "score",
        "readiness gates (0 pass, 1 a soft one fails, 2 a hard one, 3 no score)",
        "outcome code",
        "headline so far"};
    for (size_t t = 0; t < wi->tracks; t++) {
        for (size_t p = 0; p < TRACK_FIXED + wi->families; p++) {
            char header[160];
            if (p < TRACK_FIXED)
                nl_sformat(header, sizeof header, "Track %zu: %s", t + 1, parts[p]);
            else
                nl_sformat(header, sizeof header, "Track %zu: %s attainment", t + 1,
                           b->fw->families[p - TRACK_FIXED]);
            xw_text(w, ws, row, track_col(wi, t, p), header, wi->model_header);
        }
    }
    return row + 1;
}

/* OR(score-T1<-1E-9,...) over the readiness gates of one severity that apply at level. */
static size_t put_gate_failures(formula *f, const xw_book *b, const struct xw_whatif *wi,
                                size_t level, nl_severity severity, const char *score)
{
    size_t n = 0;
    for (size_t g = 0; g < b->fw->gate_count; g++) {
        const nl_gate *gate = &b->fw->gates[g];
        if (gate->kind != NL_GATE_READINESS_SCORE || gate->severity != severity ||
            !nl_gate_applies(gate, level))
            continue;
        const wi_threshold *t = threshold_for(wi, g, level);
        if (t == NULL)
            continue;
        put(f, "%s%s-%s<-1E-9", n ? "," : "OR(", score, fixed(t->row, 1).s);
        n++;
    }
    if (n > 0)
        put(f, ")");
    return n;
}

/* The readiness gates' verdict on a score, as the track's "readiness gates" formula gives it:
 * 0 every one passes, 1 a soft one fails, 2 a hard one fails, 3 no score and a hard one (a
 * soft one without a score is a risk, 1). */
static int readiness_gates_code(const xw_book *b, size_t level, double score)
{
    int code = 0;
    for (size_t g = 0; g < b->fw->gate_count; g++) {
        const nl_gate *gate = &b->fw->gates[g];
        if (gate->kind != NL_GATE_READINESS_SCORE || !nl_gate_applies(gate, level))
            continue;
        bool hard = gate->severity == NL_HARD;
        int c = isnan(score) ? (hard ? 3 : 1)
                : score - nl_gate_param(gate, NL_GATE_THRESHOLD, level) < -NL_EPSILON
                    ? (hard ? 2 : 1)
                    : 0;
        code = c > code ? c : code;
    }
    return code;
}

/* The headline track as the formulas choose it, for the run's values (nearer_to_ready with
 * the distance of a track Ready now or Not evaluated read as 0). */
static double live_distance(const nl_track_result *t)
{
    return t->outcome == NL_READY_NOW || t->outcome == NL_NOT_EVALUATED ? 0 : t->distance;
}

static bool nearer(const nl_track_result *a, const nl_track_result *b)
{
    if (a->outcome != b->outcome)
        return a->outcome < b->outcome;
    double da = live_distance(a), db = live_distance(b);
    if (da < db - NL_EPSILON)
        return true;
    if (fabs(da - db) > NL_EPSILON)
        return false;
    double sa = isnan(a->readiness) ? -1 : a->readiness,
           sb = isnan(b->readiness) ? -1 : b->readiness;
    return sa > sb;
}

/* CHOOSE(head,X1,X2,...) over one part of each track of the row. */
static void put_choose(formula *f, const struct xw_whatif *wi, lxw_row_t row, const char *head,
                       size_t tracks, size_t part)
{
    if (tracks == 1) { /* most people: one next level, no choice to make */
        put(f, "%s", at(row, track_col(wi, 0, part)).s);
        return;
    }
    put(f, "CHOOSE(%s", head);
    for (size_t t = 0; t < tracks; t++)
        put(f, ",%s", at(row, track_col(wi, t, part)).s);
    put(f, ")");
}

/* The distance the headline rule reads for a track: 0 when Ready now or Not evaluated. */
static void put_track_distance(formula *f, const struct xw_whatif *wi, lxw_row_t row, size_t t)
{
    const char *code = at(row, track_col(wi, t, T_CODE)).s;
    put(f, "IF(OR(%s=0,%s=3),0,%s)", code, code, at(row, track_col(wi, t, T_DISTANCE)).s);
}

static void put_choose_distance(formula *f, const struct xw_whatif *wi, lxw_row_t row,
                                const char *head, size_t tracks)
{
    if (tracks == 1) {
        put_track_distance(f, wi, row, 0);
        return;
    }
    put(f, "CHOOSE(%s", head);
    for (size_t t = 0; t < tracks; t++) {
        put(f, ",");
        put_track_distance(f, wi, row, t);
    }
    put(f, ")");
}

static void put_choose_score(formula *f, const struct xw_whatif *wi, lxw_row_t row,
                             const char *head, size_t tracks)
{
    if (tracks == 1) {
        ref s = at(row, track_col(wi, 0, T_SCORE));
        put(f, "IF(%s=\"\",-1,%s)", s.s, s.s);
        return;
    }
    put(f, "CHOOSE(%s", head);
    for (size_t t = 0; t < tracks; t++) {
        ref s = at(row, track_col(wi, t, T_SCORE));
        put(f, ",IF(%s=\"\",-1,%s)", s.s, s.s);
    }
    put(f, ")");
}

static void track_cells(xlsx_writer *w, struct xw_whatif *wi, lxw_row_t row,
                        const nl_person *person, const nl_person_result *result, size_t t,
                        size_t *best)
{
    const xw_book *b = w->b;
    lxw_worksheet *ws = wi->ws;
    const nl_track_result *track = &result->tracks[t];
    xw_text(w, ws, row, track_col(wi, t, T_NEXT), b->fw->levels[track->next_level].id, NULL);
    nl_outcome fixed_part = nl_track_outcome_without_readiness(b->ev, person, track);
    xw_number(w, ws, row, track_col(wi, t, T_FIXED), fixed_part, wi->code);
    xw_number(w, ws, row, track_col(wi, t, T_DISTANCE), track->distance, b->f.number);
    for (size_t f = 0; f < wi->families; f++)
        xw_number(w, ws, row, track_col(wi, t, TRACK_FIXED + f), track->family_attainment[f],
                  b->f.percent);
    range weights, attainments;
    lxw_rowcol_to_range_abs(weights.s, wi->weight_row, 1, wi->weight_row, (lxw_col_t)wi->families);
    lxw_rowcol_to_range(attainments.s, row, track_col(wi, t, TRACK_FIXED), row,
                        track_col(wi, t, TRACK_FIXED + wi->families - 1));
    /* The weighted mean over the families assessed; with every family assessed (most tracks),
     * over the weights' sum, a third of the text: the sheet's XML is most of its cost. */
    bool every_family = true;
    for (size_t f = 0; f < wi->families; f++)
        every_family = every_family && !isnan(track->family_attainment[f]);
    formula f;
    reset(&f);
    if (every_family) {
        ref sum = fixed(wi->weight_row, wi->sum_col);
        put(&f, "=IF(%s>0,100*SUMPRODUCT(%s,%s)/%s,\"\")", sum.s, weights.s, attainments.s, sum.s);
    } else {
        put(&f,
            "=IF(SUMPRODUCT(%s,--ISNUMBER(%s),--(%s>0))>0,100*SUMPRODUCT(%s,%s,--(%s>0))/"
            "SUMPRODUCT(%s,--ISNUMBER(%s),--(%s>0)),\"\")",
            weights.s, attainments.s, weights.s, weights.s, attainments.s, weights.s, weights.s,
            attainments.s, weights.s);
    }
    write_formula(w, ws, row, track_col(wi, t, T_SCORE), &f, b->f.score, track->readiness);

    /* The outcome: the other gates' (fixed), then the readiness gates on the live score. A
     * missing score leaves a hard readiness gate unchecked (Not evaluated) and a soft one a
     * risk, as the engine's verdict does. */
    ref fixed_code = at(row, track_col(wi, t, T_FIXED)), score = at(row, track_col(wi, t, T_SCORE));
    formula hard, soft;
    reset(&hard);
    reset(&soft);
    size_t hard_gates = put_gate_failures(&hard, b, wi, track->next_level, NL_HARD, score.s);
    size_t soft_gates = put_gate_failures(&soft, b, wi, track->next_level, NL_SOFT, score.s);
    reset(&f);
    if (hard_gates + soft_gates == 0) {
        put(&f, "=%s", fixed_code.s);
    } else {
        /* The readiness gates' own cell (readiness_gates_code), then the outcome: the worse
         * of the two verdicts, in the order of nl_outcome. */
        formula gates;
        reset(&gates);
        put(&gates, "=IF(%s=\"\",%d,", score.s, hard_gates > 0 ? 3 : 1);
        if (hard_gates > 0)
            put(&gates, "IF(%s,2,", hard.s);
        if (soft_gates > 0)
            put(&gates, "IF(%s,1,0)", soft.s);
        else
            put(&gates, "0");
        put(&gates, "%s)", hard_gates > 0 ? ")" : "");
        gates.overflow |= hard.overflow || soft.overflow;
        write_formula(w, ws, row, track_col(wi, t, T_GATES), &gates, wi->code,
                      readiness_gates_code(b, track->next_level, track->readiness));
        put(&f, "=MAX(%s,%s)", fixed_code.s, at(row, track_col(wi, t, T_GATES)).s);
    }
    write_formula(w, ws, row, track_col(wi, t, T_CODE), &f, wi->code, track->outcome);

    /* The headline so far: this track when it is nearer to ready than the best before it. */
    if (t == 0) { /* the first track is the headline so far: no cell */
        *best = 0;
        return;
    }
    char head[24] = "1";
    if (t > 1)
        memcpy(head, at(row, track_col(wi, t - 1, T_BEST)).s, sizeof head);
    ref code = at(row, track_col(wi, t, T_CODE));
    reset(&f);
    put(&f, "=IF(OR(%s<", code.s);
    put_choose(&f, wi, row, head, t, T_CODE);
    put(&f, ",AND(%s=", code.s);
    put_choose(&f, wi, row, head, t, T_CODE);
    put(&f, ",OR(");
    put_track_distance(&f, wi, row, t);
    put(&f, "<");
    put_choose_distance(&f, wi, row, head, t);
    put(&f, "-1E-9,AND(ABS(");
    put_track_distance(&f, wi, row, t);
    put(&f, "-");
    put_choose_distance(&f, wi, row, head, t);
    put(&f, ")<=1E-9,IF(%s=\"\",-1,%s)>", score.s, score.s);
    put_choose_score(&f, wi, row, head, t);
    put(&f, ")))),%zu,%s)", t + 1, head);
    if (nearer(track, &result->tracks[*best]))
        *best = t;
    write_formula(w, ws, row, track_col(wi, t, T_BEST), &f, wi->code, (double)(*best + 1));
}

static void person_row(xlsx_writer *w, struct xw_whatif *wi, size_t index, const person_summary *s,
                       const nl_person_result *result)
{
    const xw_book *b = w->b;
    lxw_worksheet *ws = wi->ws;
    const nl_person *person = result->person;
    const nl_framework *fw = b->fw;
    lxw_row_t row = wi->people_first + (lxw_row_t)index;
    xw_identity(w, ws, row, COL_ID, person->id, NULL);
    xw_identity(w, ws, row, COL_NAME, person->name, NULL);
    xw_identity(w, ws, row, COL_TEAM, person->team, NULL);
    xw_text(w, ws, row, COL_LEVEL, fw->levels[person->level].id, NULL);
    xw_text(w, ws, row, COL_OUTCOME_RUN, nl_outcome_name(s->outcome), b->f.outcome[s->outcome]);
    xw_readiness(w, ws, row, COL_SCORE_RUN, s->readiness, b->f.score);
    xw_text(w, ws, row, COL_SLATE_RUN, nl_slate_mark_name(s->slate), b->f.text_after_number);

    size_t group = group_of(wi, s);
    if (wi->per_team) /* the whole organisation is one group, 0 */
        xw_number(w, ws, row, COL_GROUP, (double)group, wi->code);
    /* Robust: every profile's outcome (as run) equals the live one. */
    int agreed = -1;
    for (size_t p = 0; p < fw->profile_count; p++) {
        int o = (int)result->profile_outcomes[p];
        agreed = p == 0 ? o : agreed == o ? agreed : -1;
        if (agreed < 0)
            break;
    }
    if (fw->profile_count > 0)
        xw_number(w, ws, row, COL_PROFILES, agreed, wi->code);

    ref code = at(row, COL_CODE), head = at(row, COL_HEADLINE);
    size_t tracks = result->track_count, best = 0;
    for (size_t t = 0; t < tracks; t++)
        track_cells(w, wi, row, person, result, t, &best);
    formula f;
    reset(&f);
    if (tracks == 0) {
        /* The top of the ladder: nothing here moves with the dials. */
        xw_number(w, ws, row, COL_CODE, CODE_TOP, wi->code);
        xw_number(w, ws, row, COL_KEY1, -1, wi->key);
        xw_number(w, ws, row, COL_KEY2, -1, wi->key);
        xw_text(w, ws, row, COL_OUTCOME, nl_outcome_name(NL_TOP_OF_LADDER),
                b->f.outcome[NL_TOP_OF_LADDER]);
        return;
    }
    if (tracks == 1) {
        xw_number(w, ws, row, COL_HEADLINE, 1, wi->code);
    } else {
        put(&f, "=%s", at(row, track_col(wi, tracks - 1, T_BEST)).s);
        write_formula(w, ws, row, COL_HEADLINE, &f, wi->code, (double)(best + 1));
    }
    reset(&f);
    put(&f, "=");
    put_choose(&f, wi, row, head.s, tracks, T_CODE);
    write_formula(w, ws, row, COL_CODE, &f, wi->code, s->outcome);
    reset(&f);
    range names;
    lxw_rowcol_to_range_abs(names.s, b->whatif_counts_row, 0,
                            b->whatif_counts_row + OUTCOME_COUNT - 1, 0);
    put(&f, "=INDEX(%s,%s+1)", names.s, code.s); /* the Outcomes block's names */
    write_formula_text(w, ws, row, COL_OUTCOME, &f, b->f.text, nl_outcome_name(s->outcome));
    reset(&f);
    put(&f, "=");
    put_choose(&f, wi, row, head.s, tracks, T_SCORE);
    write_formula(w, ws, row, COL_SCORE, &f, b->f.score, s->readiness);
    reset(&f);
    put(&f, "=");
    put_choose(&f, wi, row, head.s, tracks, T_NEXT);
    write_formula_text(w, ws, row, COL_NEXT, &f, b->f.text_after_number,
                       fw->levels[result->tracks[best].next_level].id);
    /* Calibrated outcomes are as run with --calibrate; without, the outcome is its own. */
    ref calibrated = b->rv->calibrate ? at(row, COL_CALIBRATED) : code;
    if (b->rv->calibrate)
        xw_number(w, ws, row, COL_CALIBRATED, s->calibrated_outcome, wi->code);
    reset(&f);
    put(&f, "=IF(OR(%s=0,%s=3),0,", code.s, code.s);
    put_choose(&f, wi, row, head.s, tracks, T_DISTANCE);
    put(&f, ")");
    double distance = s->outcome == NL_READY_NOW || s->outcome == NL_NOT_EVALUATED
                          ? 0
                          : result->tracks[best].distance;
    write_formula(w, ws, row, COL_DISTANCE, &f, b->f.number, distance);

    /* Key 1 (see slate_key1), and key 2 at the group's key-1 cutoff. */
    char robust[64];
    if (fw->profile_count > 0)
        nl_sformat(robust, sizeof robust, "--(%s=%s)", at(row, COL_PROFILES).s, code.s);
    else
        nl_sformat(robust, sizeof robust, "1");
    ref group_row_cut1 = fixed(wi->budget_first + (lxw_row_t)group, B_CUT1);
    ref group_row_cut2 = fixed(wi->budget_first + (lxw_row_t)group, B_CUT2);
    ref group_row_tied = fixed(wi->budget_first + (lxw_row_t)group, B_IS_TIED);
    ref key1 = at(row, COL_KEY1), key2 = at(row, COL_KEY2);
    reset(&f);
    /* Powers of two are exact in every program: 2^30 is DISTANCE_SPAN. */
    put(&f, "=IF(OR(%s=0,%s=1),((", code.s, code.s);
    if (group > 0)
        put(&f, "%zu+", group * 4);
    put(&f, "--(%s=0)*2+%s)*4+3-%s)*2^30+2^30-1-MIN(ROUND(%s*1E6,0),2^30-1),-1)", code.s, robust,
        calibrated.s, at(row, COL_DISTANCE).s);
    write_formula(w, ws, row, COL_KEY1, &f, wi->key, wi->key1[index]);
    reset(&f);
    ref score = at(row, COL_SCORE);
    /* "+0*ROW" makes each row's formula its own: LibreOffice groups a column of like formulas
     * and computes the group on threads, and a group that reads key 1 both directly and
     * through the key-1 cutoff (computed from key 1) got a false circular reference there
     * (Err:522 on every key 2 at 2,000 people, with its default settings). */
    put(&f, "=IF(AND(%s>=0,%s=%s),", key1.s, key1.s, group_row_cut1.s);
    if (group > 0)
        put(&f, "%.0f+", (double)group * SCORE_SPAN);
    put(&f, "0*%u+IF(%s=\"\",0,%s+1),-1)", (unsigned)row + 1, score.s, score.s);
    write_formula(w, ws, row, COL_KEY2, &f, wi->key, wi->key2[index]);

    reset(&f);
    if (wi->per_team)
        put(&f, "=IF(%s<0,\"\",", key1.s);
    else
        put(&f, "=IF(OR(%s<0,%s=\"\"),\"\",", key1.s, fixed(wi->budget_first, B_SLOTS).s);
    /* 1 on the slate, 2 tied at the cut, 3 below it: by key 1 against its cutoff, then key 2
     * against its own, then the group's tie. */
    range words;
    lxw_rowcol_to_range_abs(words.s, wi->words_row, COL_CODE, wi->words_row + 2, COL_CODE);
    put(&f, "INDEX(%s,IF(%s<>%s,2-SIGN(%s-%s),IF(%s<>%s,2-SIGN(%s-%s),1+%s))))", words.s, key1.s,
        group_row_cut1.s, key1.s, group_row_cut1.s, key2.s, group_row_cut2.s, key2.s,
        group_row_cut2.s, group_row_tied.s);
    write_formula_text(w, ws, row, COL_SLATE, &f, b->f.text_after_number, wi->mark[index]);
}

/* ---- the sheet ---- */

static void conditional_formats(xlsx_writer *w, struct xw_whatif *wi)
{
    lxw_worksheet *ws = wi->ws;
    for (int o = 0; o < OUTCOME_COUNT; o++) {
        char value[64];
        nl_sformat(value, sizeof value, "\"%s\"", nl_outcome_name((nl_outcome)o));
        lxw_conditional_format rule = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                       .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                       .value_string = value,
                                       .format = wi->outcome_rule[o]};
        xw_check(w, worksheet_conditional_format_range(ws, wi->people_first, COL_OUTCOME,
                                                       wi->people_last, COL_OUTCOME, &rule));
    }
    lxw_conditional_format on = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                 .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                 .value_string = "\"on the slate\"",
                                 .format = wi->on_rule};
    xw_check(w, worksheet_conditional_format_range(ws, wi->people_first, COL_SLATE, wi->people_last,
                                                   COL_SLATE, &on));
}

bool xw_whatif_wanted(const xw_book *b)
{
    return b->opt->what_if && b->view->whole && b->fw->family_count > 0 && b->fw->skill_count > 0;
}

bool xw_whatif_live_counts(const xw_book *b)
{
    return b->whatif != NULL && !b->whatif->candidates_only;
}

static size_t most_tracks(const nl_framework *fw)
{
    size_t most = 0;
    for (size_t l = 0; l < fw->level_count; l++)
        most = fw->levels[l].next_count > most ? fw->levels[l].next_count : most;
    return most;
}

bool xw_whatif_begin(xlsx_writer *w, lxw_worksheet *ws)
{
    xw_book *b = (xw_book *)w->b;
    struct xw_whatif *wi = calloc(1, sizeof *wi);
    if (wi == NULL)
        return false;
    b->whatif = wi;
    wi->ws = ws;
    wi->families = b->fw->family_count;
    wi->tracks = most_tracks(b->fw);
    wi->candidates_only = b->opt->summary_detail || b->count > NL_WHAT_IF_FULL_MAX;
    wi->per_team = b->rv->budget.set && b->rv->budget.per_team;
    wi->groups = wi->per_team ? b->rv->team_count : 1;
    for (size_t i = 0; i < b->count; i++)
        wi->rows += in_table(wi, &b->people[b->order[i]]);
    size_t n = wi->rows ? wi->rows : 1;
    wi->group = calloc(wi->groups ? wi->groups : 1, sizeof *wi->group);
    wi->key1 = malloc(n * sizeof *wi->key1);
    wi->key2 = malloc(n * sizeof *wi->key2);
    wi->mark = malloc(n * sizeof *wi->mark);
    if (wi->group == NULL || wi->key1 == NULL || wi->key2 == NULL || wi->mark == NULL ||
        !plan_thresholds(b, wi))
        return false;
    for (size_t g = 0; g < wi->groups; g++)
        wi->group[g].slots = !b->rv->budget.set ? NAN
                             : wi->per_team     ? (double)b->rv->teams[g].slate.slots
                                                : (double)b->rv->budget.slots;
    if (!compute_slate(b, wi))
        return false;

    /* Every format numbered now, before the threads start (see create_formats). */
    wi->input_number = workbook_add_format(b->wb);
    format_set_bg_color(wi->input_number, 0xFFF2CC);
    format_set_border(wi->input_number, LXW_BORDER_THIN);
    format_set_border_color(wi->input_number, 0xBF9000);
    format_set_unlocked(wi->input_number);
    format_set_bold(wi->input_number);
    format_set_num_format(wi->input_number, "General");
    wi->model_header = workbook_add_format(b->wb);
    format_set_bg_color(wi->model_header, 0xD9D9D9);
    format_set_font_color(wi->model_header, 0x404040);
    format_set_text_wrap(wi->model_header);
    format_set_align(wi->model_header, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(wi->model_header);
    wi->code = workbook_add_format(b->wb);
    format_set_font_color(wi->code, 0x595959);
    wi->key = workbook_add_format(b->wb);
    format_set_font_color(wi->key, 0x595959);
    format_set_num_format(wi->key, "0.######");
    lxw_format *numbered[] = {wi->input_number, wi->model_header, wi->code, wi->key};
    for (size_t i = 0; i < sizeof numbered / sizeof *numbered; i++)
        numbered[i]->xf_index = lxw_format_get_xf_index(numbered[i]);
    for (int o = 0; o < OUTCOME_COUNT; o++) {
        wi->outcome_rule[o] = workbook_add_format(b->wb);
        format_set_bg_color(wi->outcome_rule[o], xw_outcome_color[o]);
        format_set_font_color(wi->outcome_rule[o],
                              xw_outcome_text[o] == 0 ? LXW_COLOR_BLACK : xw_outcome_text[o]);
        format_set_bold(wi->outcome_rule[o]);
    }
    wi->on_rule = workbook_add_format(b->wb);
    format_set_bold(wi->on_rule);
    format_set_bg_color(wi->on_rule, 0xDCEAF7);

    /* Rows go top to bottom (constant memory): the people table's first row is laid out from
     * the rows the dials take, and checked against them below. */
    lxw_row_t row = wi->candidates_only ? 5 : 4;
    row += 6;                                                            /* weights */
    row += wi->threshold_count ? 3 + (lxw_row_t)wi->threshold_count : 0; /* thresholds */
    row += 3 + (lxw_row_t)wi->groups;                                    /* budget */
    row += 3 + OUTCOME_COUNT + 2;                                        /* outcomes */
    row += 2; /* the people's title and header */
    wi->people_first = row;
    wi->people_last = row + (lxw_row_t)n - 1;

    /* Column A holds the dials' labels above the people's ids. */
    static const double widths[COL_CODE] = {26, 22, 16, 9, 16, 9, 11, 15, 16, 14, 15};
    for (lxw_col_t c = 0; c < COL_CODE; c++)
        worksheet_set_column(ws, c, c, widths[c], NULL);
    worksheet_set_column(ws, COL_CODE, (lxw_col_t)(track_col(wi, wi->tracks, 0) - 1), 18, NULL);

    lxw_row_t at_row = title_rows(w, wi);
    at_row = weight_rows(w, wi, at_row);
    at_row = threshold_rows(w, wi, at_row);
    at_row = budget_rows(w, wi, at_row);
    at_row = count_rows(w, wi, at_row);
    at_row = people_header(w, wi, at_row);
    if (at_row != wi->people_first)
        return false; /* the layout above and the rows written disagree: a bug, not input */
    conditional_formats(w, wi);
    worksheet_freeze_panes(ws, wi->people_first, 2);
    xw_check(w, worksheet_autofilter(ws, wi->people_first - 1, 0, wi->people_last,
                                     (lxw_col_t)(track_col(wi, wi->tracks, 0) - 1)));
    lxw_protection protection = {.format_columns = 1, .format_rows = 1, .autofilter = 1, .sort = 1};
    worksheet_protect(ws, NULL, &protection);
    xw_check(w, worksheet_print_area(ws, 0, 0, wi->people_last, COL_SLATE_RUN));
    xw_print_setup(w, ws, wi->people_first - 1);
    return !w->out_of_memory;
}

bool xw_whatif_person(xlsx_writer *w, size_t position, const nl_person_result *result)
{
    struct xw_whatif *wi = w->b->whatif;
    const person_summary *s = &w->b->people[w->b->order[position]];
    if (!in_table(wi, s))
        return true;
    person_row(w, wi, wi->next_row++, s, result);
    return !w->out_of_memory;
}

void xw_whatif_free(struct xw_whatif *wi)
{
    if (wi == NULL)
        return;
    free(wi->thresholds);
    free(wi->group);
    free(wi->key1);
    free(wi->key2);
    free(wi->mark);
    free(wi);
}
