#ifndef NEXTLEVEL_ERROR_H
#define NEXTLEVEL_ERROR_H

#include <stdbool.h>
#include <stdio.h>

/* Every fallible function returns one of these. The values are not exit codes: main turns the
 * status that ends a run into one with nl_status_exit_code, and several statuses share a code.
 * NL_ERR_STOPPED, NL_ERR_NO_THREAD and NL_ERR_ARGUMENT are answered by the caller that asked
 * and never end a run; should one escape, it exits 3 like any other unusable run. */
typedef enum nl_status {
    NL_OK = 0,
    NL_ERR_USAGE,     /* the command line is wrong (an option's value, a missing operand) */
    NL_ERR_TEMPLATE,  /* a framework template cannot be used */
    NL_ERR_INPUT,     /* an input file cannot be used at all */
    NL_ERR_IO,        /* an input file cannot be read */
    NL_ERR_OUTPUT,    /* an output cannot be written */
    NL_ERR_NOMEM,     /* out of memory */
    NL_ERR_RESOURCE,  /* out of file descriptors, disk space or disk quota */
    NL_ERR_STOPPED,   /* a callback asked to stop; its own context says why */
    NL_ERR_NO_THREAD, /* a thread could not be started; the caller goes on without it */
    NL_ERR_ARGUMENT   /* a function was called with arguments it does not take (a bug) */
} nl_status;

/* Exit codes, documented in the README and nextlevel(1). Running out of memory, file
 * descriptors or disk exits NL_EXIT_RESOURCE, which is NL_EXIT_OUTPUT: either way no new
 * output was left behind, and trying again with more of the resource may work. */
enum {
    NL_EXIT_OK = 0,
    NL_EXIT_REJECTED = 1,
    NL_EXIT_USAGE = 2,
    NL_EXIT_UNUSABLE = 3,
    NL_EXIT_OUTPUT = 4,
    NL_EXIT_RESOURCE = NL_EXIT_OUTPUT
};

/* Where and why something failed. Filled once, where the failure is found; printed once, by
 * main. line and column are 1-based; 0 means "not known" and is left out when printed. */
typedef struct nl_error {
    nl_status status;
    char path[1024];
    long line;
    long column;
    char message[1024];
} nl_error;

/* A short description of a status, for messages that have nothing better. Never NULL. */
const char *nl_strerror(nl_status status);

/* Fills err (which may be NULL) and returns status, so a failure site reads
 * `return nl_error_set(err, NL_ERR_INPUT, path, line, col, "...", ...);`. path may be NULL. */
nl_status nl_error_set(nl_error *err, nl_status status, const char *path, long line, long column,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Resets err to "no error". */
void nl_error_clear(nl_error *err);

/* Prints `nextlevel: path:line:column: message` (parts that are unknown are left out). */
void nl_error_print(const nl_error *err, FILE *stream);

/* The process exit code for a status: NL_OK 0, NL_ERR_USAGE 2, NL_ERR_OUTPUT, NL_ERR_NOMEM and
 * NL_ERR_RESOURCE 4, anything else 3. */
int nl_status_exit_code(nl_status status);

/* The status for a system call that failed with errnum: NL_ERR_NOMEM for ENOMEM,
 * NL_ERR_RESOURCE for EMFILE, ENFILE, ENOSPC and EDQUOT (whatever was being opened or written,
 * running out is not the file's fault), otherwise `otherwise`. */
nl_status nl_status_from_errno(int errnum, nl_status otherwise);

/* Whether a status means the system ran out of something (NL_ERR_NOMEM, NL_ERR_RESOURCE): a
 * run stops at once instead of going on to the next file. */
bool nl_status_is_resource(nl_status status);

#endif
