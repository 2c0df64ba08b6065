/*
 * arena: bump allocation in chained blocks (see arena.h).
 */
#include "lib/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"

#define ARENA_BLOCK 65536

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	struct arena_block *b = a->head;
	size_t need = (n + align - 1) & ~(align - 1);

	if (need < n)
		need = SIZE_MAX; /* xmalloc reports the overflow */
	if (!b || b->size - b->used < need) {
		const size_t block = a->block ? a->block : ARENA_BLOCK;
		size_t size = need > block ? need : block;

		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		/* A block for one big item goes behind the current one, which stays open. */
		if (a->head && size > block) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used += need;
	a->used += need;
	return b->data + b->used - need;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		xreallocarray(NULL, count, size); /* reports the overflow and aborts */
	p = arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

char *arena_memdup0(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_memdup0(a, s, strlen(s));
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}
