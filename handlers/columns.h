/*
 * columns: a resource's records as rows of flat cells, for CSV.
 *
 * The columns of a resource are derived, never listed by hand: one or more
 * per top-level member, in the member table's order (models/member.h), and
 * within a member by the shape data/schema.json gives the resource's
 * definition (resource.schema, e.g. "Deal"):
 *   - a scalar is one column named as the member: "title";
 *   - an object is one column per member of it, named with dots, as deep as
 *     it goes: "value.amount", "value.currency", "counterpart.name";
 *   - an array of scalars is one column whose cell joins the elements with
 *     "; ": "countries" is "RO; KR";
 *   - an array of objects is one column per member of its items, each cell
 *     joining the elements' values with "; " in element order, an element
 *     without that value leaving its place empty ("participants.title" is
 *     "Prime Minister; ; President"), so the n-th values of the columns
 *     belong together; a cell whose elements all lack the value is empty.
 * A member the schema does not describe is one column holding the value's
 * compact JSON (so is an object where the schema has a scalar). Values must
 * otherwise fit the schema, as the loader's checks make them: a key the
 * schema does not know has no column. (The tests check that every value of
 * the shipped dataset lands in a cell.)
 * null is an empty cell; true and false are written so; numbers are written
 * exactly as the record's JSON has them (money never turns into 2.5e12).
 *
 * Rows are read from the bytes the store rendered at load (record_json), not
 * from the record structs, so a row costs one pass over those bytes.
 *
 * Ownership: columns_build() returns a new table (free with columns_free()),
 * which borrows the resource. columns_row_new() returns the scratch space a
 * writer of rows needs (free with columns_row_free()); one per thread.
 */
#ifndef ATTACHE_COLUMNS_H
#define ATTACHE_COLUMNS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "lib/csv.h"
#include "models/collection.h"
#include "models/resource.h"

struct columns;
struct columns_row;

/*
 * Derives the columns of res from defs, the "$defs" object of the data
 * schema (NULL: no schema, a column per member). Never fails.
 */
struct columns *columns_build(const struct resource *res, const cJSON *defs);
void columns_free(struct columns *t);

/* How many columns there are in all, and the name of column i ("value.amount"). */
size_t columns_count(const struct columns *t);
const char *columns_name(const struct columns *t, size_t i);

/* The columns of top-level member m: [*first, *end). */
void columns_of_member(const struct columns *t, int m, size_t *first, size_t *end);

struct columns_row *columns_row_new(const struct columns *t);
void columns_row_free(struct columns_row *r);

/*
 * Writes the header row: the columns of the n members at members, in that
 * order (fields=), or of every member when n is 0.
 */
void columns_write_header(const struct columns *t, const int *members, size_t n,
			  struct csvw *w);

/* Writes the record rendered as j as one row, for the same members. */
void columns_write_row(const struct columns *t, struct columns_row *r,
		       const struct record_json *j, const int *members, size_t n, struct csvw *w);

#endif
