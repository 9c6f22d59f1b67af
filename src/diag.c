#include "nextlevel/diag.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <stdarg.h>
#include <stdlib.h>

void nl_diag_add(nl_diag_list *list, nl_diag_severity severity, const char *path, long line,
                 long column, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    nl_vsformat(message, sizeof message, fmt, ap);
    va_end(ap);
    if (!nl_grow((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items)) {
        list->out_of_memory = true;
        return;
    }
    nl_diag *d = &list->items[list->count];
    d->severity = severity;
    d->path = nl_strdup(path ? path : "");
    d->line = line;
    d->column = column;
    d->message = nl_strdup(message);
    if (d->path == NULL || d->message == NULL) {
        free(d->path);
        free(d->message);
        list->out_of_memory = true;
        return;
    }
    list->count++;
    if (severity == NL_DIAG_ERROR)
        list->errors++;
}

void nl_diag_list_clear(nl_diag_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].path);
        free(list->items[i].message);
    }
    free(list->items);
    *list = (nl_diag_list){0};
}

void nl_diag_print(const nl_diag *d, FILE *stream)
{
    fputs(d->path, stream);
    if (d->line > 0)
        fprintf(stream, ":%ld", d->line);
    if (d->line > 0 && d->column > 0)
        fprintf(stream, ":%ld", d->column);
    fprintf(stream, ": %s: %s\n", d->severity == NL_DIAG_ERROR ? "error" : "warning", d->message);
}

nl_status nl_diag_first_error(const nl_diag_list *list, nl_status status, nl_error *err)
{
    for (size_t i = 0; i < list->count; i++) {
        const nl_diag *d = &list->items[i];
        if (d->severity == NL_DIAG_ERROR) {
            if (list->errors > 1)
                return nl_error_set(err, status, d->path, d->line, d->column,
                                    "%s (and %zu more errors)", d->message, list->errors - 1);
            return nl_error_set(err, status, d->path, d->line, d->column, "%s", d->message);
        }
    }
    if (list->out_of_memory)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return nl_error_set(err, status, NULL, 0, 0, "%s", nl_strerror(status));
}
