/*
 * arena: a bump allocator for data that lives and dies together.
 *
 * The store puts every string and array of its records in one arena and frees
 * them all at once with arena_release(), so a store of a million records is
 * freed in a few calls, not a million. Memory from an arena is never freed on
 * its own. Allocation failure aborts (lib/mem.h).
 */
#ifndef ATTACHE_ARENA_H
#define ATTACHE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used;       /* bytes handed out, for the store's memory figures */
	size_t block;      /* the first block's size, the least of later ones; 0: 64 KiB */
};

#define ARENA_INIT { NULL, 0, 0 }

/* Returns n bytes aligned for any type, valid until arena_release(). */
void *arena_alloc(struct arena *a, size_t n);

/*
 * Returns n bytes aligned to align (a power of two, at most that of any
 * type): small items of a narrow type waste less than with arena_alloc().
 */
void *arena_alloc_aligned(struct arena *a, size_t n, size_t align);

/* Returns zeroed room for count items of size bytes. */
void *arena_calloc(struct arena *a, size_t count, size_t size);

/* Returns a NUL-terminated copy of the len bytes at s. */
char *arena_memdup0(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);

/*
 * Empties the arena for reuse, keeping its memory: scratch that is filled
 * and emptied again and again (a chunk of parse trees) costs no malloc()
 * once it has grown to its largest. Everything it handed out is invalid.
 */
void arena_reset(struct arena *a);

/*
 * Moves every block of src into a: what src handed out stays valid, and is
 * freed with a. For work split across threads, each with its own arena.
 * src is empty afterwards.
 */
void arena_adopt(struct arena *a, struct arena *src);

/* Frees every block; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);

#endif
