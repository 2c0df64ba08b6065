/*
 * deals: the routes under /api/v1/deals.
 */
#ifndef ATTACHE_DEALS_H
#define ATTACHE_DEALS_H

#include "handlers/handler.h"

/* GET /api/v1/deals: the list. */
void handle_deals(const struct request *req, struct response *res);

/* GET /api/v1/deals/{id}: one deal. */
void handle_deal(const struct request *req, struct response *res);

#endif
