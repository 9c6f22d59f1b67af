/* `nextlevel inspect`: per-file reports, rejected rows as FILE:LINE:COLUMN, exit codes. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"

Test(cli_inspect, all_samples_with_the_messy_export_exit_1)
{
    nl_run run =
        RUN("inspect", "--template", IC, "samples/platform.csv", "samples/payments.csv",
            "samples/mobile.csv", "samples/design-systems-long.csv", "samples/messy-export.csv");
    cr_assert_eq(run.exit_code, 1, "rejected rows give exit 1; stderr: %s", run.err);
    cr_assert_str_empty(run.err, "%s", run.err);
    static const char *const rejected[] = {
        "samples/messy-export.csv:7:10: person E1405: 'Excellent' for Operations and reliability",
        "samples/messy-export.csv:9:8: person E1407: '7' for System design",
        "samples/messy-export.csv:10:5: person E1408: level 'L9'",
        "samples/messy-export.csv:12:13: the row has 12 cells but the header has 21",
        "samples/messy-export.csv:13:1: person E1403: the same id is already on line 5 of "
        "samples/messy-export.csv",
        "samples/messy-export.csv:14:1: the Employee ID cell is empty",
    };
    const char *previous = run.out;
    for (size_t i = 0; i < sizeof rejected / sizeof *rejected; i++) {
        const char *at = strstr(run.out, rejected[i]);
        cr_assert_not_null(at, "missing '%s' in:\n%s", rejected[i], run.out);
        cr_assert_geq(at, previous, "'%s' out of line order", rejected[i]);
        previous = at;
    }
    cr_assert(nl_test_contains(run.out, "samples/messy-export.csv: wide format, "
                                        "semicolon-delimited"));
    cr_assert(nl_test_contains(run.out, "rows read: 14, people accepted: 8, rows rejected: 6"));
    cr_assert(nl_test_contains(run.out, "samples/design-systems-long.csv: long format"));
    cr_assert(nl_test_contains(run.out, "rows read: 208, people accepted: 5, rows rejected: 0"));
    cr_assert(nl_test_contains(run.out, "rows read: 11, people accepted: 11, rows rejected: 0"));
    /* platform.csv: Hannah Schmidt's security cell is empty. */
    cr_assert(nl_test_contains(run.out, "security                      90.9%  (10/11)"), "%s",
              run.out);
    cr_assert(nl_test_contains(run.out, "total: 5 files, 43 people accepted, 6 rows rejected"),
              "%s", run.out);
    nl_run_free(&run);
}

Test(cli_inspect, clean_files_alone_exit_0)
{
    nl_run run = RUN("inspect", "--template", IC, "samples/platform.csv", "samples/payments.csv",
                     "samples/mobile.csv", "samples/design-systems-long.csv");
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    cr_assert_str_empty(run.err);
    cr_assert_not(nl_test_contains(run.out, "rejected rows:"));
    cr_assert(nl_test_contains(run.out, "total: 4 files, 35 people accepted, 0 rows rejected"),
              "%s", run.out);
    nl_run_free(&run);
}

Test(cli_inspect, a_file_without_the_id_column_exits_3)
{
    nl_run run = RUN("inspect", "--template", IC, "tests/cases/bad/no-id-column.csv");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, "tests/cases/bad/no-id-column.csv:1: no 'Employee ID' "
                                        "column"),
              "%s", run.err);
    nl_run_free(&run);
}

Test(cli_inspect, an_unusable_file_among_good_ones_still_exits_3)
{
    nl_run run = RUN("inspect", "--template", IC, "samples/platform.csv",
                     "tests/cases/bad/no-id-column.csv", "samples/messy-export.csv");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, "tests/cases/bad/no-id-column.csv:1: "), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "no 'Employee ID' column"), "%s", run.err);
    cr_assert(nl_test_contains(run.out, "samples/platform.csv: wide format"),
              "the other files are still reported: %s", run.out);
    cr_assert(nl_test_contains(
        run.out, "samples/messy-export.csv:13:1: person E1403: the same id is already"));
    nl_run_free(&run);
}

Test(cli_inspect, a_missing_matrix_file_exits_3)
{
    nl_run run = RUN("inspect", "--template", IC, "samples/no-such-team.csv");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, "samples/no-such-team.csv"), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "No such file"), "%s", run.err);
    nl_run_free(&run);
}

Test(cli_inspect, quiet_prints_nothing_on_stdout)
{
    nl_run run = RUN("inspect", "--quiet", "--template", IC, "samples/platform.csv",
                     "samples/messy-export.csv");
    cr_assert_eq(run.exit_code, 1, "the exit code still tells about rejected rows");
    cr_assert_str_empty(run.out, "%s", run.out);
    nl_run_free(&run);
    run = RUN("inspect", "-q", "--template", IC, "samples/platform.csv");
    cr_assert_eq(run.exit_code, 0);
    cr_assert_str_empty(run.out, "%s", run.out);
    cr_assert_str_empty(run.err, "%s", run.err);
    nl_run_free(&run);
}

Test(cli_inspect, a_forced_delimiter)
{
    /* The header has as many commas (in a free-text column name) as semicolons, so detection
     * picks the comma and finds no id column; --delimiter ';' reads it right. */
    nl_run run = RUN("inspect", "--template", IC, "tests/cases/matrix/semicolon-tie.csv");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, "semicolon-tie.csv:1: no 'Employee ID' column"), "%s",
              run.err);
    nl_run_free(&run);

    run = RUN("inspect", "--template", IC, "--delimiter", ";",
              "tests/cases/matrix/semicolon-tie.csv");
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    cr_assert(nl_test_contains(run.out, "semicolon-tie.csv: wide format, semicolon-delimited"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "people accepted: 1"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "\"Comment (free text, any length, no format, please)\""),
              "%s", run.out);
    nl_run_free(&run);

    run = RUN("inspect", "--template", IC, "--delimiter", "semicolon",
              "tests/cases/matrix/semicolon-tie.csv");
    cr_assert_eq(run.exit_code, 0, "stderr: %s", run.err);
    nl_run_free(&run);

    /* Forcing the wrong delimiter leaves one header cell: no id column. */
    run = RUN("inspect", "--template", IC, "--delimiter", "tab", "samples/platform.csv");
    cr_assert_eq(run.exit_code, 3);
    nl_run_free(&run);
}

Test(cli_inspect, usage_errors_exit_2)
{
    nl_run run = RUN("inspect", "samples/platform.csv");
    cr_assert_eq(run.exit_code, 2, "no --template");
    cr_assert(nl_test_contains(run.err, "--template"), "%s", run.err);
    nl_run_free(&run);
    run = RUN("inspect", "--template", IC);
    cr_assert_eq(run.exit_code, 2, "no matrix file");
    nl_run_free(&run);
    run = RUN("inspect", "--template", IC, "--delimiter", "|", "samples/platform.csv");
    cr_assert_eq(run.exit_code, 2);
    cr_assert(nl_test_contains(run.err, "--delimiter"), "%s", run.err);
    nl_run_free(&run);
    run = RUN("inspect", "--template");
    cr_assert_eq(run.exit_code, 2);
    nl_run_free(&run);
}

Test(cli_inspect, a_bad_template_exits_3_before_reading)
{
    nl_run run =
        RUN("inspect", "--template", "tests/cases/bad/two-errors.ini", "samples/platform.csv");
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, "tests/cases/bad/two-errors.ini:9:"), "%s", run.err);
    cr_assert_not(nl_test_contains(run.out, "samples/platform.csv"), "%s", run.out);
    nl_run_free(&run);
}
