/*
 * webroot: the dashboard's files, from memory or a directory (see webroot.h).
 */
#include "handlers/webroot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/mem.h"

struct webroot {
	char *dir;                 /* NULL: serve files[] */
	struct named_blob {
		char *name;
		struct blob blob;
	} *files;
	size_t nfiles;
	size_t gzip_min;
};

/* Media types by extension; any other file is application/octet-stream (the last row). */
static const char *const types[][2] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ "", "application/octet-stream" },
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

const char *webroot_media_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < NTYPES - 1; i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return types[NTYPES - 1][1];
}

const char *webroot_media_types(size_t i)
{
	return i < NTYPES ? types[i][1] : NULL;
}

/* Compressing images that are already compressed gains nothing. */
static size_t gzip_for(const char *type, size_t gzip_min)
{
	return strncmp(type, "text/", 5) && strncmp(type, "application/json", 16) &&
	       strncmp(type, "image/svg", 9) ? 0 : gzip_min;
}

struct webroot *webroot_from_files(const struct web_file *files, size_t n, size_t gzip_min)
{
	struct webroot *w = xcalloc(1, sizeof(*w));

	w->files = xcalloc(n ? n : 1, sizeof(*w->files));
	w->nfiles = n;
	w->gzip_min = gzip_min;
	for (size_t i = 0; i < n; i++) {
		const char *type = webroot_media_type(files[i].name);
		char *copy = xmalloc(files[i].size ? files[i].size : 1);

		memcpy(copy, files[i].data, files[i].size);
		w->files[i].name = xstrdup(files[i].name);
		blob_init(&w->files[i].blob, copy, files[i].size, type, gzip_for(type, gzip_min));
	}
	return w;
}

struct webroot *webroot_from_dir(const char *dir, size_t gzip_min, struct strbuf *err)
{
	struct webroot *w;
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		strbuf_addf(err, "%s: web-root is not a directory", dir);
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->dir = xstrdup(dir);
	w->gzip_min = gzip_min;
	return w;
}

void webroot_free(struct webroot *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nfiles; i++) {
		free(w->files[i].name);
		blob_release(&w->files[i].blob);
	}
	free(w->files);
	free(w->dir);
	free(w);
}

/* Reads dir/name into a blob: a regular file, not through a symbolic link. */
static int read_file(const struct webroot *w, const char *name, struct blob *out)
{
	int dfd = -1, fd = -1, rc = -1;
	struct stat st;
	char *buf = NULL;
	size_t got = 0;

	dfd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		goto out;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > (64 << 20))
		goto out;
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		got += (size_t)n;
	}
	blob_init(out, buf, got, webroot_media_type(name),
		  gzip_for(webroot_media_type(name), w->gzip_min));
	buf = NULL;
	rc = 0;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

static bool servable_name(const char *name)
{
	/* One segment already (the router): refusing dot-names also refuses "." and "..". */
	return name[0] != '.' && !strchr(name, '/') && !strchr(name, '\\');
}

bool webroot_has(const struct webroot *w, const char *name)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	bool ok;

	if (!servable_name(name))
		return false;
	if (!w->dir) {
		for (size_t i = 0; i < w->nfiles; i++)
			if (!strcmp(w->files[i].name, name))
				return true;
		return false;
	}
	strbuf_addf(&path, "%s/%s", w->dir, name);
	ok = !lstat(path.buf, &st) && S_ISREG(st.st_mode);
	strbuf_release(&path);
	return ok;
}

void handle_web(const struct request *req, struct response *res)
{
	const struct webroot *w = req->web;
	const char *name = req->nparams ? req->params[0] : "index.html";
	struct blob b;

	if (!servable_name(name)) {
		response_problem(req, res, HTTP_NOT_FOUND, "no file \"%s\"", name);
		return;
	}
	if (!w->dir) {
		for (size_t i = 0; i < w->nfiles; i++) {
			if (strcmp(w->files[i].name, name))
				continue;
			response_blob(res, &w->files[i].blob);
			return;
		}
		response_problem(req, res, HTTP_NOT_FOUND, "no file \"%s\"", name);
		return;
	}
	if (read_file(w, name, &b)) {
		response_problem(req, res, HTTP_NOT_FOUND, "no file \"%s\"", name);
		return;
	}
	/* A file read per request is owned by the response; the server gzips it if asked. */
	{
		struct strbuf body = STRBUF_INIT;

		strbuf_add(&body, b.bytes, b.len);
		response_owned(res, &body, b.content_type);
	}
	blob_release(&b);
}
