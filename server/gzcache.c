/*
 * gzcache: a bounded, direct-mapped cache of compressed bodies (see gzcache.h).
 */
#include "server/gzcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"

#define SLOTS 1024
#define STRIPES 32

struct slot {
	uint64_t key;
	char *bytes;        /* the plain body, then its compression; NULL: empty */
	size_t plain_len;
	size_t gz_len;
};

struct gzcache {
	pthread_mutex_t locks[STRIPES];   /* lock i guards the slots s with s % STRIPES == i, and used */
	struct slot slots[SLOTS];
	size_t budget;
	size_t used;
};

struct gzcache *gzcache_new(size_t budget)
{
	struct gzcache *c = xcalloc(1, sizeof(*c));

	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&c->locks[i], NULL);
	c->budget = budget;
	return c;
}

void gzcache_free(struct gzcache *c)
{
	if (!c)
		return;
	for (int i = 0; i < SLOTS; i++)
		free(c->slots[i].bytes);
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&c->locks[i]);
	free(c);
}

static size_t slot_of(uint64_t key)
{
	/* The keys are FNV hashes already: their low bits spread well. */
	return (size_t)(key % SLOTS);
}

bool gzcache_get(struct gzcache *c, uint64_t key, const char *plain, size_t plain_len,
		 struct strbuf *out)
{
	size_t s = slot_of(key);
	pthread_mutex_t *lock = &c->locks[s % STRIPES];
	const struct slot *slot = &c->slots[s];
	bool hit;

	pthread_mutex_lock(lock);
	hit = slot->bytes && slot->key == key && slot->plain_len == plain_len &&
	      !memcmp(slot->bytes, plain, plain_len);
	if (hit)
		strbuf_add(out, slot->bytes + plain_len, slot->gz_len);
	pthread_mutex_unlock(lock);
	return hit;
}

void gzcache_put(struct gzcache *c, uint64_t key, const char *plain, size_t plain_len,
		 const char *gz, size_t gz_len)
{
	size_t s = slot_of(key), len = plain_len + gz_len;
	pthread_mutex_t *lock = &c->locks[s % STRIPES];
	struct slot *slot = &c->slots[s];
	char *copy, *old = NULL;

	if (len > GZCACHE_MAX_ENTRY)
		return;
	copy = xmalloc(len);
	memcpy(copy, plain, plain_len);
	memcpy(copy + plain_len, gz, gz_len);
	pthread_mutex_lock(lock);
	/* used is shared by every stripe: update it atomically. */
	if (__atomic_load_n(&c->used, __ATOMIC_RELAXED) -
	    (slot->bytes ? slot->plain_len + slot->gz_len : 0) + len > c->budget) {
		pthread_mutex_unlock(lock);
		free(copy);
		return;
	}
	if (slot->bytes) {
		old = slot->bytes;
		__atomic_fetch_sub(&c->used, slot->plain_len + slot->gz_len, __ATOMIC_RELAXED);
	}
	slot->key = key;
	slot->bytes = copy;
	slot->plain_len = plain_len;
	slot->gz_len = gz_len;
	__atomic_fetch_add(&c->used, len, __ATOMIC_RELAXED);
	pthread_mutex_unlock(lock);
	free(old);
}
