/*
 * money: reading and writing amounts with their currency (see money.h).
 */
#include "models/money.h"

#include <string.h>

#include "lib/iso.h"
#include "lib/jsonscan.h"

const char *money_currency_rule(const char *s, size_t len)
{
	if (len != 3 || !(s[0] >= 'A' && s[0] <= 'Z') || !(s[1] >= 'A' && s[1] <= 'Z') ||
	    !(s[2] >= 'A' && s[2] <= 'Z'))
		return "an ISO 4217 currency code (three capital letters, e.g. KRW)";
	if (!iso_currency_code(s, len))
		return "an ISO 4217 currency code";
	return NULL;
}

int money_from_json(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		    struct arena *a, const struct money **out)
{
	static const char *const fields[] = { "amount", "currency", "basis", "estimate", NULL };
	const cJSON *v;
	struct money *m;
	const char *currency;
	bool present;
	size_t mark;
	int rc;

	*out = NULL;
	/* null is no figure, required or not. */
	rc = check_lookup(c, obj, key, flags | CHECK_NULLABLE, &v);
	if (rc <= 0)
		return rc;
	rc = -1;
	mark = check_enter_key(c, key);
	if (check_object(c, v, fields))
		goto out;
	m = arena_calloc(a, 1, sizeof(*m));
	if (check_int(c, v, "amount", CHECK_REQUIRED, 0, CHECK_MAX_SAFE_INT, &m->amount, &present))
		goto out;
	if (check_string(c, v, "currency", CHECK_REQUIRED, money_currency_rule, a, &currency))
		goto out;
	memcpy(m->currency, currency, 4);
	/* The one fault a figure of an older file has: say what the member is for. */
	if (!check_member(v, "basis")) {
		check_fail(c, "missing required field \"basis\": what the figure measures, an id of "
			   "the dataset's basis vocabulary (e.g. contract, project, market)");
		goto out;
	}
	if (check_string(c, v, "basis", CHECK_REQUIRED, check_rule_slug, a, &m->basis) ||
	    check_bool(c, v, "estimate", CHECK_REQUIRED, &m->estimate, &present))
		goto out;
	*out = m;
	rc = 0;
out:
	check_leave(c, mark);
	return rc;
}

void money_to_json(struct jsonw *w, const struct money *m)
{
	if (!m) {
		jsonw_null(w);
		return;
	}
	jsonw_object_begin(w);
	jsonw_kv_int(w, "amount", m->amount);
	jsonw_kv_string(w, "currency", m->currency);
	jsonw_kv_string(w, "basis", m->basis);
	jsonw_kv_bool(w, "estimate", m->estimate);
	jsonw_object_end(w);
}

static int read_money(struct check *c, const cJSON *obj, const struct member *m,
		      struct arena *a, void *slot)
{
	return money_from_json(c, obj, m->name, m->flags, a, slot);
}

static void write_money(struct jsonw *w, const struct member *m, const void *slot)
{
	(void)m;
	money_to_json(w, *(const struct money *const *)slot);
}

/* The members of a figure, in the order of the bits of a scan's seen. */
static const char *const money_members[] = { "amount", "currency", "basis", "estimate" };

/* One member of a figure, the index i in money_members[], into m. */
static const char *scan_money_member(const char *p, const char *end, size_t i, struct arena *a,
				     struct money *m)
{
	const char *s, *after;
	size_t len;

	switch (i) {
	case 0:
		return member_scan_int(p, end, 0, 0, CHECK_MAX_SAFE_INT, &m->amount);
	case 1:
		after = jsonscan_plain(p, end, &s, &len);
		if (!after || !check_plain_string(s, len, money_currency_rule))
			return NULL;
		memcpy(m->currency, s, 3);
		return after;
	case 2:
		return member_scan_string(p, end, 0, check_rule_slug, a, &m->basis);
	default:
		if ((after = jsonscan_word(p, end, "true")))
			m->estimate = true;
		else
			after = jsonscan_word(p, end, "false");
		return after;
	}
}

static const char *scan_money(const char *p, const char *end, const struct member *mb,
			      struct arena *a, void *slot)
{
	const size_t nmembers = sizeof(money_members) / sizeof(money_members[0]);
	const char *after;
	struct money *m;
	unsigned seen = 0;
	bool more;

	(void)mb;
	/* null is no figure, required or not. */
	if ((after = jsonscan_word(p, end, "null")))
		return after;
	m = arena_calloc(a, 1, sizeof(*m));
	p = jsonscan_open(p, end, '{', &more);
	while (p && more) {
		const char *key;
		size_t len, i;

		p = jsonscan_key(p, end, &key, &len);
		if (!p)
			return NULL;
		for (i = 0; i < nmembers; i++)
			if (!strncmp(money_members[i], key, len) && !money_members[i][len])
				break;
		if (i == nmembers || (seen >> i & 1))
			return NULL;
		seen |= 1u << i;
		p = scan_money_member(p, end, i, a, m);
		if (!p)
			return NULL;
		p = jsonscan_next(p, end, '}', &more);
	}
	if (!p || seen != (1u << nmembers) - 1)
		return NULL;
	*(const struct money **)slot = m;
	return p;
}

const struct member_type member_money = { read_money, write_money, scan_money };

static const struct money *money_at(const struct field *f, const void *record)
{
	return *(const struct money *const *)((const char *)record + f->offset);
}

void money_field_amount(const struct field *f, const void *record, struct field_value *out)
{
	const struct money *m = money_at(f, record);

	out->null = !m;
	if (m)
		out->i = m->amount;
}

void money_field_currency(const struct field *f, const void *record, struct field_value *out)
{
	const struct money *m = money_at(f, record);

	out->null = !m;
	if (m)
		out->s = m->currency;
}

void money_field_basis(const struct field *f, const void *record, struct field_value *out)
{
	const struct money *m = money_at(f, record);

	out->null = !m;
	if (m)
		out->s = m->basis;
}

void money_field_estimate(const struct field *f, const void *record, struct field_value *out)
{
	const struct money *m = money_at(f, record);

	out->null = !m;
	if (m)
		out->i = m->estimate;
}
