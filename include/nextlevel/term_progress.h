#ifndef NEXTLEVEL_TERM_PROGRESS_H
#define NEXTLEVEL_TERM_PROGRESS_H

#include "nextlevel/progress.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

/* A progress line on a terminal, fed by the library's nl_progress callbacks: shown only when
 * the stream is a terminal, and only once a run has taken more than a second, rewritten at
 * most ten times a second. The caller owns the state (no globals); the line is cleared with
 * nl_term_progress_clear before anything else is printed to the stream. */

typedef struct nl_term_progress {
    FILE *stream;  /* borrowed */
    bool terminal; /* draw at all: the stream is a terminal, and the user did not ask quiet */
    bool shown;    /* a line is on the screen */
    struct timespec start, phase_start, last;
    const char *phase; /* borrowed from the library: its phase names are string literals */
} nl_term_progress;

/* Starts a meter on stream at start (CLOCK_MONOTONIC); draws only if stream is a terminal. */
void nl_term_progress_init(nl_term_progress *t, FILE *stream, const struct timespec *start);

/* The callback that draws on t (t is borrowed: it must outlive every call). */
nl_progress nl_term_progress_callback(nl_term_progress *t);

/* Clears the line, if one is shown. */
void nl_term_progress_clear(nl_term_progress *t);

/* Seconds from a to b. */
double nl_seconds_between(const struct timespec *a, const struct timespec *b);

#endif
