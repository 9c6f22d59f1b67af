/* The benchmark's write floor (bench/floor_write.c) must write every cell nextlevel's workbook
 * holds, or the ratio against it means nothing. At 1,000,000 people the Gates sheet needs
 * some 7,000,000 rows: the floor used to stop at Excel's 1,048,575 (libxlsxwriter drops later
 * rows), so it wrote a seventh of them. Like nextlevel it now continues on "Gates (2)" and so
 * on; FLOOR_MAX_ROWS lowers the limit so that this can be seen on the samples. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IC "templates/engineering-ic.ini"

NL_ENV_TEST(bench_floor, sheets_continue_past_the_row_limit_and_keep_every_row, .timeout = 120)
{
#ifndef NL_FLOOR_WRITE
    nl_test_skip_env("the benchmark's floor programs are not built (NEXTLEVEL_BENCH=OFF)");
#else
    if (nl_test_shell("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0)
        nl_test_skip_env("python3-openpyxl is not installed");
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "results.csv"), *xlsx = nl_test_path_in(dir, "floor.xlsx");
    nl_run run = nl_test_run((const char *[]){"evaluate", "-q", "--template", IC, "--out", csv,
                                              "samples/platform.csv", "samples/payments.csv",
                                              "samples/mobile.csv", NULL});
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    size_t len;
    char *text = nl_test_read_file(csv, &len);
    nl_test_table results = nl_test_parse_csv(text);
    free(text);
    size_t people = results.rows - 1, gates = 0, plans = 0;
    for (size_t c = 0; c < results.width; c++) {
        size_t name_len = strlen(results.cells[c]);
        gates += name_len > 7 && strcmp(results.cells[c] + name_len - 7, "_status") == 0;
    }
    size_t plan = nl_test_column(&results, "development_plan");
    for (size_t r = 1; r < results.rows; r++)
        plans += results.cells[r * results.width + plan][0] != '\0';
    nl_test_free_table(&results);
    cr_assert_gt(people * gates, 40, "enough gate rows to need three sheets");

    char command[4096];
    snprintf(command, sizeof command, "FLOOR_MAX_ROWS=20 '%s' '%s' 5 '%s' >/dev/null",
             NL_FLOOR_WRITE, csv, xlsx);
    cr_assert_eq(nl_test_shell(command), 0);
    /* Data rows per sheet, as an independent reader counts them (row 1 is the header's). */
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c 'import openpyxl, sys\n"
             "for ws in openpyxl.load_workbook(sys.argv[1], read_only=True):\n"
             "    print(sum(1 for row in ws.iter_rows(min_row=2) if any(c.value is not None "
             "for c in row)), ws.title)' '%s'",
             xlsx);
    char *sheets = nl_test_capture(command);
    size_t readiness = 0, gate_rows = 0, plan_rows = 0, gate_sheets = 0;
    for (char *line = strtok(sheets, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        char *title = strchr(line, ' ');
        cr_assert_not_null(title);
        size_t rows = strtoul(line, NULL, 10);
        title++;
        cr_expect_leq(rows, 20, "%s holds %zu rows, over the limit of 20", title, rows);
        if (strncmp(title, "Readiness", 9) == 0)
            readiness += rows;
        if (strncmp(title, "Gates", 5) == 0) {
            gate_rows += rows;
            gate_sheets++;
        }
        if (strncmp(title, "Development plans", 17) == 0)
            plan_rows += rows;
    }
    free(sheets);
    cr_expect_eq(readiness, people, "Readiness rows %zu of %zu people", readiness, people);
    cr_expect_eq(gate_rows, people * gates, "Gates rows %zu of %zu", gate_rows, people * gates);
    cr_expect_eq(gate_sheets, (people * gates + 19) / 20, "Gates in %zu sheets", gate_sheets);
    cr_expect_eq(plan_rows, plans, "Development plans rows %zu of %zu", plan_rows, plans);
    free(csv);
    free(xlsx);
    nl_test_remove_tree(dir);
#endif
}
