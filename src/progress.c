#include "nextlevel/progress.h"

void nl_progress_report(const nl_progress *progress, const char *phase, size_t done, size_t total)
{
    if (progress != NULL && progress->fn != NULL)
        progress->fn(progress->data, phase, done, total);
}
