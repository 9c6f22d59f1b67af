#include "nextlevel/rundate.h"

#include <criterion/criterion.h>

Test(rundate, a_civil_date_is_midnight_utc)
{
    time_t date = 0;
    cr_assert(nl_run_date_parse("2026-11-26", &date));
    cr_expect_eq(date, (time_t)1795651200);
    cr_assert(nl_run_date_parse("1970-01-01", &date));
    cr_expect_eq(date, 0);
    cr_assert(nl_run_date_parse("2000-03-01", &date)); /* after a leap day */
    cr_expect_eq(date, (time_t)951868800);
}

Test(rundate, seconds_since_1970)
{
    time_t date = 0;
    cr_assert(nl_run_date_parse("1700000000", &date));
    cr_expect_eq(date, (time_t)1700000000);
}

Test(rundate, no_text_is_now)
{
    time_t before = time(NULL), date = 0;
    cr_assert(nl_run_date_parse(NULL, &date));
    cr_expect_geq(date, before);
    cr_assert(nl_run_date_parse("", &date));
    cr_expect_geq(date, before);
}

Test(rundate, malformed_text_is_refused_and_leaves_the_date)
{
    const char *bad[] = {"2026-13-01", "2026-11-32", "26-11", "2026-11-26x", "-5", "soon", "1e9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        time_t date = 42;
        cr_expect_not(nl_run_date_parse(bad[i], &date), "%s", bad[i]);
        cr_expect_eq(date, 42, "%s", bad[i]);
    }
}
