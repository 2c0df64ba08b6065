/*
 * meetings: /api/v1/meetings and the deals of one meeting (see meetings.h).
 */
#include "handlers/meetings.h"

#include <string.h>

#include "handlers/list.h"
#include "handlers/site.h"

void handle_meetings(const struct request *req, struct response *res)
{
	list_handle(req, res, STORE_MEETINGS, NULL, NULL);
}

void handle_meeting(const struct request *req, struct response *res)
{
	list_handle_record(req, res, store_collection(req->serving->site->store, STORE_MEETINGS),
			   req->params[0]);
}

void handle_meeting_deals(const struct request *req, struct response *res)
{
	const struct store *s = req->serving->site->store;
	const char *id = req->params[0];

	if (!store_find_meeting(s, id, strlen(id))) {
		response_problem(req, res, HTTP_NOT_FOUND, "no meeting with id \"%s\"", id);
		return;
	}
	list_handle(req, res, STORE_DEALS, "meetings", id);
}
