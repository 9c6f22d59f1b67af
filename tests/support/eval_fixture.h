#ifndef NEXTLEVEL_EVAL_FIXTURE_H
#define NEXTLEVEL_EVAL_FIXTURE_H

#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"

#include <stddef.h>

/* The evaluation fixture of the unit tests: a template and a wide CSV written to temporary
 * files, loaded, and every person evaluated. These helpers assert (they fail the running
 * Criterion test). */
typedef struct nl_test_fixture {
    char *ini_path, *csv_path;
    nl_framework *fw;
    nl_matrix *m;
    nl_evaluator *ev;
    const nl_person *people;
    size_t count;
    nl_person_result *results;
} nl_test_fixture;

/* Fills fx from the template text ini and the CSV text csv, evaluated under the priority
 * profile and weights (NULL: the template's defaults); asserts that nothing is refused or
 * rejected. Release it with nl_test_fx_close. */
void nl_test_fx_open(nl_test_fixture *fx, const char *ini, const char *csv, const char *profile,
                     const char *weights);

/* Frees everything fx holds, removes its temporary files and zeroes it. */
void nl_test_fx_close(nl_test_fixture *fx);

/* The result of the person with this id (owned by fx); asserts there is one. */
const nl_person_result *nl_test_fx_person(const nl_test_fixture *fx, const char *id);

/* The deciding track of the person with this id (owned by fx); asserts the person has one. */
const nl_track_result *nl_test_fx_track(const nl_test_fixture *fx, const char *id);

#endif
