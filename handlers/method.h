/*
 * method: the HTTP request methods attache tells apart, in one table.
 *
 * X(NAME): the enum is HTTP_NAME and the name on the wire is "NAME". Any
 * other method is HTTP_UNKNOWN (and answered 501 by the server).
 */
#ifndef ATTACHE_METHOD_H
#define ATTACHE_METHOD_H

#define HTTP_METHODS(X) X(GET) X(HEAD) X(OPTIONS) X(POST) X(PUT) X(DELETE) X(PATCH) X(TRACE) X(CONNECT)

enum http_method {
#define X(name) HTTP_##name,
	HTTP_METHODS(X)
#undef X
	HTTP_UNKNOWN,
};

/* The method called name, compared exactly ("GET", not "get"); HTTP_UNKNOWN for any other. */
enum http_method http_method_parse(const char *name);

/* The method's name on the wire ("GET"); NULL for HTTP_UNKNOWN. */
const char *http_method_name(enum http_method m);

#endif
