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

#include "models/store.h"

#define FIXTURES "tests/fixtures/"

/* Loads a fixture that must be valid; free with store_free(). */
struct store *support_load(const char *path);

/* Reads a whole file into a new NUL-terminated buffer; free with free(). */
char *support_read_file(const char *path, size_t *len);

#endif
