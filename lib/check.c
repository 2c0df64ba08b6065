/*
 * check: field-by-field validation with one exact message (see check.h).
 */
#include "lib/check.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jsonw.h"
#include "lib/mem.h"

void check_init(struct check *c, const char *file, struct strbuf *err)
{
	c->file = file;
	strbuf_init(&c->path, 64);
	c->err = err;
	c->failed = false;
	c->collect = false;
	c->errors = NULL;
	c->nerrors = c->dropped = 0;
}

void check_init_quiet(struct check *c)
{
	*c = (struct check){ .file = "" };
	strbuf_init(&c->path, 0);
}

void check_init_collect(struct check *c)
{
	check_init(c, "", NULL);
	c->collect = true;
}

void check_release(struct check *c)
{
	for (size_t i = 0; i < c->nerrors; i++) {
		free(c->errors[i].pointer);
		free(c->errors[i].detail);
	}
	free(c->errors);
	c->errors = NULL;
	c->nerrors = 0;
	strbuf_release(&c->path);
}

void check_path_to_pointer(const char *path, struct strbuf *out)
{
	for (const char *p = path; *p;) {
		if (*p == '[') {
			const char *end = strchr(p, ']');

			strbuf_addch(out, '/');
			strbuf_add(out, p + 1, (size_t)(end - p - 1));
			p = end + 1;
			continue;
		}
		if (*p == '.')
			p++;
		strbuf_addch(out, '/');
		for (; *p && *p != '.' && *p != '['; p++) {
			if (*p == '~')
				strbuf_addstr(out, "~0");
			else if (*p == '/')
				strbuf_addstr(out, "~1");
			else
				strbuf_addch(out, *p);
		}
	}
}

static int vcollect(struct check *c, const char *fmt, va_list ap)
{
	struct strbuf ptr = STRBUF_INIT, msg = STRBUF_INIT;

	c->failed = true;
	if (c->nerrors == CHECK_MAX_ERRORS) {
		c->dropped++;
		return -1;
	}
	if (!c->errors)
		c->errors = xcalloc(CHECK_MAX_ERRORS, sizeof(*c->errors));
	check_path_to_pointer(c->path.buf ? c->path.buf : "", &ptr);
	strbuf_vaddf(&msg, fmt, ap);
	c->errors[c->nerrors].pointer = strbuf_detach(&ptr, NULL);
	c->errors[c->nerrors].detail = strbuf_detach(&msg, NULL);
	c->nerrors++;
	return -1;
}

static int vfail(struct check *c, const char *fmt, va_list ap)
{
	if (c->collect)
		return vcollect(c, fmt, ap);
	if (c->failed)
		return -1;
	c->failed = true;
	if (!c->err)
		return -1;
	strbuf_addf(c->err, "%s: %s: ", c->file, c->path.len ? c->path.buf : "(top level)");
	strbuf_vaddf(c->err, fmt, ap);
	return -1;
}

int check_fail(struct check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, fmt, ap);
	va_end(ap);
	return -1;
}

int check_fail_at(struct check *c, const char *key, const char *fmt, ...)
{
	size_t mark = check_enter_key(c, key);
	va_list ap;

	va_start(ap, fmt);
	vfail(c, fmt, ap);
	va_end(ap);
	check_leave(c, mark);
	return -1;
}

size_t check_enter_key_len(struct check *c, const char *key, size_t len)
{
	size_t mark = c->path.len;

	if (mark)
		strbuf_addch(&c->path, '.');
	strbuf_add(&c->path, key, len);
	return mark;
}

size_t check_enter_key(struct check *c, const char *key)
{
	return check_enter_key_len(c, key, strlen(key));
}

size_t check_enter_index(struct check *c, size_t i)
{
	size_t mark = c->path.len;

	/* Once per record of a file: snprintf was a tenth of loading a million. */
	strbuf_addch(&c->path, '[');
	strbuf_add_uint(&c->path, i);
	strbuf_addch(&c->path, ']');
	return mark;
}

void check_leave(struct check *c, size_t mark)
{
	strbuf_setlen(&c->path, mark);
}

static void describe_number(struct strbuf *sb, double d)
{
	char tmp[40];

	if (!isfinite(d)) {
		strbuf_addstr(sb, "a number too large to represent");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e21) {
		snprintf(tmp, sizeof(tmp), "%.0f", d);
	} else {
		snprintf(tmp, sizeof(tmp), "%.15g", d);
		if (strtod(tmp, NULL) != d)
			snprintf(tmp, sizeof(tmp), "%.17g", d);
	}
	strbuf_addstr(sb, tmp);
}

void check_describe(struct strbuf *sb, const cJSON *v)
{
	if (!v) {
		strbuf_addstr(sb, "nothing");
	} else if (cJSON_IsString(v)) {
		size_t len = strlen(v->valuestring);

		/* Long strings are cut, at a character boundary: the message stays one readable line. */
		if (len > 40) {
			size_t cut = 37;

			while (cut && ((unsigned char)v->valuestring[cut] & 0xC0) == 0x80)
				cut--;
			json_escape(sb, v->valuestring, cut);
			strbuf_setlen(sb, sb->len - 1);
			strbuf_addstr(sb, "...\"");
		} else {
			json_escape(sb, v->valuestring, len);
		}
	} else if (cJSON_IsNumber(v)) {
		describe_number(sb, v->valuedouble);
	} else if (cJSON_IsNull(v)) {
		strbuf_addstr(sb, "null");
	} else if (cJSON_IsTrue(v)) {
		strbuf_addstr(sb, "true");
	} else if (cJSON_IsFalse(v)) {
		strbuf_addstr(sb, "false");
	} else if (cJSON_IsArray(v)) {
		strbuf_addstr(sb, "an array");
	} else {
		strbuf_addstr(sb, "an object");
	}
}

int check_expected(struct check *c, const char *what, const cJSON *v)
{
	struct strbuf got = STRBUF_INIT;
	int rc;

	check_describe(&got, v);
	rc = check_fail(c, "expected %s, got %s", what, got.buf);
	strbuf_release(&got);
	return rc;
}

const cJSON *check_member(const cJSON *obj, const char *key)
{
	const cJSON *m;

	/* Called for every member of every record: the first byte rules most out. */
	cJSON_ArrayForEach(m, obj)
		if (m->string && m->string[0] == key[0] && strcmp(m->string, key) == 0)
			return m;
	return NULL;
}

static int cmp_by_string(const void *pa, const void *pb, void *arg)
{
	const char *const *v = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strcmp(v[a], v[b]);

	return c ? c : a < b ? -1 : a > b;
}

/*
 * Whether a string repeats among the n at v: then *first and *later are the
 * indexes of the repeat found first in document order (the smallest later
 * index, and the first index of the same string). Sorting keeps this
 * O(n log n): a hostile file may hold one array of a million strings.
 */
static bool find_repeat(const char *const *v, size_t n, size_t *first, size_t *later)
{
	size_t *idx, best = SIZE_MAX;

	if (n < 2)
		return false;
	/* A record's object or a short list: every pair, without a sort or an allocation. */
	if (n <= 16) {
		for (size_t j = 1; j < n; j++) {
			for (size_t i = 0; i < j; i++) {
				if (v[i][0] == v[j][0] && !strcmp(v[i], v[j])) {
					*first = i;
					*later = j;
					return true;
				}
			}
		}
		return false;
	}
	idx = xcalloc(n, sizeof(*idx));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_by_string, (void *)v);
	for (size_t i = 1; i < n; i++) {
		/* In a run of equal strings, indexes ascend: the run's first two are its repeat. */
		if (!strcmp(v[idx[i]], v[idx[i - 1]]) && (i < 2 || strcmp(v[idx[i - 1]], v[idx[i - 2]])) &&
		    idx[i] < best) {
			best = idx[i];
			*first = idx[i - 1];
		}
	}
	free(idx);
	if (best == SIZE_MAX)
		return false;
	*later = best;
	return true;
}

static void join_list(struct strbuf *sb, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", names[i]);
}

int check_object(struct check *c, const cJSON *v, const char *const *allowed)
{
	const cJSON *m;
	const char *few[32], **keys = few;
	size_t n = 0, first, later;
	bool repeat, failed = false;

	if (!cJSON_IsObject(v))
		return check_expected(c, "an object", v);
	cJSON_ArrayForEach(m, v)
		n++;
	/* A record's object fits on the stack: no allocation per record. */
	if (n > sizeof(few) / sizeof(few[0]))
		keys = xcalloc(n, sizeof(*keys));
	n = 0;
	cJSON_ArrayForEach(m, v)
		keys[n++] = m->string;
	repeat = find_repeat(keys, n, &first, &later);
	if (repeat) {
		struct strbuf key = STRBUF_INIT;
		int rc;

		json_escape(&key, keys[later], strlen(keys[later]));
		rc = check_fail(c, "duplicate key %s", key.buf);
		strbuf_release(&key);
		if (keys != few)
			free(keys);
		return rc;
	}
	if (keys != few)
		free(keys);
	cJSON_ArrayForEach(m, v) {
		bool known = !allowed;

		for (size_t i = 0; allowed && allowed[i] && !known; i++)
			known = strcmp(allowed[i], m->string) == 0;
		if (!known) {
			struct strbuf names = STRBUF_INIT;

			join_list(&names, allowed);
			check_unknown_field(c, m->string, names.buf);
			strbuf_release(&names);
			if (check_stops(c))
				return -1;
			failed = true;
		}
	}
	return failed ? -1 : 0;
}

int check_unknown_field(struct check *c, const char *key, const char *allowed)
{
	struct strbuf msg = STRBUF_INIT;
	int rc;

	json_escape(&msg, key, strlen(key));
	strbuf_addf(&msg, " (allowed: %s)", allowed);
	rc = check_fail(c, "unknown field %s", msg.buf);
	strbuf_release(&msg);
	return rc;
}

int check_array(struct check *c, const cJSON *v, size_t *n)
{
	const cJSON *e;

	if (!cJSON_IsArray(v))
		return check_expected(c, "an array", v);
	*n = 0;
	cJSON_ArrayForEach(e, v)
		(*n)++;
	return 0;
}

int check_lookup(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		 const cJSON **out)
{
	const cJSON *m = check_member(obj, key);

	*out = NULL;
	if (!m) {
		if (flags & CHECK_REQUIRED)
			return check_fail(c, "missing required field \"%s\"", key);
		return 0;
	}
	if (cJSON_IsNull(m) && (flags & CHECK_NULLABLE))
		return 0;
	*out = m;
	return 1;
}

/*
 * Looks obj[key] up by flags and, when there is a value to read, steps into
 * it: returns the value (step out with check_leave(c, *mark)), or NULL with
 * *rc 0 (nothing to read) or -1 (reported).
 */
static const cJSON *enter_member(struct check *c, const cJSON *obj, const char *key,
				 unsigned flags, size_t *mark, int *rc)
{
	const cJSON *m;

	*rc = check_lookup(c, obj, key, flags, &m);
	if (*rc <= 0)
		return NULL;
	*mark = check_enter_key(c, key);
	return m;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

bool check_plain_string(const char *s, size_t len, check_rule_fn *rule)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i < len && (!rule || !rule(s, len));
}

int check_string_value(struct check *c, const cJSON *v, check_rule_fn *rule,
		       struct arena *a, const char **out)
{
	const char *why;

	if (!cJSON_IsString(v))
		return check_expected(c, "a string", v);
	if (blank(v->valuestring))
		return check_expected(c, "a non-empty string", v);
	if (rule && (why = rule(v->valuestring, strlen(v->valuestring)))) {
		struct strbuf got = STRBUF_INIT;
		int rc;

		check_describe(&got, v);
		rc = check_fail(c, "%s is not %s", got.buf, why);
		strbuf_release(&got);
		return rc;
	}
	*out = arena_strdup(a, v->valuestring);
	return 0;
}

int check_string(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		 check_rule_fn *rule, struct arena *a, const char **out)
{
	const cJSON *m;
	size_t mark;
	int rc;

	*out = NULL;
	if (!(m = enter_member(c, obj, key, flags, &mark, &rc)))
		return rc;
	rc = check_string_value(c, m, rule, a, out);
	check_leave(c, mark);
	return rc;
}

int check_int_value(struct check *c, const cJSON *v, int64_t min, int64_t max, int64_t *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return check_expected(c, "an integer", v);
	d = v->valuedouble;
	if (!isfinite(d) || d != floor(d))
		return check_expected(c, "an integer", v);
	/* Past 2^53 a double no longer holds the number written, so do not echo it. */
	if (d > (double)CHECK_MAX_SAFE_INT || d < -(double)CHECK_MAX_SAFE_INT)
		return check_fail(c, "expected an integer no larger than 2^53 - 1 "
				  "(9007199254740991), got a number beyond it");
	if (d < (double)min || d > (double)max) {
		struct strbuf what = STRBUF_INIT;
		int rc;

		strbuf_addf(&what, "an integer from %lld to %lld", (long long)min, (long long)max);
		rc = check_expected(c, what.buf, v);
		strbuf_release(&what);
		return rc;
	}
	*out = (int64_t)d;
	return 0;
}

int check_int(struct check *c, const cJSON *obj, const char *key, unsigned flags,
	      int64_t min, int64_t max, int64_t *out, bool *present)
{
	const cJSON *m;
	size_t mark;
	int rc;

	*present = false;
	if (!(m = enter_member(c, obj, key, flags, &mark, &rc)))
		return rc;
	rc = check_int_value(c, m, min, max, out);
	check_leave(c, mark);
	*present = rc == 0;
	return rc;
}

int check_bool(struct check *c, const cJSON *obj, const char *key, unsigned flags, bool *out,
	       bool *present)
{
	const cJSON *m;
	size_t mark;
	int rc;

	*present = false;
	if (!(m = enter_member(c, obj, key, flags, &mark, &rc)))
		return rc;
	rc = 0;
	if (cJSON_IsBool(m)) {
		*out = cJSON_IsTrue(m);
		*present = true;
	} else {
		rc = check_expected(c, "true or false", m);
	}
	check_leave(c, mark);
	return rc;
}

int check_array_of(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		   size_t size, check_element_fn *read, const void *arg, struct arena *a,
		   void **out, size_t *n)
{
	const cJSON *m, *e;
	char *base;
	size_t mark, count = 0, i = 0;
	bool failed = false;
	int rc;

	*out = NULL;
	*n = 0;
	if (!(m = enter_member(c, obj, key, flags, &mark, &rc)))
		return rc;
	rc = -1;
	if (check_array(c, m, &count))
		goto out;
	base = arena_calloc(a, count ? count : 1, size);
	cJSON_ArrayForEach(e, m) {
		size_t emark = check_enter_index(c, i);

		if (read(c, e, a, base, i, arg)) {
			failed = true;
			if (check_stops(c))
				goto out;
		}
		check_leave(c, emark);
		i++;
	}
	if (failed)
		goto out;
	*out = base;
	*n = count;
	rc = 0;
out:
	check_leave(c, mark);
	return rc;
}

/*
 * The elements of a split array are read straight from their text by scan
 * where it can (nothing is parsed), by two threads over the two halves
 * when there are many: each thread owns its half's records and an arena
 * of its own, and the scan needs nothing else (it reports nothing). An
 * element the scan gives up on is parsed with cJSON and read by read(),
 * in order, on the calling thread, which owns c: the first half's as it
 * meets them, the second half's once the other thread is done. So the
 * first fault in the array is the one reported, as if read in order, and
 * its message is read()'s.
 */
#define SPLIT_THREAD_MIN 4096

struct split_half {
	const char *buf;
	const struct json_split *split;
	size_t size;
	check_scan_fn *scan;
	const void *arg;
	char *base;
	size_t from, to;           /* the elements of this half */
	struct arena arena;        /* what the scan of this half allocates */
	bool *missed;              /* per element of the half: the scan gave up on it */
	atomic_bool *stop;         /* the reading stopped at a fault: the rest is moot */
};

/* Scans element i into the array; on giving up, leaves it zeroed and returns -1. */
static int scan_element(const struct split_half *h, size_t i, struct arena *a)
{
	char *record = h->base + i * h->size;

	if (!h->scan(h->buf + h->split->start[i], h->split->len[i], a, h->base, i, h->arg))
		return 0;
	memset(record, 0, h->size);
	return -1;
}

static void *scan_half(void *arg)
{
	struct split_half *h = arg;

	for (size_t i = h->from; i < h->to && !atomic_load_explicit(h->stop, memory_order_relaxed); i++)
		h->missed[i - h->from] = scan_element(h, i, &h->arena) != 0;
	return NULL;
}

/* Parses element i and reads it by read(), at path KEY[i]. Returns 0, or -1 after reporting. */
static int read_parsed(struct check *c, const struct split_half *h, check_element_fn *read,
		       struct arena *a, struct arena *scratch, size_t i)
{
	size_t emark = check_enter_index(c, i);
	cJSON *tree = json_parse_element_in(h->buf, h->split, i, scratch);
	int rc;

	/* The text is valid: cJSON fails only for memory, and the policy aborts. */
	if (!tree)
		mem_exhausted(h->split->len[i]);
	rc = read(c, tree, a, h->base, i, h->arg);
	arena_reset(scratch);
	if (!rc)
		check_leave(c, emark);
	return rc;
}

int check_array_split(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		      const char *buf, const struct json_split *split, size_t size,
		      check_element_fn *read, check_scan_fn *scan, const void *arg,
		      struct arena *a, void **out, size_t *n)
{
	struct split_half first, second;
	struct arena scratch = ARENA_INIT;
	atomic_bool stop;
	const cJSON *m;
	pthread_t helper;
	size_t mark;
	bool threaded = false;
	int rc;

	*out = NULL;
	*n = 0;
	if (!(m = enter_member(c, obj, key, flags, &mark, &rc)))
		return rc;
	rc = -1;
	atomic_init(&stop, false);
	first = (struct split_half){ buf, split, size, scan, arg, NULL, 0, split->n, ARENA_INIT,
				     NULL, &stop };
	first.base = arena_calloc(a, split->n ? split->n : 1, size);
	second = first;
	if (scan && split->n >= SPLIT_THREAD_MIN) {
		first.to = second.from = split->n / 2;
		second.missed = xcalloc(second.to - second.from, sizeof(*second.missed));
		threaded = !pthread_create(&helper, NULL, scan_half, &second);
		if (!threaded)
			first.to = split->n;
	}
	for (size_t i = first.from; i < first.to; i++)
		if ((!scan || scan_element(&first, i, a)) &&
		    read_parsed(c, &first, read, a, &scratch, i))
			goto out;
	if (threaded) {
		pthread_join(helper, NULL);
		threaded = false;
		arena_adopt(a, &second.arena);
		for (size_t i = second.from; i < second.to; i++)
			if (second.missed[i - second.from] &&
			    read_parsed(c, &second, read, a, &scratch, i))
				goto out;
	}
	*out = first.base;
	*n = split->n;
	rc = 0;
out:
	if (threaded) {
		atomic_store(&stop, true);
		pthread_join(helper, NULL);
		arena_adopt(a, &second.arena);
	}
	free(second.missed);
	arena_release(&scratch);
	check_leave(c, mark);
	return rc;
}

static int read_string_element(struct check *c, const cJSON *e, struct arena *a, void *base,
			       size_t i, const void *arg)
{
	const char **v = base;

	return check_string_value(c, e, *(check_rule_fn *const *)arg, a, &v[i]);
}

int check_strings(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		  check_rule_fn *rule, struct arena *a, struct strs *out)
{
	size_t first, later;
	void *v;

	out->v = NULL;
	out->n = 0;
	if (check_array_of(c, obj, key, flags, sizeof(char *), read_string_element, &rule, a, &v,
			   &out->n))
		return -1;
	if (find_repeat(v, out->n, &first, &later)) {
		size_t mark = check_enter_key(c, key);

		check_enter_index(c, later);
		check_fail(c, "duplicate value \"%s\" (also at index %zu)",
			   ((const char **)v)[later], first);
		check_leave(c, mark);
		out->n = 0;
		return -1;
	}
	out->v = v;
	return 0;
}

const char *check_rule_slug(const char *s, size_t len)
{
	bool dash = true;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '-') {
			if (dash)
				return "a slug (lower-case letters and digits in words joined by '-')";
			dash = true;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			dash = false;
		} else {
			return "a slug (lower-case letters and digits in words joined by '-')";
		}
	}
	return dash ? "a slug (lower-case letters and digits in words joined by '-')" : NULL;
}

const char *check_rule_id(const char *s, size_t len)
{
	if (len > 128)
		return "an id of at most 128 characters";
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~'))
			return "an id (letters, digits, '-', '_', '.' and '~' only)";
	}
	if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return "an id ('.' and '..' are path segments)";
	return NULL;
}
