/*
 * status: reason phrases from the status table (see status.h).
 */
#include "handlers/status.h"

const char *http_status_reason(int code)
{
	switch (code) {
#define X(c, name, reason) case c: return reason;
	HTTP_STATUSES(X)
#undef X
	}
	return "Unknown";
}
