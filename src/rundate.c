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
