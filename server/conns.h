/*
 * conns: the open client connections, and the thread that keeps them honest.
 *
 * libmicrohttpd 0.9.75 times a connection out only when it is idle, so a
 * client that sends one byte every few seconds keeps its slot forever, and
 * with edge-triggered epoll it misses a FIN that arrives with the last bytes
 * of half a request head. This module watches every connection from a thread
 * of its own and closes, by shutting the socket down (libmicrohttpd then
 * reads the end of the stream and closes it the usual way):
 *
 *   - a connection whose request head is not whole header_timeout after the
 *     connection opened or after the previous answer on it ("head");
 *   - one whose request body, once header_timeout has passed since the head,
 *     arrives slower than min_body_rate bytes a second on average ("body");
 *   - one whose peer has closed its side (FIN) while no whole request is
 *     pending: half a head, or half a body ("abandoned").
 *
 * A connection being answered is never touched: the idle timeout of
 * libmicrohttpd covers a client that stops reading.
 *
 * The threads that serve requests move a connection from phase to phase with
 * plain atomic stores (no lock, no system call); the watcher reads them. A
 * connection is added and removed under a mutex, which the watcher holds
 * while it uses a connection's socket, so it never touches a socket that
 * libmicrohttpd has closed.
 *
 * Ownership: conns_start() returns a running watcher; conns_stop() stops and
 * frees it (close every connection first). struct conn is embedded in the
 * caller's own per-connection struct, which it must keep until conns_remove().
 */
#ifndef ATTACHE_CONNS_H
#define ATTACHE_CONNS_H

#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/strbuf.h"

/* How long a FIN must stand with no request pending before the connection is closed. */
#define CONNS_FIN_GRACE_MS 100
/* How often the watcher looks at every connection. */
#define CONNS_TICK_MS 100

enum conn_phase {
	CONN_HEAD,      /* waiting for a request head, or the rest of one */
	CONN_BODY,      /* the head is in; its body is arriving */
	CONN_BUSY,      /* a whole request is in: being answered */
};

/* Why the watcher closed a connection. */
enum conn_reason {
	CONN_HEAD_TIMEOUT,     /* the head did not arrive within header_timeout */
	CONN_SLOW_BODY,        /* the body arrived slower than min_body_rate */
	CONN_ABANDONED,        /* the peer closed its side with half a request sent */
	CONN_NREASONS,
};

struct conn {
	int fd;
	char remote[INET6_ADDRSTRLEN];  /* the peer's address, as text ("-" if unknown) */
	_Atomic int phase;              /* enum conn_phase */
	_Atomic uint64_t since_ns;      /* when the phase began (CLOCK_MONOTONIC) */
	_Atomic uint64_t body;          /* body bytes received (CONN_BODY) */

	/* The watcher's own: under the mutex. */
	size_t slot;
	uint64_t fin_ns;                /* when the peer's FIN was seen; 0: not yet */
	uint64_t shut_ns;               /* when the watcher shut the socket down; 0: not yet */
};

struct conns_limits {
	uint64_t header_timeout_ms;
	uint64_t min_body_rate;         /* bytes per second; 0: no minimum */
};

/* What the watcher closed in one look: n connections for reason. */
typedef void conns_report_fn(void *arg, enum conn_reason reason, unsigned n);

struct conns;

/*
 * Starts the watcher thread. report (may be NULL) is called from it with the
 * connections it closed in one look, by reason. Returns NULL with a message
 * in err when the thread or its epoll instance cannot be made.
 */
struct conns *conns_start(const struct conns_limits *limits, conns_report_fn *report,
			  void *arg, struct strbuf *err);

/* Stops the watcher and frees it. NULL is fine. */
void conns_stop(struct conns *cs);

/* The monotonic clock, in nanoseconds: what since_ns is measured on. */
uint64_t conns_now_ns(void);

/*
 * Starts watching c, a connection on socket fd from peer sa (may be NULL),
 * in phase CONN_HEAD from now.
 */
void conns_add(struct conns *cs, struct conn *c, int fd, const struct sockaddr *sa);

/* Stops watching c; call it before c's socket is closed. */
void conns_remove(struct conns *cs, struct conn *c);

/*
 * Shuts every watched connection's socket both ways, so that libmicrohttpd
 * reads the end of each and closes it; returns how many are still watched.
 * Call it again (it only counts those already shut) until 0, before
 * stopping the server: libmicrohttpd 0.9.75 crashes if it is stopped while
 * a thread of its own is refusing a request.
 */
size_t conns_close_all(struct conns *cs);

/* A phase begins now (a store; the serving threads call it, lock-free). */
void conn_enter(struct conn *c, enum conn_phase phase);

/* n more body bytes arrived. */
void conn_body(struct conn *c, uint64_t n);

/*
 * The watcher's rule, alone: what to do with a connection in phase since
 * since_ns, with body bytes received, whose peer's FIN was seen at fin_ns (0:
 * not seen), at now_ns. Returns 0 to leave it, or 1 + the reason to close it.
 */
int conns_verdict(const struct conns_limits *limits, enum conn_phase phase, uint64_t since_ns,
		  uint64_t body, uint64_t fin_ns, uint64_t now_ns);

/* "header-timeout", "slow-body", "abandoned": the reason as metrics and logs name it. */
const char *conns_reason_name(enum conn_reason reason);

#endif
