/* libFuzzer target: any bytes as a skill-matrix CSV (wide or long, by its header) for the
 * engineering template, fed in two pieces split where the input's first byte says, so that
 * buffer boundaries are explored too. Must never crash, leak or hang. */
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static nl_framework *framework;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nl_error err;
    if (nl_framework_load(NL_SOURCE_DIR "/templates/engineering-ic.ini", &framework, &err) != NL_OK)
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
    size_t split = size > 0 ? data[0] % (size + 1) : 0;
    if (nl_matrix_feed(reader, (const char *)data, split, &err) != NL_OK ||
        nl_matrix_feed(reader, (const char *)data + split, size - split, &err) != NL_OK)
        nl_matrix_abort(reader);
    else
        nl_matrix_finish(reader, &err);
    nl_matrix_free(m);
    return 0;
}
