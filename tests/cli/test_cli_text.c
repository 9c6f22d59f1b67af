/* Text from the input reaches every output intact and safe (issue 16, items 1, the terminal
 * escapes, and 8's property test): the property test over a hostile alphabet
 * (tests/tools/check_hostile_text.py); Excel's cell limit counted in UTF-16 units; template
 * texts XML forbids or that are not UTF-8 refused at their line and column; cells and file
 * names never reaching the terminal raw; messages never cut in the middle of a character.
 * Inputs are generated at run time. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"

/* Whether the len bytes of s are valid UTF-8 (what Python's strict decoder accepts). */
static bool valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        size_t n = c < 0x80                 ? 1
                   : c >= 0xC2 && c <= 0xDF ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
        if (n == 0 || i + n > len)
            return false;
        for (size_t k = 1; k < n; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        i += n;
    }
    return true;
}

Test(hostile, every_output_of_a_multi_team_run_stays_valid_and_reads_as_typed, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    /* Three seeds; one under the sanitizers, where each run costs several times as much and
     * what they check is the memory of the runs, the same for every seed's alphabet. */
#if defined(__SANITIZE_ADDRESS__)
    const char *seeds = "1";
#else
    const char *seeds = "1 2 3";
#endif
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_hostile_text.py '%s' '%s' %s 2>&1; true",
             NL_BINARY, dir, seeds);
    char *report = nl_test_capture(command);
    cr_assert(strncmp(report, "ok", 2) == 0, "check_hostile_text.py:\n%s", report);
    free(report);
    nl_test_remove_tree(dir);
}

/* A matrix of one person whose name is name. */
static char *one_person(const char *dir, const char *name)
{
    char *path = nl_test_path_in(dir, "team.csv");
    size_t len = strlen(name) + 256;
    char *text = malloc(len);
    cr_assert_not_null(text);
    snprintf(text, len,
             "Employee ID,Full name,Team,Manager,Level,Months in level,coding\n"
             "E1,\"%s\",Payments,Helena,L2,12,3\n",
             name);
    nl_test_write_text(path, text);
    free(text);
    return path;
}

/* Excel holds 32,767 UTF-16 units a cell, and an emoji is two: a name of 20,000 emoji (40,000
 * units, 20,000 code points, which libxlsxwriter alone lets through) is cut to fit, on a
 * character, with the marker. */
Test(limits, a_cell_is_cut_at_excels_limit_counted_in_utf16_units, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    size_t count = 20000;
    char *name = malloc(count * 4 + 1);
    cr_assert_not_null(name);
    for (size_t i = 0; i < count; i++)
        memcpy(name + i * 4, "\xF0\x9F\x98\x80", 4);
    name[count * 4] = '\0';
    char *csv = one_person(dir, name);
    free(name);
    char *xlsx = nl_test_path_in(dir, "r.xlsx");
    nl_run run = RUN("evaluate", "-q", "--allow-missing-columns", "--template", IC, "--date",
                     "2026-01-01", "--out", xlsx, csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c 'import openpyxl, sys\n"
             "ws = openpyxl.load_workbook(sys.argv[1])[\"Readiness\"]\n"
             "v = ws.cell(row=2, column=2).value\n"
             "units = len(v.encode(\"utf-16-le\")) // 2\n"
             "m = \" [truncated by nextlevel]\"\n"
             "body = v[:-len(m)]\n"
             "ok = units <= 32767 and v.endswith(m) and set(body) == {chr(0x1F600)}\n"
             "print(\"ok\" if ok else \"units %%d, ends %%r\" %% (units, v[-30:]))' '%s' 2>&1; "
             "true",
             xlsx);
    char *report = nl_test_capture(command);
    cr_assert(strncmp(report, "ok", 2) == 0, "%s", report);
    free(report);
    free(xlsx);
    free(csv);
    nl_test_remove_tree(dir);
}

/* The template's name with bad inserted after "Eng", checked: refused (exit 3) with the line
 * and column of the character. */
static void expect_template_refused(const char *bad, const char *what)
{
    char *dir = nl_test_temp_dir();
    char *text = nl_test_read_all(nl_test_path(IC), NULL);
    const char *name = strstr(text, "\nname = Engineering");
    cr_assert_not_null(name);
    long line = 2;
    for (const char *p = text; p < name; p++)
        line += *p == '\n';
    char *path = nl_test_path_in(dir, "t.ini");
    size_t head = (size_t)(name - text) + strlen("\nname = Eng");
    size_t len = strlen(text) + strlen(bad) + 1;
    char *edited = malloc(len);
    cr_assert_not_null(edited);
    snprintf(edited, len, "%.*s%s%s", (int)head, text, bad, text + head);
    nl_test_write_text(path, edited);
    nl_run run = RUN("check", path);
    char where[4200];
    snprintf(where, sizeof where, "%s:%ld:11: error: this line holds %s", path, line, what);
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    cr_assert(nl_test_contains(run.out, where) || nl_test_contains(run.err, where),
              "no '%s' in:\n%s%s", where, run.out, run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", path, "--out", "/dev/null", "samples/payments.csv");
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    nl_run_free(&run);
    free(edited);
    free(text);
    nl_test_remove(path);
    nl_test_remove_tree(dir);
}

Test(template, invalid_utf8_in_a_text_is_an_error_at_its_line_and_column)
{
    expect_template_refused("\xFF", "a character that is not UTF-8 (code 0xFF)");
}

Test(template, a_control_character_in_a_text_is_an_error_at_its_line_and_column)
{
    expect_template_refused("\x01", "an invisible control character (U+0001)");
    expect_template_refused("\x1B[31m", "an invisible control character (U+001B)");
}

Test(template, a_character_xml_forbids_in_a_text_is_an_error_at_its_line_and_column)
{
    expect_template_refused("\xEF\xBF\xBF", "U+FFFF, which is not a character");
}

/* A file named with an escape sequence and a right-to-left override, holding cells with them:
 * inspect and evaluate say so by name, never raw. */
Test(terminal, cells_and_file_names_never_reach_the_terminal_raw, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "a\x1B[2Jb\xE2\x80\xAE.csv");
    nl_test_write_text(csv, "Employee ID,Full name,Team,Manager,Level,Months in level,coding\n"
                            "E1\x1B[31m,Ana,Payments,Helena,L9,12,3\n"
                            "E2,B\xE2\x80\xAEob,Payments,Helena,L2,x\x1B]0;t\x07,3\n"
                            "E3,C\xC2\x9B"
                            "2J,Payments,Helena,L2,12,3\n");
    const char *const commands[][12] = {
        {"inspect", "--template", IC, csv, NULL},
        {"evaluate", "--allow-missing-columns", "--template", IC, "--date", "2026-01-01", "--out",
         "/dev/null", csv, NULL},
    };
    for (size_t c = 0; c < 2; c++) {
        nl_run run = nl_test_run(commands[c]);
        cr_assert_eq(run.exit_code, 1, "%s", run.err);
        const char *streams[] = {run.out, run.err};
        for (size_t s = 0; s < 2; s++) {
            const char *text = streams[s];
            cr_assert(strchr(text, '\x1B') == NULL && strchr(text, '\x07') == NULL,
                      "%s writes a control character:\n%s", commands[c][0], text);
            cr_assert(strstr(text, "\xE2\x80\xAE") == NULL && strstr(text, "\xC2\x9B") == NULL,
                      "%s writes a bidi override or a C1 control:\n%s", commands[c][0], text);
        }
        cr_assert(nl_test_contains(run.err, "a<escape>[2Jb<right-to-left override>.csv") ||
                      nl_test_contains(run.out, "a<escape>[2Jb<right-to-left override>.csv"),
                  "%s", run.err);
        cr_assert(nl_test_contains(run.out, "person E1<escape>[31m") ||
                      nl_test_contains(run.err, "person E1<escape>[31m"),
                  "%s%s", run.out, run.err);
        nl_run_free(&run);
    }
    nl_test_remove(csv);
    nl_test_remove_tree(dir);
}

/* A path longer than the message's 1,024 bytes, of two-byte characters at an odd offset: the
 * message is cut, but never in the middle of a character. */
Test(messages, a_long_path_is_never_cut_inside_a_character)
{
    char path[2048] = "/nonexistent-xy/"; /* 16 bytes: 1,023 cuts a character */
    size_t n = strlen(path);
    while (n + 2 < 1500) {
        memcpy(path + n, "\xC3\xA9", 2); /* é */
        n += 2;
    }
    path[n] = '\0';
    nl_run run = RUN("evaluate", "--template", path, "samples/payments.csv");
    cr_assert_neq(run.exit_code, 0);
    cr_assert(valid_utf8(run.err, strlen(run.err)), "cut inside a character:\n%s", run.err);
    cr_assert(!nl_test_contains(run.err, "<byte 0x"), "cut inside a character:\n%s", run.err);
    cr_assert(nl_test_contains(run.err, "\xC3\xA9\xC3\xA9"), "%s", run.err);
    nl_run_free(&run);
}
