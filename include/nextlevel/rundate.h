#ifndef NEXTLEVEL_RUNDATE_H
#define NEXTLEVEL_RUNDATE_H

#include <stdbool.h>
#include <time.h>

/* The run date written in workbooks, from --date or SOURCE_DATE_EPOCH. Parsed without timegm
 * or the time zone, so that the same text gives the same workbook anywhere. */

/* Parses text as YYYY-MM-DD (midnight UTC) or as seconds since 1970; NULL or empty text means
 * now. Returns false, leaving *date alone, when text is neither. */
bool nl_run_date_parse(const char *text, time_t *date);

#endif
