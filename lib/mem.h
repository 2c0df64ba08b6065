/*
 * mem: the project's one out-of-memory policy.
 *
 * Every allocation in attache goes through these wrappers. When the C library
 * cannot give memory they print one line to stderr and abort(), the policy of
 * git's xmalloc and Redis's zmalloc: a server that cannot allocate a few bytes
 * cannot answer correctly either, and aborting keeps every caller free of
 * half-handled NULLs. Sizes are checked for overflow before they are multiplied.
 */
#ifndef ATTACHE_MEM_H
#define ATTACHE_MEM_H

#include <stddef.h>

/* Returns new memory of n bytes (n may be 0); free with free(). Never NULL. */
void *xmalloc(size_t n);

/* Returns new zeroed memory for count items of size bytes; free with free(). */
void *xcalloc(size_t count, size_t size);

/* Resizes p (which may be NULL) to count items of size bytes; free with free(). */
void *xreallocarray(void *p, size_t count, size_t size);

/* Returns a new copy of the NUL-terminated s; free with free(). */
char *xstrdup(const char *s);

/* Returns a new NUL-terminated copy of the n bytes at s; free with free(). */
char *xmemdup0(const char *s, size_t n);

/*
 * The policy itself, for memory another library failed to allocate (GNU
 * libunistring returns NULL with ENOMEM): prints one line and aborts.
 */
void mem_exhausted(size_t n) __attribute__((noreturn));

#endif
