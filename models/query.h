/*
 * query: the list-query grammar, parsed against a resource and run on a collection.
 *
 * One engine serves every resource. A request's query pairs are parsed into a
 * struct query, strictly: a parameter, field, operator or value the resource
 * does not have is an error that names it and lists what is allowed, so a typo
 * never silently returns everything. The grammar:
 *
 *   field=a,b         equality, either value; on an array field, "contains"
 *   field:op=value    op: eq ne gt gte lt lte contains startswith isnull
 *   q=text            words and "phrases" of the record's searched text
 *                     (models/search.h); best matches first unless sorted
 *   sort=a,-b         sort keys, '-' for descending; stable; nulls last; a
 *                     vocabulary field in its vocabulary's order
 *   limit, offset     paging: limit 0..1000 (default 50), offset >= 0
 *   fields=a,b        only these top-level members in each record
 *   facet=a,b         counts of each value of these fields over the matches
 *
 * Strings compare ignoring ASCII case. Filters combine with AND, a repeated
 * filter too (countries=RO&countries=KR: both). query_run() uses the
 * collection's indexes: the cheapest positive filter or search term picks
 * candidates from postings, and the others are checked on those only; a
 * struct query_plan says which before it runs, and what that will examine.
 *
 * Ownership: a struct query borrows the resource and copies what it needs of
 * the parameters; release it with query_release(). A query_plan borrows its
 * query and collection, which must outlive it; release with query_plan_release().
 * A query_result owns its arrays; release with query_result_release().
 */
#ifndef ATTACHE_QUERY_H
#define ATTACHE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"
#include "models/collection.h"
#include "models/resource.h"
#include "models/search.h"

#define QUERY_DEFAULT_LIMIT 50
#define QUERY_MAX_LIMIT 1000
#define QUERY_MAX_FILTERS 32
#define QUERY_MAX_VALUES 64
#define QUERY_MAX_SORT 8
#define QUERY_MAX_FACETS 8
#define QUERY_MAX_MEMBERS 64
#define QUERY_MAX_ALLOWED 80

/* One decoded key=value pair of a query string, in the order given. Borrowed. */
struct query_param {
	const char *key;
	const char *value;
};

enum query_op {
	QUERY_EQ, QUERY_NE, QUERY_GT, QUERY_GTE, QUERY_LT, QUERY_LTE,
	QUERY_CONTAINS, QUERY_STARTSWITH, QUERY_ISNULL,
};

struct query_filter {
	size_t field;                  /* index into the resource's fields and columns */
	enum query_op op;
	char *buf;                     /* owned copy of the value, split at commas */
	struct field_value *values;    /* owned; strings point into buf */
	size_t nvalues;
	bool isnull;                   /* for QUERY_ISNULL */
	bool exact;                    /* equality byte for byte, not ignoring case (keys) */
};

struct query_sort {
	size_t field;
	bool desc;
};

struct query {
	const struct resource *res;
	struct query_filter filters[QUERY_MAX_FILTERS];
	size_t nfilters;
	struct search_query search;    /* q=, parsed; no terms: no search */
	struct query_sort sort[QUERY_MAX_SORT];
	size_t nsort;
	uint32_t limit;
	uint32_t offset;
	int members[QUERY_MAX_MEMBERS];  /* fields=: member indexes, in the order asked */
	size_t nmembers;                 /* 0: all members */
	size_t facets[QUERY_MAX_FACETS];
	size_t nfacets;
};

/* Why a query was refused: the parameter, a sentence, and what would be allowed. */
struct query_error {
	const char *param;             /* borrowed from the parameters, or a static name */
	struct strbuf detail;
	const char *allowed[QUERY_MAX_ALLOWED];  /* static strings */
	size_t nallowed;
};

void query_error_init(struct query_error *err);
void query_error_release(struct query_error *err);

/*
 * Parses n parameters for resource res into q. Returns 0, or -1 with err
 * filled; q must be released either way.
 */
int query_parse(struct query *q, const struct resource *res, const struct query_param *params,
		size_t n, struct query_error *err);

/*
 * Adds the equality filter field=value, as a related list does
 * (/countries/RO/deals is /deals?countries=RO); exact compares byte for byte,
 * as keys such as meeting ids must be. Returns 0, or -1 with err.
 */
int query_add_filter(struct query *q, const char *field, const char *value, bool exact,
		     struct query_error *err);

void query_release(struct query *q);

struct facet_count {
	uint32_t id;                   /* value id in the column; COLUMN_NULL for null */
	uint32_t count;
};

struct query_facet {
	size_t field;
	struct facet_count *counts;    /* by count, descending, then by value */
	uint32_t n;
};

/* ---- plans: the fields below are query.c's; callers hold a plan, on the stack ---- */

struct query_id_range {
	uint32_t lo, hi;
};

#define QUERY_MATCHER_FEW 4

/* A filter resolved against its column: the set of value ids it accepts. */
struct query_matcher {
	const struct column *col;
	bool nulltest;          /* matches records with no value */
	bool negate;
	uint8_t *bits;          /* per value id, when the set is arbitrary */
	struct query_id_range *ranges;  /* few, or allocated for more values */
	size_t nranges;
	struct query_id_range few[QUERY_MATCHER_FEW];
};

enum query_source {
	QUERY_FROM_PAGE,      /* none: an unfiltered page is read straight from the indexes */
	QUERY_FROM_NOTHING,   /* a search term matches no word: there are none */
	QUERY_FROM_SEARCH,    /* the postings of the search's cheapest term */
	QUERY_FROM_FILTER,    /* the postings of the cheapest positive filter */
	QUERY_FROM_EVERY,     /* every record of the collection */
	QUERY_FROM_ORDER,     /* the sort key's order, walked until the page is found */
};

/*
 * How a query is answered, chosen before anything runs: query_plan_init()
 * chooses, query_plan_run() follows the choice and query_plan_cost() prices
 * it, so what is priced is what runs. Held by the caller (a few KB, no
 * allocation for it per request).
 */
struct query_plan {
	const struct query *q;
	const struct collection *c;
	struct query_matcher m[QUERY_MAX_FILTERS];   /* each filter, resolved */
	enum query_source from;
	const struct query_matcher *best;      /* FROM_FILTER: the filter listing candidates */
	size_t ncand;                          /* postings read to list them; FROM_EVERY: c->n */
	bool searching;
	struct search_run run;
	size_t term;                           /* FROM_SEARCH: the term listing them; else SIZE_MAX */
	uint64_t values;                       /* distinct values the contains and startswith filters read */
	/* FROM_ORDER: the records the walk reads at most, and whether the best
	 * filter's postings count the matches exactly (the only filter, and no
	 * record listed twice). */
	uint64_t cap;
	bool exact_total;
};

struct query_result {
	uint32_t total;                /* records matching, before paging */
	uint32_t *page;                /* positions of the page's records, in order: with q and
					* no sort, best match first */
	uint32_t npage;
	struct query_facet facets[QUERY_MAX_FACETS];
	size_t nfacets;
};

/*
 * How q is answered on c (which must be of q's resource), chosen before it
 * runs: which index lists the candidates (the cheapest positive filter's
 * postings, or the search's cheapest term's, or every record; none for an
 * unfiltered page, read straight from the indexes), and what is checked on
 * them. Pricing and running the same plan is what keeps the price true.
 * Fills p, which borrows q and c; release with query_plan_release().
 */
void query_plan_init(struct query_plan *p, const struct query *q, const struct collection *c);
void query_plan_release(struct query_plan *p);

/*
 * What running p would examine, without running it, in records and values:
 *   - the distinct values each contains or startswith filter reads;
 *   - an unfiltered page sorted by at most one key: its records;
 *   - otherwise the candidates listed (the postings read to list them, or
 *     every record), each then checked against the other filters;
 *   - with q=, the postings the other terms' words are merged with to
 *     narrow the candidates, the postings each word of a term is scored
 *     from, and, for a phrase or a prefix of very many words, each
 *     candidate's words, at the collection's average
 *     (search_narrow_cost(), search_score_cost()).
 * Sorting and facets then work on at most those records.
 */
uint64_t query_plan_cost(const struct query_plan *p);

/* Runs p into out. Never fails. */
void query_plan_run(const struct query_plan *p, struct query_result *out);

/* Runs q on c: query_plan_init(), query_plan_run(), query_plan_release(). */
void query_run(const struct query *q, const struct collection *c, struct query_result *out);

void query_result_release(struct query_result *r);

/* What query_run() would examine to answer q on c: query_plan_cost() of its plan. */
uint64_t query_scan(const struct query *q, const struct collection *c);

/* The operator's name as written in a query ("gte"). */
const char *query_op_name(enum query_op op);

/* Whether fields of type t take operator op. */
bool query_op_allowed(enum field_type t, enum query_op op);

/*
 * Whether key is a parameter that is not a field (q, sort, limit, offset,
 * fields, facet, format, bom). A field of that name (a meeting's format) is
 * filtered only with an operator: format:eq=.
 */
bool query_reserved(const char *key);

#define QUERY_NOPS (QUERY_ISNULL + 1)

#endif
