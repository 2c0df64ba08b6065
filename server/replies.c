/*
 * replies: answers built once per thread, for bodies rendered at load (see replies.h).
 */
#include "server/replies.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"

struct slot {
	void *thing;                /* NULL: empty */
	const char *body;
	size_t len;
	char *heads;                /* owned copy */
	size_t heads_len;
};

struct table {
	struct table *next;         /* the registry's list */
	uint64_t generation;        /* what every slot belongs to; 0 before the first put */
	size_t bytes;               /* the slots' bodies, in all */
	struct slot slots[REPLIES_SLOTS];
};

struct replies {
	void (*drop)(void *thing);
	uint64_t serial;            /* tells this registry from one made later at the same address */
	pthread_mutex_t lock;       /* guards tables: held to add one, and to free them */
	struct table *tables;
};

/*
 * This thread's table, and which registry it belongs to. libmicrohttpd's
 * worker threads serve one daemon, and so one registry, from start to end;
 * a thread that outlives a registry (a test's) starts a new table with the
 * next one.
 */
static _Thread_local struct {
	uint64_t serial;
	struct table *t;
} mine;

static atomic_uint_fast64_t serials = 1;

struct replies *replies_new(void (*drop)(void *thing))
{
	struct replies *rs = xcalloc(1, sizeof(*rs));

	rs->drop = drop;
	rs->serial = atomic_fetch_add(&serials, 1);
	pthread_mutex_init(&rs->lock, NULL);
	return rs;
}

static void slot_clear(const struct replies *rs, struct table *t, struct slot *s)
{
	if (s->thing) {
		rs->drop(s->thing);
		t->bytes -= s->len;
	}
	free(s->heads);
	memset(s, 0, sizeof(*s));
}

/* Empties t and makes it generation's. */
static void table_enter(const struct replies *rs, struct table *t, uint64_t generation)
{
	for (size_t i = 0; i < REPLIES_SLOTS; i++)
		slot_clear(rs, t, &t->slots[i]);
	t->generation = generation;
}

void replies_free(struct replies *rs)
{
	struct table *t, *next;

	if (!rs)
		return;
	pthread_mutex_lock(&rs->lock);
	for (t = rs->tables; t; t = next) {
		next = t->next;
		table_enter(rs, t, 0);
		free(t);
	}
	rs->tables = NULL;
	pthread_mutex_unlock(&rs->lock);
	pthread_mutex_destroy(&rs->lock);
	free(rs);
}

/* Where key's bytes go: its slot, from a mix of where they are and their length. */
static struct slot *slot_of(struct table *t, const struct reply_key *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key->body * 0x9E3779B97F4A7C15ULL ^ key->len;

	h ^= h >> 32;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 29;
	return &t->slots[h & (REPLIES_SLOTS - 1)];
}

/*
 * This thread's table made generation's, or NULL when it has none; made
 * (and registered) first when make is true.
 */
static struct table *table_of(struct replies *rs, uint64_t generation, bool make)
{
	struct table *t = mine.serial == rs->serial ? mine.t : NULL;

	if (!t && make) {
		t = xcalloc(1, sizeof(*t));
		pthread_mutex_lock(&rs->lock);
		t->next = rs->tables;
		rs->tables = t;
		pthread_mutex_unlock(&rs->lock);
		mine.serial = rs->serial;
		mine.t = t;
	}
	if (t && t->generation != generation)
		table_enter(rs, t, generation);
	return t;
}

/* Whether key's body fits t's budget once its slot's body (s) has gone. */
static bool fits(const struct table *t, const struct slot *s, const struct reply_key *key)
{
	return key->len <= REPLIES_MAX_BODY &&
	       t->bytes - (s->thing ? s->len : 0) + key->len <= REPLIES_THREAD_BYTES;
}

bool replies_room(struct replies *rs, const struct reply_key *key)
{
	struct table *t = table_of(rs, key->generation, false);

	if (key->len > REPLIES_MAX_BODY)
		return false;
	return !t || fits(t, slot_of(t, key), key);
}

bool replies_put(struct replies *rs, const struct reply_key *key, void *thing)
{
	struct table *t;
	struct slot *s;

	if (key->len > REPLIES_MAX_BODY)
		return false;
	t = table_of(rs, key->generation, true);
	s = slot_of(t, key);
	if (!fits(t, s, key))
		return false; /* and what the slot keeps stays */
	slot_clear(rs, t, s);
	t->bytes += key->len;
	s->thing = thing;
	s->body = key->body;
	s->len = key->len;
	s->heads = xmalloc(key->heads_len + 1);
	memcpy(s->heads, key->heads, key->heads_len);
	s->heads_len = key->heads_len;
	return true;
}

void *replies_find(struct replies *rs, const struct reply_key *key)
{
	/* Another generation's bytes and tags are never served: a table moving on lets them all go. */
	struct table *t = table_of(rs, key->generation, false);
	const struct slot *s;

	if (!t)
		return NULL;
	s = slot_of(t, key);
	if (s->thing && s->body == key->body && s->len == key->len && s->heads_len == key->heads_len &&
	    !memcmp(s->heads, key->heads, key->heads_len))
		return s->thing;
	return NULL;
}
