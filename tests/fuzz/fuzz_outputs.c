/* libFuzzer target: bytes through the whole run to every output a person gets, checked by
 * parsers that are not nextlevel's. The input is split at lines holding only "%%" into:
 *
 *   options    byte 0: flags (below); the rest: the first matrix's file name (before ".csv")
 *   template   the framework template (INI)
 *   matrix     this quarter's first matrix (CSV)
 *   [matrix]   a second file of this quarter (none when the part is empty)
 *   [previous] last quarter's matrix (--previous; none when the part is empty)
 *   [grid]     grid.csv beside the template, for a template's expectations_file
 *
 * The files go to a scratch folder (tmpfs) and nextlevel's own command line runs on them in
 * this process, three times: the workbook with per-team (or per-manager) packs, then CSV with
 * its rejected rows and sibling tables, then JSON, all with --jobs 1 (no threads, no forked
 * pack writers). Then every output is checked: each XML part of each workbook parses with
 * libxml2, each CSV is UTF-8 and RFC 4180 with rows of one width, the JSON is UTF-8 and parses
 * with jansson, no temporary file is left, a run that exits 0 or 1 has written its output, and
 * its messages are UTF-8 with nothing a terminal would act on.
 * An exit of 4 (an output could not be written, in a writable folder with room) fails too.
 *
 * Flags: 1 --calibrate, 2 --redact-key, 4 --detail summary, 8 --split-by manager (else team),
 * 16|32 the CSV dialect (template's, plain, excel, excel-eu), 64 --allow-missing-columns,
 * 128 --encoding CP1252. */
#include "fuzz_support.h"

#include "nextlevel/cli.h"
#include "nextlevel/framework.h"
#include "nextlevel/textout.h"

#include <libxml/parser.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char in_dir[512], data_dir[512], out_dir[512];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fz_scratch("outputs");
    snprintf(in_dir, sizeof in_dir, "%s/in", dir);
    snprintf(data_dir, sizeof data_dir, "%s/in/data", dir);
    snprintf(out_dir, sizeof out_dir, "%s/out", dir);
    /* Every date in the outputs from one fixed day, as reproducible builds do. */
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    xmlInitParser();
    return 0;
}

/* A template may name a grid file: keep it to files beside the template, so that a fuzzed
 * template never reads outside the scratch folder. Lines that set expectations_file, and
 * indented lines (which continue a value), lose their slashes. */
static void write_template(const fz_part *part)
{
    char *text = malloc(part->size + 1);
    if (text == NULL)
        abort();
    memcpy(text, part->data, part->size);
    text[part->size] = '\0';
    for (size_t start = 0; start < part->size;) {
        size_t end = start;
        while (end < part->size && text[end] != '\n')
            end++;
        char saved = text[end];
        text[end] = '\0';
        bool confine = text[start] == ' ' || text[start] == '\t' ||
                       strcasestr(text + start, "expectations_file") != NULL;
        text[end] = saved;
        for (size_t k = start; confine && k < end; k++)
            if (text[k] == '/')
                text[k] = '_';
        start = end + 1;
    }
    fz_write(in_dir, "t.ini", text, part->size);
    free(text);
}

/* The first matrix's name from the options part: any bytes but '/' and NUL, at most 40. */
static void matrix_name(const fz_part *options, char *name, size_t room)
{
    size_t len = 0;
    for (size_t k = 1; k < options->size && len < 40 && len + 5 < room; k++)
        name[len++] =
            options->data[k] == '/' || options->data[k] == '\0' ? '_' : (char)options->data[k];
    if (len == 0)
        name[len++] = 'm';
    memcpy(name + len, ".csv", 5);
}

static int run(char **args, int count)
{
    char *argv[40];
    memcpy(argv, args, (size_t)count * sizeof *argv);
    argv[count] = NULL;
    return fz_run_cli(count, argv);
}

/* Checks the output of one run that exited with code. */
static void check_run(int code, const char *out_path, const char *what)
{
    struct stat st;
    if (code == 4)
        fz_fail("the %s run exited 4: an output could not be written", what);
    if ((code == 0 || code == 1) && stat(out_path, &st) != 0)
        fz_fail("the %s run exited %d but wrote no %s", what, code, out_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_part parts[6];
    size_t count = fz_split(data, size, parts, 6);
    if (count < 3)
        return 0;
    uint8_t flags = parts[0].size > 0 ? parts[0].data[0] : 0;
    const char *dir = fz_scratch("outputs");
    fz_clear(dir);
    if (mkdir(in_dir, 0700) != 0 || mkdir(data_dir, 0700) != 0 || mkdir(out_dir, 0700) != 0)
        fz_fail("cannot make the folders in %s", dir);

    char name[48], template_path[600], first[600], second[600], previous[600];
    char key_path[600], packs[600], xlsx[600], csv[600], json[600];
    matrix_name(&parts[0], name, sizeof name);
    snprintf(template_path, sizeof template_path, "%s/t.ini", in_dir);
    snprintf(first, sizeof first, "%s/%s", data_dir, name);
    snprintf(second, sizeof second, "%s/second.csv", data_dir);
    snprintf(previous, sizeof previous, "%s/previous.csv", data_dir);
    snprintf(key_path, sizeof key_path, "%s/key", in_dir);
    snprintf(packs, sizeof packs, "%s/packs", out_dir);
    snprintf(xlsx, sizeof xlsx, "%s/report.xlsx", out_dir);
    snprintf(csv, sizeof csv, "%s/report.csv", out_dir);
    snprintf(json, sizeof json, "%s/report.json", out_dir);

    write_template(&parts[1]);
    fz_write(data_dir, name, parts[2].data, parts[2].size);
    /* An optional part left empty is no file (the first matrix may be empty). */
    bool has_second = count > 3 && parts[3].size > 0, has_previous = count > 4 && parts[4].size > 0;
    if (has_second)
        fz_write(data_dir, "second.csv", parts[3].data, parts[3].size);
    if (has_previous)
        fz_write(data_dir, "previous.csv", parts[4].data, parts[4].size);
    if (count > 5)
        fz_write(in_dir, "grid.csv", parts[5].data, parts[5].size);
    fz_write(in_dir, "key", "a fixed key for the fuzzer's redacted runs\n", 43);

    char *args[40];
    int n = 0;
    args[n++] = "nextlevel";
    args[n++] = "evaluate";
    args[n++] = "--template";
    args[n++] = template_path;
    args[n++] = "--jobs";
    args[n++] = "1";
    if (flags & 1)
        args[n++] = "--calibrate";
    if (flags & 2) {
        args[n++] = "--redact-key";
        args[n++] = key_path;
    }
    if (flags & 4) {
        args[n++] = "--detail";
        args[n++] = "summary";
    }
    if (flags & 64)
        args[n++] = "--allow-missing-columns";
    if (flags & 128) {
        args[n++] = "--encoding";
        args[n++] = "CP1252";
    }
    if (has_previous) {
        args[n++] = "--previous";
        args[n++] = previous;
    }
    args[n++] = first;
    if (has_second)
        args[n++] = second;
    int common = n;

    /* The workbook and its packs. */
    args[n++] = "--split-by";
    args[n++] = flags & 8 ? "manager" : "team";
    args[n++] = "--out-dir";
    args[n++] = packs;
    args[n++] = "--out";
    args[n++] = xlsx;
    int code = run(args, n);
    check_run(code, xlsx, "workbook");
    /* A template or the inputs that cannot be used fail the same way whatever the format. */
    if (code == 0 || code == 1) {
        static const char *dialects[] = {NULL, "plain", "excel", "excel-eu"};
        const char *dialect = dialects[(flags >> 4) & 3];
        n = common;
        args[n++] = "--out";
        args[n++] = csv;
        if (dialect != NULL) {
            args[n++] = "--csv-dialect";
            args[n++] = (char *)dialect;
        }
        check_run(run(args, n), csv, "CSV");
        n = common;
        args[n++] = "--out";
        args[n++] = json;
        check_run(run(args, n), json, "JSON");
        /* The separator of the CSV files: the template's dialect when none is forced. */
        nl_csv_dialect used = NL_DIALECT_PLAIN;
        if (dialect != NULL) {
            nl_csv_dialect_parse(dialect, &used);
        } else {
            nl_framework *fw = NULL;
            nl_error err;
            if (nl_framework_load(template_path, &fw, &err) == NL_OK)
                used = fw->report.csv_dialect;
            nl_framework_free(fw);
        }
        char sep = used == NL_DIALECT_EXCEL_EU ? ';' : ',';
        fz_check_tree(out_dir, sep);
    } else {
        fz_check_tree(out_dir, ',');
    }
    return 0;
}
