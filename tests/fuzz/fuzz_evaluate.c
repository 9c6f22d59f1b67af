/* libFuzzer target: the whole evaluate path from bytes to in-memory reports: the bytes as a
 * matrix for the engineering template, every person evaluated under its profiles with plans
 * and trend against the same matrix, calibration computed, and the CSV and JSON outputs
 * written to memory. Must never crash, leak or hang. */
#include "nextlevel/review.h"
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
    nl_review *review = NULL;
    nl_review_inputs inputs = {.ev = evaluator, .m = m, .previous = m, .calibrate = true};
    if (nl_review_build(&inputs, &review, &err) == NL_OK) {
        nl_machine_options options = {0};
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        if (out != NULL) {
            nl_write_results_csv(out, review, &options);
            nl_write_results_json(out, review, &options);
            nl_write_rejections_csv(out, review, NL_DIALECT_EXCEL_EU);
            for (int t = 0; t < NL_CSV_TABLE_COUNT; t++)
                if (nl_csv_table_present(review, (nl_csv_table)t))
                    nl_write_csv_table(out, review, (nl_csv_table)t, NL_DIALECT_EXCEL_EU);
            fclose(out);
        }
        free(text);
    }
    nl_review_free(review);
    nl_matrix_free(m);
    return 0;
}
