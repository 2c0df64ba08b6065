/*
 * search: q=, a word search over what a person sees of each record.
 *
 * The searched text of a record is its fields with a search weight
 * (resource.h): its own text (title, aliases, companies, summary, ...), the
 * labels its vocabulary fields take in the dataset ("Nuclear power" for the
 * sector "nuclear") and the names of the records its reference fields name
 * (a deal's countries: "Romania", and Romania's aliases). Each value is
 * folded (lib/fold.h: case, diacritics and compatibility forms) and cut into
 * words; words never run across two values.
 *
 * The index, built once with the store, is per collection:
 *   - a dictionary of every folded word, sorted byte-wise, so that the
 *     words a prefix begins are one range of ids;
 *   - for each word, the records that hold it, ascending (postings), each
 *     with the weight of the best field it is in there;
 *   - for each record, its words in order as ids, each value preceded by a
 *     marker that carries the value's weight: phrases and ranking are
 *     checked on a candidate's own words, never by a scan of the collection.
 * All of it lives in the store's arena, as 32-bit ids.
 *
 * A query is words and "quoted phrases". Every term must match, in any
 * field, in any order: a word matches any word it begins ("semicon" finds
 * "semiconductor"); a quoted word matches that word only; a phrase matches
 * its words in a row within one value; a chunk that folds to several words
 * ("U.K.", "Korea-Romania") is a phrase. A record's score is, summed over
 * the terms, the best of (2 * weight of the field, + 1 if the word matched
 * whole): a title beats a company, which beats a country's name or a
 * label, which beats the summary, and a whole word beats a prefix.
 *
 * Ownership: a struct search_query owns its copies (search_query_release);
 * a struct search_run borrows the query and the index, and owns nothing.
 */
#ifndef ATTACHE_SEARCH_H
#define ATTACHE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/strbuf.h"
#include "models/dataset.h"
#include "models/resource.h"

/* The most words a query may have (a phrase's words included), and its longest text. */
#define SEARCH_MAX_WORDS 16
#define SEARCH_MAX_BYTES 256

struct collection;

struct search_index {
	uint32_t nwords;               /* distinct words in the dictionary */
	const char *chars;             /* the words, each NUL-terminated, in id order */
	const uint32_t *word_at;       /* nwords offsets into chars */
	const uint32_t *pstart;        /* nwords + 1 offsets into postings */
	const uint32_t *postings;      /* records holding word w: postings[pstart[w] .. pstart[w+1]) */
	const uint8_t *pweight;        /* per posting: the weight of the best field it is in there */
	const uint32_t *seq_start;     /* n + 1 offsets into seq */
	const uint32_t *seq;           /* each record's words as ids, and value markers */
};

/* What building an index needs beyond the collection: labels and other records' names. */
struct search_context {
	const struct dataset *dataset;
	/* The collection of res, whose records a reference field names. */
	const struct collection *(*collection_of)(const void *arg, const struct resource *res);
	const void *arg;
};

/* Builds the index of c's searched text into ix, in the arena. Never fails. */
void search_build(struct search_index *ix, const struct collection *c,
		  const struct search_context *ctx, struct arena *a);

/*
 * The same from old, the index of the same resource's collection in the
 * previous generation: from[i] is the position in old of record i of c when
 * it is unchanged, UINT32_MAX when it is new or changed. Only the changed
 * records' text is folded; the others' words are taken from old. Builds
 * what search_build() would, as long as the records c's text takes names
 * from (through reference fields) have not changed.
 */
void search_build_from(struct search_index *ix, const struct collection *c,
		       const struct search_index *old, const uint32_t *from,
		       const struct search_context *ctx, struct arena *a);

/* One term of a query: one word, or a phrase of several. */
struct search_term {
	size_t first;                  /* its words are words[first .. first + n) */
	size_t n;
	bool prefix;                   /* a single word matching any word it begins */
};

struct search_query {
	char *q;                       /* as sent */
	char *buf;                     /* the folded words, NUL-separated */
	const char *words[SEARCH_MAX_WORDS];
	size_t nwords;
	struct search_term terms[SEARCH_MAX_WORDS];
	size_t nterms;
};

/*
 * Parses the text q of q=. Returns 1 with sq filled, 0 when q is blank (no
 * search; sq is empty), or -1 with why saying what is wrong (invalid UTF-8,
 * too long, an unterminated or empty phrase, too many words, no word at all).
 * Release sq with search_query_release() in every case.
 */
int search_parse(struct search_query *sq, const char *q, struct strbuf *why);
void search_query_release(struct search_query *sq);

/* A query resolved against one index: each term's word ids. */
struct search_run {
	const struct search_index *ix;
	const struct search_query *sq;
	struct {
		uint32_t lo, hi;       /* a word: the ids it matches, [lo, hi) */
		uint32_t whole;        /* a word: the id equal to it, or UINT32_MAX */
		uint32_t ids[SEARCH_MAX_WORDS];  /* a phrase: its words' ids */
	} t[SEARCH_MAX_WORDS];
	bool none;                     /* some term matches no word of the index */
};

/* Resolves sq against ix (binary searches in the dictionary). */
void search_resolve(struct search_run *run, const struct search_query *sq,
		    const struct search_index *ix);

/*
 * The cheapest term to list candidates from: returns how many postings it
 * reads (an upper bound of the records it matches), with its index in *term.
 * 0 when the run matches nothing.
 */
size_t search_cost(const struct search_run *run, size_t *term);

/*
 * The records term may match, ascending and unique, in a new array (free
 * with free()) of *n. Each must still pass search_score().
 */
uint32_t *search_candidates(const struct search_run *run, size_t term, uint32_t nrecords,
			    size_t *n);

/*
 * Keeps, of the n ascending records at cand, those that each term but the
 * one numbered skip (SIZE_MAX: none) can match by the postings of the words
 * it needs: a whole word's, each word of a phrase's. A merge of sorted lists
 * is cheaper than reading every candidate's words; a prefix of several
 * words is left to search_score(). Returns how many are kept, in place.
 */
size_t search_narrow(const struct search_run *run, size_t skip, uint32_t *cand, size_t n);

/*
 * What search_narrow() reads to narrow *n candidates, skipping term skip:
 * the postings its merges read, about (a list much longer than *n is leapt
 * through, not walked). Sets *n to a bound of what it keeps: no more than
 * the shortest list merged.
 */
uint64_t search_narrow_cost(const struct search_run *run, size_t skip, uint64_t *n);

/* Record r's score: 0 unless every term matches it (see the top of this file). */
uint32_t search_score(const struct search_run *run, uint32_t r);

/*
 * The same for the n ascending records at cand, into scores[]: a word's
 * score comes from its postings' weights (a walk along each of its words'
 * postings); only phrases, and words that begin very many others, read
 * each record's words.
 */
void search_score_all(const struct search_run *run, const uint32_t *cand, size_t n,
		      uint32_t *scores);

/*
 * What search_score_all() reads for n candidates of an index of nrecords
 * records: the postings of each word a term walks, and, when some term is
 * checked on records (a phrase, a prefix of very many words), each
 * candidate's words, counted at the index's average per record.
 */
uint64_t search_score_cost(const struct search_run *run, uint64_t n, uint32_t nrecords);

#endif
