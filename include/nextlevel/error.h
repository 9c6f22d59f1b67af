#ifndef NEXTLEVEL_ERROR_H
#define NEXTLEVEL_ERROR_H

#include <stdio.h>

/* Every fallible function returns one of these; the values are also the exit codes that
 * main maps them to, where one applies (see nl_status_exit_code). */
typedef enum nl_status {
    NL_OK = 0,
    NL_ERR_USAGE,    /* the command line is wrong */
    NL_ERR_TEMPLATE, /* a framework template cannot be used */
    NL_ERR_INPUT,    /* an input file cannot be used at all */
    NL_ERR_IO,       /* an input file cannot be read */
    NL_ERR_OUTPUT,   /* an output cannot be written */
    NL_ERR_NOMEM     /* out of memory */
} nl_status;

/* Exit codes, documented in the README and nextlevel(1). */
enum {
    NL_EXIT_OK = 0,
    NL_EXIT_REJECTED = 1,
    NL_EXIT_USAGE = 2,
    NL_EXIT_UNUSABLE = 3,
    NL_EXIT_OUTPUT = 4
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

/* The process exit code for a status. */
int nl_status_exit_code(nl_status status);

#endif
