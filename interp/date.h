/* date.h — calendar dates as day numbers.
 *
 * A date is an int32 count of days since 1970-01-01 in the proleptic
 * Gregorian calendar, so comparison and day arithmetic are integer
 * operations.  Only ISO 8601 calendar dates (YYYY-MM-DD) are read and written.
 */
#ifndef WZ_DATE_H
#define WZ_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t wz_date;

/* Parses exactly "YYYY-MM-DD" (4-digit year 1000..9999, valid month and day,
 * leap years honoured); len bytes of s are read.  False if malformed. */
bool wz_date_parse(const char *s, size_t len, wz_date *out);
/* Writes "YYYY-MM-DD" plus NUL into buf (at least 11 bytes). */
void wz_date_format(wz_date d, char buf[11]);
wz_date wz_date_from_ymd(int y, int m, int d);
void wz_date_to_ymd(wz_date date, int *y, int *m, int *d);
/* Whole years from `from` to `to` (age on a date): 2000-03-01 → 2019-02-28 is 18. */
int wz_date_full_years(wz_date from, wz_date to);
/* Whole months from `from` to `to`, counted like full years: a month is
 * complete on the day of the month `from` started on (Jan 31 → Feb 28 is 0,
 * → Mar 31 is 2); antisymmetric when to < from. */
int wz_date_full_months(wz_date from, wz_date to);
/* The first day of the month after d's, and the Monday after d (the next week's start). */
wz_date wz_date_next_month(wz_date d);
wz_date wz_date_next_monday(wz_date d);

#endif
