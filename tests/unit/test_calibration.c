/* Calibration by manager (calibration.h): rating gaps, the organisation's mean and population
 * standard deviation, each manager's mean gap, offset, z, flag and shrunk, rounded adjustment
 * (applied to flagged managers only, with the reason); the managers ranked by |z|;
 * the [calibration] settings; calibrated scores and the outcome they give. Every expected
 * number is worked out by hand beside its assertion, from the README ("Calibration").
 *
 * The crafted organisation is tests/cases/review/calibration-org.csv on
 * tests/cases/review/calibration.ini: skills a (technical) and b (soft); L1 expects a:3, b:3,
 * L2 (the top) a:4, b:4. A person's gap at L1 is ((a - 3) + (b - 3)) / 2, at L2
 * ((a - 4) + (b - 4)) / 2. Ready now for L2 needs a >= 4 and b >= 4 (one hard gate).
 *
 *   manager    id   level  a    b    gap
 *   Lena Moss  LM1  L1     4    4    1         (lenient: mean 5 / 5 = 1)
 *              LM2  L1     4    4    1
 *              LM3  L1     4.5  4.5  1.5
 *              LM4  L1     1    5    0
 *              LM5  L1     4.5  4.5  1.5
 *   Eve Stone  ES1  L1     3.5  3.5  0.5       (severe: mean -3.5 / 4 = -0.875)
 *              ES2  L1     5    1    0
 *              ES3  L1     1    1    -2
 *              ES4  L1     1    1    -2
 *   Cruz Bell  CB1  L2     4    4    0         (at L2: against L2's own 4s, not L1's 3s)
 *              CB2  L1     3    3    0
 *              CB3  L1     3.5  3.5  0.5
 *              CB4  L1     3.5  3    0.25
 *              CB5  L1     2.5  3    -0.25
 *              CB6  L1     3    3    0
 *              CB7  L1     -    -    none      (nothing assessed: not rated)
 *                                              (Cruz: mean 0.5 / 6 = 0.083333)
 *   Diaz Ford  DF1  L1     4    3    0.5       (mean 0.5 / 5 = 0.1)
 *              DF2  L1     3    3    0
 *              DF3  L1     2.5  2.5  -0.5
 *              DF4  L1     3.5  3.5  0.5
 *              DF5  L1     3    3    0
 *
 * Organisation: 20 people rated, gaps sum 5 - 3.5 + 0.5 + 0.5 = 2.5, M = 2.5 / 20 = 0.125.
 * Squared deviations from 0.125:
 *   Lena  0.875^2 * 2 + 1.375^2 * 2 + 0.125^2 = 1.53125 + 3.78125 + 0.015625 = 5.328125
 *   Eve   0.375^2 + 0.125^2 + 2.125^2 * 2       = 0.140625 + 0.015625 + 9.03125 = 9.1875
 *   Cruz  0.125^2 * 3 + 0.375^2 * 2 + 0.125^2   = 0.046875 + 0.28125 + 0.015625 = 0.34375
 *   Diaz  0.375^2 * 2 + 0.125^2 * 2 + 0.625^2   = 0.28125 + 0.03125 + 0.390625 = 0.703125
 *   total 15.5625; population variance 15.5625 / 20 = 0.778125; SD = sqrt(0.778125) = 0.882114
 *   (the sample SD would be sqrt(15.5625 / 19) = 0.905035).
 */
#include "nextlevel/calibration.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_TEMPLATE "tests/cases/review/calibration.ini"
#define ORG_MATRIX   "tests/cases/review/calibration-org.csv"

/* SD of the organisation's gaps, by hand above. */
#define ORG_SD 0.8821139382

/* ---- fixture: a template (with an optional extra section) and a matrix, calibrated ---- */

typedef struct fixture {
    char *ini_path, *csv_path;
    nl_framework *fw;
    nl_matrix *m;
    nl_calibration *c;
    const nl_person *people;
    size_t count;
} fixture;

/* Loads template_text (the template file's text when NULL) followed by extra, and matrix_text
 * (the crafted organisation when NULL); computes the calibration. */
static void fx_open(fixture *fx, const char *template_text, const char *extra,
                    const char *matrix_text)
{
    nl_error err = {0};
    memset(fx, 0, sizeof *fx);
    char *base = template_text ? NULL : nl_test_read_file(nl_test_path(ORG_TEMPLATE), NULL);
    const char *ini = template_text ? template_text : base;
    cr_assert_not_null(ini);
    size_t len = strlen(ini) + (extra ? strlen(extra) : 0) + 2;
    char *text = malloc(len);
    snprintf(text, len, "%s\n%s", ini, extra ? extra : "");
    fx->ini_path = nl_test_write_temp(".ini", text, strlen(text));
    free(text);
    free(base);
    char *org = matrix_text ? NULL : nl_test_read_file(nl_test_path(ORG_MATRIX), NULL);
    const char *csv = matrix_text ? matrix_text : org;
    cr_assert_not_null(csv);
    fx->csv_path = nl_test_write_temp(".csv", csv, strlen(csv));
    free(org);
    cr_assert(fx->ini_path && fx->csv_path);
    cr_assert_eq(nl_framework_load(fx->ini_path, &fx->fw, &err), NL_OK,
                 "test template refused: line %ld: %s", err.line, err.message);
    fx->m = nl_matrix_new(fx->fw);
    cr_assert_eq(nl_matrix_read_file(fx->m, fx->csv_path, 0, &err), NL_OK, "%s", err.message);
    size_t rejected;
    nl_matrix_rejections(fx->m, &rejected);
    cr_assert_eq(rejected, 0, "a test row was rejected");
    fx->people = nl_matrix_people(fx->m, &fx->count);
    cr_assert_eq(nl_calibration_compute(fx->fw, fx->m, &fx->c), NL_OK);
}

static void fx_close(fixture *fx)
{
    nl_calibration_free(fx->c);
    nl_matrix_free(fx->m);
    nl_framework_free(fx->fw);
    nl_test_remove(fx->ini_path);
    nl_test_remove(fx->csv_path);
    memset(fx, 0, sizeof *fx);
}

static const nl_manager_calibration *manager(const fixture *fx, const char *name)
{
    for (size_t j = 0; j < fx->c->count; j++) {
        if (strcmp(fx->c->managers[j].manager, name) == 0)
            return &fx->c->managers[j];
    }
    cr_assert_fail("no manager '%s'", name);
    return NULL;
}

static size_t person_index(const fixture *fx, const char *id)
{
    for (size_t i = 0; i < fx->count; i++) {
        if (strcmp(fx->people[i].id, id) == 0)
            return i;
    }
    cr_assert_fail("no person '%s'", id);
    return 0;
}

static size_t skill(const fixture *fx, const char *id)
{
    size_t s;
    cr_assert(nl_framework_find_skill(fx->fw, id, &s), "no skill %s", id);
    return s;
}

/* Asserts people, rated, mean gap, offset, z, flag and adjustment of one manager (NAN: must be
 * NAN). */
static void expect_manager(const fixture *fx, const char *name, size_t people, size_t rated,
                           double mean_gap, double offset, double z, nl_rater_flag flag,
                           double adjustment)
{
    const nl_manager_calibration *mc = manager(fx, name);
    cr_assert_eq(mc->people, people, "%s: %zu people, expected %zu", name, mc->people, people);
    cr_assert_eq(mc->rated, rated, "%s: %zu rated, expected %zu", name, mc->rated, rated);
    const double got[] = {mc->mean_gap, mc->offset, mc->z, mc->adjustment};
    const double want[] = {mean_gap, offset, z, adjustment};
    static const char *const what[] = {"mean gap", "offset", "z", "adjustment"};
    for (int i = 0; i < 4; i++) {
        if (isnan(want[i]))
            cr_assert(isnan(got[i]), "%s: %s %.9g, expected none", name, what[i], got[i]);
        else
            cr_assert_float_eq(got[i], want[i], 1e-5, "%s: %s %.9g, expected %.9g", name, what[i],
                               got[i], want[i]);
    }
    cr_assert_eq(mc->flag, flag, "%s: flag '%s', expected '%s' (z %.6f)", name,
                 nl_rater_flag_name(mc->flag), nl_rater_flag_name(flag), mc->z);
}

/* ---- 1. the organisation ---- */

Test(calibration, organisation_mean_and_population_sd)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    /* 21 people, of whom CB7 (nothing assessed) has no gap: 20 rated. */
    cr_assert_eq(fx.count, 21);
    cr_assert_eq(fx.c->rated, 20);
    /* M = 2.5 / 20 = 0.125 (table at the top). */
    cr_assert_float_eq(fx.c->mean_gap, 0.125, 1e-12);
    /* Population SD sqrt(15.5625 / 20) = 0.882114; not the sample SD 0.905035. */
    cr_assert_float_eq(fx.c->sd, sqrt(0.778125), 1e-12);
    cr_assert_float_eq(fx.c->sd, ORG_SD, 1e-9);
    fx_close(&fx);
}

Test(calibration, managers_are_ranked_by_effect_and_count_people_and_rated)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    /* Input order is Lena, Eve, Cruz, Diaz; by |z| (below): Eve 2.267, Lena 2.218,
     * Cruz 0.116, Diaz 0.063. */
    cr_assert_eq(fx.c->count, 4);
    static const char *const order[] = {"Eve Stone", "Lena Moss", "Cruz Bell", "Diaz Ford"};
    static const size_t people[] = {4, 5, 7, 5}, rated[] = {4, 5, 6, 5};
    for (size_t j = 0; j < 4; j++) {
        cr_assert_str_eq(fx.c->managers[j].manager, order[j]);
        /* Cruz has 7 people of whom 6 rated (CB7 is not); the others rate everyone. */
        cr_assert_eq(fx.c->managers[j].people, people[j], "%s", order[j]);
        cr_assert_eq(fx.c->managers[j].rated, rated[j], "%s", order[j]);
    }
    /* manager_of: each person's index into the ranked managers. */
    cr_assert_eq(fx.c->manager_of[person_index(&fx, "LM1")], 1); /* Lena is second */
    cr_assert_eq(fx.c->manager_of[person_index(&fx, "ES4")], 0); /* Eve first */
    cr_assert_eq(fx.c->manager_of[person_index(&fx, "CB7")], 2); /* Cruz third */
    cr_assert_eq(fx.c->manager_of[person_index(&fx, "DF1")], 3); /* Diaz fourth */
    /* Two flagged (one each way), both adjusted. */
    cr_assert_eq(fx.c->lenient, 1);
    cr_assert_eq(fx.c->severe, 1);
    cr_assert_eq(fx.c->adjusted, 2);
    fx_close(&fx);
}

Test(calibration, rating_gap_is_against_the_current_level)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    /* LM3 (L1): ((4.5 - 3) + (4.5 - 3)) / 2 = 1.5 */
    cr_assert_float_eq(nl_rating_gap(fx.fw, &fx.people[person_index(&fx, "LM3")]), 1.5, 1e-12);
    /* LM4 (L1): ((1 - 3) + (5 - 3)) / 2 = 0: a 1 and a 5 cancel. */
    cr_assert_float_eq(nl_rating_gap(fx.fw, &fx.people[person_index(&fx, "LM4")]), 0.0, 1e-12);
    /* CB4 (L1): (0.5 + 0) / 2 = 0.25 */
    cr_assert_float_eq(nl_rating_gap(fx.fw, &fx.people[person_index(&fx, "CB4")]), 0.25, 1e-12);
    /* CB1 is L2 rated 4, 4: gap 0 against L2 (against L1's 3s it would be 1: seniority is not
     * leniency). */
    cr_assert_float_eq(nl_rating_gap(fx.fw, &fx.people[person_index(&fx, "CB1")]), 0.0, 1e-12);
    /* CB7: nothing assessed: no gap. */
    cr_assert(isnan(nl_rating_gap(fx.fw, &fx.people[person_index(&fx, "CB7")])));
    fx_close(&fx);
}

/* ---- 2. per manager, default settings (z_threshold 2, min_team_size 3, shrinkage 5,
 * step 0.5) ---- */

Test(calibration, lenient_manager)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    /* Lena: 5 rated, m = 1, offset 1 - 0.125 = 0.875,
     * z = 0.875 / (0.882114 / sqrt(5)) = 0.875 * 2.236068 / 0.882114 = 2.218035 >= 2: lenient;
     * a = 0.875 * 5 / (5 + 5) = 0.4375, to the step 0.5: 0.4375 / 0.5 = 0.875 -> 1 -> 0.5. */
    expect_manager(&fx, "Lena Moss", 5, 5, 1.0, 0.875, 0.875 * sqrt(5.0) / ORG_SD, NL_RATER_LENIENT,
                   0.5);
    cr_assert_float_eq(manager(&fx, "Lena Moss")->z, 2.218035, 1e-6);
    cr_assert_str_eq(nl_rater_flag_name(NL_RATER_LENIENT), "lenient");
    fx_close(&fx);
}

Test(calibration, severe_manager)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    /* Eve: 4 rated, m = -3.5 / 4 = -0.875, offset -0.875 - 0.125 = -1,
     * z = -1 / (0.882114 / sqrt(4)) = -2 / 0.882114 = -2.267281 <= -2: severe;
     * a = -1 * 4 / 9 = -0.444444 -> -0.888889 steps -> -1 -> -0.5. */
    expect_manager(&fx, "Eve Stone", 4, 4, -0.875, -1.0, -2.0 / ORG_SD, NL_RATER_SEVERE, -0.5);
    cr_assert_float_eq(manager(&fx, "Eve Stone")->z, -2.267281, 1e-6);
    cr_assert_str_eq(nl_rater_flag_name(NL_RATER_SEVERE), "severe");
    fx_close(&fx);
}

Test(calibration, typical_managers)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    /* Cruz: 7 people, 6 rated, m = 0.5 / 6 = 0.083333, offset 0.083333 - 0.125 = -0.041667,
     * z = -0.041667 * sqrt(6) / 0.882114 = -0.115702: typical;
     * a = -0.041667 * 6 / 11 = -0.022727 -> -0.045 steps -> 0 (and not -0). */
    expect_manager(&fx, "Cruz Bell", 7, 6, 0.5 / 6, 0.5 / 6 - 0.125,
                   (0.5 / 6 - 0.125) * sqrt(6.0) / ORG_SD, NL_RATER_TYPICAL, 0.0);
    cr_assert(!signbit(manager(&fx, "Cruz Bell")->adjustment), "an adjustment of -0");
    /* Diaz: 5 rated, m = 0.1, offset -0.025, z = -0.025 * sqrt(5) / 0.882114 = -0.063372;
     * a = -0.025 * 5 / 10 = -0.0125 -> 0. */
    expect_manager(&fx, "Diaz Ford", 5, 5, 0.1, -0.025, -0.025 * sqrt(5.0) / ORG_SD,
                   NL_RATER_TYPICAL, 0.0);
    cr_assert_str_eq(nl_rater_flag_name(NL_RATER_TYPICAL), "");
    fx_close(&fx);
}

Test(calibration, default_settings_without_a_section)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    /* README: min_team_size 3, z_threshold 2, shrinkage 5, step 0.5. */
    cr_assert_float_eq(fx.fw->calibration.min_team_size, 3.0, 1e-12);
    cr_assert_float_eq(fx.fw->calibration.z_threshold, 2.0, 1e-12);
    cr_assert_float_eq(fx.fw->calibration.shrinkage, 5.0, 1e-12);
    cr_assert_float_eq(fx.fw->calibration.step, 0.5, 1e-12);
    fx_close(&fx);
}

/* ---- 3. [calibration] settings ---- */

Test(calibration, z_threshold_between_the_two_flags)
{
    fixture fx;
    fx_open(&fx, NULL, "[calibration]\nz_threshold = 2.25\n", NULL);
    cr_assert_float_eq(fx.fw->calibration.z_threshold, 2.25, 1e-12);
    /* Lena's z 2.218 < 2.25: no longer flagged, so no longer adjusted (her shrunk offset
     * 0.4375 stays); Eve's -2.267 <= -2.25: still severe, still adjusted. */
    expect_manager(&fx, "Lena Moss", 5, 5, 1.0, 0.875, 0.875 * sqrt(5.0) / ORG_SD, NL_RATER_TYPICAL,
                   0.0);
    cr_assert_float_eq(manager(&fx, "Lena Moss")->shrunk, 0.4375, 1e-12);
    cr_assert_eq(manager(&fx, "Lena Moss")->reason, NL_ADJUST_NOT_FLAGGED);
    expect_manager(&fx, "Eve Stone", 4, 4, -0.875, -1.0, -2.0 / ORG_SD, NL_RATER_SEVERE, -0.5);
    fx_close(&fx);
}

Test(calibration, min_team_size_keeps_a_small_team_unflagged)
{
    fixture fx;
    fx_open(&fx, NULL, "[calibration]\nmin_team_size = 5\n", NULL);
    /* Lena has 5 rated (>= 5): lenient still; Eve has 4 < 5: not flagged although
     * z = -2.267 is past -2, so not adjusted: too few rated. */
    expect_manager(&fx, "Lena Moss", 5, 5, 1.0, 0.875, 0.875 * sqrt(5.0) / ORG_SD, NL_RATER_LENIENT,
                   0.5);
    expect_manager(&fx, "Eve Stone", 4, 4, -0.875, -1.0, -2.0 / ORG_SD, NL_RATER_TYPICAL, 0.0);
    cr_assert_eq(manager(&fx, "Eve Stone")->reason, NL_ADJUST_TOO_FEW);
    cr_assert_eq(fx.c->adjusted, 1);
    fx_close(&fx);
}

Test(calibration, no_shrinkage_adjusts_by_the_whole_offset)
{
    fixture fx;
    fx_open(&fx, NULL, "[calibration]\nshrinkage = 0\n", NULL);
    /* k = 0: a = offset, rounded to 0.5: Lena 0.875 -> 1.75 steps -> 2 -> 1.0;
     * Eve -1 -> -1.0; Cruz and Diaz are not flagged: 0. Flags unchanged. */
    cr_assert_float_eq(manager(&fx, "Lena Moss")->adjustment, 1.0, 1e-12);
    cr_assert_float_eq(manager(&fx, "Eve Stone")->adjustment, -1.0, 1e-12);
    cr_assert_float_eq(manager(&fx, "Cruz Bell")->adjustment, 0.0, 1e-12);
    cr_assert_float_eq(manager(&fx, "Diaz Ford")->adjustment, 0.0, 1e-12);
    cr_assert_eq(manager(&fx, "Lena Moss")->flag, NL_RATER_LENIENT);
    fx_close(&fx);
}

Test(calibration, step_zero_leaves_adjustments_unrounded)
{
    fixture fx;
    fx_open(&fx, NULL, "[calibration]\nstep = 0\n", NULL);
    /* Lena 0.875 * 5 / 10 = 0.4375; Eve -1 * 4 / 9 = -0.444444. Cruz and Diaz are not
     * flagged: their shrunk offsets -0.041667 * 6 / 11 = -0.022727 and -0.025 * 5 / 10 =
     * -0.0125 are not applied. */
    cr_assert_float_eq(manager(&fx, "Lena Moss")->adjustment, 0.4375, 1e-9);
    cr_assert_float_eq(manager(&fx, "Eve Stone")->adjustment, -4.0 / 9.0, 1e-9);
    cr_assert_float_eq(manager(&fx, "Cruz Bell")->shrunk, (0.5 / 6 - 0.125) * 6 / 11, 1e-9);
    cr_assert_float_eq(manager(&fx, "Cruz Bell")->adjustment, 0.0, 1e-12);
    cr_assert_float_eq(manager(&fx, "Diaz Ford")->shrunk, -0.0125, 1e-9);
    cr_assert_float_eq(manager(&fx, "Diaz Ford")->adjustment, 0.0, 1e-12);
    fx_close(&fx);
}

Test(calibration, another_step_rounds_to_its_multiples)
{
    fixture fx;
    fx_open(&fx, NULL, "[calibration]\nstep = 0.2\nshrinkage = 5\n", NULL);
    /* Lena 0.4375 / 0.2 = 2.1875 -> 2 -> 0.4; Eve -0.444444 / 0.2 = -2.2222 -> -2 -> -0.4
     * (with the default 0.5 both would be +-0.5). */
    cr_assert_float_eq(manager(&fx, "Lena Moss")->adjustment, 0.4, 1e-9);
    cr_assert_float_eq(manager(&fx, "Eve Stone")->adjustment, -0.4, 1e-9);
    fx_close(&fx);
}

/* ---- 4. small teams, no manager, nobody rated ---- */

/* Three skills: c is expected at L2 only, so a person assessed on c alone has no gap at L1. */
static const char small_template[] = "[framework]\nname = Small teams\nscale = 1..5\n"
                                     "[skill a]\nname = A\nfamily = technical\n"
                                     "[skill b]\nname = B\nfamily = soft\n"
                                     "[skill c]\nname = C\nfamily = technical\n"
                                     "[level L1]\ntitle = One\nnext = L2\nexpectations = a:3, b:3\n"
                                     "[level L2]\ntitle = Two\nexpectations = a:4, b:4, c:4\n"
                                     "[priorities even]\ntechnical = 1\nsoft = 1\n"
                                     "[gate bar]\nkind = meets_expectations\nseverity = hard\n";

/* gaps: Z1, Z2 2 (5 - 3 on both); A1..A6 0; N1 (no manager) 0.5; U1 none (only c, which L1
 * does not expect). 9 rated, sum 4 + 0 + 0.5 = 4.5, M = 0.5.
 * Squared deviations: Zed 1.5^2 * 2 = 4.5, Ann 0.5^2 * 6 = 1.5, N1 0: total 6;
 * SD = sqrt(6 / 9) = 0.816497. */
static const char small_matrix[] = "id,manager,level,a,b,c\n"
                                   "Z1,Zed Tiny,L1,5,5,\n"
                                   "Z2,Zed Tiny,L1,5,5,\n"
                                   "A1,Ann Base,L1,3,3,\n"
                                   "A2,Ann Base,L1,3,3,\n"
                                   "A3,Ann Base,L1,3,3,\n"
                                   "A4,Ann Base,L1,3,3,\n"
                                   "A5,Ann Base,L1,3,3,\n"
                                   "A6,Ann Base,L1,3,3,\n"
                                   "N1,,L1,3.5,3.5,\n"
                                   "U1,Uma Void,L1,,,4\n";

Test(calibration, small_team_no_manager_and_nobody_rated)
{
    fixture fx;
    fx_open(&fx, small_template, NULL, small_matrix);
    cr_assert_eq(fx.c->rated, 9);
    cr_assert_float_eq(fx.c->mean_gap, 0.5, 1e-12);
    cr_assert_float_eq(fx.c->sd, sqrt(6.0 / 9.0), 1e-12);
    /* By |z|: Zed 2.598, Ann 1.5, "(no manager)" 0, and Uma (nobody rated) last. */
    cr_assert_eq(fx.c->count, 4);
    cr_assert_str_eq(fx.c->managers[0].manager, "Zed Tiny");
    cr_assert_str_eq(fx.c->managers[1].manager, "Ann Base");
    cr_assert_str_eq(fx.c->managers[2].manager, "(no manager)");
    cr_assert_str_eq(fx.c->managers[3].manager, "Uma Void");
    /* Zed: 2 rated, m = 2, offset 1.5, z = 1.5 * sqrt(2) / 0.816497 = 2.598076 >= 2 but
     * 2 < min_team_size 3: not flagged, so not adjusted (the shrunk offset 1.5 * 2 / 7 =
     * 0.428571 would round to 0.5): too few rated. */
    expect_manager(&fx, "Zed Tiny", 2, 2, 2.0, 1.5, 1.5 * sqrt(2.0) / sqrt(6.0 / 9.0),
                   NL_RATER_TYPICAL, 0.0);
    cr_assert_float_eq(manager(&fx, "Zed Tiny")->z, 2.598076, 1e-6);
    cr_assert_float_eq(manager(&fx, "Zed Tiny")->shrunk, 1.5 * 2 / 7, 1e-12);
    cr_assert_eq(manager(&fx, "Zed Tiny")->reason, NL_ADJUST_TOO_FEW);
    /* Ann: 6 rated, m = 0, offset -0.5, z = -0.5 * sqrt(6) / 0.816497 = -1.5: typical, not
     * adjusted (the shrunk -0.272727 would round to -0.5: an offset within chance). */
    expect_manager(&fx, "Ann Base", 6, 6, 0.0, -0.5, -1.5, NL_RATER_TYPICAL, 0.0);
    cr_assert_eq(manager(&fx, "Ann Base")->reason, NL_ADJUST_NOT_FLAGGED);
    /* (no manager): N1 alone, m = 0.5 = M: offset 0, z 0, a 0. */
    expect_manager(&fx, "(no manager)", 1, 1, 0.5, 0.0, 0.0, NL_RATER_TYPICAL, 0.0);
    cr_assert_eq(fx.c->adjusted, 0);
    /* Uma: one person, assessed on c only, which L1 does not expect: no gap, nobody rated;
     * mean, offset and z are none; the adjustment is 0. */
    cr_assert(isnan(nl_rating_gap(fx.fw, &fx.people[person_index(&fx, "U1")])));
    expect_manager(&fx, "Uma Void", 1, 0, NAN, NAN, NAN, NL_RATER_TYPICAL, 0.0);
    cr_assert_eq(manager(&fx, "Uma Void")->reason, NL_ADJUST_NOBODY_RATED);
    fx_close(&fx);
}

Test(calibration, a_lower_min_team_size_flags_the_small_team)
{
    fixture fx;
    fx_open(&fx, small_template, "[calibration]\nmin_team_size = 2\n", small_matrix);
    /* Zed: 2 rated >= 2 and z 2.598 >= 2: lenient now, and adjusted by 0.5. */
    cr_assert_eq(manager(&fx, "Zed Tiny")->flag, NL_RATER_LENIENT);
    cr_assert_float_eq(manager(&fx, "Zed Tiny")->adjustment, 0.5, 1e-12);
    cr_assert_eq(manager(&fx, "Zed Tiny")->reason, NL_ADJUST_FLAGGED);
    /* Ann's z -1.5 is inside +-2 whatever the team size. */
    cr_assert_eq(manager(&fx, "Ann Base")->flag, NL_RATER_TYPICAL);
    fx_close(&fx);
}

Test(calibration, everyone_alike_gives_no_spread_and_no_flag)
{
    fixture fx;
    fx_open(&fx, small_template, NULL,
            "id,manager,level,a,b\n"
            "P1,Kim,L1,4,4\nP2,Kim,L1,4,4\nP3,Kim,L1,4,4\n"
            "P4,Lee,L1,4,4\nP5,Lee,L1,4,4\nP6,Lee,L1,4,4\n");
    /* Every gap 1: M = 1, SD = 0; offsets 0, so z is 0 (not a division by zero) and
     * nobody is flagged or adjusted. */
    cr_assert_float_eq(fx.c->mean_gap, 1.0, 1e-12);
    cr_assert_float_eq(fx.c->sd, 0.0, 1e-12);
    expect_manager(&fx, "Kim", 3, 3, 1.0, 0.0, 0.0, NL_RATER_TYPICAL, 0.0);
    expect_manager(&fx, "Lee", 3, 3, 1.0, 0.0, 0.0, NL_RATER_TYPICAL, 0.0);
    fx_close(&fx);
}

Test(calibration, a_z_exactly_at_the_threshold_is_flagged)
{
    fixture fx;
    /* Two teams of 4, rated 3.1 and 2.8 on both skills at L1: gaps 0.1 and -0.2;
     * M = (4 * 0.1 - 4 * 0.2) / 8 = -0.05; every deviation is +-0.15, so SD = 0.15;
     * z = +-0.15 / (0.15 / sqrt(4)) = +-2 exactly: "lenient when z >= 2", "severe when
     * z <= -2". In floating point the division gives 1.9999999999999996: like every other
     * threshold, it must allow for the rounding. */
    fx_open(&fx, NULL, NULL,
            "id,manager,level,a,b\n"
            "H1,Hi,L1,3.1,3.1\nH2,Hi,L1,3.1,3.1\nH3,Hi,L1,3.1,3.1\nH4,Hi,L1,3.1,3.1\n"
            "L1,Lo,L1,2.8,2.8\nL2,Lo,L1,2.8,2.8\nL3,Lo,L1,2.8,2.8\nL4,Lo,L1,2.8,2.8\n");
    cr_assert_float_eq(fx.c->mean_gap, -0.05, 1e-12);
    cr_assert_float_eq(fx.c->sd, 0.15, 1e-12);
    /* a = +-0.15 * 4 / 9 = +-0.0667 -> 0 at the step 0.5: flagged, yet not adjusted, and
     * the reason says so. */
    expect_manager(&fx, "Hi", 4, 4, 0.1, 0.15, 2.0, NL_RATER_LENIENT, 0.0);
    expect_manager(&fx, "Lo", 4, 4, -0.2, -0.15, -2.0, NL_RATER_SEVERE, 0.0);
    cr_assert_eq(manager(&fx, "Hi")->reason, NL_ADJUST_UNDER_A_STEP);
    cr_assert_eq(fx.c->adjusted, 0);
    /* The bars of the z distribution (width 0.5) put both flags past the threshold: Lo in
     * (-2.5, -2], Hi in [2, 2.5), though their z is 2 only up to rounding. */
    cr_assert_eq(fx.c->bin_count, 10);
    cr_assert_float_eq(fx.c->bins[0].from, -2.5, 1e-12);
    cr_assert_eq(fx.c->bins[0].severe, 1);
    cr_assert_float_eq(fx.c->bins[9].from, 2.0, 1e-12);
    cr_assert_eq(fx.c->bins[9].lenient, 1);
    char why[160];
    nl_adjust_reason_text(&fx.fw->calibration, manager(&fx, "Hi"), why, sizeof why);
    cr_assert(strstr(why, "not adjusted: flagged") == why, "%s", why);
    fx_close(&fx);
}

/* ---- 5. calibrated scores and outcomes ---- */

/* Asserts the calibrated scores of a (want_a, want_b; NAN: not assessed). */
static void expect_scores(const fixture *fx, const char *id, double want_a, double want_b)
{
    double adjusted[2] = {0, 0};
    cr_assert_eq(fx->fw->skill_count, 2);
    size_t i = person_index(fx, id);
    nl_calibrated_scores(fx->fw, fx->c, i, &fx->people[i], adjusted);
    const double want[2] = {want_a, want_b};
    const size_t skills[2] = {skill(fx, "a"), skill(fx, "b")};
    for (int k = 0; k < 2; k++) {
        if (isnan(want[k]))
            cr_assert(isnan(adjusted[skills[k]]), "%s: %g, expected not assessed", id,
                      adjusted[skills[k]]);
        else
            cr_assert_float_eq(adjusted[skills[k]], want[k], 1e-12, "%s skill %d: %g, expected %g",
                               id, k, adjusted[skills[k]], want[k]);
    }
}

Test(calibration, calibrated_scores_subtract_the_adjustment_within_the_scale)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    /* Lena's people lose 0.5: LM1 4, 4 -> 3.5, 3.5; LM3 4.5, 4.5 -> 4, 4. */
    expect_scores(&fx, "LM1", 3.5, 3.5);
    expect_scores(&fx, "LM3", 4.0, 4.0);
    /* LM4 1, 5 -> 0.5 kept at the scale's 1, and 4.5. */
    expect_scores(&fx, "LM4", 1.0, 4.5);
    /* Eve's people gain 0.5: ES1 3.5, 3.5 -> 4, 4; ES2 5, 1 -> 5.5 kept at 5, and 1.5. */
    expect_scores(&fx, "ES1", 4.0, 4.0);
    expect_scores(&fx, "ES2", 5.0, 1.5);
    /* Cruz's adjustment is 0: CB4 unchanged; CB7 not assessed stays not assessed. */
    expect_scores(&fx, "CB4", 3.5, 3.0);
    expect_scores(&fx, "CB7", NAN, NAN);
    fx_close(&fx);
}

Test(calibration, calibrated_scores_of_a_manager_nobody_rated_are_unchanged)
{
    fixture fx;
    fx_open(&fx, small_template, NULL, small_matrix);
    /* U1's manager has no mean gap; the adjustment is 0: c stays 4, a and b not assessed. */
    double adjusted[3];
    size_t i = person_index(&fx, "U1");
    nl_calibrated_scores(fx.fw, fx.c, i, &fx.people[i], adjusted);
    cr_assert(isnan(adjusted[skill(&fx, "a")]) && isnan(adjusted[skill(&fx, "b")]));
    cr_assert_float_eq(adjusted[skill(&fx, "c")], 4.0, 1e-12);
    /* Z1 5, 5 under Zed (unflagged: too few rated): unchanged, 5, 5. */
    i = person_index(&fx, "Z1");
    nl_calibrated_scores(fx.fw, fx.c, i, &fx.people[i], adjusted);
    cr_assert_float_eq(adjusted[skill(&fx, "a")], 5.0, 1e-12);
    cr_assert_float_eq(adjusted[skill(&fx, "b")], 5.0, 1e-12);
    fx_close(&fx);
}

/* Asserts the raw and calibrated outcome and readiness of a person (readiness NAN: none). */
static void expect_calibrated(const fixture *fx, const nl_evaluator *ev, const char *id,
                              nl_outcome raw, nl_outcome calibrated, double readiness)
{
    size_t i = person_index(fx, id);
    nl_person_result r;
    cr_assert_eq(nl_evaluate_person(ev, &fx->people[i], &r), NL_OK);
    cr_assert_eq(r.outcome, raw, "%s raw: %s", id, nl_outcome_name(r.outcome));
    nl_person_result_clear(&r);
    nl_outcome got = NL_TOP_OF_LADDER;
    double score = -1;
    cr_assert_eq(nl_evaluate_calibrated(ev, fx->c, i, &fx->people[i], &got, &score), NL_OK);
    cr_assert_eq(got, calibrated, "%s calibrated: %s, expected %s", id, nl_outcome_name(got),
                 nl_outcome_name(calibrated));
    if (isnan(readiness))
        cr_assert(isnan(score), "%s: calibrated readiness %g, expected none", id, score);
    else
        cr_assert_float_eq(score, readiness, 1e-9, "%s: calibrated readiness %g, expected %g", id,
                           score, readiness);
}

Test(calibration, evaluate_calibrated_gives_the_outcome_of_the_adjusted_scores)
{
    fixture fx;
    fx_open(&fx, NULL, NULL, NULL);
    nl_evaluator *ev = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_evaluator_new(fx.fw, NULL, NULL, &ev, &err), NL_OK);
    /* R = 100 * (min(a / 4, 1) + min(b / 4, 1)) / 2 against L2.
     * LM1 4, 4 is Ready now; calibrated 3.5, 3.5 fails the bar: Developing,
     * R = 100 * (0.875 + 0.875) / 2 = 87.5. */
    expect_calibrated(&fx, ev, "LM1", NL_READY_NOW, NL_DEVELOPING, 87.5);
    /* LM3 4.5, 4.5 -> 4, 4: still Ready now, R = 100. */
    expect_calibrated(&fx, ev, "LM3", NL_READY_NOW, NL_READY_NOW, 100.0);
    /* LM4 1, 5 -> 1, 4.5: Developing, R = 100 * (0.25 + 1) / 2 = 62.5. */
    expect_calibrated(&fx, ev, "LM4", NL_DEVELOPING, NL_DEVELOPING, 62.5);
    /* ES1 3.5, 3.5 is Developing; calibrated 4, 4: Ready now, R = 100. (With the unrounded
     * -0.444 it would be 3.944 and stay Developing.) */
    expect_calibrated(&fx, ev, "ES1", NL_DEVELOPING, NL_READY_NOW, 100.0);
    /* ES2 5, 1 -> 5, 1.5: Developing, R = 100 * (1 + 0.375) / 2 = 68.75. */
    expect_calibrated(&fx, ev, "ES2", NL_DEVELOPING, NL_DEVELOPING, 68.75);
    /* DF1 4, 3, adjustment 0: Developing, R = 100 * (1 + 0.75) / 2 = 87.5 as raw. */
    expect_calibrated(&fx, ev, "DF1", NL_DEVELOPING, NL_DEVELOPING, 87.5);
    /* CB1 is at the top: Top of ladder, no readiness. CB7: nothing assessed, Not evaluated;
     * R over no skill is none. */
    expect_calibrated(&fx, ev, "CB1", NL_TOP_OF_LADDER, NL_TOP_OF_LADDER, NAN);
    expect_calibrated(&fx, ev, "CB7", NL_NOT_EVALUATED, NL_NOT_EVALUATED, NAN);
    nl_evaluator_free(ev);
    fx_close(&fx);
}

Test(calibration, settings_out_of_range_are_template_errors)
{
    static const char *const bad[] = {
        "[calibration]\nmin_team_size = 0\n", "[calibration]\nz_threshold = 0\n",
        "[calibration]\nshrinkage = -1\n", "[calibration]\nstep = -0.5\n",
        "[calibration]\nsteps = 0.5\n"};
    char *base = nl_test_read_file(nl_test_path(ORG_TEMPLATE), NULL);
    cr_assert_not_null(base);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t len = strlen(base) + strlen(bad[i]) + 2;
        char *text = malloc(len);
        snprintf(text, len, "%s\n%s", base, bad[i]);
        char *path = nl_test_write_temp(".ini", text, strlen(text));
        nl_framework *fw = NULL;
        nl_error err = {0};
        /* min_team_size >= 1, z_threshold >= 0.1, shrinkage >= 0, step >= 0, known keys. */
        cr_assert_eq(nl_framework_load(path, &fw, &err), NL_ERR_TEMPLATE, "accepted: %s", bad[i]);
        nl_framework_free(fw);
        nl_test_remove(path);
        free(text);
    }
    free(base);
}
