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

Test(rundate, only_days_the_calendar_has_from_1900_to_9999)
{
    time_t date = 0;
    cr_assert(nl_run_date_parse("2024-02-29", &date)); /* a leap day */
    cr_expect_eq(date, (time_t)1709164800);
    cr_assert(nl_run_date_parse("1900-01-01", &date)); /* before 1970: negative seconds */
    cr_expect_eq(date, (time_t)-2208988800LL);
    cr_assert(nl_run_date_parse("9999-12-31", &date));
    cr_expect_eq(date, (time_t)253402214400LL);
    const char *bad[] = {"2026-02-31", "2025-02-29", "1900-02-29",  "2026-06-31",
                         "0000-01-01", "1899-12-31", "10000-01-01", "+026-01-01",
                         " 026-01-01", "2026-1-015", "2026-00-10",  "2026-01-00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        date = 42;
        cr_expect_not(nl_run_date_parse(bad[i], &date), "%s", bad[i]);
        cr_expect_eq(date, 42, "%s", bad[i]);
    }
}

Test(rundate, seconds_are_ascii_digits_up_to_the_end_of_9999)
{
    time_t date = 0;
    cr_assert(nl_run_date_parse("0", &date));
    cr_expect_eq(date, 0);
    cr_assert(nl_run_date_parse("253402300799", &date)); /* 9999-12-31 23:59:59 */
    cr_expect_eq(date, (time_t)253402300799LL);
    const char *bad[] = {
        "253402300800", "67768036191676800", "9223372036854775808", "+5", " 5", "5 ", "0x10",
        "1.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        date = 42;
        cr_expect_not(nl_run_date_parse(bad[i], &date), "%s", bad[i]);
        cr_expect_eq(date, 42, "%s", bad[i]);
    }
}
