#ifndef NEXTLEVEL_FUZZ_SUPPORT_H
#define NEXTLEVEL_FUZZ_SUPPORT_H

/* What the libFuzzer targets share: a private scratch folder, the input split into parts, and
 * the oracles that check every output a run left there. The oracles are written apart from the
 * code under test (their own UTF-8 check, libxml2 for the workbook's XML, jansson for JSON, a
 * small RFC 4180 reader for CSV), so a bug in nextlevel's writers cannot hide itself. A failed
 * check prints what failed and aborts: that is how libFuzzer records a finding. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The separator between the parts of an input: a line holding only "%%". */
#define FZ_SEPARATOR "\n%%\n"
#define FZ_MAX_PARTS 8

typedef struct fz_part {
    const uint8_t *data;
    size_t size;
} fz_part;

/* Splits data at each FZ_SEPARATOR into at most max parts (the last takes the rest); returns
 * how many. The parts point into data. */
size_t fz_split(const uint8_t *data, size_t size, fz_part *parts, size_t max);

/* A scratch folder of this process's own, made once: under /dev/shm when it exists (tmpfs:
 * no disk writes), else TMPDIR or /tmp; removed at exit. Aborts when it cannot be made. */
const char *fz_scratch(const char *target);

/* Removes everything inside dir (not dir itself). Aborts when something cannot be removed. */
void fz_clear(const char *dir);

/* Writes size bytes to dir/name. Aborts on failure. */
void fz_write(const char *dir, const char *name, const void *data, size_t size);

/* Whether the bytes are well-formed UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF). NUL bytes count as well-formed here; the format checks reject them. */
bool fz_utf8_valid(const uint8_t *data, size_t size);

/* Checks what a run printed for a person (what names its standard output or error): valid
 * UTF-8, and nothing a terminal would act on instead of showing: no control character but tab
 * and line feed, no DEL, no C1 control, no bidirectional override or isolate. */
void fz_check_terminal(const char *text, size_t len, const char *what);

/* Runs nextlevel's command line (argv NULL-terminated) in this process with its standard
 * output and error captured, checks both with fz_check_terminal, and returns the exit code.
 * NL_FUZZ_VERBOSE=1 in the environment also shows them on standard error. */
int fz_run_cli(int argc, char **argv);

/* Prints the failed check (printf-like) and aborts. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The oracles, on a file written by a run. sep is the CSV's separator (',' or ';', or 0 for
 * either); a byte order mark is allowed at the start of a CSV file. */
void fz_check_xlsx(const char *path);
void fz_check_csv(const char *path, char sep);
void fz_check_json(const char *path);

/* Every output under dir, recursively, by extension: .xlsx, .csv (with sep) and .json files
 * are checked; a leftover temporary file (".tmp-" in its name) fails. Returns the number of
 * files checked. */
size_t fz_check_tree(const char *dir, char sep);

/* One output whose format only its content tells (--format overrides the name): a zip is a
 * workbook, a document starting with '{' JSON, anything else CSV in either separator. */
void fz_check_by_content(const char *path);

#endif
