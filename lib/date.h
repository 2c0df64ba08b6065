/*
 * date: calendar dates written as ISO 8601 "YYYY-MM-DD", and times in UTC.
 *
 * attache keeps dates as their text: in this form, comparing the strings
 * compares the dates. This module decides which texts are real dates, and
 * writes Unix times the way the API shows them.
 */
#ifndef ATTACHE_DATE_H
#define ATTACHE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Whether the len bytes at s are a real date YYYY-MM-DD (years 0001-9999,
 * leap years as in the Gregorian calendar). When not, and why is not NULL,
 * *why says what is wrong in a phrase ("not a date in the form YYYY-MM-DD",
 * "a calendar date (February 2023 has 28 days)"), valid until the next call
 * on the same thread.
 */
bool date_valid(const char *s, size_t len, const char **why);

/* check_rule_fn for check_string(): NULL for a real date, else the complaint. */
const char *date_rule(const char *s, size_t len);

/* Writes t (unix seconds) as "2023-07-11T09:30:00Z" into out (at least 21 bytes). */
void time_format_iso(int64_t t, char *out, size_t size);

#endif
