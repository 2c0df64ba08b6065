/*
 * support: helpers shared by the Criterion tests.
 *
 * Fixtures are read relative to the repository root, where make runs the
 * tests. Every function here fails the current test (cr_fatal) rather than
 * return an error.
 */
#ifndef ATTACHE_TEST_SUPPORT_H
#define ATTACHE_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "models/query.h"
#include "models/store.h"

#define FIXTURES "tests/fixtures/"

/* Loads a fixture that must be valid; free with store_free(). */
struct store *support_load(const char *path);

/* Reads a whole file into a new NUL-terminated buffer; free with free(). */
char *support_read_file(const char *path, size_t *len);

/*
 * Splits the query string in buf ("a=1&b=2", no percent-encoding) in place
 * into at most max pairs pointing into it; returns how many. More fail the test.
 */
size_t support_split_query(char *buf, struct query_param *p, size_t max);

/*
 * Runs the list query qs on the deals of s, writing the page's ids
 * comma-separated into ids; returns the total. A refused query fails the test.
 */
uint32_t support_deal_ids(const struct store *s, const char *qs, char *ids, size_t size);

/*
 * Writes a data file of n generated deals to a new path under /tmp, into
 * path (size bytes), for tests that need many records. Deal i has the id
 * "d<i>", the title "Deal number <i> with a title long enough to weigh
 * something in a page of a thousand records", the status "agreed" for one
 * deal in ten (i % 10 == 0) and "proposed" for the others, a value of i won
 * (basis "contract"), Korea for its country, and the summary "A summary
 * that takes some room too, so that the page is large."; each cites one
 * generated source. The caller unlinks the file.
 */
void support_deals_file(char *path, size_t size, int n);

#endif
