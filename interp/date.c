/* date.c — proleptic Gregorian dates as day numbers since 1970-01-01.
 *
 * The conversions are the branch-light era/day-of-era algorithms (as
 * described by Howard Hinnant): the calendar is shifted to start on March 1
 * so the leap day falls at the end of the year, and years are grouped into
 * 400-year eras of exactly 146097 days.  Arithmetic is done in int64 so that
 * no int32 day number or year can overflow an intermediate.
 */
#include "date.h"

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Floor division; C's '/' truncates toward zero, which is wrong for the
 * negative years and days these algorithms meet before 1970 / year 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;   /* shift the epoch to 0000-03-01 */
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                        /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                 /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                      /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Callers are expected to pass a real date.  Out-of-range months carry into
 * the year (13 → January of the next year) and days carry into following or
 * preceding months, so every input has a defined result. */
wz_date wz_date_from_ymd(int y, int m, int d)
{
    int64_t yy = (int64_t)y + floor_div((int64_t)m - 1, 12);
    int64_t mm = (int64_t)m - 1 - floor_div((int64_t)m - 1, 12) * 12 + 1;
    return (wz_date)days_from_civil(yy, mm, d);
}

void wz_date_to_ymd(wz_date date, int *y, int *m, int *d)
{
    int64_t yy;
    civil_from_days(date, &yy, m, d);
    *y = (int)yy;   /* |year| < 6 million for any int32 day number */
}

static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool wz_date_parse(const char *s, size_t len, wz_date *out)
{
    if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = digits_at(s, 4), m = digits_at(s + 5, 2), d = digits_at(s + 8, 2);
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *out = wz_date_from_ymd(y, m, d);
    return true;
}

/* The buffer has room for four year digits only; a day number whose year is
 * outside 0000..9999 (reachable only by arithmetic far past any policy date)
 * is written as an obviously invalid placeholder rather than truncated. */
void wz_date_format(wz_date d, char buf[11])
{
    int y, m, day;
    wz_date_to_ymd(d, &y, &m, &day);
    if (y < 0 || y > 9999) {
        static const char bad[] = "XXXX-XX-XX";
        for (int i = 0; i < 11; i++)
            buf[i] = bad[i];
        return;
    }
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + day / 10);
    buf[9] = (char)('0' + day % 10);
    buf[10] = '\0';
}

/* Whole months, counted the way an age counts years: a month completes on
 * `from`'s day of the month, and a day that month lacks (the 31st, Feb 29)
 * completes it on the 1st after.  When to < from the result is
 * -wz_date_full_months(to, from): antisymmetric, truncating toward zero. */
int wz_date_full_months(wz_date from, wz_date to)
{
    if (to < from)
        return -wz_date_full_months(to, from);
    int fy, fm, fd, ty, tm, td;
    wz_date_to_ymd(from, &fy, &fm, &fd);
    wz_date_to_ymd(to, &ty, &tm, &td);
    int months = (ty - fy) * 12 + (tm - fm);
    if (td < fd)
        months--;
    return months;
}

wz_date wz_date_next_month(wz_date d)
{
    int y, m, day;
    wz_date_to_ymd(d, &y, &m, &day);
    return wz_date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
}

wz_date wz_date_next_monday(wz_date d)
{
    /* 1970-01-01 was a Thursday: days since a Monday = (d + 3) mod 7 */
    int since_monday = (int)(((int64_t)d + 3) % 7);
    if (since_monday < 0) since_monday += 7;
    return d + (7 - since_monday);
}

/* Age-style count: the year ticks over on the anniversary of `from`'s month
 * and day — twelve whole months — so a Feb 29 start completes its year on
 * Mar 1 in a non-leap year.  Antisymmetric like the months it counts. */
int wz_date_full_years(wz_date from, wz_date to)
{
    return wz_date_full_months(from, to) / 12;
}
