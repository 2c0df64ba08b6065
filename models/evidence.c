/*
 * evidence: reading, checking and writing evidence and inferences (see evidence.h).
 */
#include "models/evidence.h"

#include <string.h>

#include "lib/jsonscan.h"

/* The most pieces of evidence a scan reads; more are read from a tree. */
#define SCAN_MAX_EVIDENCE 32

/* The members that describe a record's provenance: an inference is about none of them. */
static const char *const provenance[] = { "aliases", "evidence", "inferences" };

#define STRINGIFY(x) #x
#define TEXT_OF(x) STRINGIFY(x)

static const char *quote_rule(const char *s, size_t len)
{
	size_t chars = 0;

	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	return chars > EVIDENCE_MAX_QUOTE
		? "a quote of at most " TEXT_OF(EVIDENCE_MAX_QUOTE) " characters (cite, do not copy)" : NULL;
}

static const struct member evidence_members[] = {
	MEMBER_STRING("source", offsetof(struct evidence, source), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRING("quote", offsetof(struct evidence, quote), CHECK_REQUIRED, quote_rule),
};
#define NEVIDENCE (sizeof(evidence_members) / sizeof(evidence_members[0]))

static const struct member inference_members[] = {
	MEMBER_STRING("field", offsetof(struct inference, field), CHECK_REQUIRED, NULL),
	MEMBER_STRING("reason", offsetof(struct inference, reason), CHECK_REQUIRED, NULL),
};
#define NINFERENCE (sizeof(inference_members) / sizeof(inference_members[0]))

/* The elements of an array of objects: their member table and their size. */
struct element {
	const struct member *members;
	size_t nmembers;
	size_t size;
};

static const struct element evidence_element = {
	evidence_members, NEVIDENCE, sizeof(struct evidence)
};
static const struct element inference_element = {
	inference_members, NINFERENCE, sizeof(struct inference)
};

/* Element i of an array of objects described by arg, a struct element. */
static int read_element(struct check *c, const cJSON *e, struct arena *a, void *base, size_t i,
			const void *arg)
{
	const struct element *el = arg;

	return member_read_object(c, e, el->members, el->nmembers, a, (char *)base + i * el->size);
}

/* One string member of each of the n elements at v (size bytes each, the string at offset). */
static struct strs collect(const void *v, size_t n, size_t size, size_t offset, struct arena *a)
{
	const char **out = arena_calloc(a, n ? n : 1, sizeof(*out));

	for (size_t i = 0; i < n; i++)
		out[i] = *(const char *const *)((const char *)v + i * size + offset);
	return (struct strs){ out, n };
}

static int read_evidence(struct check *c, const cJSON *obj, const struct member *m,
			 struct arena *a, void *slot)
{
	struct evidences *out = slot;
	void *v;
	size_t n;

	if (check_array_of(c, obj, m->name, m->flags, sizeof(struct evidence), read_element,
			   &evidence_element, a, &v, &n))
		return -1;
	if (!n && check_member(obj, m->name))
		return check_fail_at(c, m->name, "expected at least one {source, quote}, got an empty "
				     "array: every record cites its source");
	out->v = v;
	out->n = n;
	out->sources = collect(v, n, sizeof(struct evidence), offsetof(struct evidence, source), a);
	return 0;
}

static void write_evidence(struct jsonw *w, const struct member *m, const void *slot)
{
	const struct evidences *e = slot;

	(void)m;
	jsonw_array_begin(w);
	for (size_t i = 0; i < e->n; i++)
		member_write_object(w, evidence_members, NEVIDENCE, &e->v[i]);
	jsonw_array_end(w);
}

static const char *scan_evidence(const char *p, const char *end, const struct member *m,
				 struct arena *a, void *slot)
{
	struct evidence v[SCAN_MAX_EVIDENCE];
	struct evidence *copy;
	struct evidences *out = slot;
	size_t n = 0;
	bool more;

	(void)m;
	p = jsonscan_open(p, end, '[', &more);
	for (; p && more; n++) {
		if (n == SCAN_MAX_EVIDENCE)
			return NULL;
		v[n] = (struct evidence){ 0 };
		p = member_scan_object(p, end, evidence_members, NEVIDENCE, a, &v[n]);
		if (p)
			p = jsonscan_next(p, end, ']', &more);
	}
	/* None is an error, whose message read_evidence() gives. */
	if (!p || !n)
		return NULL;
	copy = arena_alloc(a, n * sizeof(*copy));
	memcpy(copy, v, n * sizeof(*copy));
	out->v = copy;
	out->n = n;
	out->sources = collect(copy, n, sizeof(struct evidence), offsetof(struct evidence, source), a);
	return p;
}

const struct member_type member_evidence = { read_evidence, write_evidence, scan_evidence };

static int read_inferences(struct check *c, const cJSON *obj, const struct member *m,
			   struct arena *a, void *slot)
{
	struct inferences *out = slot;
	void *v;
	size_t n;

	if (check_array_of(c, obj, m->name, m->flags, sizeof(struct inference), read_element,
			   &inference_element, a, &v, &n))
		return -1;
	out->v = v;
	out->n = n;
	out->fields = collect(v, n, sizeof(struct inference), offsetof(struct inference, field), a);
	return 0;
}

static void write_inferences(struct jsonw *w, const struct member *m, const void *slot)
{
	const struct inferences *inf = slot;

	(void)m;
	jsonw_array_begin(w);
	for (size_t i = 0; i < inf->n; i++)
		member_write_object(w, inference_members, NINFERENCE, &inf->v[i]);
	jsonw_array_end(w);
}

/*
 * Only none, []: an inference is checked against the record's members as
 * given in the text (inferences_check()), which a scan does not keep.
 * resource_scan() counts on this.
 */
static const char *scan_inferences(const char *p, const char *end, const struct member *m,
				   struct arena *a, void *slot)
{
	struct inferences *out = slot;
	bool more;

	(void)m;
	p = jsonscan_open(p, end, '[', &more);
	if (!p || more)
		return NULL;
	out->v = arena_calloc(a, 1, sizeof(struct inference));
	out->fields = collect(out->v, 0, sizeof(struct inference), offsetof(struct inference, field), a);
	return p;
}

const struct member_type member_inferences = { read_inferences, write_inferences,
					       scan_inferences };

void evidence_field_sources(const struct field *f, const void *record, struct field_value *out)
{
	out->list = ((const struct evidences *)((const char *)record + f->offset))->sources;
}

void inference_field_fields(const struct field *f, const void *record, struct field_value *out)
{
	out->list = ((const struct inferences *)((const char *)record + f->offset))->fields;
}

static bool is_provenance(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(provenance) / sizeof(provenance[0]); i++)
		if (strlen(provenance[i]) == len && !memcmp(provenance[i], name, len))
			return true;
	return false;
}

/* Whether name is a member of r, or a dotted field inside one, that is not provenance. */
static bool inferable(const struct resource *r, const char *name)
{
	const char *dot = strchr(name, '.');

	if (is_provenance(name, dot ? (size_t)(dot - name) : strlen(name)))
		return false;
	return dot ? resource_field(r, name, strlen(name)) != NULL
		   : resource_member(r, name, strlen(name)) >= 0;
}

/* "a, b, c.d": what an inference's field may name in r. */
static void list_inferable(const struct resource *r, struct strbuf *sb)
{
	for (size_t i = 0; i < r->nmembers; i++)
		if (inferable(r, r->members[i].name))
			strbuf_addf(sb, "%s%s", sb->len ? ", " : "", r->members[i].name);
	for (size_t i = 0; i < r->nfields; i++)
		if (strchr(r->fields[i].name, '.') && inferable(r, r->fields[i].name))
			strbuf_addf(sb, "%s%s", sb->len ? ", " : "", r->fields[i].name);
}

/* Whether obj gives the (dotted) member name a value: present, not null, not []. */
static bool given(const cJSON *obj, const char *name)
{
	const char *p = name;

	while (obj) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		const cJSON *m, *next = NULL;

		cJSON_ArrayForEach(m, obj)
			if (m->string && strlen(m->string) == len && !memcmp(m->string, p, len))
				next = m;
		obj = next;
		if (!dot)
			break;
		p = dot + 1;
	}
	return obj && !cJSON_IsNull(obj) && !(cJSON_IsArray(obj) && !cJSON_GetArraySize(obj));
}

int inferences_check(const struct resource *r, struct check *c, const cJSON *obj,
		     const struct inferences *inf)
{
	for (size_t i = 0; i < inf->n; i++) {
		const char *name = inf->v[i].field;
		size_t mark = check_enter_key(c, "inferences");
		int rc = 0;

		check_enter_index(c, i);
		check_enter_key(c, "field");
		if (!inferable(r, name)) {
			struct strbuf allowed = STRBUF_INIT;

			list_inferable(r, &allowed);
			rc = check_fail(c, "\"%s\" is not a member of a %s (allowed: %s)", name,
					r->singular, allowed.buf);
			strbuf_release(&allowed);
		} else if (!given(obj, name)) {
			rc = check_fail(c, "\"%s\" has no value in this %s: an inference is about a "
					"value the record gives", name, r->singular);
		}
		check_leave(c, mark);
		if (rc)
			return -1;
	}
	return 0;
}
