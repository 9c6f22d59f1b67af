/* Reliability on the command line: the bad-input corpus (tests/cases/bad, each file with its
 * exit code and message), inputs too large for any fixed buffer, and faults while writing
 * (missing or read-only folder, full disk, a kill -9): never a crash, never a partial or
 * clobbered report. */
#include "nextlevel/cli.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"

typedef struct bad_case {
    const char *file;
    int exit_code;
    const char *message; /* on stdout (rejected rows) or stderr (unusable) */
} bad_case;

/* Matrices, read with `inspect --template IC FILE` and evaluated to CSV. */
static const bad_case matrices[] = {
    {"empty.csv", 3, "the file is empty: a header row is needed"},
    {"header-only.csv", 0, "rows read: 0, people accepted: 0, rows rejected: 0"},
    {"bom-only.csv", 3, "the file is empty"},
    {"binary-garbage.csv", 3, "binary-garbage.csv:1:1: the header cannot be read"},
    {"nul-byte.csv", 1, "nul-byte.csv:3:2: person B2: the cell holds a NUL byte"},
    /* Read since issue 15: a file that is not UTF-8 as Windows-1252 (with a warning), UTF-16
     * with a BOM converted. */
    {"invalid-utf8.csv", 0, "invalid-utf8.csv is not UTF-8: read as Windows-1252"},
    {"utf16.csv", 0, "encoding: UTF-16LE with BOM"},
    {"unclosed-quote.csv", 1,
     "unclosed-quote.csv:3:2: the quote mark opened on line 3 is never closed"},
    {"ragged-row.csv", 1, "ragged-row.csv:3:5: the row has 4 cells but the header has 9"},
    {"wrong-delimiter.csv", 3, "wrong-delimiter.csv:1: no 'Employee ID' column"},
    {"score-nan.csv", 1, "score-nan.csv:2:6: person G1: 'nan' for Coding is neither a score"},
    {"score-inf.csv", 1, "score-inf.csv:2:6: person G2: 'inf' for Coding"},
    {"score-1e309.csv", 1, "score-1e309.csv:2:6: person G3: '1e309' for Coding"},
    {"score-minus-zero.csv", 1, "score-minus-zero.csv:2:6: person G4: '-0' for Coding"},
    {"score-out-of-scale.csv", 1, "score-out-of-scale.csv:2:6: person G5: '7' for Coding"},
    {"score-unknown-label.csv", 1,
     "score-unknown-label.csv:2:6: person G6: 'Excellent' for Coding"},
    {"score-hex.csv", 1, "score-hex.csv:2:6: person G7: '0x3' for Coding"},
    {"tenure-negative.csv", 1, "tenure-negative.csv:2:5: person H1: Months in level '-3'"},
    {"tenure-huge.csv", 1, "tenure-huge.csv:2:5: person H2: Months in level '99999'"},
    {"duplicate-ids.csv", 1, "duplicate-ids.csv:4:1: person I1: the same id is already on line"},
    {"duplicate-skill-columns.csv", 3,
     "duplicate-skill-columns.csv:1:8: column 'Coding' means "
     "the same as column 6"},
    {"unknown-level.csv", 1,
     "unknown-level.csv:2:4: person K1: level 'L9' is not one of the template's levels"},
    {"empty-id.csv", 1, "empty-id.csv:2:1: the Employee ID cell is empty"},
    {"empty-level.csv", 1, "empty-level.csv:2:4: person K2: the Level cell is empty: fill in"},
    {"stray-quote.csv", 1, "stray-quote.csv:2:2: a quote mark stands in the middle of a cell"},
    {"missing-level-column.csv", 3, "missing-level-column.csv:1: no 'Level' column"},
    {"no-id-column.csv", 3, "no-id-column.csv:1: no 'Employee ID' column"},
    {"attribute-not-number.csv", 1, "attribute-not-number.csv:2:9: person N1: Visibility 'high'"},
    {"long-unknown-skill.csv", 1,
     "long-unknown-skill.csv:3:4: person P1: 'Cooking' is not one of the template's skills"},
    {"long-unknown-role.csv", 1, "long-unknown-role.csv:3:6: person P2: assessor role 'coach'"},
    {"long-level-conflict.csv", 1, "long-level-conflict.csv:3:3: person P3: level 'L3' differs"},
    {"long-bad-score.csv", 1, "long-bad-score.csv:2:5: person P4: 'eleven' for Coding"},
};

/* Templates, checked with `check FILE`. */
static const bad_case templates[] = {
    {"template-cycle.ini", 3, "template-cycle.ini:7: error: the next levels form a cycle"},
    {"template-missing-expectations-file.ini", 3, ":4: error: expectations_file"},
    {"template-gate-wrong-type.ini", 3, ":21: error: 'threshold' must be a number, not 'high'"},
    {"template-priorities-all-zero.ini", 3, ":14: error: priority profile p weighs every family 0"},
    {"template-unknown-gate-kind.ini", 3, ":17: error: 'kind' must be one of"},
    {"template-negative-weight.ini", 3, ":15: error: weight 'technical' is negative"},
    {"template-next-missing.ini", 3, ":9: error: next level 'L7' of L1 does not exist"},
    {"template-long-line.ini", 3, ":2: error: line longer than 199 characters"},
    {"template-no-framework.ini", 3, "error: no [framework] section"},
    {"template-duplicate-section.ini", 3, ":19: error: duplicated id: [skill s]"},
    {"template-empty.ini", 3, "error: no [framework] section"},
    {"template-binary.ini", 3, "error: no [framework] section"},
    {"template-expectation-out-of-scale.ini", 3, ":13: error: level L2: expectation 9"},
    {"two-errors.ini", 3, ":9: error: unknown key 'colour' in [skill coding]"},
};

Test(bad_inputs, every_matrix_gives_its_message_and_exit_code, .timeout = 120)
{
    cr_assert_geq(sizeof matrices / sizeof *matrices + sizeof templates / sizeof *templates, 40);
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    for (size_t i = 0; i < sizeof matrices / sizeof *matrices; i++) {
        char path[256];
        snprintf(path, sizeof path, "tests/cases/bad/%s", matrices[i].file);
        nl_run run = RUN("inspect", "--template", IC, path);
        cr_expect_eq(run.exit_code, matrices[i].exit_code, "%s: exit %d: %s%s", path, run.exit_code,
                     run.out, run.err);
        cr_expect(nl_test_contains(run.out, matrices[i].message) ||
                      nl_test_contains(run.err, matrices[i].message),
                  "%s: '%s' missing in:\n%s%s", path, matrices[i].message, run.out, run.err);
        nl_run_free(&run);
        /* evaluate agrees, and an unusable input writes nothing at all (a deliberate partial
         * run: several files hold only the columns their case needs). */
        run =
            RUN("evaluate", "-q", "--allow-missing-columns", "--template", IC, "--out", out, path);
        cr_expect_eq(run.exit_code, matrices[i].exit_code, "evaluate %s: %s", path, run.err);
        if (matrices[i].exit_code == 3)
            cr_expect_eq(nl_test_count_entries(dir), 0, "%s: an output was written", path);
        nl_run_free(&run);
        char command[4096];
        snprintf(command, sizeof command, "rm -f '%s'/*", dir);
        nl_test_shell(command);
    }
    free(out);
    nl_test_remove_tree(dir);
}

Test(bad_inputs, every_template_gives_its_message_and_exit_code, .timeout = 60)
{
    for (size_t i = 0; i < sizeof templates / sizeof *templates; i++) {
        char path[256];
        snprintf(path, sizeof path, "tests/cases/bad/%s", templates[i].file);
        nl_run run = RUN("check", path);
        cr_expect_eq(run.exit_code, templates[i].exit_code, "%s: exit %d: %s", path, run.exit_code,
                     run.err);
        cr_expect(nl_test_contains(run.err, templates[i].message), "%s: '%s' missing in:\n%s", path,
                  templates[i].message, run.err);
        nl_run_free(&run);
    }
}

#define HEADER "Employee ID,Full name,Level,Coding\n"

Test(bad_inputs, a_ten_megabyte_field_is_rejected_not_crashed, .timeout = 60)
{
    size_t big = 10u << 20;
    char *data = malloc(big + 256);
    int n = sprintf(data, HEADER "Q1,Big,L2,");
    memset(data + n, '9', big);
    n += (int)big;
    n += sprintf(data + n, "\nQ2,Small,L2,3\n");
    char *csv = nl_test_write_temp(".csv", data, (size_t)n);
    nl_run run = RUN("inspect", "--template", IC, csv);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.out, ":2:4: person Q1: '999999"), "%.300s", run.out);
    cr_assert(nl_test_contains(run.out, "people accepted: 1, rows rejected: 1"));
    nl_run_free(&run);
    nl_test_remove(csv);
    free(data);
}

/* 10 s: under AddressSanitizer, one realloc per unknown column made this take 20 s. */
Test(bad_inputs, twenty_thousand_columns_are_read, .timeout = 10)
{
    size_t cap = 20000 * 16 + 256; /* ",extraNNNNN" and ",N" per column */
    char *data = malloc(cap);
    size_t n = (size_t)sprintf(data, "Employee ID,Level");
    for (int c = 0; c < 20000; c++)
        n += (size_t)sprintf(data + n, ",extra%d", c);
    n += (size_t)sprintf(data + n, "\nR1,L2");
    for (int c = 0; c < 20000; c++)
        n += (size_t)sprintf(data + n, ",%d", c % 5 + 1);
    data[n++] = '\n';
    char *csv = nl_test_write_temp(".csv", data, n);
    nl_run run = RUN("inspect", "--template", IC, csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "people accepted: 1, rows rejected: 0"));
    cr_assert(nl_test_contains(run.out, "\"extra19999\""), "the last unknown column is listed");
    nl_run_free(&run);
    nl_test_remove(csv);
    free(data);
}

Test(bad_inputs, one_bad_row_among_a_hundred_thousand_is_found_at_its_line, .timeout = 60)
{
    size_t cap = 100000 * 24 + 64;
    char *data = malloc(cap);
    size_t n = (size_t)sprintf(data, HEADER);
    for (int i = 1; i <= 100000; i++)
        n += (size_t)sprintf(data + n, "S%d,N,L2,%s\n", i, i == 50000 ? "eleven" : "3");
    char *csv = nl_test_write_temp(".csv", data, n);
    nl_run run = RUN("inspect", "--template", IC, csv);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    /* Row 50,000 is on line 50,001 (the header is line 1). */
    cr_assert(nl_test_contains(run.out, ":50001:4: person S50000: 'eleven' for Coding"), "%.500s",
              run.out);
    cr_assert(nl_test_contains(run.out, "rows read: 100000, people accepted: 99999, rows "
                                        "rejected: 1"));
    nl_run_free(&run);
    nl_test_remove(csv);
    free(data);
}

/* ---- faults while writing ---- */

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

NL_ENV_TEST(faults, a_read_only_folder_exits_4_and_writes_nothing, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *report = nl_test_path_in(dir, "report.xlsx");
    write_previous(report);
    char command[4096];
    /* Root ignores permissions; an immutable folder stops it too. */
    snprintf(command, sizeof command, "chattr +i '%s' 2>/dev/null || chmod 0555 '%s'", dir, dir);
    nl_test_shell(command);
    snprintf(command, sizeof command, "touch '%s/probe' 2>/dev/null", dir);
    if (nl_test_shell(command) == 0) {
        snprintf(command, sizeof command, "rm -f '%s/probe'", dir);
        nl_test_shell(command);
        nl_test_skip_env("cannot make a folder read-only here");
    }
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", report, "samples/platform.csv");
    snprintf(command, sizeof command, "chattr -i '%s' 2>/dev/null; chmod 0755 '%s'", dir, dir);
    nl_test_shell(command);
    cr_assert_eq(run.exit_code, 4, "%s", run.err);
    cr_assert(nl_test_contains(run.err, report), "the message names the output: %s", run.err);
    cr_assert(previous_intact(report));
    cr_assert_eq(nl_test_count_entries(dir), 1);
    nl_run_free(&run);
    free(report);
    nl_test_remove_tree(dir);
}

NL_ENV_TEST(faults, a_full_disk_exits_4_and_keeps_the_previous_report, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char command[4096];
    snprintf(command, sizeof command, "mount -t tmpfs -o size=16k tmpfs '%s' 2>/dev/null", dir);
    if (nl_test_shell(command) != 0) {
        nl_test_remove_tree(dir);
        nl_test_skip_env("cannot mount a small file system here");
    }
    char *json = nl_test_path_in(dir, "report.json"), *xlsx = nl_test_path_in(dir, "report.xlsx");
    write_previous(json);
    write_previous(xlsx);
    /* The samples' JSON (about 600 kB) and workbook (about 60 kB) cannot fit in 16 kB. */
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", json, "samples/platform.csv",
                     "samples/payments.csv");
    int json_exit = run.exit_code;
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", IC, "--out", xlsx, "samples/platform.csv",
              "samples/payments.csv");
    int xlsx_exit = run.exit_code;
    char *err = run.err;
    run.err = NULL;
    nl_run_free(&run);
    bool json_kept = previous_intact(json), xlsx_kept = previous_intact(xlsx);
    size_t entries = nl_test_count_entries(dir);
    snprintf(command, sizeof command, "umount '%s'", dir);
    nl_test_shell(command);
    cr_assert_eq(json_exit, 4);
    cr_assert_eq(xlsx_exit, 4, "%s", err);
    cr_assert(json_kept && xlsx_kept, "a previous report was clobbered");
    cr_assert_eq(entries, 2, "a partial or temporary file was left");
    free(err);
    free(json);
    free(xlsx);
    nl_test_remove_tree(dir);
}

Test(faults, standard_output_on_a_full_device_exits_4, .timeout = 30)
{
    int status = nl_test_shell(NL_BINARY " evaluate -q --template " IC
                                         " --out - samples/platform.csv > /dev/full 2>/dev/null");
    cr_assert_eq(status, 4);
}

/* Running out of file descriptors is running out of a resource, like memory: exit 4, a
 * message that says so, and nothing written. With 12 descriptors the workbook's sheets (each a
 * temporary file in constant-memory mode) cannot all be opened. */
Test(resources, out_of_file_descriptors_for_the_sheets_exits_4, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *report = nl_test_path_in(dir, "report.xlsx"), *log = nl_test_path_in(dir, "err.txt");
    char command[8192];
    snprintf(command, sizeof command,
             "sh -c 'ulimit -n 12; exec \"$0\" \"$@\"' " NL_BINARY
             " evaluate -q --jobs 1 --template " IC " --out '%s' samples 2>'%s'",
             report, log);
    int status = nl_test_shell(command);
    char *err = nl_test_read_all(log, NULL);
    cr_assert_eq(status, 4, "exit %d: %s", status, err);
    cr_assert(nl_test_contains(err, "Too many open files"), "%s", err);
    cr_assert(nl_test_contains(err, report), "the message names the output: %s", err);
    nl_test_remove(log);
    cr_assert_eq(nl_test_count_entries(dir), 0, "an output or a temporary file was left");
    free(err);
    free(report);
    nl_test_remove_tree(dir);
}

/* Makes the next open() fail with EMFILE: the limit becomes the lowest free descriptor. Only
 * for use in a test, which Criterion runs in a process of its own. */
static void exhaust_descriptors(void)
{
    int probe = dup(0);
    cr_assert_geq(probe, 0);
    close(probe);
    struct rlimit limit;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &limit), 0);
    limit.rlim_cur = (rlim_t)probe;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &limit), 0);
}

/* An input that cannot be opened for want of descriptors is not an unusable input (exit 3):
 * the run stops at once with exit 4. Run in this process (the binary's loader would need a
 * descriptor before main), through the same entry point as main. */
Test(resources, out_of_file_descriptors_for_an_input_exits_4, .timeout = 60)
{
    FILE *out = tmpfile(), *err = tmpfile();
    cr_assert(out != NULL && err != NULL);
    char *argv[] = {"nextlevel",
                    "evaluate",
                    "--jobs",
                    "1",
                    "--template",
                    IC,
                    "--out",
                    "/nonexistent/report.xlsx",
                    "samples/platform.csv",
                    NULL};
    cr_assert_eq(chdir(NL_SOURCE_DIR), 0);
    exhaust_descriptors();
    int code = nl_cli_run(9, argv, out, err);
    char text[4096] = "";
    rewind(err);
    text[fread(text, 1, sizeof text - 1, err)] = '\0';
    cr_assert_eq(code, 4, "exit %d: %s", code, text);
    cr_assert(nl_test_contains(text, IC ": cannot open the template: Too many open files"), "%s",
              text);
    fclose(out);
    fclose(err);
}

/* A kill -9 while the workbook is being written leaves the previous report as it was and no
 * other file: the new one has no name until it is complete. The kill waits until the run holds
 * a file open in the output folder, so it provably lands mid-write (tests/cli/test_cli_signals.c
 * covers the file systems without unnamed files, and the other signals). */
Test(faults, a_kill_midway_leaves_the_previous_report_and_nothing_else, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *data = nl_test_path_in(dir, "data");
    char command[4096];
    snprintf(command, sizeof command,
             "python3 bench/gen.py --people 4000 --skills 20 '%s' >/dev/null", data);
    cr_assert_eq(nl_test_shell(command), 0);
    char *out = nl_test_path_in(dir, "out");
    snprintf(command, sizeof command, "mkdir '%s'", out);
    nl_test_shell(command);
    char *report = nl_test_path_in(out, "report.xlsx");
    write_previous(report);
    char *template = nl_test_path_in(data, "template.ini");
    char *matrix = nl_test_path_in(data, "matrix-001.csv");
    pid_t pid = fork();
    if (pid == 0) {
        int null_fd = open("/dev/null", 1);
        dup2(null_fd, 1);
        dup2(null_fd, 2);
        execl(NL_BINARY, NL_BINARY, "evaluate", "-q", "--template", template, "--out", report,
              matrix, (char *)NULL);
        _exit(127);
    }
    bool writing = nl_test_wait_writing(pid, out, 60);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(writing && WIFSIGNALED(status),
              "the run ended before it wrote anything: make the input larger");
    cr_assert(previous_intact(report), "the previous report was clobbered");
    cr_assert_eq(nl_test_count_entries(out), 1, "a partial file was left beside the report");
    free(template);
    free(matrix);
    free(report);
    free(out);
    free(data);
    nl_test_remove_tree(dir);
}

/* ---- hostile content ---- */

/* OWASP CSV-injection payloads as names and teams: text in every output, never a formula (the
 * matrix has no skills: a deliberate partial run). */
Test(hostile, formula_payloads_stay_text_in_csv_and_xlsx, .timeout = 60)
{
    static const char matrix[] =
        "Employee ID,Full name,Team,Level\n"
        "O1,\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\",Core,L2\n"
        "O2,+1+1,\"=cmd|' /C calc'!A0\",L2\n"
        "O3,-2+3,@SUM(A1),L2\n"
        "O4,@SUM(1+1)*cmd|' /C calc'!A0,Core,L2\n"
        "O5,\"\t=1+1\",Core,L2\n";
    char *csv = nl_test_write_temp(".csv", matrix, sizeof matrix - 1);
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv"), *xlsx = nl_test_path_in(dir, "r.xlsx");
    nl_run run =
        RUN("evaluate", "-q", "--allow-missing-columns", "--template", IC, "--out", out, csv);
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    size_t len;
    char *text = nl_test_read_all(out, &len);
    /* Every payload cell starts with an apostrophe inside its quotes. */
    static const char *const
        neutralised[] = {"\"'=HYPERLINK(", "\"'+1+1\"",     "\"'=cmd|' /C calc'!A0\"",
                         "\"'-2+3\"",      "\"'@SUM(A1)\"", "\"'@SUM(1+1)",
                         "\"'=1+1\"" /* the leading tab is trimmed like any space around a cell */};
    for (size_t i = 0; i < sizeof neutralised / sizeof *neutralised; i++)
        cr_expect(strstr(text, neutralised[i]) != NULL, "missing %s in:\n%.400s", neutralised[i],
                  text);
    cr_expect(strstr(text, "\n=") == NULL && strstr(text, ",=") == NULL &&
                  strstr(text, ",+") == NULL && strstr(text, ",@") == NULL,
              "a cell starts with a formula character");
    free(text);
    run = RUN("evaluate", "-q", "--allow-missing-columns", "--template", IC, "--out", xlsx, csv);
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    /* The workbook holds the payloads as text: the only formulas are the What if sheet's own
     * and the Summary's counts that read it, and none of them holds a payload. */
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"import openpyxl,sys\n"
             "wb=openpyxl.load_workbook(sys.argv[1])\n"
             "for ws in wb:\n"
             "    for row in ws.iter_rows():\n"
             "        for c in row:\n"
             "            if c.data_type != 'f': continue\n"
             "            ok = ws.title == 'What if' or (ws.title == 'Summary' and "
             "('What if' in c.value or c.value.startswith('=B')))\n"
             "            if not ok or 'HYPERLINK' in c.value or 'cmd' in c.value: sys.exit(1)\n"
             "top={'Readiness': 1, 'What if': [c.row for c in wb['What if']['A'] "
             "if c.value == 'ID'][0]}\n"
             "for name in top:\n"
             "    v=[c for c in wb[name]['B'][top[name]:] if c.value is not None]\n"
             "    if not any(c.value == '+1+1' or c.value.startswith('=HYPERLINK') for c in v) or "
             "any(c.data_type != 's' for c in v): sys.exit(1)\n"
             "\" '%s'",
             xlsx);
    cr_assert_eq(nl_test_shell(command), 0, "a payload became a formula in the workbook");
    free(out);
    free(xlsx);
    nl_test_remove_tree(dir);
    nl_test_remove(csv);
}
