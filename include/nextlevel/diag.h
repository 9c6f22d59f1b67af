#ifndef NEXTLEVEL_DIAG_H
#define NEXTLEVEL_DIAG_H

#include "nextlevel/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A list of findings about a file (template errors and lint warnings), kept in the order found
 * so that `check` can print them all, not only the first. */

typedef enum nl_diag_severity { NL_DIAG_ERROR, NL_DIAG_WARNING } nl_diag_severity;

typedef struct nl_diag {
    nl_diag_severity severity;
    char *path; /* owned */
    long line;  /* 0 when the finding is about the file as a whole */
    long column;
    char *message; /* owned */
} nl_diag;

typedef struct nl_diag_list {
    nl_diag *items;
    size_t count, cap;
    size_t errors;
    bool out_of_memory; /* a finding could not be stored */
} nl_diag_list;

/* Adds a finding; on out of memory the finding is dropped and out_of_memory set. */
void nl_diag_add(nl_diag_list *list, nl_diag_severity severity, const char *path, long line,
                 long column, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Frees what the list holds (not the list itself, which callers embed). */
void nl_diag_list_clear(nl_diag_list *list);

/* Prints one finding as `path:line: error: message`. */
void nl_diag_print(const nl_diag *diag, FILE *stream);

/* Fills err from the first error of the list, with the given status; returns the status. */
nl_status nl_diag_first_error(const nl_diag_list *list, nl_status status, nl_error *err);

#endif
