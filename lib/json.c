/*
 * json: an RFC 8259 validator in front of cJSON (see json.h).
 *
 * The scanner is a recursive-descent recogniser that builds nothing; its
 * recursion is bounded by JSON_MAX_DEPTH.
 */
#include "lib/json.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/text.h"

/*
 * cJSON's memory comes through these hooks. While json_parse_element_in()
 * runs on a thread, scratch is the arena it parses into and a free() is a
 * no-op (the arena is reset as a whole); otherwise they are malloc() and
 * free(). A thread-local is the only way to reach cJSON's allocator per
 * call: its hooks are process-wide. They are installed before main(), so
 * before any thread could be parsing.
 */
static _Thread_local struct arena *scratch;

static void *hook_malloc(size_t n)
{
	return scratch ? arena_alloc(scratch, n) : malloc(n);
}

static void hook_free(void *p)
{
	if (!scratch)
		free(p);
}

__attribute__((constructor)) static void install_hooks(void)
{
	cJSON_Hooks hooks = { hook_malloc, hook_free };

	cJSON_InitHooks(&hooks);
}

struct scanner {
	const unsigned char *s;
	size_t len;
	size_t pos;
	unsigned depth;
	const char *msg;
	char detail[64];
};

static int fail(struct scanner *sc, const char *msg)
{
	if (!sc->msg)
		sc->msg = msg;
	return -1;
}

/* At the end of input every expectation is the same fault: a truncated file. */
static int fail_expect(struct scanner *sc, const char *msg)
{
	if (sc->pos >= sc->len)
		return fail(sc, "unexpected end of input (is the file truncated?)");
	return fail(sc, msg);
}

static void skip_ws(struct scanner *sc)
{
	while (sc->pos < sc->len) {
		unsigned char c = sc->s[sc->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
}

static int hex4(struct scanner *sc, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned char c;

		if (sc->pos >= sc->len)
			return fail_expect(sc, "");
		c = sc->s[sc->pos];
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return fail(sc, "invalid \\u escape: expected four hex digits");
		sc->pos++;
	}
	*out = v;
	return 0;
}

static int scan_string(struct scanner *sc)
{
	sc->pos++; /* the opening quote */
	for (;;) {
		unsigned char c;
		size_t n;

		if (sc->pos >= sc->len)
			return fail(sc, "unterminated string (is the file truncated?)");
		c = sc->s[sc->pos];
		if (c == '"') {
			sc->pos++;
			return 0;
		}
		if (c < 0x20)
			return fail(sc, "control character in a string (escape it, e.g. \\n)");
		if (c >= 0x80) {
			n = utf8_seq_len(sc->s + sc->pos, sc->len - sc->pos);
			if (!n)
				return fail(sc, "invalid UTF-8 in a string");
			sc->pos += n;
			continue;
		}
		sc->pos++;
		if (c != '\\')
			continue;
		if (sc->pos >= sc->len)
			return fail(sc, "unterminated string (is the file truncated?)");
		c = sc->s[sc->pos];
		if (strchr("\"\\/bfnrt", c) && c) {
			sc->pos++;
		} else if (c == 'u') {
			unsigned u, lo;
			size_t at = sc->pos - 1;

			sc->pos++;
			if (hex4(sc, &u))
				return -1;
			if (u == 0) {
				sc->pos = at;
				return fail(sc, "\\u0000 (NUL) is not allowed in a string");
			}
			if (u >= 0xDC00 && u <= 0xDFFF) {
				sc->pos = at;
				return fail(sc, "unpaired low surrogate in a \\u escape");
			}
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (sc->pos + 2 > sc->len || sc->s[sc->pos] != '\\' ||
				    sc->s[sc->pos + 1] != 'u') {
					sc->pos = at;
					return fail(sc, "unpaired high surrogate in a \\u escape");
				}
				sc->pos += 2;
				if (hex4(sc, &lo))
					return -1;
				if (lo < 0xDC00 || lo > 0xDFFF) {
					sc->pos = at;
					return fail(sc, "unpaired high surrogate in a \\u escape");
				}
			}
		} else {
			sc->pos--;
			return fail(sc, "invalid escape in a string");
		}
	}
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int scan_digits(struct scanner *sc, const char *msg)
{
	if (sc->pos >= sc->len || !is_digit(sc->s[sc->pos]))
		return fail_expect(sc, msg);
	while (sc->pos < sc->len && is_digit(sc->s[sc->pos]))
		sc->pos++;
	return 0;
}

static int scan_number(struct scanner *sc)
{
	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (sc->pos < sc->len && sc->s[sc->pos] == '0') {
		sc->pos++;
		if (sc->pos < sc->len && is_digit(sc->s[sc->pos]))
			return fail(sc, "a number may not have leading zeros");
	} else if (scan_digits(sc, "invalid number")) {
		return -1;
	}
	if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
		sc->pos++;
		if (scan_digits(sc, "invalid number: expected digits after '.'"))
			return -1;
	}
	if (sc->pos < sc->len && (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
		sc->pos++;
		if (sc->pos < sc->len && (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
			sc->pos++;
		if (scan_digits(sc, "invalid number: expected digits in the exponent"))
			return -1;
	}
	return 0;
}

static int scan_literal(struct scanner *sc, const char *word)
{
	size_t n = strlen(word);

	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
		return fail_expect(sc, "expected a value (string, number, object, array, true, false or null)");
	sc->pos += n;
	return 0;
}

static int scan_value(struct scanner *sc);

static int scan_container(struct scanner *sc, bool object)
{
	const char close = object ? '}' : ']';

	if (++sc->depth > JSON_MAX_DEPTH)
		return fail(sc, "arrays and objects nest too deeply (the limit is 64)");
	sc->pos++;
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == close) {
		sc->pos++;
		sc->depth--;
		return 0;
	}
	for (;;) {
		if (object) {
			if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
				return fail_expect(sc, "expected a string key in an object");
			if (scan_string(sc))
				return -1;
			skip_ws(sc);
			if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
				return fail_expect(sc, "expected ':' after an object key");
			sc->pos++;
			skip_ws(sc);
		}
		if (scan_value(sc))
			return -1;
		skip_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
			sc->pos++;
			skip_ws(sc);
			if (sc->pos < sc->len && sc->s[sc->pos] == close)
				return fail(sc, object ? "trailing comma in an object"
						       : "trailing comma in an array");
			continue;
		}
		if (sc->pos < sc->len && sc->s[sc->pos] == close) {
			sc->pos++;
			sc->depth--;
			return 0;
		}
		return fail_expect(sc, object ? "expected ',' or '}' after an object member"
					      : "expected ',' or ']' after an array element");
	}
}

static int scan_value(struct scanner *sc)
{
	if (sc->pos >= sc->len)
		return fail_expect(sc, "");
	switch (sc->s[sc->pos]) {
	case '{': return scan_container(sc, true);
	case '[': return scan_container(sc, false);
	case '"': return scan_string(sc);
	case 't': return scan_literal(sc, "true");
	case 'f': return scan_literal(sc, "false");
	case 'n': return scan_literal(sc, "null");
	default:
		if (sc->s[sc->pos] == '-' || is_digit(sc->s[sc->pos]))
			return scan_number(sc);
		return fail(sc, "expected a value (string, number, object, array, true, false or null)");
	}
}

/* Line and column (in characters, from 1) of byte offset pos. */
static void locate(const unsigned char *s, size_t pos, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((s[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static size_t bom_len(const char *buf, size_t len)
{
	return len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

int json_validate(const char *buf, size_t len, struct strbuf *msg)
{
	struct scanner sc = { 0 };
	size_t line, col;

	sc.s = (const unsigned char *)buf;
	sc.len = len;
	sc.pos = bom_len(buf, len);
	skip_ws(&sc);
	if (sc.pos >= sc.len) {
		fail(&sc, "empty input: expected a JSON value");
	} else if (scan_value(&sc) == 0) {
		skip_ws(&sc);
		if (sc.pos == sc.len)
			return 0;
		fail(&sc, "unexpected text after the JSON value");
	}
	locate(sc.s, sc.pos, &line, &col);
	strbuf_addf(msg, "line %zu, column %zu: %s", line, col, sc.msg);
	return -1;
}

cJSON *json_parse(const char *buf, size_t len, const char *name, struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	const char *end = NULL;
	size_t skip = bom_len(buf, len);
	cJSON *root = NULL;

	if (json_validate(buf, len, &msg)) {
		strbuf_addf(err, "%s: %s", name, msg.buf);
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(buf + skip, len - skip, &end, 0);
	if (!root)
		strbuf_addf(err, "%s: the JSON parser refused the text", name);
out:
	strbuf_release(&msg);
	return root;
}

/* The raw key at sc->pos (a string, validated) equals key: no escapes to decode. */
static bool key_is(const struct scanner *sc, size_t start, size_t end, const char *key)
{
	size_t n = strlen(key);

	return end - start == n + 2 && !memcmp(sc->s + start + 1, key, n);
}

/*
 * Steps over the value at sc->pos: strings by their quotes, containers by
 * their depth, nothing checked. A third of the cost of scan_value(). It
 * runs while json_validate() checks the same text on another thread, so
 * on a text that is not JSON it must stay in bounds (the split it gives
 * is then thrown away); it always ends with sc->pos <= sc->len.
 */
static void skip_valid(struct scanner *sc)
{
	size_t depth = 0;

	do {
		unsigned char ch;

		if (sc->pos >= sc->len)
			return;
		ch = sc->s[sc->pos];
		if (ch == '"') {
			for (sc->pos++; sc->pos < sc->len && sc->s[sc->pos] != '"';
			     sc->pos += sc->s[sc->pos] == '\\' ? 2 : 1)
				;
			if (sc->pos >= sc->len) {
				sc->pos = sc->len;
				return;
			}
			sc->pos++;
		} else if (ch == '{' || ch == '[') {
			depth++;
			sc->pos++;
		} else if (ch == '}' || ch == ']') {
			depth--;
			sc->pos++;
		} else if (!depth) {
			/* A number or a literal, alone: up to what ends it. */
			while (sc->pos < sc->len && !memchr(",]} \t\r\n", sc->s[sc->pos], 7))
				sc->pos++;
		} else {
			sc->pos++;
		}
	} while (depth);
}

/* Records the elements of the array at sc->pos into s (see skip_valid()). */
static void split_array(struct scanner *sc, struct json_split *s)
{
	size_t alloc = 0;

	s->found = true;
	sc->pos++; /* [ */
	skip_ws(sc);
	while (sc->pos < sc->len && sc->s[sc->pos] != ']') {
		size_t start = sc->pos;

		skip_valid(sc);
		if (sc->pos == start)
			break; /* not JSON (a NUL, say): the validating thread says where */
		if (s->n == alloc) {
			alloc = alloc ? 2 * alloc : 1024;
			s->start = xreallocarray(s->start, alloc, sizeof(*s->start));
			s->len = xreallocarray(s->len, alloc, sizeof(*s->len));
		}
		s->start[s->n] = start;
		s->len[s->n++] = sc->pos - start;
		skip_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
			sc->pos++;
			skip_ws(sc);
		}
	}
}

/* json_validate() on a thread of its own while the text is split. */
struct validation {
	const char *buf;
	size_t len;
	struct strbuf msg;
	int rc;
};

static void *validation_run(void *arg)
{
	struct validation *v = arg;

	v->rc = json_validate(v->buf, v->len, &v->msg);
	return NULL;
}

/* A text this long is validated on a second thread while it is split; a shorter one first. */
#define JSON_VALIDATE_THREAD_MIN ((size_t)1 << 20)

cJSON *json_parse_split(const char *buf, size_t len, const char *name, struct strbuf *err,
			struct json_split *split, size_t nsplit)
{
	struct strbuf skel = STRBUF_INIT;
	struct validation v = { .buf = buf, .len = len, .msg = STRBUF_INIT };
	struct scanner sc = { 0 };
	const char *end = NULL;
	size_t copied;
	cJSON *root = NULL;
	pthread_t validator;
	bool threaded = false;

	for (size_t k = 0; k < nsplit; k++) {
		split[k].found = false;
		split[k].n = 0;
		split[k].start = split[k].len = NULL;
	}
	/*
	 * Validating and splitting each take a pass over the text, a second
	 * and more for a million records: they run side by side, and the
	 * split is used only once the text proves valid.
	 */
	if (len >= JSON_VALIDATE_THREAD_MIN)
		threaded = !pthread_create(&validator, NULL, validation_run, &v);
	if (!threaded) {
		validation_run(&v);
		if (v.rc)
			goto out;
	}
	/* The text again, each split array's elements left out: "deals": []. */
	sc.s = (const unsigned char *)buf;
	sc.len = len;
	sc.pos = copied = bom_len(buf, len);
	skip_ws(&sc);
	if (sc.pos < sc.len && sc.s[sc.pos] == '{') {
		sc.pos++;
		skip_ws(&sc);
		while (sc.pos < sc.len && sc.s[sc.pos] == '"') {
			size_t kstart = sc.pos, kend;

			(void)scan_string(&sc);
			kend = sc.pos;
			skip_ws(&sc);
			sc.pos++; /* : */
			skip_ws(&sc);
			for (size_t k = 0; k < nsplit && sc.pos < sc.len && sc.s[sc.pos] == '['; k++) {
				if (split[k].found || !key_is(&sc, kstart, kend, split[k].key))
					continue;
				strbuf_add(&skel, buf + copied, sc.pos + 1 - copied);
				split_array(&sc, &split[k]);
				copied = sc.pos; /* the ']' */
				break;
			}
			if (sc.pos >= sc.len)
				break;
			if (sc.s[sc.pos] != ']' || copied != sc.pos)
				(void)scan_value(&sc);
			else
				sc.pos++;
			skip_ws(&sc);
			if (sc.pos >= sc.len || sc.s[sc.pos] != ',')
				break;
			sc.pos++;
			skip_ws(&sc);
		}
	}
	if (threaded) {
		pthread_join(validator, NULL);
		if (v.rc)
			goto out;
	}
	strbuf_add(&skel, buf + copied, len - copied);
	root = cJSON_ParseWithLengthOpts(skel.buf, skel.len, &end, 0);
	if (!root)
		strbuf_addf(err, "%s: the JSON parser refused the text", name);
out:
	if (v.rc)
		strbuf_addf(err, "%s: %s", name, v.msg.buf);
	if (!root)
		json_split_release(split, nsplit);
	strbuf_release(&v.msg);
	strbuf_release(&skel);
	return root;
}

cJSON *json_parse_element(const char *buf, const struct json_split *s, size_t i)
{
	const char *end = NULL;

	return cJSON_ParseWithLengthOpts(buf + s->start[i], s->len[i], &end, 0);
}

cJSON *json_parse_element_in(const char *buf, const struct json_split *s, size_t i,
			     struct arena *a)
{
	cJSON *tree;

	scratch = a;
	tree = json_parse_element(buf, s, i);
	scratch = NULL;
	return tree;
}

void json_split_release(struct json_split *split, size_t nsplit)
{
	for (size_t k = 0; k < nsplit; k++) {
		free(split[k].start);
		free(split[k].len);
		split[k].start = split[k].len = NULL;
		split[k].n = 0;
		split[k].found = false;
	}
}

