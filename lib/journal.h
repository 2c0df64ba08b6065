/*
 * journal: an append-only file of checksummed entries, for durable writes.
 *
 * The file starts with an 8-byte magic ("ATTJRNL1"); then each entry is
 *
 *     u32 length | u32 CRC-32 of (seq, payload) | u64 seq | payload
 *
 * little-endian, seq strictly increasing. Opening a journal reads every
 * entry and hands each good payload to a callback, in order; the first
 * entry that is cut short (a torn tail: the process died mid-append), fails
 * its CRC or breaks the sequence ends the replay, and it and everything
 * after it are cut off the file, so an entry is either wholly there or not
 * at all. Appends are buffered and made durable together by
 * journal_commit(), which writes and fdatasync()s once (group commit); a
 * commit that fails cuts the file back to where it was, so the journal
 * never holds a half-written group.
 *
 * Ownership: journal_open() returns a new journal; free with journal_close().
 * One thread appends and commits at a time (the writer thread).
 */
#ifndef ATTACHE_JOURNAL_H
#define ATTACHE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"

#define JOURNAL_MAGIC "ATTJRNL1"
#define JOURNAL_HEADER 8
#define JOURNAL_FRAME 16
/* The largest payload an entry holds. */
#define JOURNAL_MAX_ENTRY ((uint32_t)1 << 30)

struct journal;

/* Called once per good entry, in order; returns 0, or -1 to stop the open with an error in err. */
typedef int journal_replay_fn(void *arg, uint64_t seq, const char *payload, size_t len,
			      struct strbuf *err);

/* What opening found. */
struct journal_stats {
	uint64_t entries;          /* good entries replayed */
	uint64_t last_seq;         /* the last good entry's seq, or 0 */
	uint64_t dropped_bytes;    /* cut off the end: a torn or corrupt tail */
	const char *dropped_why;   /* why the tail was cut (a literal), or NULL */
};

/*
 * Opens (creating it, with its directory entry made durable) the journal at
 * path and replays it through fn. Returns a new journal, or NULL with a
 * message naming the path in err (not a journal, unreadable, unwritable, or
 * fn's own error).
 */
struct journal *journal_open(const char *path, journal_replay_fn *fn, void *arg,
			     struct journal_stats *stats, struct strbuf *err);

void journal_close(struct journal *j);

/*
 * Reads the journal's committed entries again, in order, through fn (for a
 * reload: the data file changed, and the journal's writes go over it).
 * Returns 0, or -1 with err set (fn's error, or the file's).
 */
int journal_replay(struct journal *j, journal_replay_fn *fn, void *arg, struct strbuf *err);

/* Buffers one entry; it is durable only once journal_commit() returns 0. */
void journal_append(struct journal *j, uint64_t seq, const char *payload, size_t len);

/*
 * Writes the buffered entries and syncs them to disk. Returns 0; or -1 with
 * errno set (ENOSPC for a full disk), the entries dropped and the file cut
 * back to its last good length.
 */
int journal_commit(struct journal *j);

/*
 * Drops every entry (after they have been folded into the data file), and
 * starts the journal again with the one entry given (seq and payload; len
 * 0: none), which carries what must outlive the entries, such as the last
 * sequence number. Atomic: a new file is written and synced beside the
 * journal and renamed over it, so a crash leaves the old journal or the new
 * one. Returns 0, or -1 with errno (the journal unchanged).
 */
int journal_reset(struct journal *j, uint64_t seq, const char *payload, size_t len);

/* Bytes of entries in the file, and how many. */
uint64_t journal_bytes(const struct journal *j);
uint64_t journal_entries(const struct journal *j);

/* Syncs the directory that holds path, making a new or renamed entry durable. Returns 0, or -1 with errno. */
int journal_sync_dir(const char *path);

/* Appends one encoded entry to out: what journal_append() writes. For tests and tools. */
void journal_encode(struct strbuf *out, uint64_t seq, const char *payload, size_t len);

#endif
