#include "eval_fixture.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

void nl_test_fx_open(nl_test_fixture *fx, const char *ini, const char *csv, const char *profile,
                     const char *weights)
{
    nl_error err = {0};
    memset(fx, 0, sizeof *fx);
    fx->ini_path = nl_test_write_temp(".ini", ini, strlen(ini));
    fx->csv_path = nl_test_write_temp(".csv", csv, strlen(csv));
    cr_assert(fx->ini_path != NULL && fx->csv_path != NULL);
    nl_status status = nl_framework_load(fx->ini_path, &fx->fw, &err);
    cr_assert_eq(status, NL_OK, "test template refused: line %ld: %s", err.line, err.message);
    fx->m = nl_matrix_new(fx->fw);
    cr_assert_not_null(fx->m);
    status = nl_matrix_read_file(fx->m, fx->csv_path, 0, &err);
    cr_assert_eq(status, NL_OK, "test matrix refused: %s", err.message);
    size_t rejected;
    const nl_rejection *rejections = nl_matrix_rejections(fx->m, &rejected);
    cr_assert_eq(rejected, 0, "test row rejected: line %ld: %s", rejections[0].line,
                 rejections[0].reason);
    status = nl_evaluator_new(fx->fw, profile, weights, &fx->ev, &err);
    cr_assert_eq(status, NL_OK, "evaluator refused: %s", err.message);
    fx->people = nl_matrix_people(fx->m, &fx->count);
    fx->results = calloc(fx->count ? fx->count : 1, sizeof *fx->results);
    cr_assert_not_null(fx->results);
    for (size_t i = 0; i < fx->count; i++)
        cr_assert_eq(nl_evaluate_person(fx->ev, &fx->people[i], &fx->results[i]), NL_OK);
}

void nl_test_fx_close(nl_test_fixture *fx)
{
    for (size_t i = 0; i < fx->count; i++)
        nl_person_result_clear(&fx->results[i]);
    free(fx->results);
    nl_evaluator_free(fx->ev);
    nl_matrix_free(fx->m);
    nl_framework_free(fx->fw);
    nl_test_remove(fx->ini_path);
    nl_test_remove(fx->csv_path);
    memset(fx, 0, sizeof *fx);
}

const nl_person_result *nl_test_fx_person(const nl_test_fixture *fx, const char *id)
{
    for (size_t i = 0; i < fx->count; i++) {
        if (strcmp(fx->people[i].id, id) == 0)
            return &fx->results[i];
    }
    cr_assert_fail("no person '%s' in the test matrix", id);
    return NULL;
}

const nl_track_result *nl_test_fx_track(const nl_test_fixture *fx, const char *id)
{
    const nl_track_result *t = nl_person_result_track(nl_test_fx_person(fx, id));
    cr_assert_not_null(t, "%s has no track", id);
    return t;
}
