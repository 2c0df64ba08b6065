/*
 * writer: group commit into the journal, generations from writes, compaction (see writer.h).
 */
#include "server/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "handlers/response.h"
#include "lib/date.h"
#include "lib/etag.h"
#include "lib/journal.h"
#include "lib/json.h"
#include "lib/jsonw.h"
#include "lib/mem.h"
#include "server/app.h"
#include "server/log.h"

/*
 * The first answer to each Idempotency-Key (a create's), by writer and key,
 * oldest first; the last WRITER_IDEMPOTENCY_KEPT are kept, in the journal
 * with their writes and in the mark that starts it again after a fold.
 */
#define WRITER_IDEMPOTENCY_KEPT 1000

struct idem {
	char *writer;
	char *key;
	uint64_t body_hash;
	enum store_collection which;
	char *id;
	char *json;
	uint64_t etag;
};

struct writer {
	pthread_mutex_t lock;
	pthread_cond_t wake;          /* the thread: work queued, or a stop */
	pthread_cond_t done;          /* the requests: their jobs are done */
	struct write_job *head, *tail;
	const char *reload_why;       /* a reload asked for, or NULL */
	bool stopping;                /* writer_close(): no new work */
	bool running;
	pthread_t thread;

	struct writes iface;
	const struct config *cfg;
	char *journal_path;
	char *tmp_path;
	char *changes_path;           /* DATA.changes: every change the journal held, one JSON per line */
	uint64_t changes_seq;         /* the last seq that file holds */
	struct journal *journal;
	struct snapshots *snapshots;
	struct metrics *metrics;
	uint64_t seq;                 /* the last sequence number given */
	struct stat data_stat;        /* the data file as last loaded or written by us */
	bool hand_edit_logged;
	uint64_t unfolded;            /* writes in the journal, not yet in the data file */
	struct idem *idem;            /* the writer thread's alone */
	size_t nidem, idem_alloc;
};

static void idem_release(struct idem *e)
{
	free(e->writer);
	free(e->key);
	free(e->id);
	free(e->json);
}

static struct idem *idem_find(struct writer *w, const char *writer, const char *key)
{
	for (size_t i = w->nidem; i-- > 0;)
		if (!strcmp(w->idem[i].key, key) && !strcmp(w->idem[i].writer, writer))
			return &w->idem[i];
	return NULL;
}

/* Remembers an answer (replacing one to the same writer and key). */
static void idem_put(struct writer *w, const char *writer, const char *key, uint64_t body_hash,
		     enum store_collection which, const char *id, const char *json, size_t len,
		     uint64_t etag)
{
	struct idem *e = idem_find(w, writer, key);

	if (e) {
		idem_release(e);
	} else {
		if (w->nidem == w->idem_alloc) {
			w->idem_alloc = w->idem_alloc ? 2 * w->idem_alloc : 64;
			w->idem = xreallocarray(w->idem, w->idem_alloc, sizeof(*w->idem));
		}
		e = &w->idem[w->nidem++];
	}
	e->writer = xstrdup(writer);
	e->key = xstrdup(key);
	e->body_hash = body_hash;
	e->which = which;
	e->id = xstrdup(id);
	e->json = xmemdup0(json, len);
	e->etag = etag;
}

/* Keeps the last WRITER_IDEMPOTENCY_KEPT, or the first n when a group is dropped (n < nidem). */
static void idem_trim(struct writer *w, size_t n)
{
	if (n < w->nidem) {
		for (size_t i = n; i < w->nidem; i++)
			idem_release(&w->idem[i]);
		w->nidem = n;
	}
	if (w->nidem > WRITER_IDEMPOTENCY_KEPT) {
		size_t drop = w->nidem - WRITER_IDEMPOTENCY_KEPT;

		for (size_t i = 0; i < drop; i++)
			idem_release(&w->idem[i]);
		memmove(w->idem, w->idem + drop, WRITER_IDEMPOTENCY_KEPT * sizeof(*w->idem));
		w->nidem = WRITER_IDEMPOTENCY_KEPT;
	}
}

static void write_hash(struct jsonw *jw, const char *key, uint64_t h)
{
	char hex[17];

	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	jsonw_kv_string(jw, key, hex);
}

static uint64_t read_hash(const char *hex)
{
	return hex ? (uint64_t)strtoull(hex, NULL, 16) : 0;
}

/* ---- the journal's entries ---- */

/*
 * One write as the journal holds it: {"seq", "at", "writer", "op",
 * "collection", "id", "etag", "record"} ("record" absent for a delete); or
 * {"seq", "op": "mark"} when the journal starts again after a compaction.
 */
static void encode_entry(struct strbuf *out, uint64_t seq, int64_t at, const struct write_job *j)
{
	struct jsonw w;
	char when[32], tag[ETAG_SIZE];

	time_format_iso(at, when, sizeof(when));
	jsonw_init(&w, out, false);
	jsonw_object_begin(&w);
	jsonw_kv_uint(&w, "seq", seq);
	jsonw_kv_string(&w, "at", when);
	jsonw_kv_string(&w, "writer", j->writer);
	jsonw_kv_string(&w, "op", write_kind_name(j->kind));
	jsonw_kv_string(&w, "collection", store_resource(j->which)->name);
	jsonw_kv_string(&w, "id", j->key.buf);
	if (j->kind != WRITE_DELETE) {
		etag_format(tag, j->etag, false);
		jsonw_kv_string(&w, "etag", tag);
		jsonw_key(&w, "record");
		jsonw_raw(&w, j->json.buf, j->json.len);
	}
	if (j->idempotency_key) {
		jsonw_kv_string(&w, "idempotency_key", j->idempotency_key);
		write_hash(&w, "body_hash", j->body_hash);
	}
	jsonw_object_end(&w);
	jsonw_release(&w);
}

static const char *entry_string(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static enum store_collection collection_named(const char *name)
{
	int w;

	for (w = 0; w < STORE_NCOLLECTIONS; w++)
		if (name && !strcmp(store_resource((enum store_collection)w)->name, name))
			break;
	return (enum store_collection)w;
}

struct replay {
	struct writer *w;             /* whose table of Idempotency-Keys the entries refill */
	struct store_batch *b;
	uint64_t writes;
	uint64_t logged;              /* seqs up to this are in the feed already (DATA.changes) */
};

/* The change row of a journal entry (its strings borrowed from v). */
static void change_of(const cJSON *v, uint64_t seq, struct change *c)
{
	memset(c, 0, sizeof(*c));
	c->seq = (int64_t)seq;
	c->at = entry_string(v, "at");
	c->writer = entry_string(v, "writer");
	c->op = entry_string(v, "op");
	c->collection = entry_string(v, "collection");
	c->id = entry_string(v, "id");
	c->etag = entry_string(v, "etag");
}

/* Applies one journal entry to the batch; the batch defers references to the end. */
static int replay_entry(void *arg, uint64_t seq, const char *payload, size_t len, struct strbuf *err)
{
	struct replay *rp = arg;
	cJSON *v = json_parse(payload, len, "journal entry", err);
	const char *op, *id;
	enum store_collection which;
	struct store_record r;
	struct check c;
	int rc = -1;

	if (!v)
		return -1;
	op = entry_string(v, "op");
	id = entry_string(v, "id");
	which = collection_named(entry_string(v, "collection"));
	if (op && !strcmp(op, "mark")) {
		const cJSON *e;

		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(v, "idempotency")) {
			const char *wr = entry_string(e, "writer"), *k = entry_string(e, "key"),
				   *eid = entry_string(e, "id");
			enum store_collection ew = collection_named(entry_string(e, "collection"));
			const cJSON *rec = cJSON_GetObjectItemCaseSensitive(e, "record");
			char *json = rec ? cJSON_PrintUnformatted(rec) : NULL;

			if (wr && k && eid && ew < STORE_NCOLLECTIONS && json)
				idem_put(rp->w, wr, k, read_hash(entry_string(e, "body_hash")), ew, eid, json,
					 strlen(json), read_hash(entry_string(e, "etag")));
			free(json);
		}
		rc = 0;
		goto out;
	}
	if (!op || !id || which == STORE_NCOLLECTIONS) {
		strbuf_addstr(err, "journal entry: not a write (op, collection and id are required)");
		goto out;
	}
	rp->writes++;
	if (seq > rp->logged) {
		struct change ch;

		change_of(v, seq, &ch);
		store_batch_log(rp->b, &ch);
	}
	if (!strcmp(op, "delete")) {
		rc = store_batch_delete(rp->b, which, id, strlen(id), err);
		goto out;
	}
	check_init_collect(&c);
	rc = store_batch_put(rp->b, which, cJSON_GetObjectItemCaseSensitive(v, "record"), &c, &r);
	if (rc)
		strbuf_addf(err, "journal entry: %s/%s no longer reads: %s: %s",
			    store_resource(which)->name, id, c.nerrors ? c.errors[0].pointer : "",
			    c.nerrors ? c.errors[0].detail : "?");
	else if (entry_string(v, "idempotency_key") && entry_string(v, "writer"))
		idem_put(rp->w, entry_string(v, "writer"), entry_string(v, "idempotency_key"),
			 read_hash(entry_string(v, "body_hash")), which, r.key, r.json, r.len, r.etag);
	check_release(&c);
out:
	cJSON_Delete(v);
	return rc;
}

/*
 * Reads DATA.changes (if there is one) into the batch's feed. A last line
 * cut short by a crash mid-append is cut off the file. Returns 0 with the
 * last seq in *last, or -1 with err saying why.
 */
static int read_changes(const char *path, struct store_batch *b, uint64_t *last, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	FILE *f = fopen(path, "r+");
	char buf[65536];
	size_t n, at = 0, lineno = 0;
	int rc = -1;

	*last = 0;
	if (!f)
		return errno == ENOENT ? 0 : (strbuf_addf(err, "%s: %s", path, strerror(errno)), -1);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	while (at < text.len) {
		const char *nl = memchr(text.buf + at, '\n', text.len - at);
		struct change ch;
		struct check c;
		cJSON *v;

		if (!nl) {
			/* Torn: the append never finished, so its write is still in the journal. */
			if (ftruncate(fileno(f), (off_t)at))
				goto out;
			break;
		}
		lineno++;
		v = json_parse(text.buf + at, (size_t)(nl - (text.buf + at)), path, err);
		if (!v)
			goto out;
		memset(&ch, 0, sizeof(ch));
		check_init(&c, path, err);
		if (resource_read(&change_resource, &c, v, &a, &ch)) {
			strbuf_addf(err, " (line %zu)", lineno);
			check_release(&c);
			cJSON_Delete(v);
			goto out;
		}
		check_release(&c);
		cJSON_Delete(v);
		if ((uint64_t)ch.seq > *last) {
			store_batch_log(b, &ch);
			*last = (uint64_t)ch.seq;
		}
		at = (size_t)(nl - text.buf) + 1;
	}
	rc = 0;
out:
	fclose(f);
	strbuf_release(&text);
	arena_release(&a);
	return rc;
}

/*
 * The journal's writes over store (taken): returns the store with them (a
 * new generation, or store itself when the journal is empty), or NULL
 * after err says why. From a file journal_open() reads (j NULL), or the
 * open journal j again.
 */
static struct store *replay_over(struct writer *w, struct store *store, const char *path,
				 struct journal **j, struct journal_stats *st, uint64_t *writes,
				 const char *changes, uint64_t *changes_seq, struct strbuf *err)
{
	struct replay rp = { w, store_batch_new(store), 0, 0 };
	int rc;

	store_batch_defer_refs(rp.b);
	if (read_changes(changes, rp.b, &rp.logged, err)) {
		store_batch_free(rp.b);
		store_free(store);
		return NULL;
	}
	*changes_seq = rp.logged;
	if (!*j) {
		*j = journal_open(path, replay_entry, &rp, st, err);
		rc = *j ? 0 : -1;
	} else {
		rc = journal_replay(*j, replay_entry, &rp, err);
	}
	if (!rc && store_batch_check_refs(rp.b, err)) {
		strbuf_addf(err, " (%s: the journal's acknowledged writes no longer fit the data file)",
			    path);
		rc = -1;
	}
	*writes = rp.writes;
	if (rc) {
		store_batch_free(rp.b);
		store_free(store);
		return NULL;
	}
	if (store_batch_empty(rp.b)) {
		store_batch_free(rp.b);
		return store;
	}
	{
		struct store *next = store_batch_commit(rp.b);

		store_free(store);
		return next;
	}
}

static int dir_writable(const char *path, struct strbuf *err)
{
	char *copy = xstrdup(path);
	const char *dir = dirname(copy);
	int rc = access(dir, W_OK | X_OK);

	if (rc)
		strbuf_addf(err, "%s: the data file's directory is not writable (%s): writes keep a "
			    "journal and write the data file there", dir, strerror(errno));
	free(copy);
	return rc ? -1 : 0;
}

struct writer *writer_open(const struct config *cfg, const struct tokens *tokens,
			   struct store **store, struct strbuf *err)
{
	struct writer *w = xcalloc(1, sizeof(*w));
	struct journal_stats st = { 0 };
	struct strbuf path = STRBUF_INIT;
	uint64_t writes = 0;
	struct store *s;

	w->cfg = cfg;
	w->iface.tokens = tokens;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->done, NULL);
	strbuf_addf(&path, "%s.journal", cfg->data);
	w->journal_path = strbuf_detach(&path, NULL);
	strbuf_addf(&path, "%s.tmp", cfg->data);
	w->tmp_path = strbuf_detach(&path, NULL);
	strbuf_addf(&path, "%s.changes", cfg->data);
	w->changes_path = strbuf_detach(&path, NULL);
	if (dir_writable(cfg->data, err) || access(cfg->data, R_OK) ||
	    stat(cfg->data, &w->data_stat)) {
		if (!err->len)
			strbuf_addf(err, "%s: %s", cfg->data, strerror(errno));
		goto fail;
	}
	s = replay_over(w, *store, w->journal_path, &w->journal, &st, &writes, w->changes_path,
			&w->changes_seq, err);
	*store = s;
	if (!s)
		goto fail;
	w->seq = st.last_seq;
	w->unfolded = writes;
	if (st.dropped_bytes) {
		char bytes[32];

		snprintf(bytes, sizeof(bytes), "%llu", (unsigned long long)st.dropped_bytes);
		log_event(LOG_WARN, "journal: dropped an unfinished tail (a write that was never "
			  "acknowledged)", "journal", w->journal_path, "bytes", bytes, "why",
			  st.dropped_why, NULL);
	}
	if (writes) {
		char n[32];

		snprintf(n, sizeof(n), "%llu", (unsigned long long)writes);
		log_event(LOG_INFO, "journal replayed over the data file", "journal", w->journal_path,
			  "writes", n, NULL);
	}
	return w;
fail:
	writer_close(w);
	return NULL;
}

/* ---- the thread ---- */

/* Where a failed sync leaves each write of the group. */
static void refuse_group(struct writer *w, struct write_job *jobs, int err)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "the journal %s could not be written (%s): the write was not made",
		 w->journal_path, strerror(err));
	for (struct write_job *j = jobs; j; j = j->next) {
		if (j->status >= 300 || j->replayed)
			continue;
		strbuf_reset(&j->json);
		strbuf_reset(&j->detail);
		j->status = err == ENOSPC || err == EDQUOT ? HTTP_INSUFFICIENT_STORAGE
							   : HTTP_SERVICE_UNAVAILABLE;
		j->retry_after = "5";
		strbuf_addstr(&j->detail, msg);
	}
	log_event(LOG_ERROR, "write failed; still serving the previous data", "error", msg, NULL);
	snapshots_publish_write_failure(w->snapshots, msg, time(NULL));
	metrics_write(w->metrics, false, 0);
}

/* The group: applied, journaled, synced once, served; each job's answer set. */
static void commit_group(struct writer *w, struct write_job *jobs)
{
	struct snapshot *snap = snapshot_acquire(w->snapshots);
	struct store_batch *b = store_batch_new(snapshot_serving(snap)->site->store);
	struct strbuf payload = STRBUF_INIT;
	const int64_t now = time(NULL);
	const size_t nidem = w->nidem;
	uint64_t applied = 0;

	for (struct write_job *j = jobs; j; j = j->next) {
		struct change ch = { 0 };
		char when[32], tag[ETAG_SIZE];
		const struct idem *e = j->idempotency_key ? idem_find(w, j->writer, j->idempotency_key) : NULL;

		/* A retry: the first answer again, or a refusal if the body is not the first one. */
		if (e && e->body_hash == j->body_hash) {
			j->status = HTTP_CREATED;
			strbuf_addstr(&j->json, e->json);
			strbuf_addstr(&j->key, e->id);
			j->etag = e->etag;
			j->replayed = true;
			continue;
		}
		if (e) {
			j->status = HTTP_UNPROCESSABLE_CONTENT;
			strbuf_addf(&j->detail, "Idempotency-Key \"%s\" was first sent with another body; "
				    "a new request takes a new key", j->idempotency_key);
			continue;
		}
		if (write_apply(b, j))
			continue;
		if (j->idempotency_key)
			idem_put(w, j->writer, j->idempotency_key, j->body_hash, j->which, j->key.buf,
				 j->json.buf, j->json.len, j->etag);
		strbuf_reset(&payload);
		encode_entry(&payload, w->seq + applied + 1, now, j);
		journal_append(w->journal, w->seq + applied + 1, payload.buf, payload.len);
		applied++;
		time_format_iso(now, when, sizeof(when));
		etag_format(tag, j->etag, false);
		ch.seq = (int64_t)(w->seq + applied);
		ch.at = when;
		ch.writer = j->writer;
		ch.op = write_kind_name(j->kind);
		ch.collection = store_resource(j->which)->name;
		ch.id = j->key.buf;
		ch.etag = j->kind == WRITE_DELETE ? NULL : tag;
		store_batch_log(b, &ch);
	}
	strbuf_release(&payload);
	if (!applied) {
		store_batch_free(b);
	} else if (journal_commit(w->journal)) {
		int err = errno;

		store_batch_free(b);
		idem_trim(w, nidem);
		refuse_group(w, jobs, err);
	} else {
		struct store *next = store_batch_commit(b);

		w->seq += applied;
		w->unfolded += applied;
		idem_trim(w, w->nidem);
		snapshots_publish_write(w->snapshots,
					app_build_site_next(snapshot_serving(snap)->site, next,
							    config_gzip_min(w->cfg)), now);
		metrics_write(w->metrics, true, applied);
	}
	snapshot_release(snap);
}

static bool data_file_changed(const struct writer *w)
{
	struct stat st;

	if (stat(w->cfg->data, &st))
		return true;
	return st.st_ino != w->data_stat.st_ino || st.st_size != w->data_stat.st_size ||
	       st.st_mtim.tv_sec != w->data_stat.st_mtim.tv_sec ||
	       st.st_mtim.tv_nsec != w->data_stat.st_mtim.tv_nsec;
}

/* For the crash tests: TEST_ATTACHE_COMPACT_KILL=N kills the process at step N of compaction. */
static void crash_point(int step)
{
	const char *at = getenv("TEST_ATTACHE_COMPACT_KILL");

	if (at && atoi(at) == step)
		raise(SIGKILL);
}

static int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), saved;
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
		/* Half a file on disk is what a crash here leaves: the rename has not happened. */
		if (done >= len / 2)
			crash_point(1);
	}
	if (fsync(fd))
		goto fail;
	return close(fd);
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* The entry that starts a journal again: the last seq, and the Idempotency-Keys' answers. */
static void encode_mark(const struct writer *w, struct strbuf *out)
{
	struct jsonw jw;
	char tag[ETAG_SIZE];

	jsonw_init(&jw, out, false);
	jsonw_object_begin(&jw);
	jsonw_kv_uint(&jw, "seq", w->seq);
	jsonw_kv_string(&jw, "op", "mark");
	jsonw_key(&jw, "idempotency");
	jsonw_array_begin(&jw);
	for (size_t i = 0; i < w->nidem; i++) {
		const struct idem *e = &w->idem[i];

		jsonw_object_begin(&jw);
		jsonw_kv_string(&jw, "writer", e->writer);
		jsonw_kv_string(&jw, "key", e->key);
		write_hash(&jw, "body_hash", e->body_hash);
		jsonw_kv_string(&jw, "collection", store_resource(e->which)->name);
		jsonw_kv_string(&jw, "id", e->id);
		etag_format(tag, e->etag, false);
		jsonw_kv_string(&jw, "etag", tag + 1);   /* the hex digits: read_hash() stops at the quote */
		jsonw_key(&jw, "record");
		jsonw_raw(&jw, e->json, strlen(e->json));
		jsonw_object_end(&jw);
	}
	jsonw_array_end(&jw);
	jsonw_object_end(&jw);
	jsonw_release(&jw);
}

/* Renders a journal entry's change as one line of DATA.changes, if it is not there yet. */
static int change_line(void *arg, uint64_t seq, const char *payload, size_t len, struct strbuf *err)
{
	struct strbuf *out = ((struct strbuf **)arg)[0];
	const uint64_t after = *((uint64_t **)arg)[1];
	cJSON *v;
	struct change ch;
	struct jsonw w;

	if (seq <= after)
		return 0;
	v = json_parse(payload, len, "journal entry", err);
	if (!v)
		return -1;
	change_of(v, seq, &ch);
	if (ch.op && strcmp(ch.op, "mark")) {
		jsonw_init(&w, out, false);
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "seq", ch.seq);
		jsonw_kv_string(&w, "at", ch.at);
		jsonw_kv_string(&w, "writer", ch.writer);
		jsonw_kv_string(&w, "op", ch.op);
		jsonw_kv_string(&w, "collection", ch.collection);
		jsonw_kv_string(&w, "id", ch.id);
		jsonw_kv_string(&w, "etag", ch.etag);
		jsonw_object_end(&w);
		jsonw_release(&w);
		strbuf_addch(out, '\n');
	}
	cJSON_Delete(v);
	return 0;
}

/*
 * Appends the journal's changes to DATA.changes and syncs it, so that the
 * feed outlives the journal. Returns 0, or -1 with errno.
 */
static int save_changes(struct writer *w)
{
	struct strbuf lines = STRBUF_INIT, err = STRBUF_INIT;
	void *arg[2] = { &lines, &w->changes_seq };
	struct stat st = { 0 };
	int fd, rc = -1, saved = 0;

	if (journal_replay(w->journal, change_line, arg, &err)) {
		errno = EIO;
		goto out;
	}
	fd = open(w->changes_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	if (fstat(fd, &st) ||
	    write(fd, lines.buf ? lines.buf : "", lines.len) != (ssize_t)lines.len || fsync(fd)) {
		saved = errno ? errno : EIO;
		/* Nothing half-written stays for the next append to follow. */
		if (!ftruncate(fd, st.st_size))
			(void)!fsync(fd);
		close(fd);
		errno = saved;
		goto out;
	}
	close(fd);
	w->changes_seq = w->seq;
	rc = 0;
out:
	strbuf_release(&lines);
	strbuf_release(&err);
	return rc;
}

/*
 * Folds the journal into the data file (see writer.h for why each crash
 * point is safe). Logs what it did or why it could not.
 */
/*
 * After a fold, the generation loaded from the file just written replaces the
 * one served: the same records and bytes, without the memory of the records
 * writes replaced since the data was loaded (generations built from others
 * share it). The changes feed is carried over.
 */
static void refresh(struct writer *w, const struct strbuf *file)
{
	struct strbuf err = STRBUF_INIT;
	struct store *fresh = store_load_buffer(file->buf, file->len, w->cfg->data, &err), *next;
	struct snapshot *snap;
	struct store_batch *b;

	if (!fresh) {
		/* It was written from a store this loader built: say so, and keep serving that. */
		log_event(LOG_ERROR, "the folded data file does not load again", "error", err.buf, NULL);
		strbuf_release(&err);
		return;
	}
	snap = snapshot_acquire(w->snapshots);
	b = store_batch_new(fresh);
	{
		const struct collection *feed = store_changes(snapshot_serving(snap)->site->store);

		for (uint32_t i = 0; i < feed->n; i++)
			store_batch_log(b, collection_record(feed, i));
	}
	next = store_batch_commit(b);
	store_free(fresh);
	snapshots_publish_write(w->snapshots, app_build_site_next(snapshot_serving(snap)->site, next,
								  config_gzip_min(w->cfg)), time(NULL));
	snapshot_release(snap);
	strbuf_release(&err);
}

static void compact(struct writer *w, const char *why, bool reload)
{
	struct snapshot *snap;
	struct strbuf file = STRBUF_INIT, mark = STRBUF_INIT;
	char bytes[32];

	if (!w->unfolded)
		return;
	if (data_file_changed(w)) {
		if (!w->hand_edit_logged)
			log_event(LOG_WARN, "the data file changed since it was loaded; the journal is not "
				  "folded into it until it is reloaded (SIGHUP)", "data", w->cfg->data, NULL);
		w->hand_edit_logged = true;
		return;
	}
	snap = snapshot_acquire(w->snapshots);
	store_render_file(snapshot_serving(snap)->site->store, &file);
	snapshot_release(snap);
	snprintf(bytes, sizeof(bytes), "%zu", file.len);
	if (write_file(w->tmp_path, file.buf, file.len)) {
		log_event(LOG_ERROR, "cannot fold the journal into the data file", "file", w->tmp_path,
			  "error", strerror(errno), NULL);
		unlink(w->tmp_path);
		goto out;
	}
	crash_point(2);
	if (rename(w->tmp_path, w->cfg->data) || journal_sync_dir(w->cfg->data)) {
		log_event(LOG_ERROR, "cannot fold the journal into the data file", "file", w->cfg->data,
			  "error", strerror(errno), NULL);
		unlink(w->tmp_path);
		goto out;
	}
	stat(w->cfg->data, &w->data_stat);
	crash_point(3);
	if (save_changes(w)) {
		log_event(LOG_ERROR, "cannot keep the changes feed; the journal is kept", "file",
			  w->changes_path, "error", strerror(errno), NULL);
		goto out;
	}
	encode_mark(w, &mark);
	if (journal_reset(w->journal, w->seq, mark.buf, mark.len)) {
		/* The data file holds every write; the journal's replay over it changes nothing. */
		log_event(LOG_ERROR, "cannot empty the journal (its writes are in the data file)",
			  "journal", w->journal_path, "error", strerror(errno), NULL);
		goto out;
	}
	crash_point(4);
	w->unfolded = 0;
	log_event(LOG_INFO, "journal folded into the data file", "cause", why, "data", w->cfg->data,
		  "bytes", bytes, NULL);
	if (reload)
		refresh(w, &file);
out:
	strbuf_release(&file);
	strbuf_release(&mark);
}

/* A reload: the data file as it is now, and the journal's writes over it. */
static void reload(struct writer *w, const char *why)
{
	struct strbuf err = STRBUF_INIT, records = STRBUF_INIT;
	struct journal_stats st = { 0 };
	struct stat now;
	uint64_t writes = 0;
	struct store *s;
	char n[32], gen[32];

	log_event(LOG_INFO, "reloading", "cause", why, "data", w->cfg->data, NULL);
	stat(w->cfg->data, &now);
	s = store_load_file(w->cfg->data, &err);
	if (s)
		s = replay_over(w, s, w->journal_path, &w->journal, &st, &writes, w->changes_path,
				&w->changes_seq, &err);
	if (!s) {
		snapshots_publish_failure(w->snapshots, err.buf, time(NULL));
		metrics_reload(w->metrics, false, time(NULL));
		log_event(LOG_ERROR, "reload failed; still serving the previous data", "cause", why,
			  "error", err.buf, NULL);
		goto out;
	}
	w->data_stat = now;
	w->hand_edit_logged = false;
	w->unfolded = writes;
	store_describe(s, &records);
	snapshots_publish_site(w->snapshots, app_build_site(s, config_gzip_min(w->cfg)), time(NULL));
	metrics_reload(w->metrics, true, time(NULL));
	{
		struct snapshot *snap = snapshot_acquire(w->snapshots);

		snprintf(gen, sizeof(gen), "%llu",
			 (unsigned long long)snapshot_serving(snap)->generation);
		snapshot_release(snap);
	}
	snprintf(n, sizeof(n), "%llu", (unsigned long long)writes);
	/* The rule: the journal's writes go over the file; for a record both changed, the API's wins. */
	log_event(LOG_INFO, "reloaded", "cause", why, "data", w->cfg->data, "records", records.buf,
		  "journal_writes_replayed", n, "generation", gen, NULL);
out:
	strbuf_release(&err);
	strbuf_release(&records);
}

static void *writer_thread(void *arg)
{
	struct writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct write_job *jobs;
		const char *why;

		while (!w->head && !w->reload_why && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (!w->head && !w->reload_why)
			break;
		jobs = w->head;
		w->head = w->tail = NULL;
		why = w->reload_why;
		w->reload_why = NULL;
		pthread_mutex_unlock(&w->lock);

		if (why)
			reload(w, why);
		if (jobs)
			commit_group(w, jobs);
		if (journal_bytes(w->journal) >= (uint64_t)w->cfg->journal_max_size)
			compact(w, "the journal passed journal-max-size", true);

		pthread_mutex_lock(&w->lock);
		for (struct write_job *j = jobs; j; j = j->next)
			j->done = true;
		pthread_cond_broadcast(&w->done);
		pthread_mutex_unlock(&w->lock);
		/* The jobs submitted without waiting: once told, a job is its request's again. */
		while (jobs) {
			struct write_job *next = jobs->next;

			if (jobs->done_fn)
				jobs->done_fn(jobs->done_arg);
			jobs = next;
		}
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Queues j (under w->lock); false when the writer takes no more, with j answered 503. */
static bool enqueue(struct writer *w, struct write_job *j)
{
	if (w->stopping || !w->running) {
		j->status = HTTP_SERVICE_UNAVAILABLE;
		j->retry_after = "5";
		strbuf_addstr(&j->detail, "the server is stopping and takes no more writes");
		return false;
	}
	j->next = NULL;
	j->done = false;
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->wake);
	return true;
}

static struct writer *writer_of(struct writes *iface)
{
	return (struct writer *)((char *)iface - offsetof(struct writer, iface));
}

static void submit(struct writes *iface, struct write_job *j)
{
	struct writer *w = writer_of(iface);

	pthread_mutex_lock(&w->lock);
	if (enqueue(w, j))
		while (!j->done)
			pthread_cond_wait(&w->done, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

static void submit_async(struct writes *iface, struct write_job *j, void (*done)(void *arg),
			 void *arg)
{
	struct writer *w = writer_of(iface);
	bool queued;

	j->done_fn = done;
	j->done_arg = arg;
	pthread_mutex_lock(&w->lock);
	queued = enqueue(w, j);
	pthread_mutex_unlock(&w->lock);
	if (!queued)
		done(arg);
}

int writer_start(struct writer *w, struct snapshots *snapshots, struct metrics *metrics,
		 struct strbuf *err)
{
	w->snapshots = snapshots;
	w->metrics = metrics;
	w->iface.submit = submit;
	w->iface.submit_async = submit_async;
	errno = pthread_create(&w->thread, NULL, writer_thread, w);
	if (errno) {
		strbuf_addf(err, "cannot start the writer thread: %s", strerror(errno));
		return -1;
	}
	w->running = true;
	return 0;
}

struct writes *writer_writes(struct writer *w)
{
	return &w->iface;
}

void writer_reload(struct writer *w, const char *why)
{
	pthread_mutex_lock(&w->lock);
	w->reload_why = why;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void writer_close(struct writer *w)
{
	if (!w)
		return;
	if (w->running) {
		pthread_mutex_lock(&w->lock);
		w->stopping = true;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		compact(w, "a clean stop", false);
	}
	journal_close(w->journal);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->done);
	free(w->journal_path);
	free(w->tmp_path);
	free(w->changes_path);
	idem_trim(w, 0);
	free(w->idem);
	free(w);
}
