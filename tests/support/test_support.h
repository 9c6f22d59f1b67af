#ifndef NEXTLEVEL_TEST_SUPPORT_H
#define NEXTLEVEL_TEST_SUPPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Helpers shared by the test files. Returned strings are new; the caller frees them. Helpers
 * marked "asserts" fail the running Criterion test when something goes wrong, so they are only
 * for use inside a test (or a function it calls). */

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

/* nl_test_run with the file at input_path as standard input (NULL: none); asserts that the
 * child could be started. Free the result with nl_run_free. */
nl_run nl_test_run_stdin(const char *input_path, const char *const *args);

/* Frees what a run holds. */
void nl_run_free(nl_run *run);

/* Whether haystack contains needle (NULL haystack: false). */
bool nl_test_contains(const char *haystack, const char *needle);

/* ---- files and folders ---- */

/* dir "/" name as a new string (free it); asserts the allocation. */
char *nl_test_path_in(const char *dir, const char *name);

/* nl_test_read_file that asserts ("cannot read PATH"): never NULL; the caller frees it. */
char *nl_test_read_all(const char *path, size_t *len);

/* Creates or truncates path and writes len bytes of data to it; asserts every step. */
void nl_test_write_file(const char *path, const char *data, size_t len);

/* nl_test_write_file of the whole NUL-terminated text (without its NUL). */
void nl_test_write_text(const char *path, const char *text);

/* The number of entries in a directory, not counting . and ..; asserts it can be opened. */
size_t nl_test_count_entries(const char *dir);

/* Removes dir and everything below it (rm -rf, asserted to succeed), then frees dir. */
void nl_test_remove_tree(char *dir);

/* A fresh temporary folder holding a template (template.ini) and a matrix (people.csv) with
 * the given texts; nl_test_files_close removes the folder and frees the paths. */
typedef struct nl_test_files {
    char *dir, *ini, *csv;
} nl_test_files;
nl_test_files nl_test_files_open(const char *template_text, const char *matrix_text);
void nl_test_files_close(nl_test_files *f);

/* Every file under dir, recursively, as relative paths in sorted order (find | sort, asserted
 * to succeed). Stores at most max new strings in paths (the caller frees each) and returns
 * how many it stored. */
size_t nl_test_list_files(const char *dir, char **paths, size_t max);

/* ---- shell commands ---- */

/* Runs a command line with the shell in the source directory; returns its exit status (-1 when
 * it did not exit normally). */
int nl_test_shell(const char *command);

/* Runs a command line with the shell in the source directory and returns its standard output
 * (new; the caller frees it); asserts that it exits 0. */
char *nl_test_capture(const char *command);

/* ---- workbooks (xlsx) ---- */

/* Unzips the workbook into a new temporary folder and returns the folder's path (asserted; the
 * caller removes it with nl_test_remove_tree). */
char *nl_test_unzip(const char *xlsx);

/* Decodes the five named XML entities and numeric references below 0x80 in place (enough to
 * search text). */
void nl_test_xml_decode(char *text);

/* The decoded text (nl_test_xml_decode) of a part such as "xl/workbook.xml" of a workbook
 * unzipped into dir; asserts the part exists ("no part PART"). The caller frees it. */
char *nl_test_xlsx_part(const char *dir, const char *part);

/* ---- JSON (jansson) ---- */

/* The JSON document in the file; asserts it parses. The caller owns it (json_decref). */
json_t *nl_test_load_json(const char *path);

/* Validates a result file against docs/results.schema.json: 0 valid, 77 the validator is not
 * installed, anything else invalid. */
int nl_test_check_json_schema(const char *path);

/* The string member key of object (borrowed from object); asserts it is a string. */
const char *nl_test_json_str(json_t *object, const char *key);

/* The element of root's "people" array whose "id" is id (borrowed from root); asserts there is
 * one. */
json_t *nl_test_json_person(json_t *root, const char *id);

/* ---- CSV ---- */

/* A parsed CSV document (RFC 4180: quoted cells may hold delimiters, quotes, line breaks). */
typedef struct nl_test_table {
    char **cells; /* row-major, width cells per row; row 0 is the header */
    size_t width, rows;
} nl_test_table;

/* Parses text (not NULL, every row ended by '\n', every row as wide as the header); asserts
 * all of that. Free the result with nl_test_free_table. */
nl_test_table nl_test_parse_csv(const char *text);

/* Frees the cells of a table. */
void nl_test_free_table(nl_test_table *t);

/* The index of the header cell name; asserts there is one ("no column NAME"). */
size_t nl_test_column(const nl_test_table *t, const char *name);

/* The cell in column name of the row whose "id" cell is id; asserts both exist. */
const char *nl_test_cell(const nl_test_table *t, const char *id, const char *name);

/* ---- what the tests of one run share ---- */

/* Makes, once per run of the test program, the folder name in a folder the run's tests share
 * (Criterion's runner makes that before the first test and removes it after the last): the
 * first test to ask calls make(dir, data), which writes its files into dir and asserts what it
 * must; later tests get the folder as that call left it, without running make again. A make
 * that fails its test leaves nothing, so the next test to ask runs it again and fails the same
 * way. For a run that several tests read (one nextlevel command, one checker over one
 * workbook): under the sanitizers each process costs a tenth of a second or more to start.
 * Returns the folder's path (free it; the runner removes the folder). */
char *nl_test_shared(const char *name, void (*make)(const char *dir, void *data), void *data);

/* ---- tests that depend on the machine ---- */

/* Declares a Criterion test (as Test does) that needs something the machine may lack (a tool,
 * a permission, a file system), and ends with nl_test_skip_env when it is missing. The macro
 * must begin its line: tests/CMakeLists.txt finds each one and registers it as its own CTest
 * test, whose skip CTest then reports as skipped (Criterion runs a whole file as one CTest
 * test, where a skip reads as passed); the file's other tests run in one entry without it. */
#define NL_ENV_TEST Test

/* The line nl_test_skip_env prints; tests/CMakeLists.txt gives it to CTest to match. */
#define NL_TEST_SKIP_MARK "nextlevel-test skipped: "

/* Skips the running NL_ENV_TEST: prints NL_TEST_SKIP_MARK and the reason on standard error
 * (CTest's SKIP_REGULAR_EXPRESSION), then ends the test as Criterion's cr_skip_test does. In a
 * file's one CTest entry (NL_TEST_WHOLE_FILE set), where a skip would read as passed, it fails
 * the test instead: a test that may skip must be declared NL_ENV_TEST. */
void nl_test_skip_env(const char *reason) __attribute__((noreturn));

/* ---- processes ---- */

/* Waits, polling every millisecond for at most seconds, until process pid holds a descriptor
 * open on a file in dir that is no longer empty (an unnamed or unlinked file there reads
 * "DIR/#NNN (deleted)" or "DIR/tmp.XXXXXXXXXX (deleted)"): proof that it is writing there. For
 * a workbook, that is a sheet's rows, after libxlsxwriter created its temporary files (which
 * it names, then unlinks: a kill -9 in between would leave one) and long before it zips them.
 * False when it ended or the time ran out first. */
bool nl_test_wait_writing(int pid, const char *dir, double seconds);

#endif
