/* The promotion budget's ranking and cut (nl_slate_cut in review.h), on hand-made candidates
 * whose order is worked out by hand beside each test. */
#include "nextlevel/review.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define RN NL_READY_NOW
#define RR NL_READY_WITH_RISK

static nl_slate_candidate c(const char *id, nl_outcome outcome, bool robust, nl_outcome calibrated,
                            double distance, double readiness)
{
    return (nl_slate_candidate){.outcome = outcome,
                                .calibrated = calibrated,
                                .robust = robust,
                                .distance = distance,
                                .readiness = readiness,
                                .id = id};
}

/* Checks the sorted ids and their marks ("O" on, "T" tied, "B" below). */
static void expect(const nl_slate_candidate *got, size_t n, const char *const *ids,
                   const char *marks)
{
    for (size_t k = 0; k < n; k++) {
        cr_assert_str_eq(got[k].id, ids[k], "position %zu: %s, expected %s", k + 1, got[k].id,
                         ids[k]);
        char mark = got[k].mark == NL_SLATE_ON      ? 'O'
                    : got[k].mark == NL_SLATE_TIED  ? 'T'
                    : got[k].mark == NL_SLATE_BELOW ? 'B'
                                                    : '?';
        cr_assert_eq(mark, marks[k], "%s: mark %c, expected %c", got[k].id, mark, marks[k]);
    }
}

Test(slate_budget, every_key_in_its_documented_order)
{
    /* Each pair differs in one key only, so the order is the keys' order:
     *   A Ready now beats every Ready with risk, whatever else (G: risk, robust, best scores);
     *   among Ready now: robust (B, C, D, E, F) before not robust (A);
     *   calibrated Ready now (C, D, E, F) before calibrated Ready with risk (B);
     *   distance 0 (D, E, F) before 1.5 (C);
     *   readiness 99 (E, F) before 90 (D);
     *   then the id: E1 before F1 (strcmp). */
    nl_slate_candidate cs[] = {
        c("A1", RN, false, RN, 0, 100),  c("B1", RN, true, RR, 0, 100),
        c("C1", RN, true, RN, 1.5, 100), c("D1", RN, true, RN, 0, 90),
        c("F1", RN, true, RN, 0, 99),    c("E1", RN, true, RN, 0, 99),
        c("G1", RR, true, RN, 0, 100),
    };
    for (size_t k = 0; k < 7; k++)
        cs[k].index = k;
    size_t slots = 7;
    nl_slate_tally tally;
    nl_slate_cut(cs, 7, &slots, 1, &tally);
    static const char *const ids[] = {"E1", "F1", "D1", "C1", "B1", "A1", "G1"};
    expect(cs, 7, ids, "OOOOOOO");
    for (size_t k = 0; k < 7; k++)
        cr_assert_eq(cs[k].rank, k + 1);
    cr_assert_eq(tally.on_slate, 7);
    cr_assert_eq(tally.tied, 0);
    cr_assert_eq(tally.candidates, 7);
}

Test(slate_budget, no_distance_or_score_ranks_last_within_its_key)
{
    /* NAN distance after any number; NAN readiness after any score. */
    nl_slate_candidate cs[] = {c("P", RN, true, RN, NAN, 100), c("Q", RN, true, RN, 3, 50),
                               c("R", RN, true, RN, 3, NAN), c("S", RN, true, RN, 3, 60)};
    size_t slots = 2;
    nl_slate_tally tally;
    nl_slate_cut(cs, 4, &slots, 1, &tally);
    static const char *const ids[] = {"S", "Q", "R", "P"};
    expect(cs, 4, ids, "OOBB");
    cr_assert_eq(tally.on_slate, 2);
    cr_assert_eq(tally.tied, 0);
}

Test(slate_budget, people_equal_across_the_cut_are_all_tied)
{
    /* Ranked: X (score 95), then K, L, M (90, equal on every key but the id), then N (80).
     * Two slots: X is on; the cut falls inside K, L, M, so all three are tied for the one slot
     * left, and N is below. The id orders them but decides nothing. */
    nl_slate_candidate cs[] = {c("M", RN, true, RN, 0, 90), c("N", RN, true, RN, 0, 80),
                               c("K", RN, true, RN, 0, 90), c("X", RN, true, RN, 0, 95),
                               c("L", RN, true, RN, 0, 90)};
    size_t slots = 2;
    nl_slate_tally tally;
    nl_slate_cut(cs, 5, &slots, 1, &tally);
    static const char *const ids[] = {"X", "K", "L", "M", "N"};
    expect(cs, 5, ids, "OTTTB");
    cr_assert_eq(tally.on_slate, 1);
    cr_assert_eq(tally.tied, 3);
    cr_assert_eq(tally.tied_slots, 1);
    cr_assert_eq(tally.slots, 2);
}

Test(slate_budget, a_tie_that_ends_at_the_cut_is_no_tie)
{
    /* K and L tie, but two slots take both: nobody equal to them is left out. */
    nl_slate_candidate cs[] = {c("K", RN, true, RN, 0, 90), c("L", RN, true, RN, 0, 90),
                               c("M", RN, true, RN, 0, 89)};
    size_t slots = 2;
    nl_slate_tally tally;
    nl_slate_cut(cs, 3, &slots, 1, &tally);
    static const char *const ids[] = {"K", "L", "M"};
    expect(cs, 3, ids, "OOB");
    cr_assert_eq(tally.tied, 0);
    cr_assert_eq(tally.tied_slots, 0);
}

Test(slate_budget, a_tie_from_the_top_leaves_nobody_on)
{
    /* All three equal, one slot: three people tied for one slot, none plainly on. */
    nl_slate_candidate cs[] = {c("C", RR, false, RR, 2, 80), c("A", RR, false, RR, 2, 80),
                               c("B", RR, false, RR, 2, 80)};
    size_t slots = 1;
    nl_slate_tally tally;
    nl_slate_cut(cs, 3, &slots, 1, &tally);
    static const char *const ids[] = {"A", "B", "C"};
    expect(cs, 3, ids, "TTT");
    cr_assert_eq(tally.on_slate, 0);
    cr_assert_eq(tally.tied, 3);
    cr_assert_eq(tally.tied_slots, 1);
}

Test(slate_budget, no_slots_puts_everyone_below)
{
    nl_slate_candidate cs[] = {c("A", RN, true, RN, 0, 90), c("B", RN, true, RN, 0, 90)};
    size_t slots = 0;
    nl_slate_tally tally;
    nl_slate_cut(cs, 2, &slots, 1, &tally);
    static const char *const ids[] = {"A", "B"};
    expect(cs, 2, ids, "BB");
    cr_assert_eq(tally.tied, 0);
    cr_assert_eq(tally.on_slate, 0);
}

Test(slate_budget, per_team_budgets_rank_and_cut_each_team_alone)
{
    /* Team 0 has 1 slot: T0a (95) on, T0b (90) below. Team 1 has 2 slots: T1a (99) on, then
     * T1b and T1c (80, equal) tied for the one slot left. Team 2 has no candidates. Ranks
     * restart at 1 in each team; a team's higher score never takes another team's slot. */
    nl_slate_candidate cs[] = {c("T1c", RN, true, RN, 0, 80), c("T0b", RN, true, RN, 0, 90),
                               c("T1a", RN, true, RN, 0, 99), c("T0a", RN, true, RN, 0, 95),
                               c("T1b", RN, true, RN, 0, 80)};
    cs[0].group = 1;
    cs[2].group = 1;
    cs[4].group = 1;
    size_t slots[3] = {1, 2, 4};
    nl_slate_tally tally[3];
    nl_slate_cut(cs, 5, slots, 3, tally);
    static const char *const ids[] = {"T0a", "T0b", "T1a", "T1b", "T1c"};
    expect(cs, 5, ids, "OBOTT");
    static const size_t ranks[] = {1, 2, 1, 2, 3};
    for (size_t k = 0; k < 5; k++)
        cr_assert_eq(cs[k].rank, ranks[k], "%s: rank %zu", cs[k].id, cs[k].rank);
    cr_assert_eq(tally[0].on_slate, 1);
    cr_assert_eq(tally[0].candidates, 2);
    cr_assert_eq(tally[1].on_slate, 1);
    cr_assert_eq(tally[1].tied, 2);
    cr_assert_eq(tally[1].tied_slots, 1);
    cr_assert_eq(tally[2].candidates, 0);
    cr_assert_eq(tally[2].slots, 4);
}
