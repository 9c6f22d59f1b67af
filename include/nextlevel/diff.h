#ifndef NEXTLEVEL_DIFF_H
#define NEXTLEVEL_DIFF_H

#include "nextlevel/error.h"

#include <stddef.h>
#include <stdio.h>

/* `nextlevel diff OLD.json NEW.json`: who changed outcome between two result files (written by
 * `evaluate --format json`), and which gates and scores changed with it, in words. */

typedef struct nl_diff_counts {
    size_t changed, unchanged, added, left;
} nl_diff_counts;

/* Reads both files (with jansson) and prints the differences to out. Returns NL_ERR_IO for a
 * file that cannot be read, NL_ERR_INPUT for one that is not a nextlevel result file (err
 * names the file, and the line and column of a JSON syntax error), NL_ERR_NOMEM. */
nl_status nl_diff_results(const char *old_path, const char *new_path, FILE *out,
                          nl_diff_counts *counts, nl_error *err);

#endif
