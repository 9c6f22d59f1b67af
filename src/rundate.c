#include "nextlevel/rundate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm), so that --date needs
 * neither timegm nor the time zone. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool nl_run_date_parse(const char *text, time_t *date)
{
    if (text == NULL || *text == '\0') {
        *date = time(NULL);
        return true;
    }
    int y, mo, d, n = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && text[n] == '\0' && mo >= 1 &&
        mo <= 12 && d >= 1 && d <= 31) {
        *date = (time_t)days_from_civil(y, mo, d) * 86400;
        return true;
    }
    char *end;
    errno = 0;
    long long seconds = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || seconds < 0)
        return false;
    *date = (time_t)seconds;
    return true;
}

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool nl_civil_days(int year, int month, int day, long *days)
{
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
        return false;
    int last = month_days[month - 1] + (month == 2 && leap_year(year));
    if (day > last)
        return false;
    *days = days_from_civil(year, month, day);
    return true;
}

void nl_civil_from_days(long z, int *year, int *month, int *day)
{
    /* Howard Hinnant's civil_from_days, the inverse of days_from_civil. */
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    *year = (int)(y + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

long nl_months_between(long from, long to)
{
    if (from > to)
        return -nl_months_between(to, from);
    int y1, m1, d1, y2, m2, d2;
    nl_civil_from_days(from, &y1, &m1, &d1);
    nl_civil_from_days(to, &y2, &m2, &d2);
    long months = (long)(y2 - y1) * 12 + (m2 - m1);
    return d2 < d1 ? months - 1 : months;
}
