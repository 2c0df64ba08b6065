/*
 * date: validation of YYYY-MM-DD dates, and UTC times as text (see date.h).
 */
#include "lib/date.h"

#include <stdio.h>
#include <time.h>

static bool digits(const char *s, size_t n, int *out)
{
	*out = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

bool date_valid(const char *s, size_t len, const char **why)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	/* The complaint names the month's length; it stays valid until this thread's next call. */
	static _Thread_local char msg[96];
	int y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) {
		if (why)
			*why = "a date in the form YYYY-MM-DD";
		return false;
	}
	if (y < 1 || m < 1 || m > 12 || d < 1) {
		if (why)
			*why = "a calendar date (year, month or day out of range)";
		return false;
	}
	if (d > days_in_month(y, m)) {
		if (why) {
			snprintf(msg, sizeof(msg), "a calendar date (%s %04d has %d days)",
				 months[m - 1], y, days_in_month(y, m));
			*why = msg;
		}
		return false;
	}
	return true;
}

const char *date_rule(const char *s, size_t len)
{
	const char *why = NULL;

	return date_valid(s, len, &why) ? NULL : why;
}

void time_format_iso(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
