/* libFuzzer target: the whole evaluate path from bytes to in-memory reports: the bytes as a
 * matrix for the engineering template, every person evaluated under its profiles with plans
 * and trend against the same matrix, calibration computed, and the CSV and JSON outputs
 * written to memory. Must never crash, leak or hang. */
#include "nextlevel/calibration.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"
#include "nextlevel/report_machine.h"
#include "nextlevel/trend.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static nl_framework *framework;
static nl_evaluator *evaluator;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nl_error err;
    if (nl_framework_load(NL_SOURCE_DIR "/templates/engineering-ic.ini", &framework, &err) !=
            NL_OK ||
        nl_evaluator_new(framework, NULL, NULL, &evaluator, &err) != NL_OK)
        abort(); /* the harness itself is broken, not the code under test */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nl_matrix *m = nl_matrix_new(framework);
    nl_matrix_reader *reader;
    nl_error err;
    if (m == NULL || nl_matrix_begin(m, "fuzz.csv", 0, &reader, &err) != NL_OK) {
        nl_matrix_free(m);
        return 0;
    }
    if (nl_matrix_feed(reader, (const char *)data, size, &err) != NL_OK) {
        nl_matrix_abort(reader);
        nl_matrix_free(m);
        return 0;
    }
    if (nl_matrix_finish(reader, &err) != NL_OK) {
        nl_matrix_free(m);
        return 0;
    }
    nl_calibration *calibration = NULL;
    nl_history history = {evaluator, m};
    if (nl_calibration_compute(framework, m, &calibration) == NL_OK) {
        nl_run_context run = {.history = &history, .calibration = calibration};
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        nl_outcome_counts counts;
        if (out != NULL) {
            nl_write_results_csv(out, evaluator, m, &run, &counts);
            nl_write_results_json(out, evaluator, m, &run, &counts);
            nl_write_rejections_csv(out, m);
            fclose(out);
        }
        free(text);
    }
    nl_calibration_free(calibration);
    nl_matrix_free(m);
    return 0;
}
