/*
 * check: validating a cJSON tree field by field, with exact messages.
 *
 * A struct check carries the file name and the JSON path of the value being
 * read (deals[4].value.amount). The first failure is written to the caller's
 * strbuf as "FILE: PATH: what is wrong" and every later one is ignored, so a
 * bad file gets one precise message. All check_* functions return 0, or -1
 * after reporting; values they return point into the arena given, valid until
 * that arena is released.
 *
 * A check made with check_init_collect() collects instead: every failure is
 * kept as an RFC 6901 pointer (relative to the value the check started at)
 * and the message the loader would give, and the readers that walk several
 * members or elements go on past a fault, so a record written through the
 * API is told every violation at once, by the loader's own rules. Rules that
 * tie members together run only once the members themselves are good.
 */
#ifndef ATTACHE_CHECK_H
#define ATTACHE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/json.h"
#include "lib/strbuf.h"

/* The largest integer a JSON number holds exactly: 2^53 - 1. */
#define CHECK_MAX_SAFE_INT INT64_C(9007199254740991)

/* An immutable array of strings. */
struct strs {
	const char *const *v;
	size_t n;
};

/* The most violations a collecting check keeps; it counts the rest. */
#define CHECK_MAX_ERRORS 64

/* One violation, collected: where (RFC 6901) and what, in the loader's words. */
struct check_error {
	char *pointer;
	char *detail;
};

struct check {
	const char *file;
	struct strbuf path;
	struct strbuf *err;
	bool failed;
	bool collect;                  /* check_init_collect(): keep every failure */
	struct check_error *errors;    /* collected, in the order found; owned */
	size_t nerrors;
	size_t dropped;                /* failures past CHECK_MAX_ERRORS */
};

/* Flags for the member readers. */
enum {
	CHECK_REQUIRED = 1 << 0, /* absent is an error */
	CHECK_NULLABLE = 1 << 1, /* null is allowed, and reads as absent */
};

/* A rule a string must follow beyond being non-empty; returns a complaint or NULL. */
typedef const char *check_rule_fn(const char *s, size_t len);

void check_init(struct check *c, const char *file, struct strbuf *err);

/*
 * A check that reports nowhere and allocates nothing until a path is
 * entered: c->failed tells whether a rule failed (for trying a record's
 * rules before deciding how to read it). Release as any other.
 */
void check_init_quiet(struct check *c);

/* A check that collects every failure into c->errors (see above); release frees them. */
void check_init_collect(struct check *c);
void check_release(struct check *c);

/* Whether the check should stop at a failure: always, unless it collects. */
static inline bool check_stops(const struct check *c)
{
	return !c->collect;
}

/* "a.b[2].c" as an RFC 6901 pointer, "/a/b/2/c" ("" for the top level), appended to out. */
void check_path_to_pointer(const char *path, struct strbuf *out);

/* Reports "FILE: PATH: message" (the first time only) and returns -1. */
int check_fail(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same one step deeper, at PATH.key: for a rule on a member already read. */
int check_fail_at(struct check *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Steps into a member or element; returns a mark for check_leave(). */
size_t check_enter_key(struct check *c, const char *key);
size_t check_enter_key_len(struct check *c, const char *key, size_t len);
size_t check_enter_index(struct check *c, size_t i);
void check_leave(struct check *c, size_t mark);

/* Appends a short description of v for messages: "12", "\"12\"", null, an object. */
void check_describe(struct strbuf *sb, const cJSON *v);

/* Fails with "expected WHAT, got ..." for v. */
int check_expected(struct check *c, const char *what, const cJSON *v);

/*
 * v must be an object whose keys are all in allowed (NULL-terminated) and
 * appear once each. On an unknown key the message lists the allowed ones.
 * A NULL allowed allows any key: the caller then checks them itself.
 */
int check_object(struct check *c, const cJSON *v, const char *const *allowed);

/* Fails with: unknown field "KEY" (allowed: ALLOWED), allowed a list of names ("a, b"). */
int check_unknown_field(struct check *c, const char *key, const char *allowed);

/* v must be an array; returns its length in *n. */
int check_array(struct check *c, const cJSON *v, size_t *n);

/* Whether the len bytes at s are a string check_string_value() takes: not blank, passing rule. */
bool check_plain_string(const char *s, size_t len, check_rule_fn *rule);

/*
 * Reads obj[key] as a non-blank string that passes rule (which may be NULL).
 * Absent or null (when allowed by flags) leaves *out NULL.
 */
int check_string(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		 check_rule_fn *rule, struct arena *a, const char **out);

/* The same for a value already in hand (an array element). */
int check_string_value(struct check *c, const cJSON *v, check_rule_fn *rule,
		       struct arena *a, const char **out);

/*
 * Reads obj[key] as an integer in [min, max] (JSON numbers with no fraction;
 * never beyond 2^53 - 1). *present tells whether a value was there.
 */
int check_int(struct check *c, const cJSON *obj, const char *key, unsigned flags,
	      int64_t min, int64_t max, int64_t *out, bool *present);
int check_int_value(struct check *c, const cJSON *v, int64_t min, int64_t max, int64_t *out);

/* Reads obj[key] as true or false. *present tells whether a value was there. */
int check_bool(struct check *c, const cJSON *obj, const char *key, unsigned flags, bool *out,
	       bool *present);

/* Reads element i of an array, e, into the array of elements at base. Returns 0, or -1. */
typedef int check_element_fn(struct check *c, const cJSON *e, struct arena *a, void *base,
			     size_t i, const void *arg);

/*
 * Reads obj[key] (found as flags say) as an array of n elements of size
 * bytes each, new in the arena, element i read by read(c, e, a, base, i,
 * arg) with the path at KEY[i]. Absent or null (where allowed) reads as
 * empty. Returns 0 with the elements in *out and their count in *n, or -1
 * after reporting the first fault.
 */
int check_array_of(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		   size_t size, check_element_fn *read, const void *arg, struct arena *a,
		   void **out, size_t *n);

/*
 * Reads element i of an array straight from its text, the len valid JSON
 * bytes at p, into the array of elements at base: returns 0, or -1 to give
 * up on it (nothing reported; what it wrote to its element is cleared),
 * and read() reads it from a tree. It may run on another thread than the
 * caller's: it touches only its element, and allocates only from a.
 */
typedef int check_scan_fn(const char *p, size_t len, struct arena *a, void *base, size_t i,
			  const void *arg);

/*
 * check_array_of() for an array json_parse_split() left out of the tree:
 * obj[key] is the empty array in its place, split says where its elements
 * are in buf. Each element is read by scan (if not NULL) from its text;
 * one that scan gives up on is parsed and read by read(), in order, so the
 * first fault is the one check_array_of() would report. A long array is
 * scanned by two threads, a half each.
 */
int check_array_split(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		      const char *buf, const struct json_split *split, size_t size,
		      check_element_fn *read, check_scan_fn *scan, const void *arg,
		      struct arena *a, void **out, size_t *n);

/*
 * Reads obj[key] as an array of distinct non-blank strings that pass rule.
 * Absent (when not required) or null (when nullable) reads as empty.
 */
int check_strings(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		  check_rule_fn *rule, struct arena *a, struct strs *out);

/* Finds obj[key] (exact, case-sensitive), or NULL. */
const cJSON *check_member(const cJSON *obj, const char *key);

/*
 * Finds obj[key] as flags say it may be: returns 1 with the value in *out;
 * 0 with *out NULL when it is absent (and not required) or null (and
 * nullable); -1 after reporting a required member that is absent.
 */
int check_lookup(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		 const cJSON **out);

/* Common rules. */
const char *check_rule_slug(const char *s, size_t len);  /* lower-case words joined by '-' */
const char *check_rule_id(const char *s, size_t len);    /* URL-safe: A-Z a-z 0-9 . _ ~ - */

#endif
