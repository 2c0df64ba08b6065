/*
 * meetings: the routes under /api/v1/meetings.
 */
#ifndef ATTACHE_MEETINGS_H
#define ATTACHE_MEETINGS_H

#include "handlers/handler.h"

/* GET /api/v1/meetings: the list. */
void handle_meetings(const struct request *req, struct response *res);

/* GET /api/v1/meetings/{id}: one meeting. */
void handle_meeting(const struct request *req, struct response *res);

/* GET /api/v1/meetings/{id}/deals: the deals that came up at it. */
void handle_meeting_deals(const struct request *req, struct response *res);

#endif
