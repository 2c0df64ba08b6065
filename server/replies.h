/*
 * replies: answers built once per thread, for bodies rendered at load.
 *
 * A record, an unfiltered list page, the index or the stats are bytes
 * rendered when the data was loaded, and every request for one gets the
 * same answer but for its request id. Building that answer (a response
 * object and its eight header fields, each allocated and copied) cost more
 * than half of what the server spends above the bare library a request.
 * So the adapter (server/http.c) keeps what it built, per worker thread,
 * and the next request for the same bytes with the same header fields gets
 * it again with only its request id changed. This module is the table; what
 * a kept thing is, and how it is changed, is the adapter's business.
 *
 * The key is the bytes' identity within a data generation (where they are,
 * and how many: the site holding them lives as long as its generation is
 * served) and a copy of every other header field of the answer, so two
 * answers found under one key differ only in what the adapter changes. A
 * thread's table is emptied as soon as the thread serves another
 * generation, so a reload or a write never gets old bytes or old tags. The
 * adapter copies the bytes into what it keeps, so a table never keeps an
 * old store alive, however long its thread stays idle.
 *
 * Bounded: REPLIES_SLOTS direct-mapped slots a thread, bodies of at most
 * REPLIES_MAX_BODY bytes, and REPLIES_THREAD_BYTES of bodies a thread in
 * all (what does not fit is built per request, as before): with a thread
 * per core, a few MB at most.
 *
 * Threads: each thread has its own table, made at its first put and used
 * by no other thread, so finding and putting take no lock; registering a
 * new thread's table takes one, once.
 *
 * Ownership: replies_new() returns a new registry; replies_free() frees it
 * with every thread's table, and drops every thing kept, once no thread uses
 * them any more. replies_put() takes the thing; a thing is dropped (with the
 * drop function given to replies_new()) when it is replaced, when its
 * thread moves to another generation, or at replies_free().
 */
#ifndef ATTACHE_REPLIES_H
#define ATTACHE_REPLIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPLIES_SLOTS 32
#define REPLIES_MAX_BODY ((size_t)64 << 10)
#define REPLIES_THREAD_BYTES ((size_t)1 << 20)

/* What makes two answers the same, but for what the adapter changes per request. */
struct reply_key {
	uint64_t generation;        /* the data generation the bytes belong to */
	const char *body;           /* the bytes, by identity: where they are */
	size_t len;                 /* and how many */
	const char *heads;          /* every other header field, as the adapter writes them down */
	size_t heads_len;
};

struct replies;

/* A registry of per-thread tables; drop frees a thing put in one. */
struct replies *replies_new(void (*drop)(void *thing));
void replies_free(struct replies *rs);

/*
 * The thing this thread keeps for key, or NULL. Borrowed: valid until this
 * thread's next call into this module.
 */
void *replies_find(struct replies *rs, const struct reply_key *key);

/*
 * Keeps thing for key in this thread's table (the key's bytes are not
 * copied, its heads are), replacing what the slot held. Returns false, and
 * leaves thing to the caller and the slot as it was, when key's body is
 * over REPLIES_MAX_BODY or would take the thread's bodies past
 * REPLIES_THREAD_BYTES.
 */
bool replies_put(struct replies *rs, const struct reply_key *key, void *thing);

/*
 * Whether replies_put() of key would keep it now: asked before building a
 * thing, so that a thread whose budget is spent does not build one for
 * each request only to have it refused.
 */
bool replies_room(struct replies *rs, const struct reply_key *key);

#endif
