/* libFuzzer target: `nextlevel diff` on two JSON documents from the bytes (split at the first
 * line holding only "%%": the old results, then the new). Both go to files in a scratch folder
 * (the loader reads files) and the differences are written to memory. Must never crash, leak or
 * hang; must end with one of the statuses its contract names; what it prints (through the
 * terminal stream, as the command line does) must be UTF-8 with nothing a terminal would act
 * on; its counts must add up. */
#include "fuzz_support.h"

#include "nextlevel/diff.h"
#include "nextlevel/textsafe.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_part parts[2];
    size_t count = fz_split(data, size, parts, 2);
    if (count < 2)
        return 0;
    const char *dir = fz_scratch("diff");
    char old_path[512], new_path[512];
    snprintf(old_path, sizeof old_path, "%s/old.json", dir);
    snprintf(new_path, sizeof new_path, "%s/new.json", dir);
    fz_write(dir, "old.json", parts[0].data, parts[0].size);
    fz_write(dir, "new.json", parts[1].data, parts[1].size);

    char *text = NULL;
    size_t len = 0;
    FILE *captured = open_memstream(&text, &len);
    /* As the command line writes it: through the terminal stream (names by name). */
    FILE *out = captured ? nl_terminal_stream(captured) : NULL;
    if (out == NULL)
        fz_fail("cannot capture diff's output");
    nl_diff_counts counts = {0};
    nl_error err = {0};
    nl_status status = nl_diff_results(old_path, new_path, out, &counts, &err);
    fclose(out);
    fclose(captured);
    if (status != NL_OK && status != NL_ERR_INPUT && status != NL_ERR_IO && status != NL_ERR_NOMEM)
        fz_fail("diff ended with status %d, which its contract does not name", (int)status);
    if (status != NL_OK && err.message[0] == '\0')
        fz_fail("diff failed (status %d) without a message", (int)status);
    fz_check_terminal(text, len, "diff's output");
    if (status != NL_OK) {
        /* The message quotes the file (jansson's "near '...'"): shown as the command line
         * shows it, through the terminal stream. */
        char *shown = NULL;
        size_t shown_len = 0;
        FILE *under = open_memstream(&shown, &shown_len);
        FILE *stream = under ? nl_terminal_stream(under) : NULL;
        if (stream == NULL)
            fz_fail("cannot capture diff's message");
        nl_error_print(&err, stream);
        fclose(stream);
        fclose(under);
        fz_check_terminal(shown, shown_len, "diff's message");
        free(shown);
    }
    if (status == NL_OK) {
        /* Each person of the new file is new, changed or unchanged; each counted leaver is a
         * person of the old file. */
        json_t *root = json_load_file(new_path, 0, NULL);
        json_t *old_root = json_load_file(old_path, 0, NULL);
        size_t now = json_array_size(json_object_get(root, "people"));
        size_t then = json_array_size(json_object_get(old_root, "people"));
        if (counts.added + counts.changed + counts.unchanged != now || counts.left > then)
            fz_fail("diff counted %zu new, %zu changed, %zu unchanged, %zu left of %zu people "
                    "now and %zu then",
                    counts.added, counts.changed, counts.unchanged, counts.left, now, then);
        json_decref(root);
        json_decref(old_root);
    }
    free(text);
    return 0;
}
