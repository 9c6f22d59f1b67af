#ifndef NEXTLEVEL_RUNDATE_H
#define NEXTLEVEL_RUNDATE_H

#include <stdbool.h>
#include <time.h>

/* The run date written in workbooks, from --date or SOURCE_DATE_EPOCH. Parsed without timegm
 * or the time zone, so that the same text gives the same workbook anywhere. */

/* The run dates accepted: workbooks store dates from 1900 (Excel's first year) to 9999 (the
 * last year of four digits that docProps and the sheets can write). */
#define NL_RUN_YEAR_MIN    1900
#define NL_RUN_YEAR_MAX    9999
#define NL_RUN_SECONDS_MAX 253402300799LL /* 9999-12-31 23:59:59 UTC */

/* Parses text as YYYY-MM-DD (midnight UTC, a day the calendar has, years 1900 to 9999) or as
 * seconds since 1970 written in ASCII digits alone (0 to NL_RUN_SECONDS_MAX); NULL or empty
 * text means now. Returns false, leaving *date alone, for any other text. */
bool nl_run_date_parse(const char *text, time_t *date);

/* Days since 1970-01-01 of a valid civil date (year 1 to 9999); false for a day the month
 * does not have (2026-02-31), leaving *days alone. */
bool nl_civil_days(int year, int month, int day, long *days);

/* The date of days since 1970-01-01. */
void nl_civil_from_days(long days, int *year, int *month, int *day);

/* Whole months from the date `from` to the date `to` (days since 1970), as HR counts them: a
 * month is complete on the same day of the next month (2024-03-15 to 2026-03-15 is 24; to
 * 2026-03-14 it is 23). Negative when from is after to. */
long nl_months_between(long from, long to);

#endif
