#ifndef NEXTLEVEL_TEST_SUPPORT_H
#define NEXTLEVEL_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Helpers shared by the test files. Returned strings are new; the caller frees them. */

/* NL_SOURCE_DIR "/" relative, in a static buffer overwritten by the next call. */
const char *nl_test_path(const char *relative);

/* The whole content of a file (NUL-terminated; *len gets the byte count when len is not
 * NULL), or NULL when it cannot be read. */
char *nl_test_read_file(const char *path, size_t *len);

/* Writes len bytes to a new temporary file and returns its path (free it; remove the file with
 * nl_test_remove). suffix such as ".csv" or ".ini" ends the name. */
char *nl_test_write_temp(const char *suffix, const char *data, size_t len);

/* A new empty temporary directory. */
char *nl_test_temp_dir(void);

/* Removes a file or an empty directory and frees path. */
void nl_test_remove(char *path);

/* The outcome of running the nextlevel binary. */
typedef struct nl_run {
    int exit_code; /* -1 when it died of a signal */
    char *out;     /* standard output */
    char *err;     /* standard error */
} nl_run;

/* Runs NL_BINARY with the NULL-terminated arguments (not including argv[0]), in the source
 * directory, with no standard input. */
nl_run nl_test_run(const char *const *args);

/* Frees what a run holds. */
void nl_run_free(nl_run *run);

/* Whether haystack contains needle (NULL haystack: false). */
bool nl_test_contains(const char *haystack, const char *needle);

#endif
