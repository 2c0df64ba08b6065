/*
 * member: the top-level JSON members of a record type, each described once.
 *
 * A record module (country, meeting, deal) lists its members in one table:
 * the name, how the value is read, checked and written (its member type),
 * where it lives in the record's struct, and the checks that go with it
 * (required, nullable, a rule, a range). That one table drives the loader
 * (which keys are allowed, and the order they are read and checked in, which
 * decides which fault a bad record is reported for), the writer (the order
 * of the rendered object), and the list engine's fields= (resource.members).
 *
 * A member type reads obj[m->name] into the slot at m->offset of a record
 * and writes it back as "name":value. The simple ones are here; money and
 * persons define theirs in their own modules. Everything is static data.
 */
#ifndef ATTACHE_MEMBER_H
#define ATTACHE_MEMBER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "lib/jsonw.h"

struct member;

struct member_type {
	/* Reads obj[m->name] into slot. Returns 0, or -1 after reporting through c. */
	int (*read)(struct check *c, const cJSON *obj, const struct member *m, struct arena *a,
		    void *slot);
	/* Writes the value at slot (the key is written already). */
	void (*write)(struct jsonw *w, const struct member *m, const void *slot);
	/*
	 * Reads the value at p, in valid JSON text that ends at end, straight
	 * into slot, or gives up (NULL for none): returns where the value ends,
	 * or NULL where it is not a value read() takes as it is, or not one
	 * this reader is sure of (then the record is read again by read(),
	 * which says what is wrong). What it reads equals what read() would.
	 */
	const char *(*scan)(const char *p, const char *end, const struct member *m,
			    struct arena *a, void *slot);
};

struct member {
	const char *name;
	size_t name_len;               /* strlen(name): written without a look at each byte */
	const struct member_type *type;
	size_t offset;                 /* of the value in the record's struct */
	unsigned flags;                /* CHECK_REQUIRED, CHECK_NULLABLE */
	check_rule_fn *rule;           /* strings: the rule each must pass, or NULL */
	int64_t min, max;              /* integers: the range */
};

/*
 * Rows of a member table, after git's OPT_* macros; at is the offsetof the
 * value in the record's struct. The name must be a string literal ("" n
 * makes sure), whose sizeof is its length + 1.
 */
#define MEMBER_NAME(n) .name = "" n, .name_len = sizeof("" n) - 1
#define MEMBER_STRING(n, at, fl, rl) \
	{ MEMBER_NAME(n), .type = &member_string, .offset = at, .flags = fl, .rule = rl }
#define MEMBER_STRINGS(n, at, fl, rl) \
	{ MEMBER_NAME(n), .type = &member_strings, .offset = at, .flags = fl, .rule = rl }
#define MEMBER_INT(n, at, fl, lo, hi) \
	{ MEMBER_NAME(n), .type = &member_int, .offset = at, .flags = fl, .min = lo, .max = hi }
#define MEMBER_OF(n, t, at, fl) \
	{ MEMBER_NAME(n), .type = &t, .offset = at, .flags = fl }

/* A const char *, read by check_string(); written as a string, or null for NULL. */
extern const struct member_type member_string;

/* A struct strs, read by check_strings(); written as an array of strings. */
extern const struct member_type member_strings;

/* An int64_t in [min, max], read by check_int(); 0 is absent or null, and written as null. */
extern const struct member_type member_int;

/*
 * Reads the object v into record by the n members of table: v must be an
 * object whose keys are all members, each once; then each member is read in
 * table order. Returns 0, or -1 after reporting the first fault through c.
 */
int member_read_object(struct check *c, const cJSON *v, const struct member *table, size_t n,
		       struct arena *a, void *record);

/*
 * Reads the object at p (valid JSON text ending at end) into record, zeroed,
 * by the n members of table (n <= 64), as member_read_object() would:
 * returns where the object ends, or NULL to give up (a member that is
 * unknown, repeated, missing or not to its scan's liking, as above). What
 * it wrote to record is then to be cleared.
 */
const char *member_scan_object(const char *p, const char *end, const struct member *table,
			       size_t n, struct arena *a, void *record);

/*
 * The scans of a string by flags and rule (check_string_value()), and of
 * an integer in [min, max] (check_int_value()), for member types of
 * other modules: as above, returning where the value ends, or NULL.
 */
const char *member_scan_string(const char *p, const char *end, unsigned flags,
			       check_rule_fn *rule, struct arena *a, const char **out);
const char *member_scan_int(const char *p, const char *end, unsigned flags, int64_t min,
			    int64_t max, int64_t *out);

/* Writes record as an object of the n members of table, in table order. */
void member_write_object(struct jsonw *w, const struct member *table, size_t n,
			 const void *record);

/*
 * For a member that is null (or absent, unless required) or an object of
 * its own members (a meeting's delegation, a dataset's licence): reads
 * obj[m->name] by the n members of table into new zeroed memory of size
 * bytes from the arena, and sets *out to it, or to NULL for none. Returns
 * 0, or -1 after reporting through c.
 */
int member_read_nested(struct check *c, const cJSON *obj, const struct member *m,
		       const struct member *table, size_t n, size_t size, struct arena *a,
		       const void **out);

/* Writes the object at p by the n members of table, or null when p is NULL. */
void member_write_nested(struct jsonw *w, const struct member *table, size_t n, const void *p);

#endif
