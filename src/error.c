#include "nextlevel/error.h"
#include "nextlevel/textsafe.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

const char *nl_strerror(nl_status status)
{
    switch (status) {
    case NL_OK:
        return "no error";
    case NL_ERR_USAGE:
        return "usage error";
    case NL_ERR_TEMPLATE:
        return "the template cannot be used";
    case NL_ERR_INPUT:
        return "the input cannot be used";
    case NL_ERR_IO:
        return "the input cannot be read";
    case NL_ERR_OUTPUT:
        return "the output cannot be written";
    case NL_ERR_NOMEM:
        return "out of memory";
    case NL_ERR_RESOURCE:
        return "out of file descriptors or disk space";
    case NL_ERR_STOPPED:
        return "stopped by a callback";
    case NL_ERR_NO_THREAD:
        return "a thread could not be started";
    case NL_ERR_ARGUMENT:
        return "called with arguments it does not take";
    }
    return "unknown error";
}

nl_status nl_error_set(nl_error *err, nl_status status, const char *path, long line, long column,
                       const char *fmt, ...)
{
    if (err == NULL)
        return status;
    err->status = status;
    nl_sformat(err->path, sizeof err->path, "%s", path ? path : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    nl_vsformat(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void nl_error_clear(nl_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof *err);
}

void nl_error_print(const nl_error *err, FILE *stream)
{
    fputs("nextlevel: ", stream);
    if (err->path[0] != '\0') {
        fputs(err->path, stream);
        if (err->line > 0)
            fprintf(stream, ":%ld", err->line);
        if (err->line > 0 && err->column > 0)
            fprintf(stream, ":%ld", err->column);
        fputs(": ", stream);
    }
    fputs(err->message[0] != '\0' ? err->message : nl_strerror(err->status), stream);
    fputc('\n', stream);
}

int nl_status_exit_code(nl_status status)
{
    switch (status) {
    case NL_OK:
        return NL_EXIT_OK;
    case NL_ERR_USAGE:
        return NL_EXIT_USAGE;
    case NL_ERR_OUTPUT:
        return NL_EXIT_OUTPUT;
    case NL_ERR_NOMEM:
    case NL_ERR_RESOURCE:
        return NL_EXIT_RESOURCE;
    case NL_ERR_TEMPLATE:
    case NL_ERR_INPUT:
    case NL_ERR_IO:
    case NL_ERR_STOPPED:
    case NL_ERR_NO_THREAD:
    case NL_ERR_ARGUMENT:
        return NL_EXIT_UNUSABLE;
    }
    return NL_EXIT_UNUSABLE;
}

nl_status nl_status_from_errno(int errnum, nl_status otherwise)
{
    switch (errnum) {
    case ENOMEM:
        return NL_ERR_NOMEM;
    case EMFILE:
    case ENFILE:
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return NL_ERR_RESOURCE;
    default:
        return otherwise;
    }
}

bool nl_status_is_resource(nl_status status)
{
    return status == NL_ERR_NOMEM || status == NL_ERR_RESOURCE;
}
