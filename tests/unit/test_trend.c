/* Quarter over quarter (trend.h): the readiness band at each of its boundaries, measured growth,
 * the tenure quarters, the skill-change text and the trend of a person against last quarter.
 *
 * The template is tests/cases/batch/tiny.ini: skills coding (technical, weight 3), design
 * (technical), mentoring and communication (soft); levels A -> B -> C; gates tech_bar
 * (meets_expectations on technical, hard), readiness (>= 90, hard), tenure (>= 12 months,
 * soft), visibility (>= 3, soft); growth_per_quarter = 0.5. B expects coding 4, design 2,
 * mentoring 2, communication 4. Readiness R = 50 * (A(technical) + A(soft)) with
 * A(technical) = (3 * a(coding) + a(design)) / 4 and A(soft) the mean of the two soft skills.
 *
 * The band rules (README, "Readiness bands"): growth is how many points closer to Ready now the
 * person came since last quarter (distance then - distance now), else the template's
 * growth_per_quarter; quarters = max(ceil(distance / growth), tenure quarters, 1) in whole
 * quarters (no growth: never), tenure quarters = ceil((min_months - months) / 3) for a failing
 * hard tenure gate (a soft one is a risk its mitigation handles); Ready now 0, Next quarter 1,
 * In 2-3 quarters 2 or 3, else Later. */
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"
#include "nextlevel/trend.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TINY "tests/cases/batch/tiny.ini"

static nl_framework *load_template(const char *path)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    nl_status status = nl_framework_load(path, &fw, &err);
    cr_assert_eq(status, NL_OK, "%s refused: line %ld: %s", path, err.line, err.message);
    return fw;
}

static nl_framework *tiny(void)
{
    nl_framework *fw = load_template(nl_test_path(TINY));
    cr_assert_eq(fw->skill_count, 4);
    cr_assert_eq(fw->gate_count, 4);
    return fw;
}

static size_t skill_index(const nl_framework *fw, const char *id)
{
    size_t s;
    cr_assert(nl_framework_find_skill(fw, id, &s), "no skill %s", id);
    return s;
}

static size_t gate_index(const nl_framework *fw, const char *id)
{
    for (size_t g = 0; g < fw->gate_count; g++) {
        if (strcmp(fw->gates[g].id, id) == 0)
            return g;
    }
    cr_assert_fail("no gate %s", id);
    return 0;
}

/* A result made by hand, so that distance, outcome, tenure and scores are exactly what a test
 * needs: one track against level B, every gate passing unless the test says otherwise. */
typedef struct crafted {
    nl_person now, then;
    double now_scores[4], then_scores[4];
    nl_gate_result gates[4];
    nl_track_result track;
    nl_person_result result;
} crafted;

static void craft(crafted *c, const nl_framework *fw, nl_outcome outcome, double distance,
                  double months)
{
    memset(c, 0, sizeof *c);
    for (size_t s = 0; s < 4; s++)
        c->now_scores[s] = c->then_scores[s] = 3;
    c->now = (nl_person){
        .id = (char *)"P1", .level = 0, .months_in_level = months, .scores = c->now_scores};
    c->then = (nl_person){
        .id = (char *)"P1", .level = 0, .months_in_level = months - 3, .scores = c->then_scores};
    for (size_t g = 0; g < 4; g++)
        c->gates[g].status = NL_GATE_PASS;
    c->track = (nl_track_result){.next_level = 1,
                                 .outcome = outcome,
                                 .readiness = 95,
                                 .gates = c->gates,
                                 .gate_count = fw->gate_count,
                                 .distance = distance,
                                 .distance_hard = distance};
    c->result = (nl_person_result){
        .person = &c->now, .tracks = &c->track, .track_count = 1, .best = 0, .outcome = outcome};
}

static nl_band_info band_with(const nl_framework *fw, const crafted *c, double distance_then)
{
    nl_band_info info;
    memset(&info, 0x55, sizeof info); /* every field must be written */
    nl_trend trend = {.previous = &c->then, .distance_then = distance_then};
    nl_band_of(fw, &c->result, &trend, &info);
    return info;
}

/* Without last quarter (with_previous false) or with the same distance last quarter. */
static nl_band_info band(const nl_framework *fw, const crafted *c, bool with_previous)
{
    nl_band_info info;
    memset(&info, 0x55, sizeof info);
    if (with_previous)
        return band_with(fw, c, c->track.distance);
    nl_band_of(fw, &c->result, NULL, &info);
    return info;
}

/* Makes the tenure gate hard, as a template may. */
static void hard_tenure(nl_framework *fw)
{
    fw->gates[gate_index(fw, "tenure")].severity = NL_HARD;
}

/* ---- names ---- */

Test(trend, band_names)
{
    cr_assert_str_eq(nl_band_name(NL_BAND_READY_NOW), "Ready now");
    cr_assert_str_eq(nl_band_name(NL_BAND_NEXT_QUARTER), "Next quarter");
    cr_assert_str_eq(nl_band_name(NL_BAND_TWO_THREE_QUARTERS), "In 2-3 quarters");
    cr_assert_str_eq(nl_band_name(NL_BAND_LATER), "Later");
    cr_assert_str_eq(nl_band_name(NL_BAND_NONE), "");
}

Test(trend, the_band_follows_from_whole_quarters)
{
    cr_assert_eq(nl_band_of_quarters(0), NL_BAND_READY_NOW);
    cr_assert_eq(nl_band_of_quarters(1), NL_BAND_NEXT_QUARTER);
    cr_assert_eq(nl_band_of_quarters(2), NL_BAND_TWO_THREE_QUARTERS);
    cr_assert_eq(nl_band_of_quarters(3), NL_BAND_TWO_THREE_QUARTERS);
    cr_assert_eq(nl_band_of_quarters(4), NL_BAND_LATER);
    cr_assert_eq(nl_band_of_quarters(INFINITY), NL_BAND_LATER);
    cr_assert_eq(nl_band_of_quarters(NAN), NL_BAND_NONE);
}

/* ---- growth ---- */

Test(trend, growth_is_how_much_closer_to_ready_the_person_came)
{
    nl_framework *fw = tiny();
    crafted c;
    /* 26 points from ready now, 30 last quarter: 4 points a quarter, ceil(26 / 4) = 7 quarters,
     * Later (however many points the person gained in skills that were already at the bar). */
    craft(&c, fw, NL_DEVELOPING, 26, 12);
    nl_band_info info = band_with(fw, &c, 30);
    cr_assert(info.growth_measured);
    cr_assert_float_eq(info.growth, 4, 1e-12);
    cr_assert_float_eq(info.quarters, 7, 1e-12);
    cr_assert_eq(info.band, NL_BAND_LATER);
    /* 40 last quarter: 14 a quarter, 2 quarters. */
    info = band_with(fw, &c, 40);
    cr_assert_float_eq(info.growth, 14, 1e-12);
    cr_assert_float_eq(info.quarters, 2, 1e-12);
    cr_assert_eq(info.band, NL_BAND_TWO_THREE_QUARTERS);
    /* Further from ready than last quarter: negative growth, no estimate, Later. */
    info = band_with(fw, &c, 20);
    cr_assert_float_eq(info.growth, -6, 1e-12);
    cr_assert(isinf(info.quarters));
    cr_assert_eq(info.band, NL_BAND_LATER);
    nl_framework_free(fw);
}

/* ---- bands without a track or without a distance ---- */

Test(trend, ready_now_is_zero_quarters_and_zero_points_away)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_READY_NOW, 0, 12);
    nl_band_info info = band(fw, &c, true);
    cr_assert_eq(info.band, NL_BAND_READY_NOW);
    cr_assert_float_eq(info.quarters, 0, 1e-12);
    cr_assert_float_eq(info.distance, 0, 1e-12);
    cr_assert(isnan(info.growth));
    nl_framework_free(fw);
}

Test(trend, not_evaluated_and_top_of_ladder_get_no_band)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_NOT_EVALUATED, 2, 12);
    nl_band_info info = band(fw, &c, false);
    cr_assert_eq(info.band, NL_BAND_NONE);
    cr_assert(isnan(info.quarters));
    cr_assert_str_eq(nl_band_name(info.band), "");
    /* Top of ladder: no track at all. */
    craft(&c, fw, NL_TOP_OF_LADDER, 0, 12);
    c.result.track_count = 0;
    c.result.tracks = NULL;
    info = band(fw, &c, true);
    cr_assert_eq(info.band, NL_BAND_NONE);
    cr_assert(isnan(info.quarters));
    nl_framework_free(fw);
}

/* ---- the boundaries, with the template's growth of 0.5 point a quarter ---- */

Test(trend, template_growth_applies_without_last_quarter)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_DEVELOPING, 1, 12);
    nl_band_info info = band(fw, &c, false);
    /* growth_per_quarter = 0.5 (not the default 1.0): 1 / 0.5 = 2 quarters. */
    cr_assert_float_eq(info.growth, 0.5, 1e-12);
    cr_assert_not(info.growth_measured);
    cr_assert_float_eq(info.distance, 1, 1e-12);
    cr_assert_float_eq(info.skill_quarters, 2, 1e-12);
    cr_assert_float_eq(info.tenure_quarters, 0, 1e-12);
    cr_assert_float_eq(info.quarters, 2, 1e-12);
    cr_assert_eq(info.band, NL_BAND_TWO_THREE_QUARTERS);
    /* Last quarter's distance of a promoted or new person is unknown (NAN): the template's. */
    info = band_with(fw, &c, NAN);
    cr_assert_not(info.growth_measured);
    cr_assert_float_eq(info.growth, 0.5, 1e-12);
    nl_framework_free(fw);
}

Test(trend, exactly_one_quarter_is_next_quarter_and_just_above_is_two_three)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_DEVELOPING, 0.5, 12); /* 0.5 / 0.5 = 1 */
    nl_band_info info = band(fw, &c, false);
    cr_assert_float_eq(info.quarters, 1, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    craft(&c, fw, NL_DEVELOPING, 0.5000005, 12); /* 1.000001: a second quarter begun */
    info = band(fw, &c, false);
    cr_assert_float_eq(info.quarters, 2, 1e-12);
    cr_assert_eq(info.band, NL_BAND_TWO_THREE_QUARTERS);
    craft(&c, fw, NL_DEVELOPING, 0.25, 12); /* 0.5: below one is next quarter too */
    info = band(fw, &c, false);
    cr_assert_float_eq(info.quarters, 1, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    nl_framework_free(fw);
}

Test(trend, exactly_three_quarters_is_two_three_and_just_above_is_later)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_DEVELOPING, 1.5, 12); /* 1.5 / 0.5 = 3 */
    nl_band_info info = band(fw, &c, false);
    cr_assert_float_eq(info.quarters, 3, 1e-12);
    cr_assert_eq(info.band, NL_BAND_TWO_THREE_QUARTERS);
    craft(&c, fw, NL_DEVELOPING, 1.5000005, 12); /* 3.000001 */
    info = band(fw, &c, false);
    cr_assert_float_eq(info.quarters, 4, 1e-12);
    cr_assert_eq(info.band, NL_BAND_LATER);
    nl_framework_free(fw);
}

/* Regression: a quarter count that is exactly 1 (or 3) in decimal must not fall into the next
 * band because of binary rounding. Coding 2.6 last quarter and 3.3 now against an expectation
 * of 4: distance 1.4 then and 0.7 now, growth 0.7, one quarter. In doubles 4 - 3.3 =
 * 0.7000000000000002 and the quotient is just above 1. */
Test(trend, a_decimal_boundary_is_not_lost_to_binary_rounding)
{
    nl_framework *fw = tiny();
    crafted c;
    volatile double expected = 4, now = 3.3, then = 2.6;
    craft(&c, fw, NL_DEVELOPING, expected - now, 12);
    nl_band_info info = band_with(fw, &c, expected - then);
    cr_assert(info.growth_measured);
    cr_assert_float_eq(info.growth, 0.7, 1e-9);
    cr_assert_float_eq(info.quarters, 1, 1e-9);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER, "band %s for %.17g quarters",
                 nl_band_name(info.band), info.quarters);
    /* The same at three quarters: 0.6000000000000001 now, 0.8 then. */
    now = 3.4;
    then = 3.2;
    craft(&c, fw, NL_DEVELOPING, expected - now, 12);
    info = band_with(fw, &c, expected - then);
    cr_assert_float_eq(info.quarters, 3, 1e-9);
    cr_assert_eq(info.band, NL_BAND_TWO_THREE_QUARTERS, "band %s for %.17g quarters",
                 nl_band_name(info.band), info.quarters);
    nl_framework_free(fw);
}

/* ---- measured growth ---- */

Test(trend, measured_growth_replaces_the_template)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_DEVELOPING, 2, 12);
    /* 4 points away last quarter, 2 now: growth 2, 2 / 2 = 1 quarter. */
    nl_band_info info = band_with(fw, &c, 4);
    cr_assert(info.growth_measured);
    cr_assert_float_eq(info.growth, 2, 1e-12);
    cr_assert_float_eq(info.quarters, 1, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    /* Without last quarter the template's 0.5: 2 / 0.5 = 4 quarters, Later. */
    info = band(fw, &c, false);
    cr_assert_not(info.growth_measured);
    cr_assert_float_eq(info.quarters, 4, 1e-12);
    cr_assert_eq(info.band, NL_BAND_LATER);
    nl_framework_free(fw);
}

Test(trend, no_measured_growth_is_later)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_DEVELOPING, 0.5, 12); /* as far from ready as last quarter */
    nl_band_info info = band(fw, &c, true);
    cr_assert(info.growth_measured);
    cr_assert_float_eq(info.growth, 0, 1e-12);
    cr_assert(isinf(info.skill_quarters) && isinf(info.quarters), "%g", info.quarters);
    cr_assert_eq(info.band, NL_BAND_LATER);
    nl_framework_free(fw);
}

/* ---- tenure and gates that no score clears ---- */

Test(trend, a_soft_tenure_gate_does_not_delay_a_person_with_nothing_to_raise)
{
    nl_framework *fw = tiny();
    size_t tenure = gate_index(fw, "tenure");
    crafted c;
    /* Skills ready (Ready with risk, distance 0), 2 months of 12: the soft gate is a risk its
     * mitigation handles, so the band agrees with the distance: Next quarter, not Later. */
    craft(&c, fw, NL_READY_WITH_RISK, 0, 2);
    c.gates[tenure].status = NL_GATE_FAIL;
    nl_band_info info = band(fw, &c, false);
    cr_assert_float_eq(info.skill_quarters, 0, 1e-12);
    cr_assert_float_eq(info.tenure_quarters, 0, 1e-12);
    cr_assert_float_eq(info.quarters, 1, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    nl_framework_free(fw);
}

Test(trend, a_failing_hard_tenure_gate_needs_its_quarters)
{
    nl_framework *fw = tiny();
    hard_tenure(fw);
    size_t tenure = gate_index(fw, "tenure");
    crafted c;
    /* Skills ready (Developing on the hard gate), 5 months of 12: ceil(7 / 3) = 3 quarters. */
    craft(&c, fw, NL_DEVELOPING, 0, 5);
    c.gates[tenure].status = NL_GATE_FAIL;
    nl_band_info info = band(fw, &c, false);
    cr_assert_float_eq(info.skill_quarters, 0, 1e-12);
    cr_assert_float_eq(info.tenure_quarters, 3, 1e-12);
    cr_assert_float_eq(info.quarters, 3, 1e-12);
    cr_assert_eq(info.band, NL_BAND_TWO_THREE_QUARTERS);
    /* 2 months: ceil(10 / 3) = 4, Later. */
    craft(&c, fw, NL_DEVELOPING, 0, 2);
    c.gates[tenure].status = NL_GATE_FAIL;
    info = band(fw, &c, false);
    cr_assert_float_eq(info.tenure_quarters, 4, 1e-12);
    cr_assert_eq(info.band, NL_BAND_LATER);
    /* 11.5 months: half a month missing is still one quarter. */
    craft(&c, fw, NL_DEVELOPING, 0, 11.5);
    c.gates[tenure].status = NL_GATE_FAIL;
    info = band(fw, &c, false);
    cr_assert_float_eq(info.tenure_quarters, 1, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    nl_framework_free(fw);
}

Test(trend, the_larger_of_skill_and_tenure_quarters_counts_not_the_sum)
{
    nl_framework *fw = tiny();
    hard_tenure(fw);
    size_t tenure = gate_index(fw, "tenure");
    crafted c;
    /* Distance 0.5 (1 quarter) and 6 months of 12 (ceil(6 / 3) = 2): 2. */
    craft(&c, fw, NL_DEVELOPING, 0.5, 6);
    c.gates[tenure].status = NL_GATE_FAIL;
    nl_band_info info = band(fw, &c, false);
    cr_assert_float_eq(info.skill_quarters, 1, 1e-12);
    cr_assert_float_eq(info.tenure_quarters, 2, 1e-12);
    cr_assert_float_eq(info.quarters, 2, 1e-12);
    cr_assert_eq(info.band, NL_BAND_TWO_THREE_QUARTERS);
    /* Distance 1.5 (3 quarters) and 9 months (1 quarter): 3, not 4. */
    craft(&c, fw, NL_DEVELOPING, 1.5, 9);
    c.gates[tenure].status = NL_GATE_FAIL;
    info = band(fw, &c, false);
    cr_assert_float_eq(info.quarters, 3, 1e-12);
    cr_assert_eq(info.band, NL_BAND_TWO_THREE_QUARTERS);
    /* A tenure gate that passes counts nothing, whatever the months say. */
    craft(&c, fw, NL_DEVELOPING, 0.5, 0);
    info = band(fw, &c, false);
    cr_assert_float_eq(info.tenure_quarters, 0, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    nl_framework_free(fw);
}

Test(trend, only_attribute_gates_open_is_one_quarter)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_READY_WITH_RISK, 0, 12);
    c.gates[gate_index(fw, "visibility")].status = NL_GATE_FAIL;
    nl_band_info info = band(fw, &c, false);
    cr_assert_float_eq(info.quarters, 1, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    /* Even with no growth measured: nothing to grow, one quarter to act on the mitigation. */
    info = band(fw, &c, true);
    cr_assert(info.growth_measured);
    cr_assert_float_eq(info.growth, 0, 1e-12);
    cr_assert_float_eq(info.quarters, 1, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    nl_framework_free(fw);
}

Test(trend, growth_per_quarter_defaults_to_one_point)
{
    /* tiny.ini without its growth_per_quarter line. */
    size_t len;
    char *text = nl_test_read_file(nl_test_path(TINY), &len);
    cr_assert_not_null(text);
    char *key = strstr(text, "growth_per_quarter = 0.5\n");
    cr_assert_not_null(key);
    size_t cut = strlen("growth_per_quarter = 0.5\n");
    memmove(key, key + cut, strlen(key + cut) + 1);
    char *path = nl_test_write_temp(".ini", text, strlen(text));
    free(text);
    nl_framework *fw = load_template(path);
    cr_assert_float_eq(fw->growth_per_quarter, 1.0, 1e-12);
    crafted c;
    craft(&c, fw, NL_DEVELOPING, 1, 12); /* 1 / 1.0 = 1: next quarter (with 0.5 it was 2) */
    nl_band_info info = band(fw, &c, false);
    cr_assert_float_eq(info.quarters, 1, 1e-12);
    cr_assert_eq(info.band, NL_BAND_NEXT_QUARTER);
    nl_framework_free(fw);
    nl_test_remove(path);
}

/* ---- skill changes ---- */

Test(trend, skill_changes_largest_first_then_in_template_order)
{
    nl_framework *fw = tiny();
    crafted c;
    craft(&c, fw, NL_DEVELOPING, 1, 12);
    size_t coding = skill_index(fw, "coding"), design = skill_index(fw, "design"),
           mentoring = skill_index(fw, "mentoring"), comm = skill_index(fw, "communication");
    c.now_scores[coding] = 4;      /* +1 */
    c.now_scores[mentoring] = 2.5; /* -0.5 */
    c.now_scores[comm] = 3.5;      /* +0.5: ties with mentoring, which comes first */
    c.then_scores[design] = NAN;   /* not assessed last quarter: no change to show */
    c.now_scores[design] = 5;
    char *text = nl_describe_skill_changes(fw, &c.now, &c.then);
    cr_assert_str_eq(text, "coding +1, mentoring -0.5, communication +0.5");
    free(text);
    /* A fall larger than every rise comes first. */
    c.now_scores[comm] = 1.5; /* -1.5 */
    text = nl_describe_skill_changes(fw, &c.now, &c.then);
    cr_assert_str_eq(text, "communication -1.5, coding +1, mentoring -0.5");
    free(text);
    /* Nothing changed: an empty text. */
    craft(&c, fw, NL_DEVELOPING, 1, 12);
    text = nl_describe_skill_changes(fw, &c.now, &c.then);
    cr_assert_str_eq(text, "");
    free(text);
    nl_framework_free(fw);
}

/* ---- the trend of real people (tests/cases/batch/trend) ---- */

static nl_matrix *read_folder(const nl_framework *fw, const char *a, const char *b)
{
    nl_matrix *m = nl_matrix_new(fw);
    cr_assert_not_null(m);
    const char *files[] = {a, b};
    for (int i = 0; i < 2; i++) {
        nl_error err = {0};
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", NL_SOURCE_DIR, files[i]);
        cr_assert_eq(nl_matrix_read_file(m, path, 0, &err), NL_OK, "%s: %s", path, err.message);
    }
    size_t rejected;
    nl_matrix_rejections(m, &rejected);
    cr_assert_eq(rejected, 0);
    return m;
}

static const nl_person *find(const nl_matrix *m, const char *id)
{
    size_t index, count;
    cr_assert(nl_matrix_find(m, id, &index), "no %s", id);
    return &nl_matrix_people(m, &count)[index];
}

Test(trend, trend_of_continuing_promoted_new_and_unassessed_people)
{
    nl_framework *fw = tiny();
    nl_matrix *then = read_folder(fw, "tests/cases/batch/trend/previous/core.csv",
                                  "tests/cases/batch/trend/previous/growth.csv");
    nl_matrix *now = read_folder(fw, "tests/cases/batch/trend/current/core.csv",
                                 "tests/cases/batch/trend/current/growth.csv");
    nl_evaluator *ev = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_evaluator_new(fw, NULL, NULL, &ev, &err), NL_OK);
    nl_history history = {ev, then};
    struct {
        const char *id;
        bool has_previous, promoted;
        nl_outcome outcome_then;
        double readiness_then, change;
        double distance_then; /* to the same next level; NAN: not comparable */
    } want[] = {
        /* T1: then coding 3, design 2, mentoring 2, communication 3.5 against B:
         * A(t) = (3 * 3/4 + 1) / 4 = 0.8125, A(s) = (1 + 3.5/4) / 2 = 0.9375, R = 87.5
         * (Developing: coding 3 < 4). Now coding 4, mentoring 1.5: A(t) = 1,
         * A(s) = (0.75 + 0.875) / 2 = 0.8125, R = 90.625. Change +3.125. */
        /* Distance then: coding 3 -> 4 for the technical bar (R 96.875 then): 1 point. */
        {"T1", true, false, NL_DEVELOPING, 87.5, 3.125, 1},
        /* T2: then every skill at B: R 100, Ready now. Now coding 3, design 3:
         * A(t) = (2.25 + 1) / 4 = 0.8125, R = 90.625. Change -9.375. */
        {"T2", true, false, NL_READY_NOW, 100, -9.375, 0},
        /* T4: then A with every skill at B: 100. Now B against C (5, 4, 4, 4) with 4.5, 3, 3, 4:
         * A(t) = (3 * 0.9 + 0.75) / 4 = 0.8625, A(s) = (0.75 + 1) / 2 = 0.875, R = 86.875. */
        /* Promoted: last quarter's distance was to another level. */
        {"T4", true, true, NL_READY_NOW, 100, -13.125, NAN},
        /* T5: not there last quarter. */
        {"T5", false, false, NL_READY_NOW, NAN, NAN, NAN},
        /* T7: design not assessed then: Not evaluated, R over what was assessed: A(t) = 3/4
         * (coding alone), A(s) = 1, R = 87.5. Now 3.5, 2, 2, 4: A(t) = (2.625 + 1) / 4 =
         * 0.90625, R = 95.3125. Change +7.8125. */
        /* Not evaluated then: no distance to compare. */
        {"T7", true, false, NL_NOT_EVALUATED, 87.5, 7.8125, NAN},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const nl_person *p = find(now, want[i].id);
        nl_person_result r;
        cr_assert_eq(nl_evaluate_person(ev, p, &r), NL_OK);
        nl_trend t;
        cr_assert_eq(nl_trend_of(&history, &r, &t), NL_OK);
        cr_assert_eq(nl_history_find(&history, p), t.previous);
        if (!want[i].has_previous) {
            cr_assert_null(t.previous, "%s", want[i].id);
            cr_assert(isnan(t.readiness_then) && isnan(t.change), "%s", want[i].id);
        } else {
            cr_assert_not_null(t.previous, "%s", want[i].id);
            cr_assert_eq(t.previous, find(then, want[i].id));
            cr_assert_eq(t.outcome_then, want[i].outcome_then, "%s: %s", want[i].id,
                         nl_outcome_name(t.outcome_then));
            cr_assert_eq(t.promoted, want[i].promoted, "%s", want[i].id);
            cr_assert_float_eq(t.readiness_then, want[i].readiness_then, 1e-9, "%s: %.17g",
                               want[i].id, t.readiness_then);
            cr_assert_float_eq(t.change, want[i].change, 1e-9, "%s: %.17g", want[i].id, t.change);
        }
        if (isnan(want[i].distance_then))
            cr_assert(isnan(t.distance_then), "%s: %g", want[i].id, t.distance_then);
        else
            cr_assert_float_eq(t.distance_then, want[i].distance_then, 1e-9, "%s: %g", want[i].id,
                               t.distance_then);
        nl_person_result_clear(&r);
    }
    /* Without history nothing is found, and the trend is empty. */
    cr_assert_null(nl_history_find(NULL, find(now, "T1")));
    nl_evaluator_free(ev);
    nl_matrix_free(now);
    nl_matrix_free(then);
    nl_framework_free(fw);
}
