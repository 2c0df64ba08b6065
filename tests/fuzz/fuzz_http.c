/*
 * libFuzzer target: any bytes as a whole request (or several, or part of
 * one), sent to the real server through libmicrohttpd on one end of a
 * socketpair: its parser, the guard and the head check, the answers it gives
 * in libmicrohttpd's stead, the router, the list queries' budget and the
 * handlers. The other end then says it will send no more (FIN) and reads
 * what comes back for a moment.
 *
 * Every answer must be well formed: a status line "HTTP/1.1 NNN ", and, for
 * this server's own answers, one head whose Content-Length is the body that
 * follows (none after a HEAD's), or a chunked body (a streamed export, CSV
 * or NDJSON) whose chunks are well framed and end with the last chunk; a
 * HEAD of an export has neither, and nothing after it on the connection.
 * Crashes and sanitizer reports are the rest of the check.
 */
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "server/app.h"
#include "server/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config cfg;
static struct app app;

static void setup(void)
{
	static const char *const argv[] = {
		"attache", "--port", "0", "--threads", "1", "--access-log=false", "--log-level", "error",
		"--max-connections", "10000", "--max-connections-per-ip", "10000",
		/* The smallest budget: the dearer searches of the shipped data are refused. */
		"--max-scan", "1000", NULL,
	};
	char *const env[] = { NULL };
	struct strbuf err = STRBUF_INIT;

	if (config_load(&cfg, (int)(sizeof(argv) / sizeof(argv[0])) - 1, (char *const *)argv, env, &err) ||
	    (log_init(cfg.log_format, cfg.log_level), app_open(&app, &cfg, &err))) {
		fprintf(stderr, "fuzz_http: %s\n", err.buf);
		abort();
	}
	strbuf_release(&err);
}

/* Reads what the server sends within ms milliseconds of silence, or until it closes. */
static void drain(int fd, struct strbuf *out, int ms)
{
	char buf[16384];

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			return;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return;
		strbuf_add(out, buf, (size_t)n);
	}
}

static bool status_line_at(const char *p, const char *end)
{
	return end - p >= 13 && !memcmp(p, "HTTP/1.1 ", 9) && p[9] >= '1' && p[9] <= '5' && p[12] == ' ';
}

/*
 * Steps over the chunks of a body starting at p: returns where the answer
 * ends, or NULL when the read window cut it short (or it had none: a HEAD).
 * Aborts on a chunk size that is no hexadecimal number or a chunk not
 * followed by CRLF.
 */
static const char *skip_chunks(const char *p, const char *end)
{
	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		char *after;
		unsigned long n;

		if (!eol)
			return NULL;
		n = strtoul(p, &after, 16);
		if (after == p || after != eol)
			abort(); /* not a chunk size */
		if ((size_t)(end - eol - 2) < n + 2)
			return NULL;
		if (memcmp(eol + 2 + n, "\r\n", 2))
			abort(); /* a chunk longer or shorter than its size */
		p = eol + 2 + n + 2;
		if (!n)
			return p;
	}
	return NULL;
}

/* Checks each answer in out; aborts on one that is malformed. */
static void check(const struct strbuf *out)
{
	const char *p = out->buf, *end = out->buf + out->len;

	while (p < end) {
		const char *head_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4), *cl, *body;
		size_t len;

		if (!status_line_at(p, end))
			abort(); /* not a status line where an answer starts */
		if (!head_end)
			return; /* cut short by the read window */
		body = head_end + 4;
		/* Only this server's own answers name their type; libmicrohttpd's HTML pages do not. */
		if (!memmem(p, (size_t)(head_end - p), "\r\nContent-Type: application/", 28) &&
		    !memmem(p, (size_t)(head_end - p), "\r\nContent-Type: text/csv", 25))
			return;
		if (memmem(p, (size_t)(head_end - p), "\r\nTransfer-Encoding: chunked", 29)) {
			p = skip_chunks(body, end);
			if (!p)
				return;
			continue;
		}
		cl = memmem(p, (size_t)(head_end - p), "\r\nContent-Length: ", 18);
		/* Neither: a HEAD of an export, whose connection is closed right after its head. */
		if (!cl && memmem(p, (size_t)(head_end - p), "\r\nConnection: close", 19) && body == end)
			return;
		if (!cl)
			abort();
		len = strtoul(cl + 18, NULL, 10);
		/* A HEAD's answer has the GET's Content-Length and no body: the next answer follows. */
		if (len && status_line_at(body, end) &&
		    ((size_t)(end - body) < len || !status_line_at(body + len, end))) {
			p = body;
			continue;
		}
		if ((size_t)(end - body) < len)
			return; /* the body, cut short by the read window */
		p = body + len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(40000),
				    .sin_addr.s_addr = htonl(0x7f000001) };
	struct strbuf out = STRBUF_INIT;
	int sv[2];

	if (!app.http)
		setup();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	if (http_add_connection(app.http, sv[0], (const struct sockaddr *)&peer, sizeof(peer))) {
		close(sv[1]);
		return 0;
	}
	/* The inputs are small (-max_len): the socket buffer takes them whole. */
	if (size && write(sv[1], data, size) != (ssize_t)size)
		abort();
	shutdown(sv[1], SHUT_WR);
	drain(sv[1], &out, 30);
	close(sv[1]);
	check(&out);
	strbuf_release(&out);
	return 0;
}
