/*
 * Tests for lib/tokens.c: the tokens file, hashing, verifying, new tokens.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "lib/tokens.h"

/* sha256("secret-one") and sha256("secret-two"). */
#define FILE_TEXT "# who may write\n" \
	"alice 0f4b0a5c3c6b7ef3b3b9b4b0f2a9b5c6e3a6d9d5c1b4e7f2a8c3d6e9f1b2a4c7\n\n" \
	"bob   %s\n"

static struct tokens *parse_ok(const char *text)
{
	struct strbuf err = STRBUF_INIT;
	struct tokens *t = tokens_parse(text, strlen(text), "tokens", &err);

	cr_assert_not_null(t, "%s", err.buf);
	strbuf_release(&err);
	return t;
}

static void refused(const char *text, const char *want)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_null(tokens_parse(text, strlen(text), "tokens", &err), "%s", text);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	strbuf_release(&err);
}

Test(tokens, a_token_is_known_by_its_hash_and_named)
{
	struct strbuf hex = STRBUF_INIT, text = STRBUF_INIT;
	struct tokens *t;

	tokens_hash_hex("secret-two", 10, &hex);
	cr_assert_eq(hex.len, 64);
	strbuf_addf(&text, FILE_TEXT, hex.buf);
	t = parse_ok(text.buf);
	cr_assert_eq(tokens_count(t), 2);
	cr_assert_str_eq(tokens_verify(t, "secret-two", 10), "bob");
	cr_assert_null(tokens_verify(t, "secret-tw", 9));
	cr_assert_null(tokens_verify(t, "secret-twO", 10));
	cr_assert_null(tokens_verify(t, "", 0));
	tokens_free(t);
	strbuf_release(&hex);
	strbuf_release(&text);
}

Test(tokens, sha256_is_the_standard_one)
{
	struct strbuf hex = STRBUF_INIT;

	tokens_hash_hex("abc", 3, &hex);
	cr_assert_str_eq(hex.buf, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	strbuf_release(&hex);
}

Test(tokens, a_bad_file_is_refused_with_its_line)
{
	refused("", "no tokens");
	refused("# only a comment\n", "no tokens");
	refused("alice\n", "tokens:1: expected \"NAME SHA256-HEX\" with 64 hex digits");
	refused("\nal ice 00\n", "tokens:2:");
	refused("al/ice 0000000000000000000000000000000000000000000000000000000000000000\n",
		"a name with a character other than");
	refused("alice 000000000000000000000000000000000000000000000000000000000000000g\n", "not hex");
	refused("a 0000000000000000000000000000000000000000000000000000000000000000\n"
		"a 1111111111111111111111111111111111111111111111111111111111111111\n",
		"tokens:2: the name \"a\" is given twice");
}

Test(tokens, a_new_token_is_random_url_safe_and_its_line_verifies_it)
{
	struct strbuf tok = STRBUF_INIT, line = STRBUF_INIT, tok2 = STRBUF_INIT, line2 = STRBUF_INIT,
		      err = STRBUF_INIT;
	struct tokens *t;

	cr_assert_eq(tokens_new("ci", &tok, &line, &err), 0, "%s", err.buf);
	cr_assert_eq(tokens_new("ci", &tok2, &line2, &err), 0);
	cr_assert_eq(tok.len, 43, "32 bytes in unpadded base64: %s", tok.buf);
	cr_assert_eq(strspn(tok.buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
		     tok.len);
	cr_assert_str_neq(tok.buf, tok2.buf);
	cr_assert_eq(strncmp(line.buf, "ci ", 3), 0);
	t = parse_ok(line.buf);
	cr_assert_str_eq(tokens_verify(t, tok.buf, tok.len), "ci");
	cr_assert_null(tokens_verify(t, tok2.buf, tok2.len));
	cr_assert_eq(tokens_new("bad name", &tok, &line, &err), -1);
	tokens_free(t);
	strbuf_release(&tok);
	strbuf_release(&tok2);
	strbuf_release(&line);
	strbuf_release(&line2);
	strbuf_release(&err);
}
