/* Files of every kind, on the command line and in folders: no output ever overwrites an input
 * or the combined workbook; pipes, sockets and devices never hang the run or grow its memory;
 * paths too long to open are said, not skipped silently; running out of descriptors while
 * reading is exit 4; `--out -` keeps its rejected rows. */
#include "nextlevel/cli.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define EM       "templates/engineering-manager.ini"
#define GRID     "templates/engineering-manager-expectations.csv"

/* `timeout` gives 124 when the run had to be stopped: the run hung. */
#define HUNG 124

/* Runs a shell command with its stderr into log (new string, freed by the caller) and returns
 * the exit status. */
static int shell_logged(const char *command, const char *dir, char **log_text)
{
    char *log = nl_test_path_in(dir, "stderr.txt");
    char line[16384];
    snprintf(line, sizeof line, "%s 2>'%s'", command, log);
    int status = nl_test_shell(line);
    *log_text = nl_test_read_all(log, NULL);
    unlink(log);
    free(log);
    return status;
}

/* A copy of a file into dir under name; returns the new path. */
static char *copy_into(const char *dir, const char *name, const char *source)
{
    char *path = nl_test_path_in(dir, name);
    size_t len;
    char *data = nl_test_read_all(nl_test_path(source), &len);
    nl_test_write_file(path, data, len);
    free(data);
    return path;
}

/* ---- packs never clobber the combined workbook ---- */

/* Runs evaluate with team packs into dir beside dir/report.xlsx, on samples/platform.csv with
 * every other row's team renamed team; returns the exit status and stderr in *err. */
static int run_packs(const char *dir, const char *team, char **err)
{
    char command[8192];
    snprintf(command, sizeof command,
             "sed '2~2s/,Platform,/,%s,/' samples/platform.csv >'%s/teams.csv' && " NL_BINARY
             " evaluate --jobs 1 --template " IC
             " --split-by team --out-dir '%s' --out '%s/report.xlsx' '%s/teams.csv'",
             team, dir, dir, dir, dir);
    return shell_logged(command, dir, err);
}

/* Whether the workbook holds each of with (in any part) and not without (NULL: no check);
 * unzipped once. */
static bool workbook_holds(const char *xlsx, const char *with1, const char *with2,
                           const char *without)
{
    char *unzipped = nl_test_unzip(xlsx);
    char command[8192];
    snprintf(command, sizeof command, "grep -rqF '%s' '%s' && grep -rqF '%s' '%s'", with1, unzipped,
             with2, unzipped);
    bool holds = nl_test_shell(command) == 0;
    if (holds && without != NULL) {
        snprintf(command, sizeof command, "grep -rqF '%s' '%s'", without, unzipped);
        holds = nl_test_shell(command) != 0;
    }
    nl_test_remove_tree(unzipped);
    return holds;
}

/* A team called "report" beside a combined report.xlsx in the same folder: its pack gets
 * another name, the combined workbook stays whole (both teams' people), and the run says which
 * pack was renamed. Before, the pack of "report" replaced the combined workbook. "REPORT" is
 * renamed too (a case-insensitive file system would make it the same file). */
Test(packs, a_team_named_like_the_combined_workbook_never_replaces_it, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *err;
    int status = run_packs(dir, "report", &err);
    cr_assert_eq(status, 0, "exit %d: %s", status, err);
    cr_assert(nl_test_contains(err, "report's workbook is report (2).xlsx, since"),
              "the rename is said: %s", err);
    char *combined = nl_test_path_in(dir, "report.xlsx");
    char *pack = nl_test_path_in(dir, "report (2).xlsx");
    /* Row 1 (Priya Raman) goes to "report", row 2 (Marcus Oyelaran) stays in Platform. */
    cr_assert(workbook_holds(combined, "Priya Raman", "Marcus Oyelaran", NULL),
              "report.xlsx is not the combined workbook");
    cr_assert(workbook_holds(pack, "Priya Raman", "Team: report", "Marcus Oyelaran"),
              "report (2).xlsx is not the team's pack");
    cr_assert_eq(nl_test_count_entries(dir), 4, "report, report (2), Platform, teams.csv");
    free(err);
    free(pack);
    free(combined);
    nl_test_remove_tree(dir);

    dir = nl_test_temp_dir();
    status = run_packs(dir, "REPORT", &err);
    cr_assert_eq(status, 0, "exit %d: %s", status, err);
    cr_assert(nl_test_contains(err, "REPORT's workbook is REPORT (2).xlsx, since"), "%s", err);
    char *upper = nl_test_path_in(dir, "REPORT.xlsx");
    cr_assert(access(upper, F_OK) != 0, "REPORT.xlsx differs from report.xlsx only in case");
    free(upper);
    free(err);
    nl_test_remove_tree(dir);
}

/* ---- --out is never an input ---- */

/* Runs evaluate with --out out and the extra options, and asserts that it is refused (exit 2)
 * naming what, and that guarded still holds its bytes. */
static void assert_refused(const char *template, const char *extra, const char *out,
                           const char *guarded, const char *what)
{
    size_t before_len;
    char *before = nl_test_read_all(guarded, &before_len);
    char command[8192];
    snprintf(command, sizeof command,
             NL_BINARY " evaluate -q --jobs 1 --template '%s' %s --out '%s' samples/platform.csv",
             template, extra, out);
    char *dir = nl_test_temp_dir();
    char *err;
    int status = shell_logged(command, dir, &err);
    cr_assert_eq(status, 2, "--out %s: exit %d: %s", out, status, err);
    cr_assert(nl_test_contains(err, what), "the message names %s: %s", what, err);
    cr_assert(nl_test_contains(err, "choose another --out"), "%s", err);
    size_t after_len;
    char *after = nl_test_read_all(guarded, &after_len);
    cr_assert(after_len == before_len && memcmp(before, after, before_len) == 0,
              "%s was overwritten", guarded);
    free(after);
    free(before);
    free(err);
    nl_test_remove_tree(dir);
}

/* The template, the grid it names (through a hard link) and the redaction key (through a
 * symbolic link, and as the rejected-rows file beside a CSV --out) are inputs: --out naming
 * one is refused by device and inode. Before, each was overwritten. */
Test(clobber, out_equal_to_the_template_grid_or_key_is_refused, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *template = copy_into(dir, "em.ini", EM);
    char *grid = copy_into(dir, "engineering-manager-expectations.csv", GRID);
    char *key = nl_test_path_in(dir, "key.txt");
    nl_test_write_text(key, "a key of our own\n");
    assert_refused(template, "", template, template, "is the template");

    char *grid_link = nl_test_path_in(dir, "grid-link.xlsx");
    cr_assert_eq(link(grid, grid_link), 0);
    assert_refused(template, "", grid_link, grid, "the template's expectations grid");

    char *key_link = nl_test_path_in(dir, "key-link.json");
    cr_assert_eq(symlink(key, key_link), 0);
    char option[2048];
    snprintf(option, sizeof option, "--redact-key '%s'", key);
    assert_refused(template, option, key_link, key, "is the redaction key");

    /* out.csv's rejected rows would go to out.rejected.csv, a link to the key. */
    char *beside = nl_test_path_in(dir, "out.rejected.csv");
    cr_assert_eq(symlink(key, beside), 0);
    char *out = nl_test_path_in(dir, "out.csv");
    assert_refused(template, option, out, key, "which is the redaction key");

    free(out);
    free(beside);
    free(key_link);
    free(grid_link);
    free(key);
    free(grid);
    free(template);
    nl_test_remove_tree(dir);
}

/* ---- special files ---- */

/* /dev/zero as template, expectations grid, redaction key or matrix is refused at once, naming
 * the path (exit 3); before, each read grew memory without end. */
Test(special, a_device_as_template_grid_key_or_matrix_is_refused, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *template = nl_test_path_in(dir, "zero-grid.ini");
    /* The manager template with its grid replaced by /dev/zero. */
    char *text = nl_test_read_all(nl_test_path(EM), NULL);
    char *at = strstr(text, "expectations_file");
    cr_assert_not_null(at);
    char *end = strchr(at, '\n');
    char rewritten[65536];
    snprintf(rewritten, sizeof rewritten, "%.*sexpectations_file = /dev/zero%s", (int)(at - text),
             text, end);
    nl_test_write_text(template, rewritten);
    free(text);
    struct {
        const char *template, *extra, *message;
    } cases[] = {
        {"/dev/zero", "samples/platform.csv", "/dev/zero: this is a device, not a file"},
        {template, "samples/platform.csv", "expectations_file /dev/zero: this is a device"},
        {IC, "--redact-key /dev/zero samples/platform.csv",
         "/dev/zero: this is a device, not a file: give the path of a file (or a pipe) as the "
         "redaction key"},
        {IC, "/dev/urandom", "/dev/urandom: this is a device, not a file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char command[8192];
        snprintf(command, sizeof command,
                 "timeout 20 " NL_BINARY " evaluate -q --jobs 1 --template '%s' --out '%s/r.xlsx' "
                 "%s",
                 cases[i].template, dir, cases[i].extra);
        char *err;
        int status = shell_logged(command, dir, &err);
        cr_assert_neq(status, HUNG, "case %zu hung", i);
        cr_assert_eq(status, 3, "case %zu: exit %d: %s", i, status, err);
        cr_assert(nl_test_contains(err, cases[i].message), "case %zu: %s", i, err);
        free(err);
    }
    free(template);
    nl_test_remove_tree(dir);
}

/* A template longer than the 16 MiB cap is refused naming the file and the cap, whether a file
 * (refused by its size, unread) or a pipe (refused after 16 MiB). */
Test(special, a_template_over_the_cap_is_refused, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *big = nl_test_path_in(dir, "big.ini");
    char command[8192];
    snprintf(command, sizeof command, "truncate -s 17M '%s'", big);
    cr_assert_eq(nl_test_shell(command), 0);
    snprintf(command, sizeof command, "timeout 20 " NL_BINARY " check '%s'", big);
    char *err;
    int status = shell_logged(command, dir, &err);
    cr_assert_eq(status, 3, "exit %d: %s", status, err);
    cr_assert(nl_test_contains(err, "big.ini: longer than 16 MiB"), "%s", err);
    free(err);
    snprintf(command, sizeof command,
             "head -c 17000000 /dev/zero | timeout 20 " NL_BINARY " check /dev/stdin");
    status = shell_logged(command, dir, &err);
    cr_assert_eq(status, 3, "exit %d: %s", status, err);
    cr_assert(nl_test_contains(err, "/dev/stdin: longer than 16 MiB"), "%s", err);
    free(err);
    free(big);
    nl_test_remove_tree(dir);
}

/* A FIFO named *.csv in an input folder is skipped and named (on stderr, and in inspect's
 * report), and the run finishes; before, it blocked for ever on the FIFO. */
Test(special, a_fifo_in_a_folder_is_skipped_and_named, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *data = nl_test_path_in(dir, "data");
    cr_assert_eq(mkdir(data, 0777), 0);
    free(copy_into(data, "platform.csv", "samples/platform.csv"));
    char *fifo = nl_test_path_in(data, "waiting.csv");
    cr_assert_eq(mkfifo(fifo, 0666), 0);
    char command[8192];
    snprintf(command, sizeof command,
             "timeout 20 " NL_BINARY " inspect --template " IC " '%s' >'%s/out.txt'", data, dir);
    char *err;
    int status = shell_logged(command, dir, &err);
    cr_assert_neq(status, HUNG, "the run blocked on the FIFO");
    cr_assert_eq(status, 0, "exit %d: %s", status, err);
    cr_assert(nl_test_contains(err, "waiting.csv (a pipe)"), "%s", err);
    char *out_txt = nl_test_path_in(dir, "out.txt");
    char *out = nl_test_read_all(out_txt, NULL);
    cr_assert(nl_test_contains(out, "skipped: "), "%s", out);
    cr_assert(nl_test_contains(out, "waiting.csv (a pipe): not a regular file"), "%s", out);
    cr_assert(nl_test_contains(out, "total: 1 file, 11 people accepted"), "%s", out);
    /* evaluate too, with --quiet: skipping a file is never silent. */
    snprintf(command, sizeof command,
             "timeout 20 " NL_BINARY " evaluate -q --template " IC " --out '%s/r.csv' '%s'", dir,
             data);
    free(err);
    status = shell_logged(command, dir, &err);
    cr_assert_eq(status, 0, "exit %d: %s", status, err);
    cr_assert(nl_test_contains(err, "waiting.csv (a pipe)"), "%s", err);
    free(err);
    free(out);
    free(out_txt);
    free(fifo);
    free(data);
    nl_test_remove_tree(dir);
}

/* A FIFO given as the template, with a writer, is read once and the workbook written: its
 * digest comes from the bytes read. Before, the digest opened the FIFO again and waited for a
 * second writer for ever. */
Test(special, a_fifo_as_the_template_is_read_once, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *fifo = nl_test_path_in(dir, "template.ini");
    cr_assert_eq(mkfifo(fifo, 0666), 0);
    char command[8192];
    /* The writer stops by itself after 30 s if the run never opened the FIFO. */
    snprintf(command, sizeof command,
             "(timeout 30 sh -c 'cat " IC " >\"$0\"' '%s' &) ; timeout 20 " NL_BINARY
             " evaluate -q --jobs 1 --template '%s' --out '%s/r.xlsx' samples/platform.csv",
             fifo, fifo, dir);
    char *err;
    int status = shell_logged(command, dir, &err);
    cr_assert_neq(status, HUNG, "the run blocked on the template FIFO");
    cr_assert_eq(status, 0, "exit %d: %s", status, err);
    char *report = nl_test_path_in(dir, "r.xlsx");
    char *unzipped = nl_test_unzip(report);
    char *digest = nl_test_capture("sha256sum " IC " | cut -c1-64");
    digest[64] = '\0';
    snprintf(command, sizeof command, "grep -rq '%s' '%s'", digest, unzipped);
    cr_assert_eq(nl_test_shell(command), 0, "the workbook lacks the template's digest %s", digest);
    free(digest);
    nl_test_remove_tree(unzipped);
    free(report);
    free(err);
    free(fifo);
    nl_test_remove_tree(dir);
}

/* ---- paths longer than PATH_MAX ---- */

/* A folder nested so deep that its files' paths pass 4,096 bytes: --recursive reads what it can
 * open and says, as a warning naming the folder and counting the entries, what it cannot;
 * before, they were left out in silence. */
Test(long_paths, entries_past_path_max_are_counted_and_named, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char command[8192];
    /* 22 folders of 200 bytes, made one relative step at a time: mid.csv at depth 11 (about
     * 2,200 bytes), deep.csv at depth 22 (past 4,400). */
    snprintf(command, sizeof command,
             "cd '%s' && cp '%s' top.csv && /usr/bin/python3 -c \"\n"
             "import os\n"
             "data = open('top.csv', 'rb').read()\n"
             "for i in range(22):\n"
             "    os.mkdir('d' * 200); os.chdir('d' * 200)\n"
             "    if i == 10: open('mid.csv', 'wb').write(data)\n"
             "open('deep.csv', 'wb').write(data)\n\"",
             dir, nl_test_path("samples/platform.csv"));
    cr_assert_eq(nl_test_shell(command), 0);
    snprintf(command, sizeof command,
             NL_BINARY " inspect --recursive --template " IC " '%s' >'%s/out.txt'", dir, dir);
    char *err;
    int status = shell_logged(command, dir, &err);
    /* mid.csv repeats top.csv's people: duplicates, rejected (exit 1). */
    cr_assert(status == 0 || status == 1, "exit %d: %s", status, err);
    cr_assert(nl_test_contains(err, "nextlevel: warning: 1 entry of "), "%s", err);
    cr_assert(nl_test_contains(err, "skipped: its path would be 4096 bytes or longer"), "%s", err);
    char *out_txt = nl_test_path_in(dir, "out.txt");
    char *out = nl_test_read_all(out_txt, NULL);
    cr_assert(nl_test_contains(out, "total: 2 files"), "top.csv and mid.csv are read: %s", out);
    free(out);
    free(out_txt);
    free(err);
    nl_test_remove_tree(dir);
}

/* ---- out of descriptors while reading: exit 4 ---- */

/* Feeds standard input to the run and, once the run has read part of it (the template is then
 * loaded and closed), lowers the descriptor limit to the lowest free descriptor, so that the
 * next file the run opens fails with EMFILE; then ends standard input. */
typedef struct feeder {
    int write_fd;
} feeder;

static void *feed_then_exhaust(void *data)
{
    feeder *f = data;
    /* More than a pipe holds (64 KiB): the last write returns only once the run reads. */
    char row[256];
    const char *header = "Employee ID,Full name,Team,Manager,Level,Months in level,Coding\n";
    cr_assert(write(f->write_fd, header, strlen(header)) > 0);
    for (int i = 0; i < 3000; i++) {
        int len = snprintf(row, sizeof row, "X%05d,Person %d,Stdin,Someone,L2,12,3\n", i, i);
        cr_assert_eq(write(f->write_fd, row, (size_t)len), len);
    }
    int probe = dup(0);
    cr_assert_geq(probe, 0);
    close(probe);
    struct rlimit limit;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &limit), 0);
    limit.rlim_cur = (rlim_t)probe;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &limit), 0);
    close(f->write_fd);
    return NULL;
}

/* Runs evaluate in this process with MATRIX "-" first, fed by feed_then_exhaust; returns the
 * exit code and the text of stderr in text. */
static int run_starved(char **argv, int argc, char *text, size_t size)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    /* The write end above the limit to come, so that closing it frees no lower descriptor. */
    int high = fcntl(fds[1], F_DUPFD, 200);
    cr_assert_geq(high, 200);
    close(fds[1]);
    cr_assert_eq(dup2(fds[0], 0), 0);
    close(fds[0]);
    FILE *out = tmpfile(), *err = tmpfile();
    cr_assert(out != NULL && err != NULL);
    cr_assert_eq(chdir(NL_SOURCE_DIR), 0);
    feeder f = {high};
    pthread_t thread;
    cr_assert_eq(pthread_create(&thread, NULL, feed_then_exhaust, &f), 0);
    int code = nl_cli_run(argc, argv, out, err);
    pthread_join(thread, NULL);
    rewind(err);
    text[fread(text, 1, size - 1, err)] = '\0';
    fclose(out);
    fclose(err);
    return code;
}

/* A folder of many CSV files read once descriptors have run out: exit 4 with a message saying
 * the system ran out of open files (before: "cannot open: Too many open files" alone). */
Test(resources, out_of_descriptors_on_a_folder_of_files_exits_4, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    for (int i = 0; i < 20; i++) {
        char name[32];
        snprintf(name, sizeof name, "team%02d.csv", i);
        free(copy_into(dir, name, "samples/platform.csv"));
    }
    char *argv[] = {"nextlevel", "evaluate",           "--jobs", "1", "--template", IC,
                    "--out",     "/nonexistent/r.csv", "-",      dir, NULL};
    char text[8192];
    int code = run_starved(argv, 10, text, sizeof text);
    cr_assert_eq(code, 4, "exit %d: %s", code, text);
    cr_assert(nl_test_contains(text, "team00.csv: cannot open: Too many open files: the system ran "
                                     "out of open files"),
              "%s", text);
    nl_test_remove_tree(dir);
}

/* The redaction key opened once descriptors have run out: exit 4, not 3 (the key is fine). */
Test(resources, out_of_descriptors_for_the_redaction_key_exits_4, .timeout = 60)
{
    char *argv[] = {"nextlevel",
                    "evaluate",
                    "--jobs",
                    "1",
                    "--template",
                    IC,
                    "--allow-missing-columns",
                    "--redact-key",
                    "samples/platform.csv",
                    "--out",
                    "/nonexistent/r.csv",
                    "-",
                    NULL};
    char text[8192];
    int code = run_starved(argv, 12, text, sizeof text);
    cr_assert_eq(code, 4, "exit %d: %s", code, text);
    cr_assert(nl_test_contains(text, "cannot open the redaction key: Too many open files: the "
                                     "system ran out of open files"),
              "%s", text);
}

/* ---- --out - keeps the rejected rows ---- */

/* With CSV on standard output there is no file beside it: with --quiet the rejected rows
 * follow on stderr as the CSV table FILE.rejected.csv holds; standard output stays the person
 * table alone. Before, --quiet lost them. (Without --quiet they are listed as in every run:
 * test_cli_batch.) */
Test(stdout_csv, rejected_rows_go_to_stderr_as_csv, .timeout = 60)
{
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", "-", "samples/messy-export.csv");
    cr_assert_eq(run.exit_code, 1, "exit %d: %s", run.exit_code, run.err);
    cr_assert(nl_test_contains(run.err, "with --out - they follow here as CSV"), "%s", run.err);
    const char *table = strstr(run.err, "file,line,column,id,reason\n");
    cr_assert_not_null(table, "%s", run.err);
    nl_test_table t = nl_test_parse_csv(table);
    cr_assert_gt(t.rows, 1, "no rejected row in: %s", table);
    cr_assert_str_eq(t.cells[t.width], "samples/messy-export.csv");
    nl_test_free_table(&t);
    cr_assert(!nl_test_contains(run.out, "file,line,column,id,reason"), "%s", run.out);
    /* The same rows as a CSV --out's .rejected.csv. */
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    nl_run file_run =
        RUN("evaluate", "-q", "--template", IC, "--out", out, "samples/messy-export.csv");
    char *beside = nl_test_path_in(dir, "r.rejected.csv");
    char *expected = nl_test_read_all(beside, NULL);
    cr_assert_str_eq(table, expected);
    free(expected);
    free(beside);
    nl_run_free(&file_run);
    free(out);
    nl_test_remove_tree(dir);
    nl_run_free(&run);
}
