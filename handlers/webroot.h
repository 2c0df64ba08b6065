/*
 * webroot: the dashboard's static files, served at / and /{file}.
 *
 * Either the files compiled into the binary (rendered once as blobs, with
 * gzip and ETag) or, for editing, a directory read on every request. A file
 * name is one path segment; names starting with '.' are refused, symbolic
 * links are not followed and directories are never listed, so nothing
 * outside the root is reachable, however the name was encoded.
 *
 * Ownership: webroot_*() return a new webroot; free with webroot_free().
 */
#ifndef ATTACHE_WEBROOT_H
#define ATTACHE_WEBROOT_H

#include <stdbool.h>
#include <stddef.h>

#include "handlers/handler.h"
#include "handlers/response.h"

struct web_file {
	const char *name;               /* "index.html" */
	const unsigned char *data;
	size_t size;
};

/* Serves copies of n files from memory. */
struct webroot *webroot_from_files(const struct web_file *files, size_t n, size_t gzip_min);

/* Serves the directory dir, read per request. Returns NULL with a message if dir is not one. */
struct webroot *webroot_from_dir(const char *dir, size_t gzip_min, struct strbuf *err);

void webroot_free(struct webroot *w);

/* The media type for a file name, by extension. */
const char *webroot_media_type(const char *name);

/* The i-th media type a file can have (static), from 0 until NULL. */
const char *webroot_media_types(size_t i);

/* Whether name is a file this webroot would serve. */
bool webroot_has(const struct webroot *w, const char *name);

/* GET / and GET /{file}. */
void handle_web(const struct request *req, struct response *res);

#endif
