/*
 * write: POST, PUT, PATCH and DELETE on the collections and their records.
 *
 * A write goes through two hands. handle_write() runs on the request's
 * thread: it answers what needs no data (writes off: 405; no or an unknown
 * token: 401; a body that is not JSON of the right media type: 415 or 400;
 * PUT, PATCH or DELETE without If-Match: 428) and hands a write_job to the
 * server's writer (struct writes), which runs write_apply() for many jobs
 * in one batch on its own thread (preconditions against the store as the
 * batch sees it: 404, 409, 412; the loader's rules: 422), makes them
 * durable together and serves the next generation, then wakes each
 * request with its answer. So a 2xx is sent only once the write is on disk
 * and the next read sees it.
 *
 * Records are identified by the path (PUT, PATCH, DELETE) or the body's key
 * (POST); a record's key never changes. Every answer to a write that
 * leaves a record carries its strong ETag, the hash of its bytes as
 * served.
 */
#ifndef ATTACHE_WRITE_H
#define ATTACHE_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "handlers/handler.h"
#include "lib/check.h"
#include "lib/strbuf.h"
#include "models/store.h"

struct tokens;

enum write_kind { WRITE_CREATE, WRITE_REPLACE, WRITE_PATCH, WRITE_DELETE };

/* "create", "replace", "patch", "delete": as the journal and the changes feed name them. */
const char *write_kind_name(enum write_kind k);

/* One write, from the request to its answer. */
struct write_job {
	/* What is asked: */
	enum write_kind kind;
	enum store_collection which;
	const char *id;               /* the path's key; NULL for a create */
	const cJSON *body;            /* the parsed body; NULL for a delete */
	const char *if_match;         /* NULL for a create */
	const char *writer;           /* the token's name */
	const char *idempotency_key;  /* a create's Idempotency-Key, or NULL */
	uint64_t body_hash;           /* the body's bytes, hashed: a retry must send the same */

	/* What came of it (write_apply() and the writer): */
	int status;                   /* 201, 200, 204, or a problem's */
	struct strbuf detail;         /* the problem's detail */
	struct check check;           /* a 422's violations */
	struct strbuf json;           /* the record as served (2xx but 204) */
	struct strbuf key;            /* its key */
	uint64_t etag;
	const char *retry_after;      /* a 503's, or NULL */
	bool replayed;                /* the first answer to its Idempotency-Key, sent again */

	/* The writer's own: */
	struct write_job *next;
	bool done;
	void (*done_fn)(void *arg);   /* submit_async(): called once done, from the writer's thread */
	void *done_arg;

	/* What write_begin() copied for the job, freed with it. */
	char *owned[3];
	cJSON *owned_body;
};

/* Zeroes a job's results; release with write_job_release(). */
void write_job_init(struct write_job *j);
void write_job_release(struct write_job *j);

/*
 * Applies j to the batch b (the store as the batch sees it): returns 0 with
 * j->status 201, 200 or 204 and the record in j->json; or -1 with the
 * problem in j (status, detail, check), the batch unchanged.
 */
int write_apply(struct store_batch *b, struct write_job *j);

/* The server's writer, as handlers see it. */
struct writes {
	const struct tokens *tokens;
	/* Runs j with other writes, and returns once it is durable and served, or refused. */
	void (*submit)(struct writes *w, struct write_job *j);
	/*
	 * The same without waiting: done(arg) is called from the writer's thread
	 * once j is done; j must not be touched (nor freed) until then.
	 */
	void (*submit_async)(struct writes *w, struct write_job *j, void (*done)(void *arg), void *arg);
};

/*
 * The request's thread's part: answers res and returns NULL when the write
 * ends here (405, 401, 400, 415, 428), or returns a new job for the writer
 * that owns copies of what it needs of req (free with write_job_free()).
 */
struct write_job *write_begin(const struct request *req, struct response *res);

/* The answer to a job the writer has done (req for the problems' instance). */
void write_finish(const struct request *req, struct response *res, const struct write_job *j);

void write_job_free(struct write_job *j);

/* The longest Idempotency-Key taken. */
#define WRITE_MAX_IDEMPOTENCY_KEY 255

/* The Allow header of a collection's list and of its records when writes are on. */
#define WRITE_ALLOW_LIST "GET, HEAD, OPTIONS, POST"
#define WRITE_ALLOW_RECORD "GET, HEAD, OPTIONS, PUT, PATCH, DELETE"

/* The Allow header of a route when writes are on. */
const char *write_allow(const struct route *route);

/* Whether method is a write method (POST, PUT, PATCH, DELETE). */
bool write_method(enum http_method m);

/*
 * The handler of every write method on every route (405 where a route takes
 * none): write_begin(), submit and wait, write_finish(). The server runs the
 * same steps without holding its thread while the writer works.
 */
void handle_write(const struct request *req, struct response *res);

#endif
