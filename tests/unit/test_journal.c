/*
 * Tests for lib/journal.c: framing, checksums, a torn or corrupt tail, replay.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "lib/journal.h"
#include "lib/mem.h"

struct seen {
	int n;
	uint64_t seqs[16];
	char payloads[16][32];
};

static int remember(void *arg, uint64_t seq, const char *p, size_t len, struct strbuf *err)
{
	struct seen *s = arg;

	(void)err;
	cr_assert_lt(s->n, 16);
	s->seqs[s->n] = seq;
	snprintf(s->payloads[s->n], sizeof(s->payloads[0]), "%.*s", (int)len, p);
	s->n++;
	return 0;
}

static void temp_path(char *path, size_t size)
{
	snprintf(path, size, "/tmp/attache-journal-%d-XXXXXX", (int)getpid());
	close(mkstemp(path));
	unlink(path);
}

static struct journal *open_seen(const char *path, struct seen *s, struct journal_stats *st)
{
	struct strbuf err = STRBUF_INIT;
	struct journal *j;

	memset(s, 0, sizeof(*s));
	j = journal_open(path, remember, s, st, &err);
	cr_assert_not_null(j, "%s", err.buf);
	strbuf_release(&err);
	return j;
}

/* A new journal at path with two committed entries, 1 "one" and 2 "two"; returns it open. */
static struct journal *two_entries(const char *path, struct seen *s)
{
	struct journal *j = open_seen(path, s, NULL);

	journal_append(j, 1, "one", 3);
	journal_append(j, 2, "two", 3);
	cr_assert_eq(journal_commit(j), 0);
	return j;
}

static off_t file_size(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0);
	return st.st_size;
}

Test(journal, replays_committed_entries_in_order_and_only_those)
{
	char path[64];
	struct journal_stats st;
	struct seen s;
	struct journal *j;

	temp_path(path, sizeof(path));
	j = open_seen(path, &s, &st);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(file_size(path), JOURNAL_HEADER);
	journal_append(j, 1, "one", 3);
	journal_append(j, 2, "two", 3);
	cr_assert_eq(journal_commit(j), 0);
	journal_append(j, 5, "five", 4);   /* buffered, never committed */
	journal_close(j);

	j = open_seen(path, &s, &st);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.seqs[0], 1);
	cr_assert_str_eq(s.payloads[1], "two");
	cr_assert_eq(st.last_seq, 2);
	cr_assert_eq(st.dropped_bytes, 0);
	cr_assert_eq(journal_entries(j), 2);
	cr_assert_eq(journal_bytes(j), 2 * (JOURNAL_FRAME + 3));
	journal_close(j);
	unlink(path);
}

/* Writes two good entries then extra bytes; reopening must keep exactly the two. */
static void tail_is_dropped(const char *extra, size_t len, const char *why)
{
	char path[64];
	struct journal_stats st;
	struct seen s;
	struct journal *j;
	int fd;

	temp_path(path, sizeof(path));
	j = two_entries(path, &s);
	journal_close(j);
	fd = open(path, O_WRONLY | O_APPEND);
	cr_assert_eq(write(fd, extra, len), (ssize_t)len);
	close(fd);

	j = open_seen(path, &s, &st);
	cr_assert_eq(s.n, 2, "%s", why);
	cr_assert_eq(st.dropped_bytes, len, "%s", why);
	cr_assert_not_null(st.dropped_why);
	cr_assert(strstr(st.dropped_why, why), "%s", st.dropped_why);
	cr_assert_eq(file_size(path), JOURNAL_HEADER + 2 * (JOURNAL_FRAME + 3), "the tail is cut off");
	/* What follows the cut is appended where the good entries end. */
	journal_append(j, 3, "three", 5);
	cr_assert_eq(journal_commit(j), 0);
	journal_close(j);
	j = open_seen(path, &s, &st);
	cr_assert_eq(s.n, 3);
	cr_assert_str_eq(s.payloads[2], "three");
	journal_close(j);
	unlink(path);
}

Test(journal, a_torn_header_is_dropped)
{
	tail_is_dropped("\x05\0\0\0\x01", 5, "torn");
}

Test(journal, a_torn_payload_is_dropped)
{
	struct strbuf e = STRBUF_INIT;

	journal_encode(&e, 3, "a longer payload", 16);
	tail_is_dropped(e.buf, e.len - 4, "torn");
	strbuf_release(&e);
}

Test(journal, a_flipped_bit_fails_the_checksum)
{
	struct strbuf e = STRBUF_INIT;

	journal_encode(&e, 3, "payload", 7);
	e.buf[e.len - 2] ^= 0x10;
	tail_is_dropped(e.buf, e.len, "checksum");
	strbuf_release(&e);
}

Test(journal, a_sequence_that_goes_backwards_is_corrupt)
{
	struct strbuf e = STRBUF_INIT;

	journal_encode(&e, 2, "again", 5);
	tail_is_dropped(e.buf, e.len, "backwards");
	strbuf_release(&e);
}

Test(journal, an_impossible_length_is_corrupt)
{
	struct strbuf e = STRBUF_INIT;

	journal_encode(&e, 3, "x", 1);
	e.buf[3] = 0x7f;
	tail_is_dropped(e.buf, e.len, "impossible");
	strbuf_release(&e);
}

Test(journal, refuses_a_file_that_is_not_a_journal)
{
	char path[64];
	struct strbuf err = STRBUF_INIT;
	int fd;

	temp_path(path, sizeof(path));
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	cr_assert_eq(write(fd, "{\"dataset\": {}}", 15), 15);
	close(fd);
	cr_assert_null(journal_open(path, remember, NULL, NULL, &err));
	cr_assert(strstr(err.buf, "not an attache journal"), "%s", err.buf);
	strbuf_release(&err);
	unlink(path);
}

static int refuse_second(void *arg, uint64_t seq, const char *p, size_t len, struct strbuf *err)
{
	(void)arg;
	(void)p;
	(void)len;
	if (seq == 2) {
		strbuf_addstr(err, "entry two is bad");
		return -1;
	}
	return 0;
}

Test(journal, a_replay_error_fails_the_open_and_names_the_entry)
{
	char path[64];
	struct strbuf err = STRBUF_INIT;
	struct seen s;
	struct journal *j;

	temp_path(path, sizeof(path));
	j = two_entries(path, &s);
	journal_close(j);
	cr_assert_null(journal_open(path, refuse_second, NULL, NULL, &err));
	cr_assert(strstr(err.buf, "entry two is bad"), "%s", err.buf);
	cr_assert(strstr(err.buf, "entry 2"), "%s", err.buf);
	strbuf_release(&err);
	unlink(path);
}

Test(journal, reset_drops_every_entry_and_keeps_the_one_given)
{
	char path[64];
	struct seen s;
	struct journal *j;

	temp_path(path, sizeof(path));
	j = two_entries(path, &s);
	cr_assert_eq(journal_reset(j, 2, "mark", 4), 0);
	cr_assert_eq(journal_bytes(j), JOURNAL_FRAME + 4);
	journal_append(j, 3, "three", 5);
	cr_assert_eq(journal_commit(j), 0);
	journal_close(j);
	j = open_seen(path, &s, NULL);
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.payloads[0], "mark");
	cr_assert_eq(s.seqs[1], 3);
	cr_assert_eq(journal_reset(j, 0, NULL, 0), 0);
	journal_close(j);
	j = open_seen(path, &s, NULL);
	cr_assert_eq(s.n, 0);
	journal_close(j);
	unlink(path);
}

Test(journal, a_failed_commit_leaves_the_file_as_it_was)
{
	char path[64];
	struct seen s;
	struct journal *j;
	int fd;

	temp_path(path, sizeof(path));
	j = open_seen(path, &s, NULL);
	journal_append(j, 1, "one", 3);
	cr_assert_eq(journal_commit(j), 0);
	/* /dev/full refuses every write with ENOSPC: swap it in under the journal's fd. */
	fd = open("/dev/full", O_WRONLY);
	cr_assert_geq(fd, 0);
	{
		/* The journal's fd is the lowest one it opened; find it by its size. */
		struct stat a, b;
		int jfd = -1;

		cr_assert_eq(stat(path, &a), 0);
		for (int i = 3; i < 64 && jfd < 0; i++)
			if (i != fd && !fstat(i, &b) && b.st_ino == a.st_ino && b.st_dev == a.st_dev)
				jfd = i;
		cr_assert_geq(jfd, 0);
		cr_assert_eq(dup2(fd, jfd), jfd);
		close(fd);
		journal_append(j, 2, "two", 3);
		cr_assert_eq(journal_commit(j), -1);
		cr_assert_eq(errno, ENOSPC);
		/* Put the file back and make sure nothing of entry 2 got in. */
		fd = open(path, O_RDWR);
		cr_assert_eq(dup2(fd, jfd), jfd);
		close(fd);
	}
	journal_append(j, 3, "three", 5);
	cr_assert_eq(journal_commit(j), 0);
	journal_close(j);
	j = open_seen(path, &s, NULL);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.seqs[1], 3);
	journal_close(j);
	unlink(path);
}
