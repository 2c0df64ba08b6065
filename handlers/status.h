/*
 * status: the HTTP statuses attache answers with, in one table.
 *
 * X(code, NAME, reason): the reason phrase is also the problem title of the
 * "about:blank" problems (RFC 9457 section 4.2.1).
 */
#ifndef ATTACHE_STATUS_H
#define ATTACHE_STATUS_H

#define HTTP_STATUSES(X) \
	X(200, OK, "OK") \
	X(201, CREATED, "Created") \
	X(204, NO_CONTENT, "No Content") \
	X(304, NOT_MODIFIED, "Not Modified") \
	X(400, BAD_REQUEST, "Bad Request") \
	X(401, UNAUTHORIZED, "Unauthorized") \
	X(404, NOT_FOUND, "Not Found") \
	X(405, METHOD_NOT_ALLOWED, "Method Not Allowed") \
	X(406, NOT_ACCEPTABLE, "Not Acceptable") \
	X(409, CONFLICT, "Conflict") \
	X(412, PRECONDITION_FAILED, "Precondition Failed") \
	X(413, CONTENT_TOO_LARGE, "Content Too Large") \
	X(414, URI_TOO_LONG, "URI Too Long") \
	X(415, UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type") \
	X(422, UNPROCESSABLE_CONTENT, "Unprocessable Content") \
	X(428, PRECONDITION_REQUIRED, "Precondition Required") \
	X(431, HEADERS_TOO_LARGE, "Request Header Fields Too Large") \
	X(500, INTERNAL_ERROR, "Internal Server Error") \
	X(501, NOT_IMPLEMENTED, "Not Implemented") \
	X(503, SERVICE_UNAVAILABLE, "Service Unavailable") \
	X(507, INSUFFICIENT_STORAGE, "Insufficient Storage")

enum http_status {
#define X(code, name, reason) HTTP_##name = code,
	HTTP_STATUSES(X)
#undef X
};

/* The reason phrase of a status in the table; "Unknown" otherwise. */
const char *http_status_reason(int code);

#endif
