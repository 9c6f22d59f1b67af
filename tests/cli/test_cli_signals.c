/* Signals and special files: SIGINT, SIGTERM and SIGHUP stop every process of a run (the pack
 * workers too), leave no temporary file and the previous report as it was, and end the run by
 * that signal; a temporary file left by SIGKILL is removed by the next run; an --out naming a
 * device, a FIFO or a descriptor is written in place and never replaced.
 *
 * Both kinds of file system are tested: one with unnamed temporary files (O_TMPFILE, the
 * test's own folder) and one without, simulated by preloading tests/support/no_tmpfile.c into
 * the binary. A preload, rather than a hook in the program, runs the very code a FUSE share
 * would; under AddressSanitizer it needs verify_asan_link_order=0 (the shim comes before the
 * sanitizer's runtime), which the tests add to ASAN_OPTIONS, so it works in both builds. Kills
 * wait until the run provably writes (a descriptor open in the output folder), never a sleep. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"

/* The generated organisation: 4,000 people in about 350 teams, whose combined workbook takes
 * a second or more to write and whose packs many seconds, so that a kill lands mid-write.
 * Made once beside the test binary and kept for the other tests. */
static const char *big_input(void)
{
    static char dir[2048];
    snprintf(dir, sizeof dir, "%s.data", NL_BINARY);
    char *matrix = nl_test_path_in(dir, "matrix-001.csv");
    bool ready = access(matrix, R_OK) == 0;
    free(matrix);
    if (!ready) {
        char command[16384];
        snprintf(command, sizeof command,
                 "rm -rf '%s.tmp' && /usr/bin/python3 bench/gen.py --people 4000 --skills 20 "
                 "'%s.tmp' >/dev/null && mv '%s.tmp' '%s'",
                 dir, dir, dir, dir);
        cr_assert_eq(nl_test_shell(command), 0, "cannot generate the input");
    }
    return dir;
}

static void write_previous(const char *path)
{
    nl_test_write_text(path, "the previous report\n");
}

static bool previous_intact(const char *path)
{
    size_t len;
    char *text = nl_test_read_file(path, &len);
    bool same = text != NULL && strcmp(text, "the previous report\n") == 0;
    free(text);
    return same;
}

/* Starts the binary with args (NULL-terminated, without argv[0]) and its output thrown away;
 * named: on a file system without O_TMPFILE. The three signals get their default action, as
 * from a shell in the foreground. */
static pid_t start(bool named, const char *const *args)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid > 0)
        return pid;
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (named) {
        setenv("LD_PRELOAD", NL_NO_TMPFILE_SHIM, 1);
        const char *asan = getenv("ASAN_OPTIONS");
        char options[2048];
        snprintf(options, sizeof options, "%s%sverify_asan_link_order=0", asan ? asan : "",
                 asan && *asan ? ":" : "");
        setenv("ASAN_OPTIONS", options, 1);
    }
    if (chdir(NL_SOURCE_DIR) != 0)
        _exit(126);
    const char *argv[32] = {NL_BINARY};
    for (size_t i = 0; args[i] != NULL && i + 2 < sizeof argv / sizeof *argv; i++)
        argv[i + 1] = args[i];
    execv(NL_BINARY, (char *const *)argv);
    _exit(127);
}

/* The child processes of pid (its pack workers), read from /proc; at most max. */
static size_t children_of(pid_t pid, pid_t *kids, size_t max)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    size_t n = 0;
    long kid;
    while (f != NULL && n < max && fscanf(f, "%ld", &kid) == 1)
        kids[n++] = (pid_t)kid;
    if (f != NULL)
        fclose(f);
    return n;
}

/* Every file under dir whose name has ".tmp" in it, listed one a line ("" when none). */
static char *temporaries_under(const char *dir)
{
    char command[4096];
    snprintf(command, sizeof command, "find '%s' -name '*.tmp*' -o -name 'tmp.*' | sort", dir);
    return nl_test_capture(command);
}

/* A run writing the combined workbook and its packs with two processes, stopped by sig as soon
 * as the combined workbook is being written: the run ends by that signal, its worker with it,
 * leaving the previous report and no temporary file. */
static void interrupt_run(int sig, bool named)
{
    const char *data = big_input();
    char *dir = nl_test_temp_dir();
    char *report = nl_test_path_in(dir, "report.xlsx");
    char *packs = nl_test_path_in(dir, "packs");
    char *template = nl_test_path_in(data, "template.ini");
    char *matrix = nl_test_path_in(data, "matrix-001.csv");
    write_previous(report);
    pid_t pid = start(named, (const char *[]){"evaluate", "-q", "--template", template, "--out",
                                              report, "--split-by", "team", "--out-dir", packs,
                                              "--jobs", "2", matrix, NULL});
    bool writing = nl_test_wait_writing(pid, dir, 60);
    pid_t kids[8];
    size_t kid_count = children_of(pid, kids, 8);
    kill(pid, sig);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    /* On the way out, whatever the verdict: no worker may outlive the test. */
    size_t alive = 0;
    for (size_t k = 0; k < kid_count; k++) {
        if (kill(kids[k], 0) == 0) {
            alive++;
            kill(kids[k], SIGKILL);
        }
    }
    cr_assert(writing, "the run ended before it wrote anything: make the input larger");
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sig,
              "the run did not end by signal %d (status 0x%x)", sig, status);
    cr_assert_eq(kid_count, 1, "expected one pack worker, found %zu", kid_count);
    cr_assert_eq(alive, 0, "a pack worker was still running after the run ended");
    cr_assert(previous_intact(report), "the previous report was changed");
    char *left = temporaries_under(dir);
    cr_assert_str_eq(left, "", "temporary files were left:\n%s", left);
    free(left);
    free(template);
    free(matrix);
    free(packs);
    free(report);
    nl_test_remove_tree(dir);
}

Test(signals, sigint_with_unnamed_temporaries, .timeout = 120)
{
    interrupt_run(SIGINT, false);
}

Test(signals, sigterm_with_unnamed_temporaries, .timeout = 120)
{
    interrupt_run(SIGTERM, false);
}

Test(signals, sighup_with_unnamed_temporaries, .timeout = 120)
{
    interrupt_run(SIGHUP, false);
}

Test(signals, sigint_with_named_temporaries, .timeout = 120)
{
    interrupt_run(SIGINT, true);
}

Test(signals, sigterm_with_named_temporaries, .timeout = 120)
{
    interrupt_run(SIGTERM, true);
}

Test(signals, sighup_with_named_temporaries, .timeout = 120)
{
    interrupt_run(SIGHUP, true);
}

/* The host part of a temporary file's name, as src/outfile.c makes it. */
static void host_tag(char *tag)
{
    char host[256] = "";
    size_t n = 0;
    if (gethostname(host, sizeof host - 1) == 0)
        for (size_t i = 0; host[i] != '\0' && n < 16; i++)
            if (isalnum((unsigned char)host[i]))
                tag[n++] = host[i];
    if (n == 0)
        n = (size_t)snprintf(tag, 17, "host");
    tag[n] = '\0';
}

/* SIGKILL cannot be answered: without O_TMPFILE the named temporary file stays (the previous
 * report too). The next run writing to the folder removes it, as its process is gone, and
 * leaves a live process's temporary file and a file that is not one of ours. */
Test(signals, a_temporary_file_left_by_sigkill_is_removed_by_the_next_run, .timeout = 120)
{
    const char *data = big_input();
    char *dir = nl_test_temp_dir();
    char *report = nl_test_path_in(dir, "report.xlsx");
    char *template = nl_test_path_in(data, "template.ini");
    char *matrix = nl_test_path_in(data, "matrix-001.csv");
    write_previous(report);
    pid_t pid = start(true, (const char *[]){"evaluate", "-q", "--template", template, "--out",
                                             report, "--jobs", "1", matrix, NULL});
    bool writing = nl_test_wait_writing(pid, dir, 60);
    kill(pid, SIGKILL);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(writing, "the run ended before it wrote anything: make the input larger");
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    cr_assert(previous_intact(report), "the previous report was changed");
    char *left = temporaries_under(dir);
    char host[17];
    host_tag(host);
    char expected[4096];
    snprintf(expected, sizeof expected, "%s.tmp-%d-%s-", report, (int)pid, host);
    /* The named temporary file, and the folder of the workbook's parts. */
    size_t lines = 0;
    for (char *line = left; *line != '\0'; line = strchr(line, '\n') + 1, lines++)
        cr_assert(strncmp(line, expected, strlen(expected)) == 0, "expected only %s..., found:\n%s",
                  expected, left);
    cr_assert(lines >= 1, "the named temporary file is not there");
    free(left);
    /* A live process's file (this test's), and files of other programs' making. */
    char name[256];
    snprintf(name, sizeof name, "report.xlsx.tmp-%d-%s-abc123", (int)getpid(), host);
    char *live = nl_test_path_in(dir, name);
    char *foreign = nl_test_path_in(dir, "report.xlsx.tmp-Ab12Cd");
    char *other_host = nl_test_path_in(dir, "report.xlsx.tmp-1-elsewhere-abc123");
    nl_test_write_text(live, "live");
    nl_test_write_text(foreign, "not ours");
    nl_test_write_text(other_host, "another machine's");
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", report, "samples/platform.csv");
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    left = temporaries_under(dir);
    char want[8192];
    snprintf(want, sizeof want, "%s\n%s\n%s\n", other_host, live, foreign);
    cr_assert_str_eq(left, want, "after the next run:\n%s", left);
    cr_assert(!previous_intact(report), "the next run did not write its report");
    free(left);
    free(live);
    free(foreign);
    free(other_host);
    free(template);
    free(matrix);
    free(report);
    nl_test_remove_tree(dir);
}

/* ---- special files ---- */

/* The CSV of the samples as written to a regular file, for comparison. */
static char *samples_csv(void)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", out, "samples/platform.csv");
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    char *text = nl_test_read_all(out, NULL);
    free(out);
    nl_test_remove_tree(dir);
    return text;
}

/* Standard output named as a path (/dev/fd/1, /dev/stdout) is written in place: the CSV
 * reaches the pipe, and nothing is created or renamed under /dev. */
Test(special_files, out_naming_standard_output_writes_to_the_pipe, .timeout = 60)
{
    char *expected = samples_csv();
    const char *paths[] = {"/dev/fd/1", "/dev/stdout"};
    for (size_t k = 0; k < 2; k++) {
        char command[4096];
        snprintf(command, sizeof command,
                 "'%s' evaluate -q --template %s --format csv --out %s samples/platform.csv | cat",
                 NL_BINARY, IC, paths[k]);
        char *got = nl_test_capture(command);
        cr_assert_str_eq(got, expected, "--out %s", paths[k]);
        free(got);
        /* Piped to head, which stops reading after a line. */
        snprintf(command, sizeof command,
                 "'%s' evaluate -q --template %s --format csv --out %s samples/platform.csv | "
                 "head -n 1",
                 NL_BINARY, IC, paths[k]);
        got = nl_test_capture(command);
        cr_assert(strncmp(got, expected, strlen(got)) == 0 && strlen(got) > 10, "%s", got);
        free(got);
    }
    struct stat st;
    cr_assert_eq(lstat("/dev/stdout", &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "/dev/stdout is no longer a link");
    free(expected);
}

/* A FIFO as --out gets the CSV through it and stays a FIFO: no file renamed over it. */
Test(special_files, a_fifo_is_written_in_place_and_kept, .timeout = 60)
{
    char *expected = samples_csv();
    char *dir = nl_test_temp_dir();
    char *fifo = nl_test_path_in(dir, "pipe");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    /* Open for reading first (not blocking), so that the run's open for writing does not wait. */
    int reader = open(fifo, O_RDONLY | O_NONBLOCK);
    cr_assert(reader >= 0);
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--format", "csv", "--out", fifo,
                     "samples/platform.csv");
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    struct stat st;
    cr_assert_eq(lstat(fifo, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced by a file");
    size_t cap = strlen(expected) + 65536, len = 0;
    char *got = calloc(1, cap + 1);
    ssize_t n;
    while ((n = read(reader, got + len, cap - len)) > 0)
        len += (size_t)n;
    close(reader);
    cr_assert_str_eq(got, expected);
    cr_assert_eq(nl_test_count_entries(dir), 1, "files were created beside the FIFO");
    free(got);
    free(fifo);
    free(expected);
    nl_test_remove_tree(dir);
}

/* A workbook to a FIFO: libxlsxwriter seeks back while zipping, so it is written to a
 * temporary file, then copied through the FIFO whole; the FIFO stays. */
Test(special_files, a_workbook_reaches_a_fifo_whole, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *fifo = nl_test_path_in(dir, "pipe");
    char *copy = nl_test_path_in(dir, "got.xlsx");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    char command[8192];
    snprintf(command, sizeof command,
             /* "true;" ends the list that nl_test_shell's cd begins: only cat is in the
              * background. */
             "true; timeout 20 cat '%s' > '%s' & '%s' evaluate -q --template %s --out '%s' "
             "samples/platform.csv; code=$?; wait; [ $code -lt 2 ] && /usr/bin/python3 -c "
             "\"import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); "
             "assert z.testzip() is None and 'xl/workbook.xml' in z.namelist()\" '%s'",
             fifo, copy, NL_BINARY, IC, fifo, copy);
    cr_assert_eq(nl_test_shell(command), 0, "the workbook did not come through the FIFO whole");
    struct stat st;
    cr_assert_eq(lstat(fifo, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced by a file");
    cr_assert_eq(nl_test_count_entries(dir), 2);
    free(copy);
    free(fifo);
    nl_test_remove_tree(dir);
}

/* As root, a null device made in a temporary folder (the node /dev/null is, without touching
 * the real one): CSV, JSON and workbook runs write to it and it stays the device. */
NL_ENV_TEST(special_files, a_null_device_is_never_replaced, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *null_dev = nl_test_path_in(dir, "null");
    if (mknod(null_dev, S_IFCHR | 0666, makedev(1, 3)) != 0) {
        free(null_dev);
        nl_test_remove_tree(dir);
        nl_test_skip_env("cannot make a device node here");
    }
    const char *formats[] = {"csv", "json", "xlsx"};
    for (size_t k = 0; k < 3; k++) {
        /* Through the shell: nl_test_run would check the JSON written, which the device
         * does not keep. */
        char command[8192];
        snprintf(command, sizeof command,
                 "'%s' evaluate -q --template %s --format %s --out '%s' samples/platform.csv "
                 ">/dev/null",
                 NL_BINARY, IC, formats[k], null_dev);
        int code = nl_test_shell(command);
        cr_assert(code == 0 || code == 1, "%s: exit %d", formats[k], code);
        struct stat st;
        cr_assert_eq(lstat(null_dev, &st), 0);
        cr_assert(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
                  "%s: the device was replaced by a file", formats[k]);
        cr_assert_eq(nl_test_count_entries(dir), 1, "%s: files were created beside the device",
                     formats[k]);
    }
    free(null_dev);
    nl_test_remove_tree(dir);
}
