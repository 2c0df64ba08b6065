/*
 * accept: choosing one of several media types by an Accept header (RFC 9110, 12.5.1).
 *
 * Each offer ("text/csv; charset=utf-8; header=present") takes the weight
 * of the most specific media range of the header that matches it: a type
 * with parameters (all of which the offer must have, values compared
 * ignoring case) before the bare type, before "text/" with a star, before
 * the full wildcard. A range with q=0 refuses what it matches. The offer
 * with the highest weight wins; a tie goes to the offer matched more
 * specifically, then to the one offered first, so "Accept: text/csv, * / *"
 * (without the spaces) picks CSV over JSON while a plain wildcard picks the
 * first offer.
 *
 * Pure functions; nothing here allocates.
 */
#ifndef ATTACHE_ACCEPT_H
#define ATTACHE_ACCEPT_H

#include <stddef.h>

/*
 * Returns the index of the offer (of n, in the server's order of preference)
 * that accept prefers, or -1 when it refuses them all. An absent (NULL) or
 * blank header accepts anything: offer 0.
 */
int accept_choose(const char *accept, const char *const *offers, size_t n);

#endif
