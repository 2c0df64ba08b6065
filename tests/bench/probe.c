/*
 * probe: the least a libmicrohttpd server can do per request, as a yardstick
 * for make bench (tests/bench/bench.py).
 *
 * It serves a few files, each read once at start into one
 * MHD_RESPMEM_PERSISTENT response that every request of its path queues
 * again: no routing beyond comparing the path, no headers beyond
 * Content-Type, no logging, no metrics. Like attache it runs an epoll
 * thread pool of 2, queues on the second call of the access handler (on the
 * first, 0.9.75 drops keep-alive) and has the same memory pool per
 * connection (max-header-size 8 KB + 8 KB, see http_pool_size()), so what
 * attache spends above it is attache's own.
 *
 *	probe PORT PATH=FILE...
 *
 * Runs until SIGTERM or SIGINT.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#define MAX_PATHS 16

struct page {
	const char *path;
	struct MHD_Response *response;
};

static struct page pages[MAX_PATHS];
static size_t npages;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	static int first;

	(void)cls;
	(void)method;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	if (*con_cls != &first) {
		*con_cls = &first;
		return MHD_YES;
	}
	*con_cls = NULL;
	for (size_t i = 0; i < npages; i++)
		if (!strcmp(url, pages[i].path))
			return MHD_queue_response(c, MHD_HTTP_OK, pages[i].response);
	return MHD_queue_response(c, MHD_HTTP_NOT_FOUND, pages[0].response);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	sigset_t stop;
	int sig;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PORT PATH=FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc && npages < MAX_PATHS; i++) {
		char *eq = strchr(argv[i], '=');
		size_t len = 0;
		char *body;

		if (!eq) {
			fprintf(stderr, "probe: %s is not PATH=FILE\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		body = read_file(eq + 1, &len);
		if (!body) {
			fprintf(stderr, "probe: cannot read %s\n", eq + 1);
			return 1;
		}
		pages[npages].path = argv[i];
		pages[npages].response = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(pages[npages].response, MHD_HTTP_HEADER_CONTENT_TYPE,
					"application/json; charset=utf-8");
		npages++;
	}
	/* The threads inherit the mask; the main thread waits for the signal. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, (uint16_t)atoi(argv[1]), NULL, NULL,
			     on_request, NULL,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)2,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(8192 + 8192),
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "probe: cannot listen on port %s\n", argv[1]);
		return 1;
	}
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	return 0;
}
