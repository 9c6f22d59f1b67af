#ifndef NEXTLEVEL_PACKS_H
#define NEXTLEVEL_PACKS_H

#include "nextlevel/matrix.h"

#include <stdbool.h>
#include <stddef.h>

/* Per-team and per-manager packs: the people grouped by a field, and a safe file name for
 * each group. */

typedef enum nl_split_by { NL_SPLIT_TEAM, NL_SPLIT_MANAGER } nl_split_by;

typedef struct nl_group {
    const char *name; /* borrowed from a person; "(no team)" / "(no manager)" when empty */
    char *file_name;  /* owned: safe, unique among the groups, ends in .xlsx */
    size_t *people;   /* owned: indices into the matrix, in input order */
    size_t count;
} nl_group;

/* Groups the matrix's people by team or manager, sorted by group name. Returns false when out
 * of memory. */
bool nl_groups_make(const nl_matrix *m, nl_split_by split, nl_group **groups, size_t *count);

/* Frees groups made by nl_groups_make. */
void nl_groups_free(nl_group *groups, size_t count);

/* A file name for a group that can never leave its folder: path separators, control
 * characters, NUL and the characters Windows forbids become '_'; leading dots and spaces are
 * dropped; reserved device names (CON, NUL, COM1, ...) get a leading '_'; at most 100 bytes
 * (whole UTF-8 characters); never empty. Writes into out (at least 128 bytes), without an
 * extension. */
void nl_safe_file_name(const char *name, char *out, size_t size);

#endif
