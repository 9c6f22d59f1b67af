#include "nextlevel/term_progress.h"

#include <string.h>
#include <unistd.h>

double nl_seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void nl_term_progress_init(nl_term_progress *t, FILE *stream, const struct timespec *start)
{
    *t = (nl_term_progress){.stream = stream, .terminal = isatty(fileno(stream)), .start = *start};
}

static void show_progress(void *data, const char *phase, size_t done, size_t total)
{
    nl_term_progress *t = data;
    if (!t->terminal)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (t->phase == NULL || strcmp(t->phase, phase) != 0) {
        t->phase = phase;
        t->phase_start = now;
    }
    if (nl_seconds_between(&t->start, &now) < 1.0 ||
        (t->shown && nl_seconds_between(&t->last, &now) < 0.1))
        return;
    t->last = now;
    t->shown = true;
    double elapsed = nl_seconds_between(&t->phase_start, &now);
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    if (total > 0)
        fprintf(t->stream, "\r\033[K%s: %zu of %zu (%.0f%%), %.0f rows/s", phase, done, total,
                100.0 * (double)done / (double)total, rate);
    else
        fprintf(t->stream, "\r\033[K%s: %zu rows, %.0f rows/s", phase, done, rate);
    fflush(t->stream);
}

nl_progress nl_term_progress_callback(nl_term_progress *t)
{
    return (nl_progress){show_progress, t};
}

void nl_term_progress_clear(nl_term_progress *t)
{
    if (t->shown) {
        fputs("\r\033[K", t->stream);
        t->shown = false;
    }
}
