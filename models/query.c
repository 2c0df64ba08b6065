/*
 * query: parsing and running list queries (see query.h).
 */
#include "models/query.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "lib/mem.h"
#include "lib/text.h"

/*
 * The parameters that are not fields, in the order an error lists them, and
 * their parsers. format and bom choose the representation, which is the
 * handlers' business (handlers/format.h): reserved here, and not parsed.
 */
typedef int reserved_fn(struct query *q, const char *value, struct query_error *err);
static reserved_fn parse_q, parse_sort, parse_limit, parse_offset, parse_fields, parse_facet;

static const struct {
	const char *name;
	reserved_fn *parse;
} reserved[] = {
	{ "q", parse_q },
	{ "sort", parse_sort },
	{ "limit", parse_limit },
	{ "offset", parse_offset },
	{ "fields", parse_fields },
	{ "facet", parse_facet },
	{ "format", NULL },
	{ "bom", NULL },
};
#define NRESERVED (sizeof(reserved) / sizeof(reserved[0]))

static const char *const op_names[] = {
	[QUERY_EQ] = "eq", [QUERY_NE] = "ne", [QUERY_GT] = "gt", [QUERY_GTE] = "gte",
	[QUERY_LT] = "lt", [QUERY_LTE] = "lte", [QUERY_CONTAINS] = "contains",
	[QUERY_STARTSWITH] = "startswith", [QUERY_ISNULL] = "isnull",
};
#define NOPS (sizeof(op_names) / sizeof(op_names[0]))

const char *query_op_name(enum query_op op)
{
	return op_names[op];
}

/* Which operators each type supports. */
bool query_op_allowed(enum field_type t, enum query_op op)
{
	switch (op) {
	case QUERY_EQ: case QUERY_NE: case QUERY_ISNULL:
		return true;
	case QUERY_GT: case QUERY_GTE: case QUERY_LT: case QUERY_LTE:
		return t == FIELD_INTEGER || t == FIELD_DATE;
	case QUERY_CONTAINS:
		return t == FIELD_STRING || t == FIELD_STRINGS;
	case QUERY_STARTSWITH:
		return t == FIELD_STRING || t == FIELD_STRINGS || t == FIELD_DATE;
	}
	return false;
}

bool query_reserved(const char *key)
{
	for (size_t i = 0; i < NRESERVED; i++)
		if (!strcmp(key, reserved[i].name))
			return true;
	return false;
}

void query_error_init(struct query_error *err)
{
	err->param = NULL;
	strbuf_init(&err->detail, 0);
	err->nallowed = 0;
}

void query_error_release(struct query_error *err)
{
	strbuf_release(&err->detail);
	err->nallowed = 0;
}

static void allow(struct query_error *err, const char *name)
{
	if (err->nallowed < QUERY_MAX_ALLOWED)
		err->allowed[err->nallowed++] = name;
}

/* Appends "; allowed: a, b, c" from err->allowed to the detail. */
static void add_allowed_to_detail(struct query_error *err, const char *label)
{
	strbuf_addf(&err->detail, "; %s: ", label);
	for (size_t i = 0; i < err->nallowed; i++)
		strbuf_addf(&err->detail, "%s%s", i ? ", " : "", err->allowed[i]);
}

static int refuse(struct query_error *err, const char *param, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct query_error *err, const char *param, const char *fmt, ...)
{
	va_list ap;

	err->param = param;
	strbuf_reset(&err->detail);
	va_start(ap, fmt);
	strbuf_vaddf(&err->detail, fmt, ap);
	va_end(ap);
	return -1;
}

/* Quotes a value from the request for a message, cut to a readable length. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);

	if (n + 1 <= size)
		return s;
	memcpy(buf, s, size - 4);
	memcpy(buf + size - 4, "...", 4);
	return buf;
}

/* An integer as JSON Schema counts them: "5", "+5", "5.0" and "5e0" are all 5. */
static bool parse_int64(const char *s, int64_t *out)
{
	return text_parse_integer(s, strlen(s), out);
}

static bool parse_uint32(const char *s, uint32_t max, uint32_t *out)
{
	int64_t v;

	if (!parse_int64(s, &v) || v < 0 || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/*
 * Every parameter a list of res takes: its fields, then the reserved names.
 * A field named as one of those (a meeting's format) is that name once.
 */
static void allow_parameters(struct query_error *err, const struct resource *res)
{
	for (size_t i = 0; i < res->nfields; i++)
		if (!query_reserved(res->fields[i].name))
			allow(err, res->fields[i].name);
	for (size_t i = 0; i < NRESERVED; i++)
		allow(err, reserved[i].name);
}

/* Parses one value of a filter for the field's type, in place. */
static int parse_value(const struct field *f, enum query_op op, const char *param, char *s,
		       struct field_value *v, struct query_error *err)
{
	char tmp[64];
	const char *why = NULL;

	memset(v, 0, sizeof(*v));
	switch (f->type) {
	case FIELD_INTEGER:
		if (!parse_int64(s, &v->i))
			return refuse(err, param, "%s expects an integer, got \"%s\"", param,
				      shown(s, tmp, sizeof(tmp)));
		return 0;
	case FIELD_DATE:
		/* A prefix of a date ("2023-07") is a date's text, not a date. */
		if (op != QUERY_STARTSWITH && !date_valid(s, strlen(s), &why))
			return refuse(err, param, "%s expects %s, got \"%s\"", param, why,
				      shown(s, tmp, sizeof(tmp)));
		v->s = s;
		return 0;
	case FIELD_STRING:
	case FIELD_STRINGS:
		v->s = s;
		return 0;
	case FIELD_BOOLEAN:
		if (strcmp(s, "true") && strcmp(s, "false"))
			return refuse(err, param, "%s expects true or false, got \"%s\"", param,
				      shown(s, tmp, sizeof(tmp)));
		v->i = strcmp(s, "true") == 0;
		return 0;
	}
	return 0;
}

static int add_filter(struct query *q, const struct field *f, enum query_op op,
		      const char *param, const char *value, struct query_error *err)
{
	struct query_filter *flt;
	char tmp[64];
	size_t nparts = 1;
	char *p;

	if (q->nfilters == QUERY_MAX_FILTERS)
		return refuse(err, param, "too many filters: at most %d are allowed", QUERY_MAX_FILTERS);
	if (!*value && op != QUERY_ISNULL)
		return refuse(err, param, "%s expects a value, got an empty string", param);
	flt = &q->filters[q->nfilters++];
	memset(flt, 0, sizeof(*flt));
	flt->field = (size_t)(f - q->res->fields);
	flt->op = op;
	flt->buf = xstrdup(value);

	if (op == QUERY_ISNULL) {
		if (strcmp(value, "true") && strcmp(value, "false")) {
			allow(err, "true");
			allow(err, "false");
			return refuse(err, param, "%s expects true or false, got \"%s\"", param,
				      shown(value, tmp, sizeof(tmp)));
		}
		flt->isnull = strcmp(value, "true") == 0;
		return 0;
	}
	/* Only equality takes alternatives: a comma inside contains= is just a comma. */
	if (op == QUERY_EQ || op == QUERY_NE)
		for (p = flt->buf; *p; p++)
			nparts += *p == ',';
	if (nparts > QUERY_MAX_VALUES)
		return refuse(err, param, "%s lists %zu values: at most %d are allowed", param,
			      nparts, QUERY_MAX_VALUES);
	flt->values = xcalloc(nparts, sizeof(*flt->values));
	p = flt->buf;
	for (size_t i = 0; i < nparts; i++) {
		char *comma = nparts > 1 ? strchr(p, ',') : NULL;

		if (comma)
			*comma = '\0';
		if (!*p)
			return refuse(err, param, "%s has an empty item in \"%s\"", param,
				      shown(value, tmp, sizeof(tmp)));
		if (parse_value(f, op, param, p, &flt->values[i], err))
			return -1;
		flt->nvalues++;
		p = comma ? comma + 1 : p + strlen(p);
	}
	return 0;
}

static int parse_filter(struct query *q, const struct query_param *prm, struct query_error *err)
{
	const struct resource *res = q->res;
	const char *colon = strchr(prm->key, ':');
	size_t flen = colon ? (size_t)(colon - prm->key) : strlen(prm->key);
	const struct field *f = resource_field(res, prm->key, flen);
	enum query_op op = QUERY_EQ;
	char tmp[64];

	if (!f) {
		allow_parameters(err, res);
		if (colon)
			refuse(err, prm->key, "unknown field \"%.*s\" in \"%s\"", (int)flen,
			       prm->key, shown(prm->key, tmp, sizeof(tmp)));
		else
			refuse(err, prm->key, "unknown parameter \"%s\"", shown(prm->key, tmp, sizeof(tmp)));
		add_allowed_to_detail(err, "allowed");
		return -1;
	}
	if (colon) {
		size_t i;

		for (i = 0; i < NOPS; i++)
			if (strcmp(colon + 1, op_names[i]) == 0)
				break;
		if (i == NOPS || !query_op_allowed(f->type, (enum query_op)i)) {
			for (size_t j = 0; j < NOPS; j++)
				if (query_op_allowed(f->type, (enum query_op)j))
					allow(err, op_names[j]);
			if (i == NOPS)
				refuse(err, prm->key, "unknown operator \"%s\" in \"%s\"",
				       shown(colon + 1, tmp, sizeof(tmp)), prm->key);
			else
				refuse(err, prm->key, "operator \"%s\" does not apply to %s field \"%s\"",
				       op_names[i], field_type_name(f->type), f->name);
			add_allowed_to_detail(err, "operators for this field");
			return -1;
		}
		op = (enum query_op)i;
	}
	return add_filter(q, f, op, prm->key, prm->value, err);
}

/*
 * The comma-list parameters, sort, fields and facet: what each item is, and
 * which items would do (the fields with flag need; top-level members when
 * need is 0), listed under label when one is refused.
 */
struct list_param {
	const char *name;
	int (*item)(struct query *q, const struct list_param *lp, const char *s, size_t len,
		    struct query_error *err);
	unsigned need;
	const char *label;
};

/* Lists the items of lp that would do, skipping the sort keys already named when skip_sorted. */
static void allow_items(const struct query *q, const struct list_param *lp, bool skip_sorted,
			struct query_error *err)
{
	const struct resource *res = q->res;

	if (!lp->need) {
		for (size_t i = 0; i < res->nmembers; i++)
			allow(err, res->members[i].name);
		return;
	}
	for (size_t i = 0; i < res->nfields; i++) {
		bool named = false;

		for (size_t k = 0; skip_sorted && k < q->nsort; k++)
			named |= q->sort[k].field == i;
		if ((res->fields[i].flags & lp->need) == lp->need && !named)
			allow(err, res->fields[i].name);
	}
}

/* Refuses lp with a detail from fmt, then the items that would do. */
static int refuse_item(const struct query *q, const struct list_param *lp, bool skip_sorted,
		       struct query_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int refuse_item(const struct query *q, const struct list_param *lp, bool skip_sorted,
		       struct query_error *err, const char *fmt, ...)
{
	va_list ap;

	err->param = lp->name;
	strbuf_reset(&err->detail);
	va_start(ap, fmt);
	strbuf_vaddf(&err->detail, fmt, ap);
	va_end(ap);
	allow_items(q, lp, skip_sorted, err);
	add_allowed_to_detail(err, lp->label);
	return -1;
}

/* Splits the comma list value of lp and hands each item to lp->item. */
static int each_item(struct query *q, const struct list_param *lp, const char *value,
		     struct query_error *err)
{
	const char *p = value;

	if (!*value)
		return refuse_item(q, lp, false, err,
				   "%s expects a comma-separated list, got an empty string", lp->name);
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (!len)
			return refuse_item(q, lp, false, err, "%s has an empty item", lp->name);
		if (lp->item(q, lp, p, len, err))
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* The field called s (len bytes) if lp's items may name it; else NULL, after refusing it. */
static const struct field *field_for(struct query *q, const struct list_param *lp, const char *s,
				     size_t len, const char *verb, struct query_error *err)
{
	const struct field *f = resource_field(q->res, s, len);

	if (f && (f->flags & lp->need))
		return f;
	refuse_item(q, lp, false, err, "cannot %s \"%.*s\"", verb, (int)(len > 60 ? 60 : len), s);
	return NULL;
}

static int sort_item(struct query *q, const struct list_param *lp, const char *s, size_t len,
		     struct query_error *err)
{
	bool desc = s[0] == '-';
	const struct field *f;
	size_t idx;

	if (desc || s[0] == '+') {
		s++;
		len--;
	}
	f = field_for(q, lp, s, len, "sort by", err);
	if (!f)
		return -1;
	idx = (size_t)(f - q->res->fields);
	for (size_t i = 0; i < q->nsort; i++)
		if (q->sort[i].field == idx)
			return refuse_item(q, lp, true, err, "sort names \"%s\" twice", f->name);
	if (q->nsort == QUERY_MAX_SORT)
		return refuse(err, "sort", "sort has more than %d keys", QUERY_MAX_SORT);
	q->sort[q->nsort].field = idx;
	q->sort[q->nsort].desc = desc;
	q->nsort++;
	return 0;
}

static int fields_item(struct query *q, const struct list_param *lp, const char *s, size_t len,
		       struct query_error *err)
{
	int m = resource_member(q->res, s, len);

	if (m < 0)
		return refuse_item(q, lp, false, err, "unknown field \"%.*s\" in fields",
				   (int)(len > 60 ? 60 : len), s);
	for (size_t i = 0; i < q->nmembers; i++)
		if (q->members[i] == m)
			return 0; /* asked twice: shown once */
	if (q->nmembers == QUERY_MAX_MEMBERS)
		return refuse(err, "fields", "fields has too many items");
	q->members[q->nmembers++] = m;
	return 0;
}

static int facet_item(struct query *q, const struct list_param *lp, const char *s, size_t len,
		      struct query_error *err)
{
	const struct field *f = field_for(q, lp, s, len, "facet on", err);
	size_t idx;

	if (!f)
		return -1;
	idx = (size_t)(f - q->res->fields);
	for (size_t i = 0; i < q->nfacets; i++)
		if (q->facets[i] == idx)
			return 0;
	if (q->nfacets == QUERY_MAX_FACETS)
		return refuse(err, "facet", "facet has more than %d fields", QUERY_MAX_FACETS);
	q->facets[q->nfacets++] = idx;
	return 0;
}

static const struct list_param sort_param = { "sort", sort_item, FIELD_SORT, "sortable fields" };
static const struct list_param fields_param = { "fields", fields_item, 0, "allowed" };
static const struct list_param facet_param = { "facet", facet_item, FIELD_FACET, "facetable fields" };

/* q: words and phrases (models/search.h); blank means no search. */
static int parse_q(struct query *q, const char *value, struct query_error *err)
{
	struct strbuf why = STRBUF_INIT;
	int rc = search_parse(&q->search, value, &why);

	if (rc < 0)
		refuse(err, "q", "%s", why.buf);
	strbuf_release(&why);
	return rc < 0 ? -1 : 0;
}

static int parse_sort(struct query *q, const char *value, struct query_error *err)
{
	return each_item(q, &sort_param, value, err);
}

/* Paging: the parameter name is a count from 0 to max. */
static int parse_count(const char *name, const char *value, uint32_t max, uint32_t *out,
		       struct query_error *err)
{
	char tmp[64];

	if (!parse_uint32(value, max, out))
		return refuse(err, name, "%s must be an integer from 0 to %" PRIu32 ", got \"%s\"",
			      name, max, shown(value, tmp, sizeof(tmp)));
	return 0;
}

static int parse_limit(struct query *q, const char *value, struct query_error *err)
{
	return parse_count("limit", value, QUERY_MAX_LIMIT, &q->limit, err);
}

static int parse_offset(struct query *q, const char *value, struct query_error *err)
{
	return parse_count("offset", value, UINT32_MAX, &q->offset, err);
}

static int parse_fields(struct query *q, const char *value, struct query_error *err)
{
	return each_item(q, &fields_param, value, err);
}

static int parse_facet(struct query *q, const char *value, struct query_error *err)
{
	return each_item(q, &facet_param, value, err);
}

int query_parse(struct query *q, const struct resource *res, const struct query_param *params,
		size_t n, struct query_error *err)
{
	bool seen[NRESERVED] = { false };

	memset(q, 0, sizeof(*q));
	q->res = res;
	q->limit = QUERY_DEFAULT_LIMIT;
	for (size_t i = 0; i < n; i++) {
		const struct query_param *p = &params[i];
		size_t r;

		if (!*p->key) {
			allow_parameters(err, res);
			refuse(err, "", "a query parameter has an empty name");
			add_allowed_to_detail(err, "allowed");
			return -1;
		}
		for (r = 0; r < NRESERVED; r++)
			if (strcmp(p->key, reserved[r].name) == 0)
				break;
		if (r == NRESERVED) {
			if (parse_filter(q, p, err))
				return -1;
			continue;
		}
		if (seen[r])
			return refuse(err, reserved[r].name, "parameter \"%s\" is given more than once",
				      reserved[r].name);
		seen[r] = true;
		if (reserved[r].parse && reserved[r].parse(q, p->value, err))
			return -1;
	}
	return 0;
}

int query_add_filter(struct query *q, const char *field, const char *value, bool exact,
		     struct query_error *err)
{
	const struct field *f = resource_field(q->res, field, strlen(field));

	if (!f)
		return refuse(err, field, "unknown field \"%s\"", field);
	if (add_filter(q, f, QUERY_EQ, field, value, err))
		return -1;
	q->filters[q->nfilters - 1].exact = exact;
	return 0;
}

void query_release(struct query *q)
{
	for (size_t i = 0; i < q->nfilters; i++) {
		free(q->filters[i].buf);
		free(q->filters[i].values);
	}
	search_query_release(&q->search);
	memset(q, 0, sizeof(*q));
}

/* ---- running ---- */

static bool matcher_has(const struct query_matcher *m, uint32_t id)
{
	if (m->bits)
		return m->bits[id];
	for (size_t i = 0; i < m->nranges; i++)
		if (id >= m->ranges[i].lo && id < m->ranges[i].hi)
			return true;
	return false;
}

static bool matcher_test(const struct query_matcher *m, uint32_t r)
{
	uint32_t k;
	const uint32_t *ids = column_record_ids(m->col, r, &k);
	bool hit = false;

	if (m->nulltest)
		hit = k == 0;
	else
		for (uint32_t j = 0; j < k && !hit; j++)
			hit = matcher_has(m, ids[j]);
	return m->negate ? !hit : hit;
}

static void resolve(const struct query_filter *f, const struct column *col, struct query_matcher *m)
{
	const uint32_t nd = col->ndistinct;

	memset(m, 0, sizeof(*m));
	m->col = col;
	switch (f->op) {
	case QUERY_ISNULL:
		m->nulltest = true;
		m->negate = !f->isnull;
		return;
	case QUERY_NE:
		m->negate = true;
		/* fall through */
	case QUERY_EQ:
		/* A few values, the usual case, need no allocation. */
		m->ranges = f->nvalues <= QUERY_MATCHER_FEW ? m->few :
			    xcalloc(f->nvalues, sizeof(*m->ranges));
		for (size_t i = 0; i < f->nvalues; i++) {
			struct query_id_range *r = &m->ranges[i];

			column_equal_range(col, &f->values[i], &r->lo, &r->hi);
			/* Within the values equal ignoring case, the one equal byte for byte. */
			if (f->exact && col->field->type != FIELD_INTEGER &&
			    col->field->type != FIELD_BOOLEAN) {
				uint32_t v = r->lo;

				while (v < r->hi && strcmp(col->values[v].s, f->values[i].s))
					v++;
				*r = v < r->hi ? (struct query_id_range){ v, v + 1 } : (struct query_id_range){ 0, 0 };
			}
		}
		m->nranges = f->nvalues;
		return;
	case QUERY_GT: case QUERY_GTE: case QUERY_LT: case QUERY_LTE: {
		uint32_t b;

		m->ranges = m->few;
		m->nranges = 1;
		b = column_lower_bound(col, &f->values[0], f->op == QUERY_GT || f->op == QUERY_LTE);
		if (f->op == QUERY_GT || f->op == QUERY_GTE)
			m->ranges[0] = (struct query_id_range){ b, nd };
		else
			m->ranges[0] = (struct query_id_range){ 0, b };
		return;
	}
	case QUERY_CONTAINS: case QUERY_STARTSWITH: {
		const char *needle = f->values[0].s;
		size_t nlen = strlen(needle);

		m->bits = xcalloc(nd ? nd : 1, 1);
		for (uint32_t v = 0; v < nd; v++) {
			const char *s = col->values[v].s;

			m->bits[v] = f->op == QUERY_CONTAINS
				? ascii_casecontains(s, strlen(s), needle, nlen)
				: ascii_casestarts(s, strlen(s), needle, nlen);
		}
		return;
	}
	}
}

/* How many postings a positive matcher would read to list its candidates. */
static size_t matcher_cost(const struct query_matcher *m)
{
	const struct column *col = m->col;
	size_t cost = 0;

	if (m->nulltest)
		return col->nnulls;
	if (m->bits) {
		for (uint32_t v = 0; v < col->ndistinct; v++)
			if (m->bits[v])
				cost += col->pstart[v + 1] - col->pstart[v];
		return cost;
	}
	for (size_t i = 0; i < m->nranges; i++)
		if (m->ranges[i].hi > m->ranges[i].lo)
			cost += col->pstart[m->ranges[i].hi] - col->pstart[m->ranges[i].lo];
	return cost;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Appends the postings of value ids [lo, hi), which are one ascending block. */
static void add_postings(const struct column *col, uint32_t lo, uint32_t hi, uint32_t *out,
			 size_t *k, size_t *blocks)
{
	size_t len;

	if (hi <= lo)
		return;
	len = col->pstart[hi] - col->pstart[lo];
	if (!len)
		return;
	memcpy(out + *k, col->postings + col->pstart[lo], len * sizeof(*out));
	*k += len;
	/* A range of several values is several blocks, each ascending. */
	*blocks += hi - lo;
}

/* Lists the records a positive matcher accepts, ascending and unique. */
static uint32_t *candidates(const struct query_matcher *m, size_t cost, size_t *n)
{
	const struct column *col = m->col;
	uint32_t *out = xmalloc((cost ? cost : 1) * sizeof(*out));
	size_t k = 0, blocks = 0;

	if (m->nulltest) {
		memcpy(out, col->nulls, cost * sizeof(*out));
		*n = cost;
		return out;
	}
	if (m->bits) {
		for (uint32_t v = 0; v < col->ndistinct; v++)
			if (m->bits[v])
				add_postings(col, v, v + 1, out, &k, &blocks);
	} else {
		for (size_t i = 0; i < m->nranges; i++)
			add_postings(col, m->ranges[i].lo, m->ranges[i].hi, out, &k, &blocks);
	}
	/* One value's postings are already ascending; several must be merged. */
	if (blocks > 1) {
		size_t u = 0;

		qsort(out, k, sizeof(*out), cmp_u32);
		for (size_t i = 0; i < k; i++)
			if (!u || out[u - 1] != out[i])
				out[u++] = out[i];
		k = u;
	}
	*n = k;
	return out;
}

struct sort_ctx {
	const struct query *q;
	const struct collection *c;
};

static int compare_records(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *ctx = arg;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	for (size_t i = 0; i < ctx->q->nsort; i++) {
		const struct column *col = &ctx->c->columns[ctx->q->sort[i].field];
		uint32_t x = col->ids[a], y = col->ids[b];

		if (x == y)
			continue;
		/* Nulls last whichever the direction. */
		if (x == COLUMN_NULL || y == COLUMN_NULL)
			return x == COLUMN_NULL ? 1 : -1;
		x = column_rank(col, x);
		y = column_rank(col, y);
		return (x < y) != ctx->q->sort[i].desc ? -1 : 1;
	}
	return a < b ? -1 : a > b;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Moves the largest of the n keys at heap (a max-heap) down from position i. */
static void sift_down(uint64_t *heap, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, big = i;
		uint64_t tmp;

		if (l < n && heap[l] > heap[big])
			big = l;
		if (l + 1 < n && heap[l + 1] > heap[big])
			big = l + 1;
		if (big == i)
			return;
		tmp = heap[i];
		heap[i] = heap[big];
		heap[big] = tmp;
		i = big;
	}
}

/* Sorts n keys ascending: by insertion when they are a page's worth or so. */
static void sort_keys(uint64_t *keys, size_t n)
{
	if (n > 24) {
		qsort(keys, n, sizeof(*keys), cmp_u64);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t k = keys[i];
		size_t j = i;

		for (; j && keys[j - 1] > k; j--)
			keys[j] = keys[j - 1];
		keys[j] = k;
	}
}

/*
 * The page of the n matches whose keys are keys (each a match's order in
 * the high half, its position in the low: ties in natural order): only the
 * first offset + limit keys are needed, and when they are few they are
 * chosen through a heap, costing n log keep rather than a full sort. The
 * keys are reordered; the matches are left as they are, for the facets.
 */
static void page_by_keys(const struct query *q, uint64_t *keys, uint32_t n,
			 struct query_result *out)
{
	const uint64_t want = (uint64_t)q->offset + q->limit;
	const uint32_t keep = want < n ? (uint32_t)want : n;
	const uint32_t start = q->offset < keep ? q->offset : keep;

	if (keep < n / 8) {
		for (size_t i = keep / 2; i-- > 0;)
			sift_down(keys, keep, i);
		for (uint32_t i = keep; i < n && keep; i++) {
			if (keys[i] < keys[0]) {
				keys[0] = keys[i];
				sift_down(keys, keep, 0);
			}
		}
		n = keep;
	}
	sort_keys(keys, n);
	out->npage = keep - start;
	out->page = xmalloc((out->npage ? out->npage : 1) * sizeof(*out->page));
	for (uint32_t i = 0; i < out->npage; i++)
		out->page[i] = (uint32_t)keys[start + i];
}

/*
 * A match's key for one sort key: the value's rank (descending: inverted),
 * records without a value last whichever the direction; compare_records()'s
 * order, as one integer compare.
 */
static uint64_t sort_key(const struct column *col, bool desc, uint32_t r)
{
	const uint32_t v = col->ids[r];
	uint64_t k;

	if (v == COLUMN_NULL)
		k = UINT32_MAX;
	else
		k = desc ? UINT32_MAX - 1 - column_rank(col, v) : column_rank(col, v);
	return k << 32 | r;
}

static void take_page(const struct query *q, const uint32_t *all, uint32_t total,
		      struct query_result *out)
{
	uint32_t start = q->offset < total ? q->offset : total;
	uint32_t n = total - start < q->limit ? total - start : q->limit;

	out->page = xmalloc((n ? n : 1) * sizeof(*out->page));
	memcpy(out->page, all + start, n * sizeof(*out->page));
	out->npage = n;
}

/*
 * No filter and one sort key: the column's postings already list the records
 * in value order, ties in natural order, so a page costs its own length.
 */
static void page_by_postings(const struct query *q, const struct collection *c,
			     struct query_result *out)
{
	const struct column *col = &c->columns[q->sort[0].field];
	const bool desc = q->sort[0].desc;
	uint32_t skip = q->offset, n = 0;

	out->page = xmalloc((q->limit ? q->limit : 1) * sizeof(*out->page));
	for (uint32_t i = 0; i < col->ndistinct && n < q->limit; i++) {
		uint32_t v = column_by_rank(col, desc ? col->ndistinct - 1 - i : i);
		uint32_t len = col->pstart[v + 1] - col->pstart[v];

		if (skip >= len) {
			skip -= len;
			continue;
		}
		for (uint32_t j = col->pstart[v] + skip; j < col->pstart[v + 1] && n < q->limit; j++)
			out->page[n++] = col->postings[j];
		skip = 0;
	}
	for (uint32_t j = skip; j < col->nnulls && n < q->limit; j++)
		out->page[n++] = col->nulls[j];
	out->npage = n;
}

static int facet_cmp(const void *pa, const void *pb)
{
	const struct facet_count *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void count_facet(const struct column *col, const uint32_t *matched, uint32_t nmatched,
			bool everything, struct query_facet *out)
{
	uint32_t *counts = xcalloc((size_t)col->ndistinct + 1, sizeof(*counts));
	uint32_t nulls = 0, k = 0;

	if (everything) {
		for (uint32_t v = 0; v < col->ndistinct; v++)
			counts[v] = col->pstart[v + 1] - col->pstart[v];
		nulls = col->nnulls;
	} else {
		for (uint32_t i = 0; i < nmatched; i++) {
			uint32_t nids;
			const uint32_t *ids = column_record_ids(col, matched[i], &nids);

			if (!nids)
				nulls++;
			for (uint32_t j = 0; j < nids; j++)
				counts[ids[j]]++;
		}
	}
	out->counts = xmalloc(((size_t)col->ndistinct + 1) * sizeof(*out->counts));
	for (uint32_t v = 0; v < col->ndistinct; v++)
		if (counts[v])
			out->counts[k++] = (struct facet_count){ v, counts[v] };
	qsort(out->counts, k, sizeof(*out->counts), facet_cmp);
	/* Records without a value come last, as null. */
	if (nulls)
		out->counts[k++] = (struct facet_count){ COLUMN_NULL, nulls };
	out->n = k;
	free(counts);
}

/* ---- planning: what runs, and what it costs ---- */

/* Where a plan's candidates come from. */
/* Whether the postings m lists hold each record at most once: one value per record, or one value. */
static bool lists_once(const struct query_matcher *m)
{
	if (m->nulltest || !m->col->offsets)
		return true;
	if (m->bits || m->nranges != 1)
		return false;
	return m->ranges[0].hi - m->ranges[0].lo <= 1;
}

/*
 * One filter or more, one sort key, no search and no facets: instead of
 * listing every match and sorting them, walk the sort key's order (its
 * postings, value by value, then its nulls) testing the filters, until
 * offset + limit matches are found. With matches a fraction s of the
 * records, that reads about (offset + limit) / s records, whatever their
 * number: a page of a filter held by a ninth of a million records reads
 * about a hundred. The total comes from the postings' counts when the one
 * filter lists each record once, else from counting the matches (linear,
 * but no sort). Chosen when it is expected to cost less than the sort;
 * the estimate assumes the filter and the sort key independent, so the
 * walk stops at cap and, when the page is still short (they were not),
 * the matches are sorted after all. The price is the worst: cap and the
 * best filter's postings.
 */
static void consider_order(struct query_plan *p, size_t best_cost)
{
	const struct query *q = p->q;
	const struct column *col;
	uint64_t need = (uint64_t)q->offset + q->limit, n = p->c->n, est, walk, sort;

	if (q->nsort != 1 || q->nfacets || p->searching || !p->best)
		return;
	col = &p->c->columns[q->sort[0].field];
	est = best_cost ? need * n / best_cost + 1 : n;
	/* Real data clusters (a year's deals come together), so the cap leaves room. */
	walk = 8 * est + 256;
	if (walk > (uint64_t)n + col->nnulls)
		walk = (uint64_t)n + col->nnulls;
	p->exact_total = q->nfilters == 1 && lists_once(p->best);
	/* Sorting m matches costs about m log2 m compares; the walk tests each record it reads. */
	sort = best_cost;
	for (size_t m = best_cost; m > 1; m >>= 1)
		sort += best_cost;
	if (2 * est + (p->exact_total ? 0 : best_cost) >= sort)
		return;
	p->from = QUERY_FROM_ORDER;
	p->cap = walk;
}

void query_plan_init(struct query_plan *p, const struct query *q, const struct collection *c)
{
	size_t best_cost = (size_t)c->n + 1, cost;

	/* Zeroed only where used: all 32 matchers and the search run were most of
	 * what a filtered list spent planning. */
	memset(p->m, 0, q->nfilters * sizeof(p->m[0]));
	p->q = q;
	p->c = c;
	p->from = QUERY_FROM_EVERY;
	p->best = NULL;
	p->ncand = 0;
	p->term = SIZE_MAX;
	p->values = 0;
	p->cap = 0;
	p->exact_total = false;
	p->searching = q->search.nterms > 0;
	if (p->searching)
		memset(&p->run, 0, sizeof(p->run));
	for (size_t i = 0; i < q->nfilters; i++) {
		const struct column *col = &c->columns[q->filters[i].field];

		if (q->filters[i].op == QUERY_CONTAINS || q->filters[i].op == QUERY_STARTSWITH)
			p->values += col->ndistinct;
		resolve(&q->filters[i], col, &p->m[i]);
		if (!p->m[i].negate && (cost = matcher_cost(&p->m[i])) < best_cost) {
			p->best = &p->m[i];
			best_cost = cost;
		}
	}
	if (q->nfilters == 0 && !p->searching && q->nfacets == 0 && q->nsort <= 1) {
		p->from = QUERY_FROM_PAGE;
		p->best = NULL;
		return;
	}
	/*
	 * The cheapest of the filters and the search's terms lists the
	 * candidates; every other condition is checked on those only.
	 */
	if (p->searching) {
		size_t term;

		search_resolve(&p->run, &q->search, &c->search);
		cost = search_cost(&p->run, &term);
		if (p->run.none || cost <= best_cost) {
			p->from = p->run.none ? QUERY_FROM_NOTHING : QUERY_FROM_SEARCH;
			p->term = p->run.none ? SIZE_MAX : term;
			p->ncand = p->run.none ? 0 : cost;
			p->best = NULL;
			return;
		}
	}
	p->from = p->best ? QUERY_FROM_FILTER : QUERY_FROM_EVERY;
	p->ncand = p->best ? best_cost : c->n;
	consider_order(p, best_cost);
}

void query_plan_release(struct query_plan *p)
{
	for (size_t i = 0; i < p->q->nfilters; i++) {
		free(p->m[i].bits);
		if (p->m[i].ranges != p->m[i].few)
			free(p->m[i].ranges);
	}
}

/*
 * Whether the search narrows the candidates by its terms' postings. Not
 * when every record is a candidate, which with a search happens only when
 * no filter lists any and each term reads more postings than there are
 * records: a word or a phrase never does, so its terms are all prefixes of
 * several words, which narrowing leaves to scoring anyway.
 */
static bool plan_narrows(const struct query_plan *p)
{
	return p->searching && (p->from == QUERY_FROM_SEARCH || p->from == QUERY_FROM_FILTER);
}

uint64_t query_plan_cost(const struct query_plan *p)
{
	const struct query *q = p->q;
	uint64_t cost, n = p->ncand;

	if (p->from == QUERY_FROM_PAGE)
		return q->limit < p->c->n ? q->limit : p->c->n;
	/* The candidates, each checked against the other filters. */
	cost = p->values + n;
	if (p->from == QUERY_FROM_ORDER)
		cost += p->cap;
	if (plan_narrows(p))
		cost += search_narrow_cost(&p->run, p->term, &n);
	if (p->searching)
		cost += search_score_cost(&p->run, n, p->c->n);
	return cost;
}


static bool passes(const struct query_plan *p, uint32_t r, const struct query_matcher *skip)
{
	for (size_t j = 0; j < p->q->nfilters; j++)
		if (&p->m[j] != skip && !matcher_test(&p->m[j], r))
			return false;
	return true;
}

/* The records that pass every filter, counted from the best filter's postings. */
static uint32_t count_matches(const struct query_plan *p)
{
	size_t ncand, k = 0;
	uint32_t *cand = candidates(p->best, p->ncand, &ncand);

	for (size_t i = 0; i < ncand; i++)
		k += passes(p, cand[i], p->best);
	free(cand);
	return (uint32_t)k;
}

/*
 * QUERY_FROM_ORDER: the page, walked in the sort key's order (see consider_order()),
 * and the total. Returns false, with nothing in out, when the walk reads
 * its cap before the page is whole.
 */
static bool walk_order(const struct query_plan *p, struct query_result *out)
{
	const struct query *q = p->q;
	const struct column *col = &p->c->columns[q->sort[0].field];
	const bool desc = q->sort[0].desc;
	uint64_t read = 0;
	uint32_t skip = q->offset, n = 0, seen = 0;
	uint32_t *page = xmalloc((q->limit ? q->limit : 1) * sizeof(*page));
	bool whole = q->limit == 0;

	for (uint32_t i = 0; i < col->ndistinct + 1 && !whole; i++) {
		/* The values in the sort's order, then the records without one. */
		const uint32_t *list = col->nulls;
		uint32_t len = col->nnulls;

		if (i < col->ndistinct) {
			uint32_t v = column_by_rank(col, desc ? col->ndistinct - 1 - i : i);

			list = col->postings + col->pstart[v];
			len = col->pstart[v + 1] - col->pstart[v];
		}
		for (uint32_t j = 0; j < len && !whole; j++) {
			if (++read > p->cap) {
				free(page);
				return false;
			}
			if (!passes(p, list[j], NULL))
				continue;
			seen++;
			if (skip)
				skip--;
			else
				page[n++] = list[j];
			whole = n == q->limit;
		}
	}
	out->page = page;
	out->npage = n;
	if (!whole)
		out->total = seen;      /* the walk read every record: it met every match */
	else if (p->exact_total)
		out->total = (uint32_t)p->ncand;
	else
		out->total = count_matches(p);
	return true;
}

void query_plan_run(const struct query_plan *p, struct query_result *out)
{
	const struct query *q = p->q;
	const struct collection *c = p->c;
	uint32_t *cand = NULL, *matched = NULL, *scores = NULL;
	size_t ncand = c->n;
	uint32_t nmatched = 0;
	const bool everything = q->nfilters == 0 && !p->searching;
	enum query_source from = p->from;

	memset(out, 0, sizeof(*out));
	if (from == QUERY_FROM_ORDER) {
		if (walk_order(p, out))
			return;
		from = QUERY_FROM_FILTER;
	}
	switch (from) {
	case QUERY_FROM_PAGE:
		/* Unfiltered pages are read straight from the indexes, at the cost of the page. */
		out->total = c->n;
		if (q->nsort == 1) {
			page_by_postings(q, c, out);
		} else {
			uint32_t start = q->offset < c->n ? q->offset : c->n;
			uint32_t n = c->n - start < q->limit ? c->n - start : q->limit;

			out->page = xmalloc((n ? n : 1) * sizeof(*out->page));
			for (uint32_t i = 0; i < n; i++)
				out->page[i] = start + i;
			out->npage = n;
		}
		return;
	case QUERY_FROM_NOTHING:
		cand = xmalloc(sizeof(*cand));
		ncand = 0;
		break;
	case QUERY_FROM_SEARCH:
		cand = search_candidates(&p->run, p->term, c->n, &ncand);
		break;
	case QUERY_FROM_FILTER:
		cand = candidates(p->best, p->ncand, &ncand);
		break;
	case QUERY_FROM_EVERY:
	case QUERY_FROM_ORDER:
		break;
	}
	if (plan_narrows(p))
		ncand = search_narrow(&p->run, p->term, cand, ncand);
	matched = xmalloc((ncand ? ncand : 1) * sizeof(*matched));
	for (size_t i = 0; i < ncand; i++) {
		uint32_t r = cand ? cand[i] : (uint32_t)i;
		bool ok = true;

		for (size_t j = 0; j < q->nfilters && ok; j++)
			ok = &p->m[j] == p->best || matcher_test(&p->m[j], r);
		if (ok)
			matched[nmatched++] = r;
	}
	/* The search's scores, of the records the filters kept (ascending); 0 is no match. */
	if (p->searching) {
		uint32_t kept = 0;

		scores = xmalloc((nmatched ? nmatched : 1) * sizeof(*scores));
		search_score_all(&p->run, matched, nmatched, scores);
		for (uint32_t i = 0; i < nmatched; i++) {
			if (!scores[i])
				continue;
			scores[kept] = scores[i];
			matched[kept++] = matched[i];
		}
		nmatched = kept;
	}
	out->total = nmatched;
	if (q->nsort == 1 || (!q->nsort && p->searching)) {
		/* One key a match: one sort key, or the best score first. */
		const struct column *col = q->nsort ? &c->columns[q->sort[0].field] : NULL;
		uint64_t *keys = xmalloc((nmatched ? nmatched : 1) * sizeof(*keys));

		for (uint32_t i = 0; i < nmatched; i++)
			keys[i] = col ? sort_key(col, q->sort[0].desc, matched[i]) :
			       (uint64_t)(UINT32_MAX - scores[i]) << 32 | matched[i];
		page_by_keys(q, keys, nmatched, out);
		free(keys);
	} else {
		if (q->nsort) {
			struct sort_ctx ctx = { q, c };

			qsort_r(matched, nmatched, sizeof(*matched), compare_records, &ctx);
		}
		take_page(q, matched, nmatched, out);
	}
	for (size_t i = 0; i < q->nfacets; i++) {
		out->facets[i].field = q->facets[i];
		count_facet(&c->columns[q->facets[i]], matched, nmatched,
			    everything, &out->facets[i]);
	}
	out->nfacets = q->nfacets;
	free(cand);
	free(matched);
	free(scores);
}

void query_run(const struct query *q, const struct collection *c, struct query_result *out)
{
	struct query_plan p;

	query_plan_init(&p, q, c);
	query_plan_run(&p, out);
	query_plan_release(&p);
}

uint64_t query_scan(const struct query *q, const struct collection *c)
{
	struct query_plan p;
	uint64_t cost;

	query_plan_init(&p, q, c);
	cost = query_plan_cost(&p);
	query_plan_release(&p);
	return cost;
}

void query_result_release(struct query_result *r)
{
	free(r->page);
	for (size_t i = 0; i < r->nfacets; i++)
		free(r->facets[i].counts);
	memset(r, 0, sizeof(*r));
}
