#include "nextlevel/rundate.h"

#include <string.h>

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

/* Whether text is len ASCII digits and nothing else (no sign, space or exponent). */
static bool digits_only(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] < '0' || text[i] > '9')
            return false;
    return text[len] == '\0';
}

/* The value of len ASCII digits. */
static long digits_value(const char *text, size_t len)
{
    long value = 0;
    for (size_t i = 0; i < len; i++)
        value = value * 10 + (text[i] - '0');
    return value;
}

bool nl_run_date_parse(const char *text, time_t *date)
{
    if (text == NULL || *text == '\0') {
        *date = time(NULL);
        return true;
    }
    size_t len = strlen(text);
    if (len == 10 && text[4] == '-' && text[7] == '-') {
        char copy[11];
        memcpy(copy, text, sizeof copy);
        copy[4] = copy[7] = '0';
        long days;
        if (!digits_only(copy, 10))
            return false;
        int year = (int)digits_value(text, 4), month = (int)digits_value(text + 5, 2),
            day = (int)digits_value(text + 8, 2);
        if (year < NL_RUN_YEAR_MIN || !nl_civil_days(year, month, day, &days))
            return false;
        *date = (time_t)days * 86400;
        return true;
    }
    /* Seconds: plain digits, as the reproducible-builds specification of SOURCE_DATE_EPOCH
     * writes them; at most 12 digits keeps the sum below overflow before the range check. */
    if (len > 12 || !digits_only(text, len))
        return false;
    long long seconds = 0;
    for (size_t i = 0; i < len; i++)
        seconds = seconds * 10 + (text[i] - '0');
    if (seconds > NL_RUN_SECONDS_MAX)
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
