/* How the workbook prints: every sheet's footer names the sheet, numbers its pages and carries
 * the confidentiality line (the template's [report] confidentiality, or the default), every
 * table sheet repeats its header row, and body text prints at 8 pt or more
 * (tests/tools/check_print.py reads the sheet XML). The template key is checked by `check`. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"

/* The bundled template with its [report] confidentiality line replaced by line, written to a
 * new file in dir (the caller frees the path). */
static char *template_with(const char *dir, const char *line)
{
    char *ic = nl_test_read_all(nl_test_path(IC), NULL);
    const char *at = strstr(ic, "\nconfidentiality = ");
    cr_assert_not_null(at, "templates/engineering-ic.ini has no [report] confidentiality line");
    at++;
    const char *end = strchr(at, '\n');
    cr_assert_not_null(end);
    size_t len = strlen(ic) + strlen(line) + 2;
    char *edited = malloc(len);
    cr_assert_not_null(edited);
    snprintf(edited, len, "%.*s%s%s", (int)(at - ic), ic, line, end);
    char *path = nl_test_path_in(dir, "t.ini");
    nl_test_write_text(path, edited);
    free(edited);
    free(ic);
    return path;
}

/* Runs the samples with last quarter and calibration into dir/r.xlsx with the template, then
 * check_print.py, and returns its report (the caller frees it). */
static char *print_report(const char *dir, const char *template, const char *confidentiality)
{
    char *xlsx = nl_test_path_in(dir, "r.xlsx");
    nl_run run = RUN("evaluate", "-q", "--template", template, "--previous",
                     "samples/previous-quarter", "--calibrate", "--out", xlsx, "samples");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    char command[8192];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_print.py '%s'%s%s%s 2>&1; true", xlsx,
             confidentiality ? " --confidentiality '" : "", confidentiality ? confidentiality : "",
             confidentiality ? "'" : "");
    free(xlsx);
    return nl_test_capture(command);
}

Test(print, every_sheet_has_the_footer_header_row_and_readable_text, .timeout = 120)
{
    /* Without the key, the default line (check_print.py's default). */
    char *dir = nl_test_temp_dir();
    char *template = template_with(dir, "# no confidentiality line");
    char *report = print_report(dir, template, NULL);
    cr_assert(strncmp(report, "ok", 2) == 0, "check_print.py:\n%s", report);
    free(report);
    free(template);
    nl_test_remove_tree(dir);
}

Test(print, the_template_sets_the_confidentiality_line_with_ampersands_escaped, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *template = template_with(dir, "confidentiality = R&D and HR only: do not forward");
    char *report = print_report(dir, template, "R&D and HR only: do not forward");
    cr_assert(strncmp(report, "ok", 2) == 0, "check_print.py:\n%s", report);
    free(report);
    /* The default line is gone: the template's replaces it. */
    char *xlsx = nl_test_path_in(dir, "r.xlsx");
    char *unzipped = nl_test_unzip(xlsx);
    char *sheet = nl_test_xlsx_part(unzipped, "xl/worksheets/sheet2.xml");
    cr_assert(nl_test_contains(sheet, "R&&D and HR only: do not forward"), "%s", sheet);
    cr_assert(!nl_test_contains(sheet, "for leadership and HR only"));
    free(sheet);
    nl_test_remove_tree(unzipped);
    free(xlsx);
    free(template);
    nl_test_remove_tree(dir);
}

Test(print, check_accepts_the_report_section_and_rejects_a_footer_too_long, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *template = template_with(dir, "confidentiality = Leadership only");
    nl_run run = RUN("check", template);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "printed footer: \"Leadership only\""), "%s", run.out);
    nl_run_free(&run);
    free(template);
    char line[256] = "confidentiality = ";
    for (size_t i = 0; i < 101; i++)
        strcat(line, "x");
    template = template_with(dir, line);
    run = RUN("check", template);
    cr_assert_eq(run.exit_code, 3, "%s%s", run.out, run.err);
    cr_assert(
        nl_test_contains(run.out, "confidentiality must be one line of 1 to 100 characters") ||
            nl_test_contains(run.err, "confidentiality must be one line of 1 to 100 characters"),
        "%s%s", run.out, run.err);
    nl_run_free(&run);
    free(template);
    /* A second [report] would be ignored: an error. */
    char *ic = nl_test_read_all(nl_test_path(IC), NULL);
    char *twice = nl_test_path_in(dir, "twice.ini");
    size_t len = strlen(ic) + 64;
    char *text = malloc(len);
    cr_assert_not_null(text);
    snprintf(text, len, "%s\n[report]\nconfidentiality = Board only\n", ic);
    nl_test_write_text(twice, text);
    run = RUN("check", twice);
    cr_assert_eq(run.exit_code, 3, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "[report] is given more than once") ||
                  nl_test_contains(run.err, "[report] is given more than once"),
              "%s%s", run.out, run.err);
    nl_run_free(&run);
    free(text);
    free(twice);
    free(ic);
    nl_test_remove_tree(dir);
}
