/*
 * iso: membership tests for ISO 3166-1 alpha-2 and ISO 4217 codes.
 *
 * Codes are upper case and compared exactly ("GB" yes, "gb" and "UK" no).
 */
#ifndef ATTACHE_ISO_H
#define ATTACHE_ISO_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the len bytes at s are an officially assigned ISO 3166-1 alpha-2 code. */
bool iso_country_code(const char *s, size_t len);

/* Whether the len bytes at s are an ISO 4217 currency code. */
bool iso_currency_code(const char *s, size_t len);

/*
 * A check_rule_fn (lib/check.h): NULL when the len bytes at s are an
 * officially assigned ISO 3166-1 alpha-2 code, else what they should be
 * ("an ISO 3166-1 alpha-2 country code (the United Kingdom is GB)").
 */
const char *iso_country_code_rule(const char *s, size_t len);

#endif
