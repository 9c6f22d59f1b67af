#ifndef NEXTLEVEL_INPUTS_H
#define NEXTLEVEL_INPUTS_H

#include "nextlevel/error.h"

#include <stdbool.h>
#include <stddef.h>

/* What the expansion left out, for the run to mention: hidden CSV files of the folders read
 * (".name.csv", skipped); paths that name a file already taken (given twice, or a file and
 * its folder), read once; *.csv entries of a folder that are not regular files (a pipe, socket
 * or device: reading one could block or never end), as "PATH (a pipe)"; and the folders
 * holding CSV files or sub-folders whose path is PATH_MAX bytes or longer (the system opens no
 * such path), with how many entries each. New strings and arrays; nl_input_notes_clear frees
 * them. */
typedef struct nl_input_notes {
    char **hidden;
    size_t hidden_count;
    char **repeated;
    size_t repeated_count;
    char **special;
    size_t special_count;
    char **long_folders;
    size_t *long_counts; /* entries left out of each long_folders[i] */
    size_t long_folder_count;
} nl_input_notes;

/* The MATRIX operands of the command line turned into the files to read: a file stays as
 * given, "-" (standard input) stays, a folder gives its *.csv files (any case of the
 * extension, hidden ones left out) in natural order (case-insensitive, numbers by value:
 * file2 before file10, a_file before B_file), and with recursive, then the files of its
 * sub-folders, folder by folder in that order. A folder gives regular files only (and links to
 * them); an operand that is a device or a socket is refused (NL_ERR_INPUT), a pipe is kept. A file
 * met a second time (same device and inode) is dropped and noted. *paths is a new array of new
 * strings (nl_free_strings); notes (may be NULL) is filled only on NL_OK. Returns NL_ERR_IO naming
 * an operand that does not exist or a folder that cannot be read, NL_ERR_INPUT for a folder with no
 * CSV file, NL_ERR_NOMEM. */
nl_status nl_inputs_expand(char *const *operands, size_t count, bool recursive, char ***paths,
                           size_t *path_count, nl_input_notes *notes, nl_error *err);

/* Frees the notes' strings and empties them. */
void nl_input_notes_clear(nl_input_notes *notes);

/* Natural, case-insensitive order of two names: <0, 0 or >0 (0 only for equal strings). */
int nl_natural_compare(const char *a, const char *b);

#endif
