/*
 * conns: the connection watcher (see conns.h).
 *
 * Connections live in a table of slots, each with a generation, so that an
 * epoll event queued for a connection that has since gone is recognised and
 * dropped: the event carries slot and generation, never a pointer.
 */
#include "server/conns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/mem.h"

struct slot {
	struct conn *c;                 /* NULL: free */
	uint32_t gen;
};

struct conns {
	struct conns_limits limits;
	conns_report_fn *report;
	void *report_arg;
	int epfd;
	int wake;                       /* an eventfd: conns_stop() writes it */
	pthread_t thread;
	atomic_bool stop;

	pthread_mutex_t lock;           /* guards everything below */
	struct slot *slots;
	size_t nslots, alloc;
	size_t *free_slots;             /* a stack of free slot indexes */
	size_t nfree;
};

#define NS_PER_MS 1000000ull

uint64_t conns_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

const char *conns_reason_name(enum conn_reason reason)
{
	static const char *const names[CONN_NREASONS] = {
		[CONN_HEAD_TIMEOUT] = "header-timeout",
		[CONN_SLOW_BODY] = "slow-body",
		[CONN_ABANDONED] = "abandoned",
	};

	return reason < CONN_NREASONS ? names[reason] : "?";
}

int conns_verdict(const struct conns_limits *limits, enum conn_phase phase, uint64_t since_ns,
		  uint64_t body, uint64_t fin_ns, uint64_t now_ns)
{
	const uint64_t head_ns = limits->header_timeout_ms * NS_PER_MS;
	const uint64_t elapsed_ms = now_ns > since_ns ? (now_ns - since_ns) / NS_PER_MS : 0;

	if (phase == CONN_BUSY)
		return 0;
	/* No whole request is pending and the peer has said it will send no more. */
	if (fin_ns && now_ns >= fin_ns + CONNS_FIN_GRACE_MS * NS_PER_MS)
		return 1 + CONN_ABANDONED;
	if (phase == CONN_HEAD)
		return now_ns >= since_ns + head_ns ? 1 + CONN_HEAD_TIMEOUT : 0;
	/* A body: after the head's allowance, bytes so far against the rate over all its time. */
	if (limits->min_body_rate && elapsed_ms >= limits->header_timeout_ms &&
	    body * 1000 < limits->min_body_rate * elapsed_ms)
		return 1 + CONN_SLOW_BODY;
	return 0;
}

static uint64_t event_key(size_t slot, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint64_t)slot;
}

/* The live connection an event names, or NULL if it has gone. Under the lock. */
static struct conn *by_key(struct conns *cs, uint64_t key)
{
	size_t slot = (size_t)(key & 0xffffffffu);

	if (slot >= cs->nslots || cs->slots[slot].gen != (uint32_t)(key >> 32))
		return NULL;
	return cs->slots[slot].c;
}

static void *watch(void *arg)
{
	struct conns *cs = arg;
	struct epoll_event ev[64];
	uint64_t next_look = 0;

	while (!atomic_load(&cs->stop)) {
		int n = epoll_wait(cs->epfd, ev, 64, CONNS_TICK_MS);
		unsigned closed[CONN_NREASONS] = { 0 };
		uint64_t now = conns_now_ns();

		pthread_mutex_lock(&cs->lock);
		for (int i = 0; i < n; i++) {
			struct conn *c;

			if (ev[i].data.u64 == UINT64_MAX)
				continue; /* the wake-up */
			c = by_key(cs, ev[i].data.u64);
			if (c && !c->fin_ns)
				c->fin_ns = now;
		}
		if (now >= next_look) {
			next_look = now + CONNS_TICK_MS * NS_PER_MS;
			for (size_t s = 0; s < cs->nslots; s++) {
				struct conn *c = cs->slots[s].c;
				int v;

				if (!c)
					continue;
				if (c->shut_ns) {
					/* Still open: libmicrohttpd did not read the end (it reads on
					 * edges, and a trickler's bytes came first). Shut both ways. */
					if (c->shut_ns != UINT64_MAX &&
					    now >= c->shut_ns + CONNS_TICK_MS * NS_PER_MS)
						shutdown(c->fd, SHUT_RDWR);
					continue;
				}
				v = conns_verdict(&cs->limits, (enum conn_phase)atomic_load(&c->phase),
						  atomic_load(&c->since_ns), atomic_load(&c->body),
						  c->fin_ns, now);
				if (v) {
					/*
					 * libmicrohttpd reads the end of the stream and closes the
					 * connection, freeing its slot before the client sees the close.
					 */
					shutdown(c->fd, SHUT_RD);
					c->shut_ns = now;
					closed[v - 1]++;
				}
			}
		}
		pthread_mutex_unlock(&cs->lock);
		for (int r = 0; r < CONN_NREASONS; r++)
			if (closed[r] && cs->report)
				cs->report(cs->report_arg, (enum conn_reason)r, closed[r]);
	}
	return NULL;
}

struct conns *conns_start(const struct conns_limits *limits, conns_report_fn *report,
			  void *arg, struct strbuf *err)
{
	struct conns *cs = xcalloc(1, sizeof(*cs));
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = UINT64_MAX };

	cs->limits = *limits;
	cs->report = report;
	cs->report_arg = arg;
	cs->wake = -1;
	pthread_mutex_init(&cs->lock, NULL);
	cs->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (cs->epfd < 0)
		goto fail;
	cs->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (cs->wake < 0 || epoll_ctl(cs->epfd, EPOLL_CTL_ADD, cs->wake, &ev))
		goto fail;
	errno = pthread_create(&cs->thread, NULL, watch, cs);
	if (errno)
		goto fail;
	return cs;
fail:
	strbuf_addf(err, "cannot start the connection watcher: %s", strerror(errno));
	if (cs->wake >= 0)
		close(cs->wake);
	if (cs->epfd >= 0)
		close(cs->epfd);
	pthread_mutex_destroy(&cs->lock);
	free(cs);
	return NULL;
}

void conns_stop(struct conns *cs)
{
	uint64_t one = 1;

	if (!cs)
		return;
	atomic_store(&cs->stop, true);
	(void)!write(cs->wake, &one, sizeof(one));
	pthread_join(cs->thread, NULL);
	close(cs->wake);
	close(cs->epfd);
	pthread_mutex_destroy(&cs->lock);
	free(cs->slots);
	free(cs->free_slots);
	free(cs);
}

size_t conns_close_all(struct conns *cs)
{
	size_t open = 0;

	pthread_mutex_lock(&cs->lock);
	for (size_t s = 0; s < cs->nslots; s++) {
		struct conn *c = cs->slots[s].c;

		if (!c)
			continue;
		open++;
		if (c->shut_ns != UINT64_MAX) {
			shutdown(c->fd, SHUT_RDWR);
			c->shut_ns = UINT64_MAX;
		}
	}
	pthread_mutex_unlock(&cs->lock);
	return open;
}

void conn_enter(struct conn *c, enum conn_phase phase)
{
	/* since first: a watcher that sees the new phase sees its start too. */
	atomic_store_explicit(&c->since_ns, conns_now_ns(), memory_order_relaxed);
	atomic_store_explicit(&c->body, 0, memory_order_relaxed);
	atomic_store_explicit(&c->phase, (int)phase, memory_order_release);
}

void conn_body(struct conn *c, uint64_t n)
{
	atomic_fetch_add_explicit(&c->body, n, memory_order_relaxed);
}

void conns_add(struct conns *cs, struct conn *c, int fd, const struct sockaddr *sa)
{
	struct epoll_event ev = { .events = EPOLLRDHUP | EPOLLET };

	c->fd = fd;
	c->fin_ns = 0;
	c->shut_ns = 0;
	strcpy(c->remote, "-");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			  c->remote, sizeof(c->remote));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  c->remote, sizeof(c->remote));
	conn_enter(c, CONN_HEAD);

	pthread_mutex_lock(&cs->lock);
	if (cs->nfree) {
		c->slot = cs->free_slots[--cs->nfree];
	} else {
		if (cs->nslots == cs->alloc) {
			cs->alloc = cs->alloc ? 2 * cs->alloc : 64;
			cs->slots = xreallocarray(cs->slots, cs->alloc, sizeof(*cs->slots));
			cs->free_slots = xreallocarray(cs->free_slots, cs->alloc,
						       sizeof(*cs->free_slots));
		}
		c->slot = cs->nslots++;
		cs->slots[c->slot].gen = 0;
	}
	cs->slots[c->slot].c = c;
	ev.data.u64 = event_key(c->slot, cs->slots[c->slot].gen);
	/* Without the watch the connection still works, only unwatched for its FIN. */
	epoll_ctl(cs->epfd, EPOLL_CTL_ADD, fd, &ev);
	pthread_mutex_unlock(&cs->lock);
}

void conns_remove(struct conns *cs, struct conn *c)
{
	pthread_mutex_lock(&cs->lock);
	epoll_ctl(cs->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	cs->slots[c->slot].c = NULL;
	cs->slots[c->slot].gen++;
	cs->free_slots[cs->nfree++] = c->slot;
	pthread_mutex_unlock(&cs->lock);
}
