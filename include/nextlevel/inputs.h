#ifndef NEXTLEVEL_INPUTS_H
#define NEXTLEVEL_INPUTS_H

#include "nextlevel/error.h"

#include <stdbool.h>
#include <stddef.h>

/* What the expansion left out, for the run to mention: hidden CSV files of the folders read
 * (".name.csv", skipped), and paths that name a file already taken (given twice, or a file and
 * its folder), read once. New strings; nl_input_notes_clear frees them. */
typedef struct nl_input_notes {
    char **hidden;
    size_t hidden_count;
    char **repeated;
    size_t repeated_count;
} nl_input_notes;

/* The MATRIX operands of the command line turned into the files to read: a file stays as
 * given, "-" (standard input) stays, a folder gives its *.csv files (any case of the
 * extension, hidden ones left out) in natural order (case-insensitive, numbers by value:
 * file2 before file10, a_file before B_file), and with recursive, then the files of its
 * sub-folders, folder by folder in that order. A file met a second time (same device and
 * inode) is dropped and noted. *paths is a new array of new strings (nl_free_strings); notes
 * (may be NULL) is filled only on NL_OK. Returns NL_ERR_IO naming an operand that does not
 * exist or a folder that cannot be read, NL_ERR_INPUT for a folder with no CSV file,
 * NL_ERR_NOMEM. */
nl_status nl_inputs_expand(char *const *operands, size_t count, bool recursive, char ***paths,
                           size_t *path_count, nl_input_notes *notes, nl_error *err);

/* Frees the notes' strings and empties them. */
void nl_input_notes_clear(nl_input_notes *notes);

/* Natural, case-insensitive order of two names: <0, 0 or >0 (0 only for equal strings). */
int nl_natural_compare(const char *a, const char *b);

#endif
