/*
 * deals: /api/v1/deals (see deals.h).
 */
#include "handlers/deals.h"

#include "handlers/list.h"
#include "handlers/site.h"

void handle_deals(const struct request *req, struct response *res)
{
	list_handle(req, res, STORE_DEALS, NULL, NULL);
}

void handle_deal(const struct request *req, struct response *res)
{
	list_handle_record(req, res, store_collection(req->serving->site->store, STORE_DEALS),
			   req->params[0]);
}
