#ifndef NEXTLEVEL_REVIEW_H
#define NEXTLEVEL_REVIEW_H

#include "nextlevel/calibration.h"
#include "nextlevel/error.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/fairness.h"
#include "nextlevel/matrix.h"
#include "nextlevel/progress.h"
#include "nextlevel/trend.h"

#include <stdbool.h>
#include <stddef.h>

/* The review: every figure a run states, computed once from the framework, the matrices, last
 * quarter and the options, and rendered by every output (workbook, team packs, CSV, JSON, the
 * terminal). A writer never computes a statistic of its own: it reads the review, or a view of
 * it (a pack's people), so no two outputs can disagree.
 *
 * Each person is kept as compact figures; texts such as gate reasons are rendered by the
 * writers from a full evaluation, one person at a time, so a million people stay small. */

#define NL_OUTCOME_COUNT (NL_TOP_OF_LADDER + 1)
#define NL_BAND_COUNT    (NL_BAND_NONE + 1)

/* How many people ended in each outcome (indexed by nl_outcome). */
typedef struct nl_outcome_counts {
    size_t people[NL_OUTCOME_COUNT];
} nl_outcome_counts;

/* A person against last quarter. */
typedef enum nl_trend_status {
    NL_TREND_NONE,       /* no last quarter was given */
    NL_TREND_CONTINUING, /* in both quarters, same level */
    NL_TREND_PROMOTED,   /* in both quarters, level changed */
    NL_TREND_NEW,        /* not in last quarter, whose team was */
    NL_TREND_NEW_TEAM    /* not in last quarter, whose team had no export then */
} nl_trend_status;

/* Where the promotion budget puts a person (see "The promotion budget" in the README). */
typedef enum nl_slate_mark {
    NL_SLATE_NONE, /* no budget, or not a candidate (neither Ready now nor Ready with risk) */
    NL_SLATE_ON,   /* within the budget */
    NL_SLATE_TIED, /* equal on every ranking key but the id with others across the cut */
    NL_SLATE_BELOW /* a candidate beyond the budget */
} nl_slate_mark;

/* What a promotion budget's slate says, for the organisation or one team. */
typedef struct nl_slate_tally {
    size_t slots;      /* the budget */
    size_t candidates; /* Ready now and Ready with risk */
    size_t on_slate;   /* NL_SLATE_ON */
    size_t tied;       /* NL_SLATE_TIED */
    size_t tied_slots; /* the slots left for the people tied at the cut (fewer than them) */
} nl_slate_tally;

/* One candidate of the budget's ranking. The order: outcome (Ready now first), robust first,
 * calibrated outcome (better first), development-plan distance (smaller first, none last),
 * readiness score (higher first, none last), then id; the ranking is within group (a team
 * with per-team budgets, else 0). nl_slate_cut fills rank and mark. */
typedef struct nl_slate_candidate {
    size_t group;
    nl_outcome outcome, calibrated;
    bool robust;
    double distance, readiness;
    const char *id;
    size_t index; /* the caller's, carried along */
    size_t rank;  /* 1-based, within the group */
    nl_slate_mark mark;
} nl_slate_candidate;

/* Sorts the candidates into the budget's order and marks them: group g has slots[g] slots
 * (groups of them), and its tally goes to tally[g]. */
void nl_slate_cut(nl_slate_candidate *candidates, size_t count, const size_t *slots, size_t groups,
                  nl_slate_tally *tally);

/* "on the slate", "tied at the cut", "below the cut", or "" (NL_SLATE_NONE). */
const char *nl_slate_mark_name(nl_slate_mark mark);

/* A run's promotion budget: none, slots for the organisation, or slots per team. */
typedef struct nl_budget {
    bool set;
    bool per_team;
    size_t slots;                /* the organisation's, when not per team */
    const nl_team_budget *teams; /* per team (borrowed); a team without one has no slots */
    size_t team_count;
    bool from_command_line; /* --budget */
} nl_budget;

/* What the review keeps of each person. */
typedef struct nl_review_person {
    size_t person; /* index into the matrix (equal to this record's index) */
    size_t team;   /* index into the review's teams */
    nl_outcome outcome;
    double readiness;                           /* the deciding track's, NAN when none */
    size_t next_level;                          /* SIZE_MAX at the top of the ladder */
    double first_attainment, second_attainment; /* the tipping pair, e.g. technical / soft */
    bool robust;
    size_t plan_rows;
    double distance_hard; /* points to Ready with risk, for those with a plan; else NAN */
    double distance;      /* points to clear every gate (0 when Ready now); NAN without a track */
    size_t gate_rows;
    nl_band_info band;
    nl_trend trend; /* against last quarter, when there is one */
    nl_trend_status trend_status;
    size_t levels_above;           /* operating level's steps above their level (0 when
                                      Not evaluated) */
    nl_outcome calibrated_outcome; /* with --calibrate, else the outcome */
    double calibrated_readiness;
    size_t slate_rank; /* with a budget, 1-based within the budget's scope; 0 when not ranked */
    nl_slate_mark slate;
} nl_review_person;

/* A person of last quarter who is not evaluated this quarter. */
typedef struct nl_review_leaver {
    size_t person; /* index into last quarter's matrix */
    nl_outcome outcome_then;
    double readiness_then;
    bool rejected_now; /* their row this quarter was rejected: not a leaver */
} nl_review_leaver;

/* Quarter over quarter, counted. */
typedef struct nl_trend_counts {
    size_t continuing, promoted, new_people, new_team_people, left, rejected_now;
} nl_trend_counts;

typedef struct nl_review_team {
    const char *name; /* borrowed from a person; "(no team)" when empty */
    nl_outcome_counts counts, calibrated;
    size_t people;
    nl_slate_tally slate; /* the review's teams, with per-team budgets */
} nl_review_team;

/* A manager's people, evaluated and Ready now, and their mean attainment per family. */
typedef struct nl_review_manager {
    size_t people, evaluated, ready;
    double *family_mean; /* per family, NAN when nobody has one; points into the review */
} nl_review_manager;

typedef struct nl_review {
    const nl_evaluator *ev;      /* borrowed */
    const nl_framework *fw;      /* borrowed */
    const nl_matrix *m;          /* borrowed */
    const nl_matrix *previous;   /* last quarter, borrowed; NULL without one */
    nl_history history;          /* last quarter with the same evaluator, when previous */
    nl_calibration *calibration; /* owned: rater effects by manager, always computed */
    bool calibrate;              /* --calibrate: calibrated outcomes beside the raw ones */

    nl_review_person *people; /* per person of the matrix, in input order */
    size_t count;
    size_t *order; /* indices into people: outcome (Ready now first), score, input order */
    bool has_pair;
    size_t pair_first, pair_second; /* families of the tipping pair */

    nl_outcome_counts counts, calibrated; /* the organisation's */
    size_t evaluated, robust;             /* people evaluated; of whom robust */
    size_t operating_two_up;              /* operating two or more levels above their title */
    nl_review_team *teams;                /* sorted by name */
    size_t team_count;
    nl_outcome_counts *by_level, *by_level_calibrated; /* per current level */
    size_t by_band[NL_BAND_COUNT];

    nl_review_manager *managers; /* per manager of the calibration */
    double *org_family_mean;     /* per family, over everyone evaluated */
    nl_fairness *fairness;       /* NULL without a [fairness] group column */

    nl_review_leaver *leavers; /* last quarter's people not evaluated now, in its order */
    size_t leaver_count;
    nl_trend_counts trend;

    double *family_means_block; /* owned storage behind the managers' family_mean */
    size_t performance;         /* the attribute with id "performance", or SIZE_MAX without one */

    nl_budget budget;     /* the run's promotion budget (teams borrowed) */
    nl_slate_tally slate; /* with a budget: the organisation's (per-team budgets summed) */
} nl_review;

/* What a review is made from: all borrowed, and kept by the review. */
typedef struct nl_review_inputs {
    const nl_evaluator *ev;
    const nl_matrix *m;
    const nl_matrix *previous;   /* or NULL */
    bool calibrate;              /* evaluate calibrated scores too */
    unsigned threads;            /* evaluate on this many threads (0 or 1: this one) */
    const nl_progress *progress; /* "evaluating" progress, or NULL */
    nl_budget budget;            /* the promotion budget; .set false for none */
} nl_review_inputs;

/* Evaluates everyone and computes every figure. Returns NL_OK or NL_ERR_NOMEM (err filled);
 * the caller frees *out with nl_review_free. */
nl_status nl_review_build(const nl_review_inputs *inputs, nl_review **out, nl_error *err);

/* Frees it; NULL does nothing. */
void nl_review_free(nl_review *rv);

/* Last quarter for the trend functions, or NULL without one. */
const nl_history *nl_review_history(const nl_review *rv);

/* "new", "new team", "promoted", "continuing", or "" without last quarter. */
const char *nl_trend_status_name(nl_trend_status status);

/* "left", or "row rejected this quarter" for a person who has not left. */
const char *nl_leaver_status_name(const nl_review_leaver *leaver);

/* The trend counts with their names, in the order every output lists them. */
#define NL_TREND_COUNT_ITEMS 6
void nl_trend_count_items(const nl_trend_counts *counts, const char *names[NL_TREND_COUNT_ITEMS],
                          size_t values[NL_TREND_COUNT_ITEMS]);

/* The balance grid's bands of a family attainment: 0 low (< 75%), 1 mid (< 95%), 2 high. */
#define NL_BALANCE_BANDS 3
int nl_balance_band(double attainment);

/* The performance bands of the 9-box, on the template's 1-5 rating: 0 low (below 2.5, ratings
 * 1-2), 1 mid (below 3.5, rating 3), 2 high (ratings 4-5); -1 for no rating. */
#define NL_PERFORMANCE_BANDS 3
int nl_performance_band(double rating);

/* The 9-box's readiness rows: the outcomes of people evaluated (Ready now, Ready with risk,
 * Developing). */
#define NL_NINE_BOX_ROWS (NL_DEVELOPING + 1)

/* Which people a view holds: a subset of the matrix, and whose leavers it lists. */
typedef enum nl_view_kind { NL_VIEW_WHOLE, NL_VIEW_TEAM, NL_VIEW_MANAGER } nl_view_kind;

typedef struct nl_view_scope {
    nl_view_kind kind;
    const char *name;      /* the team or manager ("(no team)" / "(no manager)" for empty) */
    const size_t *members; /* indices into the matrix, borrowed */
    size_t member_count;
} nl_view_scope;

/* A part of the review, as a pack shows it: its people and its own tallies. Figures that
 * compare with the organisation (calibration, fairness) stay the review's. */
typedef struct nl_review_view {
    const nl_review *review;
    bool whole;
    size_t *order; /* indices into review->people, in the review's order (owned) */
    size_t count;
    nl_outcome_counts counts, calibrated;
    size_t evaluated, robust;
    size_t operating_two_up; /* operating two or more levels above their title */
    nl_review_team *teams;   /* this view's people per team (owned), sorted by name */
    size_t team_count;
    size_t *managers; /* indices into the calibration's managers here (owned), sorted */
    size_t manager_count;
    size_t *leavers; /* indices into review->leavers that belong here (owned) */
    size_t leaver_count;
    nl_trend_counts trend;
    /* People by the tipping pair's attainment bands (nl_balance_band): [second][first]. */
    size_t balance[NL_BALANCE_BANDS][NL_BALANCE_BANDS];
    /* The lowest and highest attainment of either family of the pair, over the view's people with
     * both (for chart axes that leave nobody out); NAN when nobody has one. */
    double pair_min, pair_max;

    /* The readiness pipeline: people per band, and per current level and band (level_count x
     * NL_BAND_COUNT, owned; level l's band b at [l * NL_BAND_COUNT + b]). */
    size_t by_band[NL_BAND_COUNT];
    size_t *level_band;

    /* The promotion slate: the people Ready now, by next level (in the framework's level
     * order), then by rank: still Ready now once calibrated (with --calibrate), robust, higher
     * readiness score, the review's order. Indices into review->people (owned). */
    size_t *slate;
    size_t slate_count;
    size_t slate_not_ready_calibrated; /* on the slate, not Ready now once calibrated */
    size_t slate_lenient;              /* on the slate, reporting to a manager flagged lenient */
    size_t ready_only_calibrated;      /* Ready now once calibrated, not on the slate */

    /* Readiness against performance (only when review->performance is set): people evaluated
     * with a rating, by outcome (NL_NINE_BOX_ROWS) and performance band; and those without. */
    size_t nine_box[NL_NINE_BOX_ROWS][NL_PERFORMANCE_BANDS];
    size_t unrated;

    /* Why people are Not evaluated: per skill of the framework, how many of them lack it at
     * their next level (owned, skill_count), and how many lack another input (months in
     * level, an attribute, anything a hard gate checks). */
    size_t not_evaluated;
    size_t *missing_skill;
    size_t missing_other;
    /* The people with a development plan, closest to Ready now first: positions in order,
     * sorted by distance to ready, then quarters to ready, then Readiness order (owned). */
    size_t *plan_order;
    size_t plan_count;
} nl_review_view;

/* Makes the view of scope (NULL: the whole review). Returns NL_OK or NL_ERR_NOMEM; the caller
 * clears it with nl_review_view_clear. */
nl_status nl_review_view_make(const nl_review *rv, const nl_view_scope *scope,
                              nl_review_view *view);

/* Frees what a view holds. */
void nl_review_view_clear(nl_review_view *view);

#endif
