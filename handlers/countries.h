/*
 * countries: the routes under /api/v1/countries.
 */
#ifndef ATTACHE_COUNTRIES_H
#define ATTACHE_COUNTRIES_H

#include "handlers/handler.h"

/* GET /api/v1/countries: the list. */
void handle_countries(const struct request *req, struct response *res);

/* GET /api/v1/countries/{code}: one country; the code ignores case. */
void handle_country(const struct request *req, struct response *res);

/* GET /api/v1/countries/{code}/meetings and /deals: the records naming it. */
void handle_country_meetings(const struct request *req, struct response *res);
void handle_country_deals(const struct request *req, struct response *res);

#endif
