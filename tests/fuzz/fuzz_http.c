/*
 * libFuzzer target: any bytes as a whole request (or several, or part of
 * one), sent to the real server through libmicrohttpd on one end of a
 * socketpair: its parser, the guard and the head check, the answers it gives
 * in libmicrohttpd's stead, the router, the list queries' budget and the
 * handlers. The other end then says it will send no more (FIN) and reads
 * what comes back for a moment.
 *
 * Every answer must be well formed: a status line "HTTP/1.1 NNN ", and, for
 * this server's own JSON answers, one head whose Content-Length is the body
 * that follows. Crashes and sanitizer reports are the rest of the check.
 */
#include <netinet/in.h>
#include <poll.h>
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

/* Checks each answer in out; aborts on one that is malformed. */
static void check(const struct strbuf *out)
{
	const char *p = out->buf, *end = out->buf + out->len;

	while (p < end) {
		const char *head_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4), *cl;
		size_t len;

		if (end - p < 13 || memcmp(p, "HTTP/1.1 ", 9) || p[9] < '1' || p[9] > '5' || p[12] != ' ')
			abort(); /* not a status line where an answer starts */
		if (!head_end)
			return; /* cut short by the read window */
		/* Only this server's own answers name their type; libmicrohttpd's HTML pages do not. */
		if (!memmem(p, (size_t)(head_end - p), "\r\nContent-Type: application/", 28))
			return;
		cl = memmem(p, (size_t)(head_end - p), "\r\nContent-Length: ", 18);
		if (!cl)
			abort();
		len = strtoul(cl + 18, NULL, 10);
		if ((size_t)(end - head_end - 4) < len)
			return; /* the body, cut short by the read window */
		p = head_end + 4 + len;
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
