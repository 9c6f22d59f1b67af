#include "test_support.h"

#include <criterion/criterion.h>

Test(cli_basic, help_goes_to_stdout_and_exits_0)
{
    nl_run run = nl_test_run((const char *[]){"--help", NULL});
    cr_assert_eq(run.exit_code, 0);
    cr_assert(nl_test_contains(run.out, "Usage: nextlevel"));
    cr_assert_str_empty(run.err);
    nl_run_free(&run);
}

Test(cli_basic, unknown_command_is_a_usage_error)
{
    nl_run run = nl_test_run((const char *[]){"frobnicate", NULL});
    cr_assert_eq(run.exit_code, 2);
    cr_assert(nl_test_contains(run.err, "unknown command 'frobnicate'"));
    nl_run_free(&run);
}
