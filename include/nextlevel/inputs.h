#ifndef NEXTLEVEL_INPUTS_H
#define NEXTLEVEL_INPUTS_H

#include "nextlevel/error.h"

#include <stdbool.h>
#include <stddef.h>

/* The MATRIX operands of the command line turned into the files to read: a file stays as
 * given, "-" (standard input) stays, a folder gives its *.csv files (any case of the
 * extension) sorted by name, and with recursive, then the files of its sub-folders, folder
 * by folder in name order. *paths is a new array of new strings (nl_free_strings). Returns
 * NL_ERR_IO naming an operand that does not exist or a folder that cannot be read,
 * NL_ERR_INPUT for a folder with no CSV file, NL_ERR_NOMEM. */
nl_status nl_inputs_expand(char *const *operands, size_t count, bool recursive, char ***paths,
                           size_t *path_count, nl_error *err);

#endif
