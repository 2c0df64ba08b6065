/*
 * countries: /api/v1/countries and what hangs from one country (see countries.h).
 */
#include "handlers/countries.h"

#include <string.h>

#include "handlers/list.h"
#include "handlers/site.h"

void handle_countries(const struct request *req, struct response *res)
{
	list_handle(req, res, STORE_COUNTRIES, NULL, NULL);
}

void handle_country(const struct request *req, struct response *res)
{
	list_handle_record(req, res, store_collection(req->serving->site->store, STORE_COUNTRIES),
			   req->params[0]);
}

/* The list of which that names the country in the path, or a 404 for an unknown country. */
static void related(const struct request *req, struct response *res, enum store_collection which)
{
	const char *code = req->params[0];
	const struct country *co = store_find_country(req->serving->site->store, code, strlen(code));

	if (!co) {
		response_problem(req, res, HTTP_NOT_FOUND, "no country with code \"%s\"", code);
		return;
	}
	list_handle(req, res, which, "countries", co->code);
}

void handle_country_meetings(const struct request *req, struct response *res)
{
	related(req, res, STORE_MEETINGS);
}

void handle_country_deals(const struct request *req, struct response *res)
{
	related(req, res, STORE_DEALS);
}
