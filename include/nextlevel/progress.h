#ifndef NEXTLEVEL_PROGRESS_H
#define NEXTLEVEL_PROGRESS_H

#include <stddef.h>

/* Progress of a long run: the library calls back now and then with the phase ("reading",
 * "evaluating", "writing"), how much is done and the total (0 when not known). What to show,
 * and whether to show anything, is the caller's business. */
typedef void (*nl_progress_fn)(void *data, const char *phase, size_t done, size_t total);

typedef struct nl_progress {
    nl_progress_fn fn;
    void *data;
} nl_progress;

/* Calls the callback, if there is one. */
void nl_progress_report(const nl_progress *progress, const char *phase, size_t done, size_t total);

#endif
