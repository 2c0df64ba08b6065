/*
 * mem: allocation wrappers that abort on exhaustion (see mem.h for why).
 */
#include "lib/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mem_exhausted(size_t n)
{
	fprintf(stderr, "attache: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		mem_exhausted(n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		mem_exhausted(count * size);
	return p;
}

void *xreallocarray(void *p, size_t count, size_t size)
{
	void *q;

	size_t n;

	if (size && count > SIZE_MAX / size)
		mem_exhausted(SIZE_MAX);
	n = count * size;
	q = realloc(p, n ? n : 1);
	if (!q)
		mem_exhausted(n);
	return q;
}

char *xmemdup0(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xmemdup0(s, strlen(s));
}
