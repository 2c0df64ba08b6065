/*
 * search: the inverted index and word queries (see search.h).
 */
#include "models/search.h"

#include <stdlib.h>
#include <string.h>

#include "lib/fold.h"
#include "lib/hash.h"
#include "lib/mem.h"
#include "lib/text.h"
#include "models/collection.h"

/* Ids from here up are not words but the start of a value, marked with its weight. */
#define MARK 0xFFFFFFF0u

/* ---- building ---- */

/* Words while the index is built: interned to provisional ids, in a hash table. */
struct builder {
	struct strbuf pool;            /* the words, NUL-terminated */
	uint32_t *off, *len;           /* per provisional id: where its word is in pool */
	uint32_t nwords, alloc;
	uint32_t *slots;               /* provisional id + 1; 0 is empty */
	size_t nslots;
	uint32_t *seq;                 /* provisional ids and marks, record after record */
	size_t nseq, seq_alloc;
	struct strbuf folded;          /* scratch */
	/* Texts met again and again, by address (a vocabulary's labels, the names
	 * of the records referred to): their words' ids, folded once. */
	struct memo {
		const char *text;
		uint32_t first, n;     /* in memo_ids; n UINT32_MAX: nothing to index */
	} *memo;
	size_t nmemo, memo_slots;
	uint32_t *memo_ids;
	size_t nmemo_ids, memo_ids_alloc;
	/* Per field of the collection: what its values lead to, found once per build. */
	struct field_plan {
		int vocab;                          /* its vocabulary's kind, or -1 */
		const struct collection *ref;       /* the records its values name, or NULL */
		const struct field *name, *aliases; /* their label and aliases, or NULL */
	} *plan;
};

static void grow_slots(struct builder *b)
{
	size_t n = b->nslots ? 2 * b->nslots : 1024;
	uint32_t *slots = xcalloc(n, sizeof(*slots));

	for (uint32_t id = 0; id < b->nwords; id++) {
		size_t i = hash_bytes(HASH_SEED, b->pool.buf + b->off[id], b->len[id]) & (n - 1);

		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = id + 1;
	}
	free(b->slots);
	b->slots = slots;
	b->nslots = n;
}

static uint32_t intern(struct builder *b, const char *w, size_t len)
{
	size_t i;

	if (2 * ((size_t)b->nwords + 1) > b->nslots)
		grow_slots(b);
	for (i = hash_bytes(HASH_SEED, w, len) & (b->nslots - 1); b->slots[i];
	     i = (i + 1) & (b->nslots - 1)) {
		uint32_t id = b->slots[i] - 1;

		if (b->len[id] == len && !memcmp(b->pool.buf + b->off[id], w, len))
			return id;
	}
	if (b->nwords == b->alloc) {
		b->alloc = b->alloc ? 2 * b->alloc : 1024;
		b->off = xreallocarray(b->off, b->alloc, sizeof(*b->off));
		b->len = xreallocarray(b->len, b->alloc, sizeof(*b->len));
	}
	b->off[b->nwords] = (uint32_t)b->pool.len;
	b->len[b->nwords] = (uint32_t)len;
	strbuf_add(&b->pool, w, len);
	strbuf_addch(&b->pool, '\0');
	b->slots[i] = b->nwords + 1;
	return b->nwords++;
}

static void push(struct builder *b, uint32_t id)
{
	if (b->nseq == b->seq_alloc) {
		b->seq_alloc = b->seq_alloc ? 2 * b->seq_alloc : 4096;
		b->seq = xreallocarray(b->seq, b->seq_alloc, sizeof(*b->seq));
	}
	b->seq[b->nseq++] = id;
}

/* One value of a record: a mark with its weight, then its words. */
static void add_value(struct builder *b, const char *text, unsigned weight)
{
	size_t pos = 0, at, len;

	strbuf_reset(&b->folded);
	/* The loader let in valid UTF-8 only, so folding does not fail. */
	if (fold_text(text, strlen(text), &b->folded))
		return;
	push(b, MARK + weight);
	while (fold_next_word(b->folded.buf, b->folded.len, &pos, &at, &len))
		push(b, intern(b, b->folded.buf + at, len));
}

static void memo_grow(struct builder *b)
{
	size_t n = b->memo_slots ? 2 * b->memo_slots : 256;
	struct memo *m = xcalloc(n, sizeof(*m));

	for (size_t i = 0; i < b->memo_slots; i++) {
		size_t k;

		if (!b->memo[i].text)
			continue;
		for (k = hash_bytes(HASH_SEED, &b->memo[i].text, sizeof(char *)) & (n - 1); m[k].text;
		     k = (k + 1) & (n - 1))
			;
		m[k] = b->memo[i];
	}
	free(b->memo);
	b->memo = m;
	b->memo_slots = n;
}

/* add_value() for a text whose address stands for it: folded and split the first time only. */
static void add_shared_value(struct builder *b, const char *text, unsigned weight)
{
	size_t k, pos = 0, at, len;
	struct memo *m;

	if (2 * (b->nmemo + 1) > b->memo_slots)
		memo_grow(b);
	for (k = hash_bytes(HASH_SEED, &text, sizeof(text)) & (b->memo_slots - 1); b->memo[k].text;
	     k = (k + 1) & (b->memo_slots - 1)) {
		if (b->memo[k].text != text)
			continue;
		m = &b->memo[k];
		if (m->n == UINT32_MAX)
			return;
		push(b, MARK + weight);
		for (uint32_t i = 0; i < m->n; i++)
			push(b, b->memo_ids[m->first + i]);
		return;
	}
	m = &b->memo[k];
	b->nmemo++;
	*m = (struct memo){ text, (uint32_t)b->nmemo_ids, UINT32_MAX };
	strbuf_reset(&b->folded);
	if (fold_text(text, strlen(text), &b->folded))
		return;
	m->n = 0;
	push(b, MARK + weight);
	while (fold_next_word(b->folded.buf, b->folded.len, &pos, &at, &len)) {
		uint32_t id = intern(b, b->folded.buf + at, len);

		if (b->nmemo_ids == b->memo_ids_alloc) {
			b->memo_ids_alloc = b->memo_ids_alloc ? 2 * b->memo_ids_alloc : 256;
			b->memo_ids = xreallocarray(b->memo_ids, b->memo_ids_alloc, sizeof(*b->memo_ids));
		}
		b->memo_ids[b->nmemo_ids++] = id;
		m->n++;
		push(b, id);
	}
}

/* Works out b->plan for the fields of c: a lookup per field, not one per value. */
static void plan_fields(struct builder *b, const struct collection *c,
			const struct search_context *ctx)
{
	b->plan = xcalloc(c->res->nfields ? c->res->nfields : 1, sizeof(*b->plan));
	for (size_t i = 0; i < c->res->nfields; i++) {
		const struct field *f = &c->res->fields[i];
		struct field_plan *p = &b->plan[i];

		p->vocab = f->vocab ? dataset_vocab_find(f->vocab) : -1;
		if (!f->vocab && f->ref) {
			p->ref = ctx->collection_of(ctx->arg, f->ref);
			p->name = resource_field(f->ref, f->ref->label, strlen(f->ref->label));
			p->aliases = resource_field(f->ref, "aliases", 7);
		}
	}
}

/* The text of a string field's value: itself, its label, or the name of the record it names. */
static void add_field_value(struct builder *b, const struct field *f, const struct field_plan *p,
			    const char *v, const struct search_context *ctx)
{
	if (f->vocab) {
		const struct vocab_entry *e = p->vocab < 0 ? NULL
			: dataset_vocab_entry(ctx->dataset, (enum vocab_kind)p->vocab, v);

		if (e)
			add_shared_value(b, e->label, f->search);
		else
			add_value(b, v, f->search);
		return;
	}
	if (f->ref) {
		int64_t pos = p->ref ? collection_find(p->ref, v, strlen(v)) : -1;
		struct field_value nv = { 0 }, av = { 0 };

		if (pos < 0 || !p->name) {
			add_value(b, v, f->search);
			return;
		}
		field_get(p->name, collection_record(p->ref, (uint32_t)pos), &nv);
		if (!nv.null && nv.s)
			add_shared_value(b, nv.s, f->search);
		if (p->aliases) {
			field_get(p->aliases, collection_record(p->ref, (uint32_t)pos), &av);
			for (size_t i = 0; i < av.list.n; i++)
				add_shared_value(b, av.list.v[i], f->search);
		}
		return;
	}
	add_value(b, v, f->search);
}

static void add_record(struct builder *b, const struct collection *c, uint32_t r,
		       const struct search_context *ctx)
{
	for (size_t i = 0; i < c->res->nfields; i++) {
		const struct field *f = &c->res->fields[i];
		struct field_value v = { 0 };

		if (!f->search || (f->type != FIELD_STRING && f->type != FIELD_STRINGS))
			continue;
		field_get(f, collection_record(c, r), &v);
		if (f->type == FIELD_STRINGS) {
			for (size_t j = 0; j < v.list.n; j++)
				add_field_value(b, f, &b->plan[i], v.list.v[j], ctx);
		} else if (!v.null && v.s) {
			add_field_value(b, f, &b->plan[i], v.s, ctx);
		}
	}
}

static int cmp_words(const void *pa, const void *pb, void *arg)
{
	const struct builder *b = arg;

	return strcmp(b->pool.buf + b->off[*(const uint32_t *)pa],
		      b->pool.buf + b->off[*(const uint32_t *)pb]);
}

static void finish_index(struct search_index *ix, const struct collection *c, struct builder *b,
			 uint32_t *seq_start, uint32_t *order, uint32_t nwords, struct arena *a);

void search_build(struct search_index *ix, const struct collection *c,
		  const struct search_context *ctx, struct arena *a)
{
	struct builder b = { .pool = STRBUF_INIT, .folded = STRBUF_INIT };
	uint32_t *order, *seq_start;

	plan_fields(&b, c, ctx);
	seq_start = arena_alloc(a, ((size_t)c->n + 1) * sizeof(*seq_start));
	for (uint32_t r = 0; r < c->n; r++) {
		seq_start[r] = (uint32_t)b.nseq;
		add_record(&b, c, r, ctx);
	}
	seq_start[c->n] = (uint32_t)b.nseq;

	/* The dictionary, sorted byte-wise: a word's id is its rank. */
	order = xcalloc((size_t)b.nwords + 1, sizeof(*order));
	for (uint32_t i = 0; i < b.nwords; i++)
		order[i] = i;
	qsort_r(order, b.nwords, sizeof(*order), cmp_words, &b);
	finish_index(ix, c, &b, seq_start, order, b.nwords, a);
}

void search_build_from(struct search_index *ix, const struct collection *c,
		       const struct search_index *old, const uint32_t *from,
		       const struct search_context *ctx, struct arena *a)
{
	struct builder b = { .pool = STRBUF_INIT, .folded = STRBUF_INIT };
	uint32_t *order, *seq_start, *used, nnew, nkept = 0, v = 0, x = 0;

	plan_fields(&b, c, ctx);
	/* The old words first, in their order: a provisional id below old->nwords is the old id. */
	for (uint32_t w = 0; w < old->nwords; w++)
		intern(&b, old->chars + old->word_at[w], strlen(old->chars + old->word_at[w]));
	seq_start = arena_alloc(a, ((size_t)c->n + 1) * sizeof(*seq_start));
	for (uint32_t r = 0; r < c->n; r++) {
		seq_start[r] = (uint32_t)b.nseq;
		if (from[r] == UINT32_MAX) {
			add_record(&b, c, r, ctx);
			continue;
		}
		for (uint32_t p = old->seq_start[from[r]]; p < old->seq_start[from[r] + 1]; p++)
			push(&b, old->seq[p]);
	}
	seq_start[c->n] = (uint32_t)b.nseq;

	/* The words still used: the old ones in their order, the new ones sorted, merged. */
	used = xcalloc((size_t)b.nwords + 1, sizeof(*used));
	for (size_t i = 0; i < b.nseq; i++)
		if (b.seq[i] < MARK)
			used[b.seq[i]] = 1;
	nnew = b.nwords - old->nwords;
	order = xcalloc((size_t)b.nwords + 1, sizeof(*order));
	for (uint32_t i = 0; i < nnew; i++)
		order[old->nwords + i] = old->nwords + i;
	qsort_r(order + old->nwords, nnew, sizeof(*order), cmp_words, &b);
	{
		uint32_t *merged = xcalloc((size_t)b.nwords + 1, sizeof(*merged));

		while (v < old->nwords || x < nnew) {
			uint32_t id;

			if (v < old->nwords && (x == nnew || cmp_words(&v, &order[old->nwords + x], &b) < 0))
				id = v++;
			else
				id = order[old->nwords + x++];
			if (used[id])
				merged[nkept++] = id;
		}
		free(order);
		order = merged;
	}
	free(used);
	finish_index(ix, c, &b, seq_start, order, nkept, a);
}

/*
 * The index from the builder's words and records: order holds the nwords
 * provisional ids to keep, sorted (every word a record uses is among them);
 * takes order, and frees what the builder holds.
 */
static void finish_index(struct search_index *ix, const struct collection *c, struct builder *bp,
			 uint32_t *seq_start, uint32_t *order, uint32_t nwords, struct arena *a)
{
	struct builder b = *bp;
	uint32_t *rank, *pstart, *fill, *last, *postings, *word_at;
	uint8_t *pweight;
	size_t nchars = 0;
	char *chars;

	rank = xcalloc((size_t)b.nwords + 1, sizeof(*rank));
	b.nwords = nwords;
	word_at = arena_alloc(a, ((size_t)b.nwords + 1) * sizeof(*word_at));
	for (uint32_t i = 0; i < b.nwords; i++) {
		rank[order[i]] = i;
		word_at[i] = (uint32_t)nchars;
		nchars += b.len[order[i]] + 1;
	}
	chars = arena_alloc(a, nchars ? nchars : 1);
	for (uint32_t i = 0; i < b.nwords; i++)
		memcpy(chars + word_at[i], b.pool.buf + b.off[order[i]], b.len[order[i]] + 1);
	for (size_t i = 0; i < b.nseq; i++)
		if (b.seq[i] < MARK)
			b.seq[i] = rank[b.seq[i]];

	/* Postings: each record once per word, by a counting pass and a filling pass. */
	pstart = arena_calloc(a, (size_t)b.nwords + 1, sizeof(*pstart));
	last = xmalloc(((size_t)b.nwords + 1) * sizeof(*last));
	memset(last, 0xff, ((size_t)b.nwords + 1) * sizeof(*last));
	for (uint32_t r = 0; r < c->n; r++)
		for (uint32_t p = seq_start[r]; p < seq_start[r + 1]; p++)
			if (b.seq[p] < MARK && last[b.seq[p]] != r) {
				last[b.seq[p]] = r;
				pstart[b.seq[p] + 1]++;
			}
	for (uint32_t w = 0; w < b.nwords; w++)
		pstart[w + 1] += pstart[w];
	postings = arena_alloc(a, ((size_t)pstart[b.nwords] + 1) * sizeof(*postings));
	pweight = arena_calloc(a, (size_t)pstart[b.nwords] + 1, sizeof(*pweight));
	fill = xmalloc(((size_t)b.nwords + 1) * sizeof(*fill));
	memcpy(fill, pstart, ((size_t)b.nwords + 1) * sizeof(*fill));
	memset(last, 0xff, ((size_t)b.nwords + 1) * sizeof(*last));
	for (uint32_t r = 0; r < c->n; r++) {
		uint8_t weight = 0;

		for (uint32_t p = seq_start[r]; p < seq_start[r + 1]; p++) {
			uint32_t w = b.seq[p];

			if (w >= MARK) {
				weight = (uint8_t)(w - MARK);
				continue;
			}
			/* The word's posting for r is the last one written for it. */
			if (last[w] != r) {
				last[w] = r;
				postings[fill[w]++] = r;
			}
			if (weight > pweight[fill[w] - 1])
				pweight[fill[w] - 1] = weight;
		}
	}

	ix->nwords = b.nwords;
	ix->chars = chars;
	ix->word_at = word_at;
	ix->pstart = pstart;
	ix->postings = postings;
	ix->pweight = pweight;
	ix->seq_start = seq_start;
	ix->seq = arena_alloc(a, (b.nseq ? b.nseq : 1) * sizeof(*ix->seq));
	if (b.nseq)
		memcpy((uint32_t *)ix->seq, b.seq, b.nseq * sizeof(*b.seq));

	free(order);
	free(rank);
	free(last);
	free(fill);
	free(b.off);
	free(b.len);
	free(b.slots);
	free(b.seq);
	free(b.memo);
	free(b.memo_ids);
	free(b.plan);
	strbuf_release(&b.pool);
	strbuf_release(&b.folded);
}

/* ---- parsing q ---- */

/* A query while it is parsed: its folded words, NUL-separated, and its terms. */
struct parsing {
	struct search_query *sq;
	struct strbuf words;
	size_t at[SEARCH_MAX_WORDS];   /* each word's offset in words */
	size_t count;                  /* words seen, kept or not (past the maximum) */
	struct strbuf folded;
};

/* Adds a term of the n words in folded text f (len bytes), which has at least one. */
static void add_term(struct parsing *ps, const char *f, size_t len, bool quoted)
{
	struct search_query *sq = ps->sq;
	size_t pos = 0, at, wlen, first = ps->count, n = 0;

	while (fold_next_word(f, len, &pos, &at, &wlen)) {
		if (ps->count < SEARCH_MAX_WORDS) {
			ps->at[ps->count] = ps->words.len;
			strbuf_add(&ps->words, f + at, wlen);
			strbuf_addch(&ps->words, '\0');
		}
		ps->count++;
		n++;
	}
	if (first + n > SEARCH_MAX_WORDS)
		return; /* refused once all words are counted */
	sq->terms[sq->nterms++] = (struct search_term){ first, n, n == 1 && !quoted };
}

static size_t count_words(const char *f, size_t len)
{
	size_t pos = 0, at, wlen, n = 0;

	while (fold_next_word(f, len, &pos, &at, &wlen))
		n++;
	return n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Text outside quotes: chunks between spaces, each a word or an implicit phrase. */
static void add_unquoted(struct parsing *ps, const char *s, size_t len)
{
	const char *f, *end;

	strbuf_reset(&ps->folded);
	fold_text(s, len, &ps->folded);  /* q was checked to be UTF-8 */
	f = ps->folded.buf;
	end = f + ps->folded.len;
	while (f < end) {
		const char *chunk;

		while (f < end && is_space(*f))
			f++;
		chunk = f;
		while (f < end && !is_space(*f))
			f++;
		if (f > chunk && count_words(chunk, (size_t)(f - chunk)))
			add_term(ps, chunk, (size_t)(f - chunk), false);
	}
}

/* The position of byte i of s in characters, from 1, for messages. */
static size_t char_position(const char *s, size_t i)
{
	size_t n = 0;

	for (size_t k = 0; k <= i; k++)
		n += ((unsigned char)s[k] & 0xC0) != 0x80;
	return n;
}

int search_parse(struct search_query *sq, const char *q, struct strbuf *why)
{
	struct parsing ps = { .sq = sq, .words = STRBUF_INIT, .folded = STRBUF_INIT };
	size_t len = strlen(q), bad;
	const char *p = q;
	int rc = -1;

	memset(sq, 0, sizeof(*sq));
	while (*p && is_space(*p))
		p++;
	if (!*p)
		return 0;
	if (len > SEARCH_MAX_BYTES) {
		strbuf_addf(why, "q is %zu bytes long: at most %d are allowed", len, SEARCH_MAX_BYTES);
		return -1;
	}
	if ((bad = utf8_invalid_at(q, len)) != len) {
		strbuf_addf(why, "q is not valid UTF-8 (at byte %zu)", bad + 1);
		return -1;
	}
	for (p = q; *p;) {
		const char *open = strchr(p, '"'), *close;

		add_unquoted(&ps, p, open ? (size_t)(open - p) : strlen(p));
		if (!open)
			break;
		close = strchr(open + 1, '"');
		if (!close) {
			strbuf_addf(why, "q has an unterminated phrase: the '\"' at character %zu is not closed",
				    char_position(q, (size_t)(open - q)));
			goto out;
		}
		strbuf_reset(&ps.folded);
		fold_text(open + 1, (size_t)(close - open - 1), &ps.folded);
		if (!count_words(ps.folded.buf, ps.folded.len)) {
			strbuf_addf(why, "q has an empty phrase at character %zu: a phrase needs a word "
				    "(letters or digits) between its quotes", char_position(q, (size_t)(open - q)));
			goto out;
		}
		add_term(&ps, ps.folded.buf, ps.folded.len, true);
		p = close + 1;
	}
	if (ps.count > SEARCH_MAX_WORDS) {
		strbuf_addf(why, "q has %zu words: at most %d are allowed", ps.count, SEARCH_MAX_WORDS);
		goto out;
	}
	if (!ps.count) {
		strbuf_addstr(why, "q has no word to search for: a word is letters or digits");
		goto out;
	}
	sq->q = xstrdup(q);
	sq->nwords = ps.count;
	sq->buf = strbuf_detach(&ps.words, NULL);
	for (size_t i = 0; i < sq->nwords; i++)
		sq->words[i] = sq->buf + ps.at[i];
	rc = 1;
out:
	if (rc < 0)
		sq->nterms = 0;
	strbuf_release(&ps.words);
	strbuf_release(&ps.folded);
	return rc;
}

void search_query_release(struct search_query *sq)
{
	free(sq->q);
	free(sq->buf);
	memset(sq, 0, sizeof(*sq));
}

/* ---- running ---- */

static const char *word_of(const struct search_index *ix, uint32_t id)
{
	return ix->chars + ix->word_at[id];
}

/* The first id whose word is not below w (with prefix: not below, or beginning with w). */
static uint32_t lower_bound(const struct search_index *ix, const char *w, bool past_prefix)
{
	uint32_t lo = 0, hi = ix->nwords;
	size_t len = strlen(w);

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *m = word_of(ix, mid);
		int cmp = past_prefix ? strncmp(m, w, len) : strcmp(m, w);

		if (cmp < 0 || (past_prefix && cmp == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t find_word(const struct search_index *ix, const char *w)
{
	uint32_t id = lower_bound(ix, w, false);

	return id < ix->nwords && !strcmp(word_of(ix, id), w) ? id : UINT32_MAX;
}

void search_resolve(struct search_run *run, const struct search_query *sq,
		    const struct search_index *ix)
{
	memset(run, 0, sizeof(*run));
	run->ix = ix;
	run->sq = sq;
	for (size_t i = 0; i < sq->nterms; i++) {
		const struct search_term *t = &sq->terms[i];

		if (t->n == 1) {
			const char *w = sq->words[t->first];

			run->t[i].whole = find_word(ix, w);
			run->t[i].lo = lower_bound(ix, w, false);
			run->t[i].hi = t->prefix ? lower_bound(ix, w, true)
				     : run->t[i].lo + (run->t[i].whole != UINT32_MAX);
			run->none |= run->t[i].lo == run->t[i].hi;
			continue;
		}
		for (size_t k = 0; k < t->n; k++) {
			run->t[i].ids[k] = find_word(ix, sq->words[t->first + k]);
			run->none |= run->t[i].ids[k] == UINT32_MAX;
		}
	}
}

static size_t postings_of(const struct search_index *ix, uint32_t lo, uint32_t hi)
{
	return ix->pstart[hi] - ix->pstart[lo];
}

/* A phrase's rarest word. */
static uint32_t rarest(const struct search_run *run, size_t i)
{
	const struct search_term *t = &run->sq->terms[i];
	uint32_t best = run->t[i].ids[0];

	for (size_t k = 1; k < t->n; k++)
		if (postings_of(run->ix, run->t[i].ids[k], run->t[i].ids[k] + 1) <
		    postings_of(run->ix, best, best + 1))
			best = run->t[i].ids[k];
	return best;
}

size_t search_cost(const struct search_run *run, size_t *term)
{
	size_t best = SIZE_MAX;

	*term = 0;
	if (run->none)
		return 0;
	for (size_t i = 0; i < run->sq->nterms; i++) {
		size_t cost;

		if (run->sq->terms[i].n == 1) {
			cost = postings_of(run->ix, run->t[i].lo, run->t[i].hi);
		} else {
			uint32_t w = rarest(run, i);

			cost = postings_of(run->ix, w, w + 1);
		}
		if (cost < best) {
			best = cost;
			*term = i;
		}
	}
	return best == SIZE_MAX ? 0 : best;
}

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return a < b ? -1 : a > b;
}

uint32_t *search_candidates(const struct search_run *run, size_t term, uint32_t nrecords,
			    size_t *n)
{
	const struct search_index *ix = run->ix;
	uint32_t lo, hi, *out;
	size_t total, k = 0;

	if (run->sq->terms[term].n == 1) {
		lo = run->t[term].lo;
		hi = run->t[term].hi;
	} else {
		lo = rarest(run, term);
		hi = lo + 1;
	}
	total = postings_of(ix, lo, hi);
	out = xmalloc((total ? total : 1) * sizeof(*out));
	if (hi - lo <= 1) {
		/* One word's postings: already ascending and unique. */
		memcpy(out, ix->postings + ix->pstart[lo], total * sizeof(*out));
		k = total;
	} else if (total / 8 >= nrecords / 64) {
		/* Many postings: a bitmap of the records costs less than sorting them. */
		uint64_t *bits = xcalloc(((size_t)nrecords + 63) / 64, sizeof(*bits));

		for (size_t p = ix->pstart[lo]; p < ix->pstart[hi]; p++)
			bits[ix->postings[p] / 64] |= UINT64_C(1) << (ix->postings[p] % 64);
		for (size_t wd = 0; wd < ((size_t)nrecords + 63) / 64; wd++)
			for (uint64_t m = bits[wd]; m; m &= m - 1)
				out[k++] = (uint32_t)(wd * 64 + (size_t)__builtin_ctzll(m));
		free(bits);
	} else {
		memcpy(out, ix->postings + ix->pstart[lo], total * sizeof(*out));
		qsort(out, total, sizeof(*out), cmp_u32);
		for (size_t i = 0; i < total; i++)
			if (!k || out[k - 1] != out[i])
				out[k++] = out[i];
	}
	*n = k;
	return out;
}

/*
 * The first position from from on of the ascending list p (m long) whose
 * record is not below want. With left more records to seek, a list more
 * than SEEK_LEAP times longer than that is leapt through (a binary search)
 * rather than walked.
 */
#define SEEK_LEAP 16

static size_t seek(const uint32_t *p, size_t from, size_t m, uint32_t want, size_t left)
{
	size_t lo = from, hi = m;

	if (m - from <= SEEK_LEAP * left) {
		while (lo < m && p[lo] < want)
			lo++;
		return lo;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p[mid] < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Keeps of the n ascending records at cand those in the ascending list at p (m long). */
static size_t intersect(uint32_t *cand, size_t n, const uint32_t *p, size_t m)
{
	size_t k = 0, j = 0;

	for (size_t i = 0; i < n && j < m; i++) {
		j = seek(p, j, m, cand[i], n - i);
		if (j < m && p[j] == cand[i])
			cand[k++] = cand[i];
	}
	return k;
}

/*
 * About how many postings of a list m long seeking n ascending records in it
 * reads (seek()): the whole list when it is walked, else a binary search's
 * worth per record.
 */
static uint64_t seek_cost(uint64_t n, uint64_t m)
{
	uint64_t leaps = 1;

	if (m <= SEEK_LEAP * n)
		return m;
	while (m >> leaps)
		leaps++;
	return n * leaps < m ? n * leaps : m;
}

/*
 * The k-th word (from 0) whose postings search_narrow() merges the
 * candidates with for term i, or UINT32_MAX past the last: a word that
 * matches one word of the index has its postings, each word of a phrase
 * its own, and a prefix of several words none (scoring checks it).
 */
static uint32_t narrowing_word(const struct search_run *run, size_t i, size_t k)
{
	const struct search_term *t = &run->sq->terms[i];

	if (t->n == 1)
		return k == 0 && run->t[i].hi - run->t[i].lo == 1 ? run->t[i].lo : UINT32_MAX;
	return k < t->n ? run->t[i].ids[k] : UINT32_MAX;
}

size_t search_narrow(const struct search_run *run, size_t skip, uint32_t *cand, size_t n)
{
	const struct search_index *ix = run->ix;
	uint32_t w;

	for (size_t i = 0; i < run->sq->nterms && n; i++) {
		if (i == skip)
			continue;
		for (size_t k = 0; n && (w = narrowing_word(run, i, k)) != UINT32_MAX; k++)
			n = intersect(cand, n, ix->postings + ix->pstart[w], postings_of(ix, w, w + 1));
	}
	return n;
}

uint64_t search_narrow_cost(const struct search_run *run, size_t skip, uint64_t *n)
{
	uint64_t cost = 0;
	uint32_t w;

	for (size_t i = 0; i < run->sq->nterms; i++) {
		if (i == skip)
			continue;
		for (size_t k = 0; (w = narrowing_word(run, i, k)) != UINT32_MAX; k++) {
			uint64_t m = postings_of(run->ix, w, w + 1);

			cost += seek_cost(*n, m);
			/* What a merge keeps is in the list too. */
			if (m < *n)
				*n = m;
		}
	}
	return cost;
}

/*
 * The score of the terms of record r whose bit is set in terms, read from
 * r's own words: 0 unless each of them matches.
 */
static uint32_t scan_score(const struct search_run *run, uint32_t r, uint32_t terms)
{
	const struct search_index *ix = run->ix;
	const uint32_t *seq = ix->seq + ix->seq_start[r];
	const size_t len = ix->seq_start[r + 1] - ix->seq_start[r];
	const size_t nterms = run->sq->nterms;
	uint32_t best[SEARCH_MAX_WORDS] = { 0 }, weight = 0, total = 0;

	for (size_t p = 0; p < len; p++) {
		uint32_t id = seq[p];

		if (id >= MARK) {
			weight = id - MARK;
			continue;
		}
		for (size_t i = 0; i < nterms; i++) {
			const struct search_term *t = &run->sq->terms[i];
			uint32_t score;
			size_t k;

			if (!(terms >> i & 1))
				continue;
			if (t->n == 1) {
				if (id < run->t[i].lo || id >= run->t[i].hi)
					continue;
				score = 2 * weight + (id == run->t[i].whole);
			} else {
				/* A value's mark stops a phrase: it never runs across two values. */
				for (k = 0; k < t->n && p + k < len && seq[p + k] == run->t[i].ids[k]; k++)
					;
				if (k < t->n)
					continue;
				score = 2 * weight + 1;
			}
			if (score > best[i])
				best[i] = score;
		}
	}
	for (size_t i = 0; i < nterms; i++) {
		if (!(terms >> i & 1))
			continue;
		if (!best[i])
			return 0;
		total += best[i];
	}
	return total;
}

uint32_t search_score(const struct search_run *run, uint32_t r)
{
	return run->none ? 0 : scan_score(run, r, (UINT32_C(1) << run->sq->nterms) - 1);
}

/* A word's postings are walked when it begins at most this many words; past it, records are read. */
#define MAX_WALKED_WORDS 64

/* Whether search_score_all() scores term i from its words' postings, rather than each record's words. */
static bool walked(const struct search_run *run, size_t i)
{
	return run->sq->terms[i].n == 1 && run->t[i].hi - run->t[i].lo <= MAX_WALKED_WORDS;
}

/* Adds to best[j] the score of word id for each candidate cand[j] that holds it. */
static void walk_postings(const struct search_run *run, size_t i, uint32_t id, const uint32_t *cand,
			  size_t n, uint32_t *best)
{
	const struct search_index *ix = run->ix;
	const uint32_t *p = ix->postings + ix->pstart[id];
	const uint8_t *w = ix->pweight + ix->pstart[id];
	const size_t m = ix->pstart[id + 1] - ix->pstart[id];
	const uint32_t whole = id == run->t[i].whole;
	size_t k = 0;

	for (size_t j = 0; j < n && k < m; j++) {
		k = seek(p, k, m, cand[j], n - j);
		if (k < m && p[k] == cand[j] && 2u * w[k] + whole > best[j])
			best[j] = 2u * w[k] + whole;
	}
}

void search_score_all(const struct search_run *run, const uint32_t *cand, size_t n,
		      uint32_t *scores)
{
	uint32_t *best, scan = 0;

	if (run->none) {
		memset(scores, 0, n * sizeof(*scores));
		return;
	}
	best = xmalloc((n ? n : 1) * sizeof(*best));
	for (size_t j = 0; j < n; j++)
		scores[j] = 0;
	for (size_t i = 0; i < run->sq->nterms; i++) {
		if (!walked(run, i)) {
			scan |= UINT32_C(1) << i;
			continue;
		}
		memset(best, 0, n * sizeof(*best));
		for (uint32_t id = run->t[i].lo; id < run->t[i].hi; id++)
			walk_postings(run, i, id, cand, n, best);
		/* UINT32_MAX marks a record some term does not match. */
		for (size_t j = 0; j < n; j++)
			scores[j] = !best[j] || scores[j] == UINT32_MAX ? UINT32_MAX : scores[j] + best[j];
	}
	for (size_t j = 0; j < n; j++) {
		uint32_t s;

		if (scores[j] == UINT32_MAX) {
			scores[j] = 0;
			continue;
		}
		if (!scan)
			continue;
		s = scan_score(run, cand[j], scan);
		scores[j] = s ? scores[j] + s : 0;
	}
	free(best);
}

uint64_t search_score_cost(const struct search_run *run, uint64_t n, uint32_t nrecords)
{
	const struct search_index *ix = run->ix;
	uint64_t cost = 0;
	bool read = false;

	if (run->none)
		return 0;
	for (size_t i = 0; i < run->sq->nterms; i++) {
		if (!walked(run, i)) {
			read = true;
			continue;
		}
		for (uint32_t id = run->t[i].lo; id < run->t[i].hi; id++)
			cost += seek_cost(n, postings_of(ix, id, id + 1));
	}
	/* Each candidate's words are read once for all such terms, at the collection's average. */
	if (read && nrecords)
		cost += (n * ix->seq_start[nrecords] + nrecords - 1) / nrecords;
	return cost;
}
