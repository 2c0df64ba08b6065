/*
 * writer: the one thread that changes the data, and the journal that makes
 * its changes durable.
 *
 * Request threads hand writes (handlers/write.h) to the writer and wait.
 * The writer takes every write queued, applies them one by one to a batch
 * over the generation served (each checked by the loader's rules against
 * the writes before it), appends one journal entry per applied write, and
 * syncs the journal once for all of them (group commit). Only then does it
 * build the next generation from the batch, serve it, and wake the waiting
 * requests, so that a 2xx means the write is on disk and the next read sees
 * it. When the sync fails, no write of the group is served, the journal is
 * cut back, and each gets 507 (a full disk) or 503; /readyz and /metrics
 * show the failure until a write succeeds.
 *
 * The journal is DATA.journal beside the data file (lib/journal.h). At
 * startup its entries are replayed over the data file, and so on every
 * reload, which runs in this thread too, between groups: the data file as
 * it is now, then every write acknowledged since the journal was last
 * folded in (the API's write wins over a hand edit of the same record, and
 * the log says how many were replayed). A reload whose file no longer
 * holds what the journal's writes refer to is refused, with the reason,
 * and the current data kept. When the journal passes journal-max-size, and
 * at a clean stop, it is folded into the data file: the store is written
 * to DATA.tmp, synced, renamed over DATA, the directory synced, then the
 * journal emptied. A crash anywhere in that leaves either the old file and
 * the whole journal, or the new file and a journal whose entries it
 * already holds, which replay to the same records. Compaction is skipped
 * while the data file has been changed by hand and not reloaded (so a hand
 * edit is never overwritten unseen).
 *
 * Ownership: writer_open() returns a new writer; free with writer_close().
 */
#ifndef ATTACHE_WRITER_H
#define ATTACHE_WRITER_H

#include "config/config.h"
#include "handlers/write.h"
#include "lib/strbuf.h"
#include "lib/tokens.h"
#include "models/store.h"
#include "server/metrics.h"
#include "server/snapshot.h"

struct writer;

/*
 * Opens the journal beside cfg->data and replays it over *store, which it
 * replaces with the result (the old store freed). tokens is borrowed.
 * Returns a new writer, not yet running, or NULL with err saying why (the
 * data directory is not writable, the journal is unreadable, or its writes
 * no longer fit the data file).
 */
struct writer *writer_open(const struct config *cfg, const struct tokens *tokens,
			   struct store **store, struct strbuf *err);

/* Starts the thread, serving into snapshots (borrowed). Returns 0, or -1 with err. */
int writer_start(struct writer *w, struct snapshots *snapshots, struct metrics *metrics,
		 struct strbuf *err);

/* What handlers submit writes to. */
struct writes *writer_writes(struct writer *w);

/* Asks for a reload of the data file (run between groups of writes); why lives for ever. */
void writer_reload(struct writer *w, const char *why);

/*
 * Finishes the writes queued, refuses new ones (503), folds the journal into
 * the data file, stops the thread and frees the writer.
 */
void writer_close(struct writer *w);

#endif
