/* libFuzzer target: the command line's options. The bytes are the arguments, separated by NUL
 * bytes ("evaluate\0-t\0t.ini\0a.csv"), given to nextlevel's own command line (nl_cli_run) in
 * this process, which runs whatever they ask for in full, on small inputs the harness writes to
 * a scratch folder before each run:
 *
 *   t.ini    the tiny ladder (tests/cases/batch/tiny.ini)
 *   a.csv, b.csv, p.csv   two teams of this quarter and last quarter's file
 *   r.csv    a file with a rejected row
 *   k        a redaction key
 *   old.json, new.json    two result files for diff
 *   d/       a folder with a matrix, and d/e/ a folder below it (--recursive)
 *
 * Confinement: the run's working folder is a folder inside the scratch folder; every '/' in an
 * argument becomes '_' and every ".." becomes "._", so no path can leave it (no absolute path,
 * no parent); standard input is /dev/null and standard output ("-") a file beside the working
 * folder. "--jobs=1" is added after the arguments (three times, so that neither an option still
 * waiting for its value nor --diff's two levels at the end can take it): no threads, and no
 * forked pack writers, whatever --jobs said before (its value is still parsed).
 *
 * Checks: no crash, leak or hang; the exit code is one of the documented ones (0-4); its
 * messages and reports are UTF-8 with nothing a terminal would act on (fz_check_terminal); the
 * inputs are all there, unchanged; every other file in the folder afterwards, and what went to
 * standard output, is a valid output by the oracles of fuzz_support.c, judged by its content
 * (--format overrides the name; a CSV may use either separator, since --csv-dialect is fuzzed
 * too); and no temporary file is left behind. */
#include "fuzz_support.h"

#include "nextlevel/cli.h"

#include <dirent.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_ARGS 24
#define MAX_ARG  256

typedef struct fixed_file {
    const char *name;   /* in the scratch folder */
    const char *source; /* under the source tree, or NULL for text */
    const char *text;
    char *data;
    size_t size;
} fixed_file;

static fixed_file fixed[] = {
    {"t.ini", "tests/cases/batch/tiny.ini", NULL, NULL, 0},
    {"a.csv", "tests/cases/batch/teams/alpha.csv", NULL, NULL, 0},
    {"b.csv", "tests/cases/batch/teams/beta.csv", NULL, NULL, 0},
    {"p.csv", "tests/cases/batch/rounding-previous.csv", NULL, NULL, 0},
    {"r.csv", NULL,
     "id,name,team,level,months,visibility,coding,design,mentoring,communication\n"
     "R1,Rae Row,Gamma,A,12,3,4,2,2,4\nR2,Short Row,Gamma,A\n",
     NULL, 0},
    {"k", NULL, "a fixed key for the fuzzer's redacted runs\n", NULL, 0},
    {"old.json", "tests/cases/diff/old-min.json", NULL, NULL, 0},
    {"new.json", "tests/cases/diff/new-min.json", NULL, NULL, 0},
    {"d/c.csv", "tests/cases/batch/teams/zulu.csv", NULL, NULL, 0},
    {"d/e/f.csv", "tests/cases/batch/teams/sub-a/charlie.csv", NULL, NULL, 0},
};
#define FIXED_COUNT (sizeof fixed / sizeof fixed[0])

static int home = -1;      /* the fuzzer's own working folder, restored after each run */
static int null_fd = -1;   /* /dev/null, standard input and, between runs, standard output */
static char work[600];     /* the run's working folder, scratch/work */
static char captured[600]; /* standard output of a run (--out -), scratch/stdout */

static char *read_source(const char *relative, size_t *size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", NL_SOURCE_DIR, relative);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fz_fail("cannot read %s", path);
    char *buf = malloc(1 << 16);
    if (buf == NULL)
        abort();
    *size = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

static void write_fixed(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/d", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/d/e", dir);
    mkdir(path, 0700);
    for (size_t i = 0; i < FIXED_COUNT; i++)
        fz_write(dir, fixed[i].name, fixed[i].data, fixed[i].size);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < FIXED_COUNT; i++) {
        if (fixed[i].source != NULL) {
            fixed[i].data = read_source(fixed[i].source, &fixed[i].size);
        } else {
            fixed[i].data = strdup(fixed[i].text);
            fixed[i].size = strlen(fixed[i].text);
        }
    }
    null_fd = open("/dev/null", O_RDWR);
    home = open(".", O_RDONLY | O_DIRECTORY);
    if (null_fd < 0 || home < 0)
        abort(); /* the harness itself is broken, not the code under test */
    /* "-" reads nothing and writes nowhere; libFuzzer itself reports on standard error. */
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    const char *dir = fz_scratch("cli");
    snprintf(work, sizeof work, "%s/work", dir);
    snprintf(captured, sizeof captured, "%s/stdout", dir);
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    xmlInitParser();
    return 0;
}

/* Whether path (relative to the work folder) is one of the inputs, which must be as written. */
static bool is_fixed(const char *relative)
{
    for (size_t i = 0; i < FIXED_COUNT; i++) {
        if (strcmp(relative, fixed[i].name) != 0)
            continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", work, relative);
        FILE *f = fopen(path, "rb");
        char *now = malloc(fixed[i].size + 1);
        size_t got = f && now ? fread(now, 1, fixed[i].size + 1, f) : 0;
        if (f == NULL || got != fixed[i].size || memcmp(now, fixed[i].data, got) != 0)
            fz_fail("the input %s was changed or removed", relative);
        fclose(f);
        free(now);
        return true;
    }
    return false;
}

/* Checks every file under the work folder: inputs unchanged, outputs valid, no temporary
 * file left. */
static void check_folder(const char *relative)
{
    char path[1200];
    snprintf(path, sizeof path, "%s%s%s", work, *relative ? "/" : "", relative);
    DIR *d = opendir(path);
    if (d == NULL)
        fz_fail("cannot open %s", path);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char name[1200], full[2400];
        snprintf(name, sizeof name, "%s%s%s", relative, *relative ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", work, name);
        struct stat st;
        if (lstat(full, &st) != 0)
            fz_fail("cannot stat %s", full);
        if (strstr(e->d_name, ".tmp-") != NULL)
            fz_fail("a temporary file was left behind: %s", full);
        if (S_ISDIR(st.st_mode))
            check_folder(name);
        else if (!S_ISREG(st.st_mode))
            fz_fail("%s is neither a file nor a folder", full);
        else if (!is_fixed(name))
            fz_check_by_content(full);
    }
    closedir(d);
    /* The fixed inputs must all still be there. */
    if (*relative == '\0')
        for (size_t i = 0; i < FIXED_COUNT; i++)
            is_fixed(fixed[i].name) ? (void)0 : fz_fail("the input %s is gone", fixed[i].name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char args[MAX_ARGS][MAX_ARG + 1];
    char *argv[MAX_ARGS + 6];
    int argc = 0;
    argv[argc++] = "nextlevel";
    size_t start = 0;
    int count = 0;
    while (start <= size && count < MAX_ARGS) {
        size_t end = start;
        while (end < size && data[end] != '\0')
            end++;
        if (end - start > MAX_ARG)
            return 0; /* no option is that long: spend the runs elsewhere */
        char *arg = args[count];
        size_t len = 0;
        for (size_t k = start; k < end; k++) {
            char ch = (char)data[k];
            if (ch == '/')
                ch = '_';
            if (ch == '.' && len > 0 && arg[len - 1] == '.')
                ch = '_';
            arg[len++] = ch;
        }
        arg[len] = '\0';
        count++;
        start = end + 1;
    }
    int dashdash = -1;
    for (int i = 0; i < count; i++) {
        if (dashdash < 0 && strcmp(args[i], "--") == 0) {
            dashdash = i;
            for (int k = 0; k < 3; k++)
                argv[argc++] = "--jobs=1";
        }
        argv[argc++] = args[i];
    }
    if (dashdash < 0)
        for (int k = 0; k < 3; k++)
            argv[argc++] = "--jobs=1";
    argv[argc] = NULL;

    fz_clear(fz_scratch("cli"));
    if (mkdir(work, 0700) != 0)
        fz_fail("cannot make %s", work);
    write_fixed(work);
    int out_fd = open(captured, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out_fd < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || chdir(work) != 0)
        fz_fail("cannot prepare the run in %s", work);
    close(out_fd);
    int code = fz_run_cli(argc, argv);
    fflush(stdout);
    dup2(null_fd, STDOUT_FILENO);
    if (fchdir(home) != 0)
        fz_fail("cannot return to the fuzzer's folder");
    if (code < 0 || code > 4)
        fz_fail("exit code %d is none of the documented ones", code);
    check_folder("");
    struct stat st;
    if (stat(captured, &st) == 0 && st.st_size > 0)
        fz_check_by_content(captured);
    return 0;
}
