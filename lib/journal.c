/*
 * journal: checksummed append-only entries (see journal.h).
 */
#include "lib/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "lib/mem.h"

struct journal {
	int fd;
	char *path;
	uint64_t good;        /* the file's length up to its last durable entry */
	uint64_t entries;
	struct strbuf pending;
	uint64_t npending;
};

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint32_t entry_crc(const unsigned char *seq8, const char *payload, size_t len)
{
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, seq8, 8);
	/* zlib takes uInt lengths: feed a large payload in pieces. */
	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = crc32(crc, (const Bytef *)payload, n);
		payload += n;
		len -= n;
	}
	return (uint32_t)crc;
}

void journal_encode(struct strbuf *out, uint64_t seq, const char *payload, size_t len)
{
	unsigned char head[JOURNAL_FRAME];

	put64(head + 8, seq);
	put32(head, (uint32_t)len);
	put32(head + 4, entry_crc(head + 8, payload, len));
	strbuf_add(out, head, sizeof(head));
	strbuf_add(out, payload, len);
}

static int write_all(int fd, const char *p, size_t n, uint64_t at)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)at);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		at += (uint64_t)w;
	}
	return 0;
}

int journal_sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = -1;

	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/* Reads the whole file; returns a new buffer (free it) or NULL with errno. */
static char *read_all(int fd, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fstat(fd, &st))
		return NULL;
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			if (!r)
				errno = EIO;
			return NULL;
		}
		got += (size_t)r;
	}
	*len = got;
	return buf;
}

/* Walks the entries of buf: *good is the offset after the last good one. Returns 0, or -1 when fn does. */
static int replay(const char *path, const char *buf, size_t len, journal_replay_fn *fn, void *arg,
		  struct journal_stats *st, uint64_t *good, struct strbuf *err)
{
	size_t at = JOURNAL_HEADER;

	while (at < len) {
		const unsigned char *h = (const unsigned char *)buf + at;
		uint32_t n;
		uint64_t seq;

		if (len - at < JOURNAL_FRAME) {
			st->dropped_why = "an entry's header is cut short (a torn write)";
			break;
		}
		n = get32(h);
		seq = get64(h + 8);
		if (n > JOURNAL_MAX_ENTRY) {
			st->dropped_why = "an entry's length is impossible (corrupt)";
			break;
		}
		if (len - at - JOURNAL_FRAME < n) {
			st->dropped_why = "an entry is cut short (a torn write)";
			break;
		}
		if (get32(h + 4) != entry_crc(h + 8, buf + at + JOURNAL_FRAME, n)) {
			st->dropped_why = "an entry fails its checksum (corrupt)";
			break;
		}
		if (seq <= st->last_seq) {
			st->dropped_why = "an entry's sequence number goes backwards (corrupt)";
			break;
		}
		if (fn && fn(arg, seq, buf + at + JOURNAL_FRAME, n, err)) {
			strbuf_addf(err, " (%s, entry %llu)", path, (unsigned long long)seq);
			return -1;
		}
		st->entries++;
		st->last_seq = seq;
		at += JOURNAL_FRAME + n;
	}
	st->dropped_bytes = len - at;
	*good = at;
	return 0;
}

struct journal *journal_open(const char *path, journal_replay_fn *fn, void *arg,
			     struct journal_stats *stats, struct strbuf *err)
{
	struct journal *j = xcalloc(1, sizeof(*j));
	struct journal_stats st = { 0 };
	char *buf = NULL;
	size_t len = 0;
	bool created = false;

	j->fd = -1;
	strbuf_init(&j->pending, 0);
	j->fd = open(path, O_RDWR | O_CLOEXEC);
	if (j->fd < 0 && errno == ENOENT) {
		j->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		created = j->fd >= 0;
	}
	if (j->fd < 0) {
		strbuf_addf(err, "%s: cannot open the journal for writing: %s", path, strerror(errno));
		goto fail;
	}
	j->path = xstrdup(path);
	if (!(buf = read_all(j->fd, &len))) {
		strbuf_addf(err, "%s: cannot read the journal: %s", path, strerror(errno));
		goto fail;
	}
	if (len < JOURNAL_HEADER) {
		/* New, or its header was torn as it was made: nothing was ever committed. */
		if (len && memcmp(buf, JOURNAL_MAGIC, len)) {
			strbuf_addf(err, "%s: not an attache journal (no ATTJRNL1 header)", path);
			goto fail;
		}
		if (write_all(j->fd, JOURNAL_MAGIC, JOURNAL_HEADER, 0) || ftruncate(j->fd, JOURNAL_HEADER) ||
		    fsync(j->fd) || (created && journal_sync_dir(path))) {
			strbuf_addf(err, "%s: cannot write the journal: %s", path, strerror(errno));
			goto fail;
		}
		j->good = JOURNAL_HEADER;
	} else if (memcmp(buf, JOURNAL_MAGIC, JOURNAL_HEADER)) {
		strbuf_addf(err, "%s: not an attache journal (no ATTJRNL1 header)", path);
		goto fail;
	} else {
		if (replay(path, buf, len, fn, arg, &st, &j->good, err))
			goto fail;
		if (st.dropped_bytes && (ftruncate(j->fd, (off_t)j->good) || fsync(j->fd))) {
			strbuf_addf(err, "%s: cannot cut the journal's torn tail: %s", path, strerror(errno));
			goto fail;
		}
	}
	j->entries = st.entries;
	if (stats)
		*stats = st;
	free(buf);
	return j;
fail:
	free(buf);
	journal_close(j);
	return NULL;
}

int journal_replay(struct journal *j, journal_replay_fn *fn, void *arg, struct strbuf *err)
{
	struct journal_stats st = { 0 };
	uint64_t good;
	size_t len;
	char *buf = read_all(j->fd, &len);
	int rc;

	if (!buf) {
		strbuf_addf(err, "%s: cannot read the journal: %s", j->path, strerror(errno));
		return -1;
	}
	/* Only what was committed: the file may hold no more, but never trust a tail. */
	if (len > j->good)
		len = (size_t)j->good;
	rc = replay(j->path, buf, len, fn, arg, &st, &good, err);
	free(buf);
	return rc;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	strbuf_release(&j->pending);
	free(j->path);
	free(j);
}

void journal_append(struct journal *j, uint64_t seq, const char *payload, size_t len)
{
	journal_encode(&j->pending, seq, payload, len);
	j->npending++;
}

int journal_commit(struct journal *j)
{
	int saved;

	if (!j->pending.len)
		return 0;
	if (!write_all(j->fd, j->pending.buf, j->pending.len, j->good) && !fdatasync(j->fd)) {
		j->good += j->pending.len;
		j->entries += j->npending;
		strbuf_reset(&j->pending);
		j->npending = 0;
		return 0;
	}
	saved = errno;
	/* Nothing of a failed group may stay: a later replay would apply it. */
	if (!ftruncate(j->fd, (off_t)j->good))
		(void)!fdatasync(j->fd);
	strbuf_reset(&j->pending);
	j->npending = 0;
	errno = saved;
	return -1;
}

int journal_reset(struct journal *j, uint64_t seq, const char *payload, size_t len)
{
	struct strbuf tmp = STRBUF_INIT, body = STRBUF_INIT;
	int fd = -1, saved;

	strbuf_addf(&tmp, "%s.new", j->path);
	strbuf_add(&body, JOURNAL_MAGIC, JOURNAL_HEADER);
	if (len)
		journal_encode(&body, seq, payload, len);
	fd = open(tmp.buf, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, body.buf, body.len, 0) || fsync(fd) ||
	    rename(tmp.buf, j->path) || journal_sync_dir(j->path))
		goto fail;
	close(j->fd);
	j->fd = fd;
	j->good = body.len;
	j->entries = len ? 1 : 0;
	strbuf_release(&tmp);
	strbuf_release(&body);
	return 0;
fail:
	saved = errno;
	if (fd >= 0) {
		close(fd);
		unlink(tmp.buf);
	}
	strbuf_release(&tmp);
	strbuf_release(&body);
	errno = saved;
	return -1;
}

uint64_t journal_bytes(const struct journal *j)
{
	return j->good - JOURNAL_HEADER;
}

uint64_t journal_entries(const struct journal *j)
{
	return j->entries;
}
