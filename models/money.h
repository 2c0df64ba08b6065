/*
 * money: an amount in a currency, never a float, and what it measures.
 *
 * {"amount": 260000000000, "currency": "KRW", "basis": "contract",
 * "estimate": false}: the amount is an integer in the currency's main unit,
 * from 0 to 2^53 - 1 so that every JSON reader, JavaScript's included, holds
 * it exactly; basis says what the figure measures (a contract won, a whole
 * project, the scale of a market), an id of the dataset's "basis" vocabulary
 * (the store checks it); estimate is true where the source calls the figure
 * estimated or approximate. Figures of different bases are never added up.
 */
#ifndef ATTACHE_MONEY_H
#define ATTACHE_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "lib/jsonw.h"
#include "models/member.h"
#include "models/resource.h"

struct money {
	int64_t amount;
	char currency[4];   /* ISO 4217, NUL-terminated */
	const char *basis;  /* a slug of the basis vocabulary */
	bool estimate;
};

/*
 * Reads obj[key] as null or a money object into *out (NULL for null or, when
 * not required, absent). Returns 0, or -1 after reporting through c.
 */
int money_from_json(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		    struct arena *a, const struct money **out);

/* Writes m as {"amount", "currency", "basis", "estimate"}, or null when m is NULL. */
void money_to_json(struct jsonw *w, const struct money *m);

/* check_rule_fn: NULL for an ISO 4217 code, else the complaint. */
const char *money_currency_rule(const char *s, size_t len);

/* The member type (models/member.h) of a const struct money *: null or money. */
extern const struct member_type member_money;

/* Field getters (models/resource.h) for the parts of the money at f->offset. */
void money_field_amount(const struct field *f, const void *record, struct field_value *out);
void money_field_currency(const struct field *f, const void *record, struct field_value *out);
void money_field_basis(const struct field *f, const void *record, struct field_value *out);
void money_field_estimate(const struct field *f, const void *record, struct field_value *out);

#endif
