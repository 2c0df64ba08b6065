/*
 * arena: bump allocation in chained blocks (see arena.h).
 */
#include "lib/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"

/* The first block unless the arena sets its own; later ones grow with the
 * arena, up to ARENA_BLOCK_MAX. */
#define ARENA_BLOCK 65536
#define ARENA_BLOCK_MAX ((size_t)8 << 20)

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

/*
 * n bytes at a multiple of align (a power of two, at most max_align_t's)
 * from the offset in the current block. A million records' strings at
 * max_align_t (16 bytes) each wasted 8 bytes a string on average: strings
 * take byte alignment.
 */
static void *alloc_aligned(struct arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;

	if (n > SIZE_MAX / 2)
		xreallocarray(NULL, n, 2); /* reports the overflow and aborts */
	if (!b || at > b->size || b->size - at < n) {
		/* Blocks grow with the arena: a big store is a few hundred blocks, each
		 * mapped on its own, not tens of thousands between the heap's other chunks.
		 * A small arena (a write's segment) starts from its own smaller block. */
		const size_t least = a->block ? a->block : ARENA_BLOCK;
		size_t size = a->used / 4;

		size = size < least ? least : size > ARENA_BLOCK_MAX ? ARENA_BLOCK_MAX : size;
		if (n > size)
			size = n;
		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		at = 0;
		/* A block for one big item goes behind the current one, which stays open. */
		if (a->head && n == size) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	a->used += at + n - b->used;
	b->used = at + n;
	return b->data + at;
}

void *arena_alloc(struct arena *a, size_t n)
{
	return alloc_aligned(a, n, alignof(max_align_t));
}

void *arena_alloc_aligned(struct arena *a, size_t n, size_t align)
{
	return alloc_aligned(a, n, align);
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
	char *p = alloc_aligned(a, len + 1, 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_memdup0(a, s, strlen(s));
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head;
	size_t total = 0;

	if (b && b->next) {
		/* Only the head block is bumped: keep one block as large as all of
		 * them, so that the next fill of the same size takes one malloc(). */
		for (; b; b = b->next)
			total += b->size;
		arena_release(a);
		a->block = total;
		return;
	}
	if (b)
		b->used = 0;
	a->used = 0;
}

void arena_adopt(struct arena *a, struct arena *src)
{
	struct arena_block *last = src->head;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	/* Behind a's head, which stays the block a bumps in. */
	if (a->head) {
		last->next = a->head->next;
		a->head->next = src->head;
	} else {
		a->head = src->head;
	}
	a->used += src->used;
	src->head = NULL;
	src->used = 0;
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
