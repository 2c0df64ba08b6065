/*
 * Integration tests of writes (handlers/write.c, server/writer.c) against
 * the real binary: every answer a write can get, durability across a
 * restart and a kill, the reload rule, and a full disk.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "lib/tokens.h"
#include "tests/support/client.h"
#include "tests/support/process.h"
#include "tests/support/support.h"

TestSuite(write, .init = client_suite_init, .fini = client_suite_fini, .timeout = 90);

#define TOKEN "the-token-of-the-tests-0123456789abcdef"
#define AUTH "Authorization: Bearer " TOKEN
#define JSON_TYPE "Content-Type: application/json"
#define PATCH_TYPE "Content-Type: application/merge-patch+json"

#define DEAL "{\"id\": \"new-deal\", \"title\": \"A new deal\", \"countries\": [\"KR\", \"PL\"], " \
	"\"sector\": \"nuclear\", \"status\": \"proposed\", \"value\": null, \"companies\": [], " \
	"\"meetings\": [\"official-visit-pl\"], \"evidence\": [{\"source\": " \
	"\"businesskorea-sales-diplomacy\", \"quote\": \"a quote\"}]}"

struct setup {
	char dir[96];
	char data[128];
	char tokens[128];
};

static void make_setup(struct setup *s, const char *dir)
{
	struct strbuf line = STRBUF_INIT;
	size_t len;
	char *text = support_read_file("data/vilnius-2023.json", &len);

	if (dir)
		snprintf(s->dir, sizeof(s->dir), "%s", dir);
	else
		snprintf(s->dir, sizeof(s->dir), "/tmp/attache-write-%d-%ld", getpid(), (long)random());
	mkdir(s->dir, 0755);
	snprintf(s->data, sizeof(s->data), "%s/data.json", s->dir);
	snprintf(s->tokens, sizeof(s->tokens), "%s/tokens", s->dir);
	write_file_atomic(s->data, text, len);
	strbuf_addstr(&line, "# the tests\ntester ");
	tokens_hash_hex(TOKEN, strlen(TOKEN), &line);
	strbuf_addch(&line, '\n');
	write_file_atomic(s->tokens, line.buf, line.len);
	strbuf_release(&line);
	free(text);
}

static void remove_setup(const struct setup *s)
{
	char path[256];

	unlink(s->data);
	unlink(s->tokens);
	snprintf(path, sizeof(path), "%s.journal", s->data);
	unlink(path);
	snprintf(path, sizeof(path), "%s.changes", s->data);
	unlink(path);
	rmdir(s->dir);
}

static void start(struct proc *p, const struct setup *s)
{
	proc_start(p, (const char *const[]){ "--data", s->data, "--tokens", s->tokens, NULL });
}

static char *url(const struct proc *p, const char *path)
{
	static _Thread_local char buf[512];

	snprintf(buf, sizeof(buf), "http://127.0.0.1:%u%s", p->port, path);
	return buf;
}

static void ask(const struct proc *p, const char *method, const char *path,
		 const char *const *headers, const char *body, struct reply *r)
{
	struct client c;

	client_init(&c);
	client_send(&c, method, url(p, path), headers, body, body ? strlen(body) : 0, r);
	client_release(&c);
}

/* The ETag of GET path (copied into tag), which must answer 200. */
static void etag_of(const struct proc *p, const char *path, char *tag, size_t size)
{
	struct reply r;

	http_get(url(p, path), NULL, &r);
	cr_assert_eq(r.status, 200, "GET %s: %ld", path, r.status);
	snprintf(tag, size, "%s", reply_header(&r, "ETag"));
	reply_release(&r);
}

Test(write, writes_are_off_without_tokens_and_say_how_to_turn_them_on)
{
	struct setup s;
	struct proc p;
	struct reply r;
	const char *detail;

	make_setup(&s, NULL);
	proc_start(&p, (const char *const[]){ "--data", s.data, NULL });
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, DEAL, &r);
	detail = assert_problem(&r, 405);
	cr_assert(strstr(detail, "--data FILE and --tokens FILE"), "%s", detail);
	cr_assert_str_eq(reply_header(&r, "Allow"), "GET, HEAD, OPTIONS");
	reply_release(&r);
	ask(&p, "DELETE", "/api/v1/deals/asml-duv-plant", (const char *const[]){ AUTH, NULL }, NULL, &r);
	assert_problem(&r, 405);
	reply_release(&r);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
}

Test(write, a_record_is_created_read_patched_and_deleted)
{
	struct setup s;
	struct proc p;
	struct reply r, g;
	char tag[64], tag2[64], ifm[96];
	cJSON *j;

	make_setup(&s, NULL);
	start(&p, &s);
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, DEAL, &r);
	cr_assert_eq(r.status, 201, "%s", r.body.buf);
	cr_assert_str_eq(reply_header(&r, "Location"), "/api/v1/deals/new-deal");
	snprintf(tag, sizeof(tag), "%s", reply_header(&r, "ETag"));
	/* Read your writes: the next GET serves the same bytes with the same tag. */
	http_get(url(&p, "/api/v1/deals/new-deal"), NULL, &g);
	cr_assert_eq(g.status, 200);
	cr_assert_str_eq(g.body.buf, r.body.buf);
	cr_assert_str_eq(reply_header(&g, "ETag"), tag);
	reply_release(&g);
	reply_release(&r);
	/* Lists, facets and the index count move with it. */
	http_get(url(&p, "/api/v1/deals?countries=PL&sector=nuclear&facet=status"), NULL, &g);
	cr_assert(strstr(g.body.buf, "\"new-deal\""), "%s", g.body.buf);
	reply_release(&g);
	http_get(url(&p, "/api/v1/deals?limit=1"), NULL, &g);
	cr_assert_str_eq(reply_header(&g, "X-Total-Count"), "28");
	reply_release(&g);

	/* PATCH: 428 without If-Match, 412 with a stale one, 200 with the current one. */
	ask(&p, "PATCH", "/api/v1/deals/new-deal", (const char *const[]){ AUTH, PATCH_TYPE, NULL },
	     "{\"status\": \"agreed\"}", &r);
	assert_problem(&r, 428);
	reply_release(&r);
	ask(&p, "PATCH", "/api/v1/deals/new-deal",
	     (const char *const[]){ AUTH, PATCH_TYPE, "If-Match: \"0123456789abcdef\"", NULL },
	     "{\"status\": \"agreed\"}", &r);
	assert_problem(&r, 412);
	cr_assert_str_eq(reply_header(&r, "ETag"), tag, "a 412 tells the current tag");
	reply_release(&r);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", tag);
	ask(&p, "PATCH", "/api/v1/deals/new-deal", (const char *const[]){ AUTH, PATCH_TYPE, ifm, NULL },
	     "{\"status\": \"agreed\", \"summary\": \"Agreed at last.\"}", &r);
	cr_assert_eq(r.status, 200, "%s", r.body.buf);
	j = reply_json(&r);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "agreed");
	cr_assert_str_eq(cJSON_GetObjectItem(j, "title")->valuestring, "A new deal");
	cJSON_Delete(j);
	etag_of(&p, "/api/v1/deals/new-deal", tag2, sizeof(tag2));
	cr_assert_str_neq(tag2, tag);
	cr_assert_str_eq(reply_header(&r, "ETag"), tag2);
	reply_release(&r);
	/* The old tag is stale now: two editors cannot overwrite each other unseen. */
	ask(&p, "PUT", "/api/v1/deals/new-deal", (const char *const[]){ AUTH, JSON_TYPE, ifm, NULL },
	     DEAL, &r);
	assert_problem(&r, 412);
	reply_release(&r);

	/* DELETE: 204, then 404. */
	snprintf(ifm, sizeof(ifm), "If-Match: %s", tag2);
	ask(&p, "DELETE", "/api/v1/deals/new-deal", (const char *const[]){ AUTH, ifm, NULL }, NULL, &r);
	cr_assert_eq(r.status, 204, "%s", r.body.buf);
	reply_release(&r);
	http_get(url(&p, "/api/v1/deals/new-deal"), NULL, &g);
	cr_assert_eq(g.status, 404);
	reply_release(&g);
	ask(&p, "PUT", "/api/v1/deals/new-deal", (const char *const[]){ AUTH, JSON_TYPE, "If-Match: *", NULL },
	     DEAL, &r);
	assert_problem(&r, 404);
	reply_release(&r);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
}

/*
 * GETs each of the two paths in both encodings on c. Before the write
 * (written false): the tags of round 0 are noted in tags, and later rounds
 * must match them; after it: the bytes carry the write, and no tag is one
 * noted before.
 */
static void read_both_encodings(struct client *c, const struct proc *p, const char *const paths[2],
				char tags[2][2][64], int round, bool written)
{
	static const char *const gzip[] = { "Accept-Encoding: gzip", NULL };
	struct reply r;

	for (size_t i = 0; i < 2; i++) {
		for (int e = 0; e < 2; e++) {
			client_do(c, "GET", url(p, paths[i]), e ? gzip : NULL, true, &r);
			cr_assert_eq(r.status, 200);
			cr_assert_eq(!!strstr(r.body.buf, "Changed by a write."), written, "%s, round %d",
				     paths[i], round);
			if (written)
				cr_assert_str_neq(reply_header(&r, "ETag"), tags[i][e], "%s: the old tag", paths[i]);
			else if (!round)
				snprintf(tags[i][e], sizeof(tags[i][e]), "%s", reply_header(&r, "ETag"));
			else
				cr_assert_str_eq(reply_header(&r, "ETag"), tags[i][e]);
			reply_release(&r);
		}
	}
}

/*
 * A worker thread answers a record or a list rendered at load with the
 * response it built for them before (server/replies.h): a write must be seen
 * at once, with its new bytes and tag, by the very connection (and thread)
 * that was served the old ones, in both encodings.
 */
Test(write, a_connection_served_before_a_write_gets_the_new_bytes_and_tags)
{
	static const char *const paths[] = { "/api/v1/deals/asml-duv-plant", "/api/v1/deals" };
	char tags[2][2][64], ifm[96];
	struct setup s;
	struct client c;
	struct proc p;
	struct reply r;

	make_setup(&s, NULL);
	start(&p, &s);
	client_init(&c);
	for (int round = 0; round < 3; round++)
		read_both_encodings(&c, &p, paths, tags, round, false);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", tags[0][0]);
	client_send(&c, "PATCH", url(&p, paths[0]), (const char *const[]){ AUTH, PATCH_TYPE, ifm, NULL },
		    "{\"summary\": \"Changed by a write.\"}", 34, &r);
	cr_assert_eq(r.status, 200, "%s", r.body.buf);
	reply_release(&r);
	for (int round = 0; round < 2; round++)
		read_both_encodings(&c, &p, paths, tags, round, true);
	client_release(&c);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
}

Test(write, bad_requests_get_the_answer_that_names_the_fault)
{
	struct setup s;
	struct proc p;
	struct reply r;
	const char *detail;
	cJSON *j, *errors;

	make_setup(&s, NULL);
	start(&p, &s);
	/* 401: no token, an unknown one; the token never comes back. */
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ JSON_TYPE, NULL }, DEAL, &r);
	assert_problem(&r, 401);
	cr_assert_str_eq(reply_header(&r, "WWW-Authenticate"), "Bearer realm=\"attache\"");
	reply_release(&r);
	ask(&p, "POST", "/api/v1/deals",
	     (const char *const[]){ "Authorization: Bearer not-the-token-xyz", JSON_TYPE, NULL }, DEAL, &r);
	assert_problem(&r, 401);
	cr_assert(strstr(reply_header(&r, "WWW-Authenticate"), "error=\"invalid_token\""));
	cr_assert_null(strstr(r.body.buf, "not-the-token-xyz"));
	reply_release(&r);
	cr_assert_not(proc_log_wait(&p, "not-the-token-xyz", 0.2), "the token is never logged");
	/* 415, 400 (bad JSON, duplicate key, invalid UTF-8, trailing text, no body). */
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, "Content-Type: text/plain", NULL },
	     DEAL, &r);
	assert_problem(&r, 415);
	reply_release(&r);
	ask(&p, "PATCH", "/api/v1/deals/asml-duv-plant",
	     (const char *const[]){ AUTH, JSON_TYPE, "If-Match: *", NULL }, "{}", &r);
	detail = assert_problem(&r, 415);
	cr_assert(strstr(detail, "application/merge-patch+json"), "%s", detail);
	cr_assert_str_eq(reply_header(&r, "Accept-Patch"), "application/merge-patch+json");
	reply_release(&r);
	{
		static const char *const bodies[] = { "{\"id\": ", "{\"id\": \"a\", \"id\": \"b\"}",
						      "{\"id\": \"\xff\"}", "{} []", "" };

		for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
			ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL },
			     bodies[i], &r);
			assert_problem(&r, 400);
			reply_release(&r);
		}
	}
	/* 413: over max-body-size (64 KiB by default). */
	{
		struct strbuf big = STRBUF_INIT;

		strbuf_addstr(&big, "{\"id\": \"");
		for (int i = 0; i < 70000; i++)
			strbuf_addch(&big, 'x');
		strbuf_addstr(&big, "\"}");
		ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, big.buf, &r);
		assert_problem(&r, 413);
		reply_release(&r);
		strbuf_release(&big);
	}
	/* 409: the id exists; a referenced record cannot go, and the answer says who refers to it. */
	ask(&p, "POST", "/api/v1/countries", (const char *const[]){ AUTH, JSON_TYPE, NULL },
	     "{\"code\": \"KR\"}", &r);
	assert_problem(&r, 409);
	reply_release(&r);
	ask(&p, "DELETE", "/api/v1/countries/nl", (const char *const[]){ AUTH, "If-Match: *", NULL }, NULL,
	     &r);
	detail = assert_problem(&r, 409);
	cr_assert(strstr(detail, "deals/asml-duv-plant"), "%s", detail);
	reply_release(&r);
	/* 422: every violation, each with its pointer. */
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL },
	     "{\"id\": \"d\", \"title\": \"t\", \"countries\": [\"KR\", \"FR\"], \"sector\": \"nuclear\", "
	     "\"status\": \"proposed\", \"value\": {\"amount\": \"12\", \"currency\": \"KRW\", "
	     "\"basis\": \"contract\", \"estimate\": false}, \"companies\": [], \"meetings\": [], "
	     "\"evidence\": [{\"source\": \"nowhere\", \"quote\": \"q\"}]}", &r);
	assert_problem(&r, 422);
	j = reply_json(&r);
	errors = cJSON_GetObjectItem(j, "errors");
	cr_assert_eq(cJSON_GetArraySize(errors), 3, "%s", r.body.buf);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 0), "pointer")->valuestring,
			 "/value/amount");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 0), "detail")->valuestring,
			 "expected an integer, got \"12\"");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 1), "pointer")->valuestring,
			 "/countries/1");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 2), "pointer")->valuestring,
			 "/evidence/0/source");
	cJSON_Delete(j);
	reply_release(&r);
	/* 422: a PATCH may not change the key; a PUT's body names the record of the URL. */
	ask(&p, "PATCH", "/api/v1/deals/asml-duv-plant",
	     (const char *const[]){ AUTH, PATCH_TYPE, "If-Match: *", NULL }, "{\"id\": \"other\"}", &r);
	assert_problem(&r, 422);
	reply_release(&r);
	/* 405: a write method on a route that takes none, with the methods it takes. */
	ask(&p, "POST", "/api/v1/deals/asml-duv-plant", (const char *const[]){ AUTH, JSON_TYPE, NULL },
	     DEAL, &r);
	assert_problem(&r, 405);
	cr_assert_str_eq(reply_header(&r, "Allow"), "GET, HEAD, OPTIONS, PUT, PATCH, DELETE");
	reply_release(&r);
	ask(&p, "DELETE", "/api/v1/stats", (const char *const[]){ AUTH, NULL }, NULL, &r);
	assert_problem(&r, 405);
	reply_release(&r);
	/* 404: no such record. */
	ask(&p, "DELETE", "/api/v1/deals/nope", (const char *const[]){ AUTH, "If-Match: *", NULL }, NULL,
	     &r);
	assert_problem(&r, 404);
	reply_release(&r);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
}

Test(write, an_acknowledged_write_survives_a_kill_and_a_restart)
{
	struct setup s;
	struct proc p;
	struct reply r, g;
	char body[64];

	make_setup(&s, NULL);
	start(&p, &s);
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, DEAL, &r);
	cr_assert_eq(r.status, 201);
	/* No clean stop: the write is only in the journal. */
	cr_assert_eq(proc_stop(&p, SIGKILL, 10), 128 + SIGKILL);
	start(&p, &s);
	cr_assert(proc_log_wait(&p, "journal replayed over the data file", 2));
	http_get(url(&p, "/api/v1/deals/new-deal"), NULL, &g);
	cr_assert_eq(g.status, 200);
	cr_assert_str_eq(g.body.buf, r.body.buf);
	reply_release(&g);
	reply_release(&r);
	/* A clean stop folds the journal into the data file, which then loads on its own. */
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	{
		char out[4096];

		cr_assert_eq(proc_run((const char *const[]){ "--check", "--data", s.data, NULL }, out,
				      sizeof(out)), 0, "%s", out);
		cr_assert(strstr(out, "28 deals"), "%s", out);
	}
	(void)body;
	remove_setup(&s);
}

Test(write, a_reload_replays_the_journal_over_a_hand_edit)
{
	struct setup s;
	struct proc p;
	struct reply r, g;
	size_t len;
	char *text, *at;

	make_setup(&s, NULL);
	start(&p, &s);
	ask(&p, "PATCH", "/api/v1/deals/asml-duv-plant",
	     (const char *const[]){ AUTH, PATCH_TYPE, "If-Match: *", NULL }, "{\"status\": \"agreed\"}", &r);
	cr_assert_eq(r.status, 200, "%s", r.body.buf);
	reply_release(&r);
	/* By hand: the same deal's title, and another deal's status. */
	text = support_read_file(s.data, &len);
	at = strstr(text, "\"ASML DUV lithography equipment plant in Korea\"");
	cr_assert_not_null(at);
	memcpy(at, "\"ASML DUV lithography equipment plant in KOREA\"", 47);
	write_file_atomic(s.data, text, len);
	free(text);
	proc_signal(&p, SIGHUP);
	cr_assert(proc_log_wait(&p, "journal_writes_replayed", 5));
	http_get(url(&p, "/api/v1/deals/asml-duv-plant"), NULL, &g);
	/* The API's write wins for the record both changed: its whole record is the journal's. */
	cr_assert(strstr(g.body.buf, "\"status\":\"agreed\""), "%s", g.body.buf);
	cr_assert(strstr(g.body.buf, "in Korea\""), "%s", g.body.buf);
	reply_release(&g);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
}

Test(write, a_full_disk_is_507_and_the_old_data_keeps_serving)
{
	struct setup s;
	struct proc p;
	struct reply r;
	char dir[96], big[160];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/attache-tmpfs-%d", getpid());
	mkdir(dir, 0755);
	if (mount("tmpfs", dir, "tmpfs", 0, "size=256k")) {
		rmdir(dir);
		cr_skip_test("cannot mount a tmpfs here (%s): the full-disk test needs root", strerror(errno));
	}
	make_setup(&s, dir);
	start(&p, &s);
	/* Fill the rest of the disk. */
	snprintf(big, sizeof(big), "%s/filler", dir);
	f = fopen(big, "w");
	for (int i = 0; i < 1 << 20 && fputc('x', f) != EOF; i++)
		;
	fclose(f);
	/* The journal's last page fills after a few writes; the next one finds the disk full. */
	for (int i = 0; i < 64; i++) {
		char body[1024];

		snprintf(body, sizeof(body), "{\"id\": \"filler-%d\", \"title\": \"A deal that takes room "
			 "in the journal, %d\", \"countries\": [\"KR\"], \"sector\": \"nuclear\", "
			 "\"status\": \"proposed\", \"value\": null, \"companies\": [], \"meetings\": [], "
			 "\"evidence\": [{\"source\": \"businesskorea-sales-diplomacy\", \"quote\": \"q\"}]}",
			 i, i);
		ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, body, &r);
		if (r.status != 201) {
			char path[64];

			assert_problem(&r, 507);
			reply_release(&r);
			snprintf(path, sizeof(path), "/api/v1/deals/filler-%d", i);
			http_get(url(&p, path), NULL, &r);
			cr_assert_eq(r.status, 404, "the failed write is not served");
			break;
		}
		reply_release(&r);
		cr_assert_neq(i, 63, "the disk never filled");
	}
	reply_release(&r);
	http_get(url(&p, "/readyz"), NULL, &r);
	cr_assert(strstr(r.body.buf, "last_write_error"), "%s", r.body.buf);
	reply_release(&r);
	cr_assert_eq(proc_metric(&p, "attache_write_failed"), 1);
	cr_assert_eq(proc_metric(&p, "attache_write_commits_total{result=\"failure\"}"), 1);
	/* Room again: the write goes through, and the failure is over. */
	unlink(big);
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, DEAL, &r);
	cr_assert_eq(r.status, 201, "%s", r.body.buf);
	reply_release(&r);
	cr_assert_eq(proc_metric(&p, "attache_write_failed"), 0);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
	umount(dir);
	rmdir(dir);
}

Test(write, startup_refuses_an_unwritable_directory_and_a_bad_tokens_file)
{
	struct setup s;
	char out[4096], path[160];

	make_setup(&s, NULL);
	snprintf(path, sizeof(path), "%s/bad-tokens", s.dir);
	write_file_atomic(path, "tester nothex\n", 14);
	cr_assert_eq(proc_run((const char *const[]){ "--data", s.data, "--tokens", path, "--port", "0",
						    NULL }, out, sizeof(out)), 2, "%s", out);
	cr_assert(strstr(out, "bad-tokens:1:"), "%s", out);
	unlink(path);
	cr_assert_eq(proc_run((const char *const[]){ "--tokens", s.tokens, NULL }, out, sizeof(out)), 2);
	cr_assert(strstr(out, "give --data FILE as well"), "%s", out);
	if (getuid() != 0) {
		chmod(s.dir, 0555);
		cr_assert_eq(proc_run((const char *const[]){ "--data", s.data, "--tokens", s.tokens, "--port",
							    "0", NULL }, out, sizeof(out)), 1, "%s", out);
		cr_assert(strstr(out, "not writable"), "%s", out);
		chmod(s.dir, 0755);
	}
	remove_setup(&s);
}

Test(write, new_token_prints_two_lines_and_nothing_else)
{
	char out[4096];
	char *nl;

	cr_assert_eq(proc_run((const char *const[]){ "--new-token", "ci", NULL }, out, sizeof(out)), 0);
	nl = strchr(out, '\n');
	cr_assert_not_null(nl);
	cr_assert_eq(nl - out, 43, "%s", out);
	cr_assert_eq(strncmp(nl + 1, "ci ", 3), 0, "%s", out);
	cr_assert_eq(strlen(nl + 1), 3 + 64 + 1, "%s", out);
}

Test(write, the_changes_feed_lists_every_write_and_outlives_the_journal)
{
	struct setup s;
	struct proc p;
	struct reply r;
	cJSON *j, *data;

	make_setup(&s, NULL);
	start(&p, &s);
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, DEAL, &r);
	cr_assert_eq(r.status, 201);
	reply_release(&r);
	ask(&p, "PATCH", "/api/v1/countries/kr", (const char *const[]){ AUTH, PATCH_TYPE, "If-Match: *", NULL },
	    "{\"aliases\": [\"ROK\"]}", &r);
	cr_assert_eq(r.status, 200, "%s", r.body.buf);
	reply_release(&r);
	ask(&p, "DELETE", "/api/v1/deals/new-deal", (const char *const[]){ AUTH, "If-Match: *", NULL }, NULL,
	    &r);
	cr_assert_eq(r.status, 204);
	reply_release(&r);
	http_get(url(&p, "/api/v1/changes"), NULL, &r);
	j = reply_json(&r);
	data = cJSON_GetObjectItem(j, "data");
	cr_assert_eq(cJSON_GetArraySize(data), 3, "%s", r.body.buf);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(data, 0), "op")->valuestring, "create");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(data, 0), "writer")->valuestring, "tester");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(data, 1), "id")->valuestring, "KR");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(data, 2), "etag")));
	cJSON_Delete(j);
	reply_release(&r);
	/* The formats every list takes (regression: the feed had no CSV columns, and a CSV crashed). */
	http_get(url(&p, "/api/v1/changes?format=csv&fields=seq,op"), NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body.buf, "seq,op\r\n1,create\r\n") || strstr(r.body.buf, "seq,op\n1,create\n"),
		  "%s", r.body.buf);
	reply_release(&r);
	http_get(url(&p, "/api/v1/changes?format=ndjson&fields=seq"), NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body.buf, "{\"seq\":1}\n"), "%s", r.body.buf);
	reply_release(&r);
	/* The usual grammar, and its two aliases. */
	http_get(url(&p, "/api/v1/changes?since=1&resource=deals&fields=seq,op"), NULL, &r);
	cr_assert(strstr(r.body.buf, "\"data\":[{\"seq\":3,\"op\":\"delete\"}]"), "%s", r.body.buf);
	reply_release(&r);
	/* A clean stop folds the journal in; the feed is the same after a restart. */
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	start(&p, &s);
	http_get(url(&p, "/api/v1/changes?sort=-seq&limit=1&fields=seq"), NULL, &r);
	cr_assert(strstr(r.body.buf, "\"data\":[{\"seq\":3}]"), "%s", r.body.buf);
	reply_release(&r);
	/* Numbering goes on where it stopped. */
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, DEAL, &r);
	cr_assert_eq(r.status, 201);
	reply_release(&r);
	http_get(url(&p, "/api/v1/changes?since=3&fields=seq"), NULL, &r);
	cr_assert(strstr(r.body.buf, "\"data\":[{\"seq\":4}]"), "%s", r.body.buf);
	reply_release(&r);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
}

/* POSTs DEAL (or body) with the key; returns the status, the body in out. */
static long post_with_key(const struct proc *p, const char *key, const char *body, struct strbuf *out)
{
	char hdr[300];
	struct reply r;
	long status;

	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);
	ask(p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, hdr, NULL }, body, &r);
	status = r.status;
	strbuf_reset(out);
	strbuf_addstr(out, r.body.buf ? r.body.buf : "");
	reply_release(&r);
	return status;
}

static long count_creates(const struct proc *p)
{
	struct reply r;
	cJSON *j;
	long n;

	http_get(url(p, "/api/v1/changes?op=create&limit=0"), NULL, &r);
	j = reply_json(&r);
	n = (long)cJSON_GetObjectItem(cJSON_GetObjectItem(j, "meta"), "total")->valuedouble;
	cJSON_Delete(j);
	reply_release(&r);
	return n;
}

Test(write, a_retried_post_with_its_idempotency_key_gets_the_first_answer)
{
	struct strbuf first = STRBUF_INIT, again = STRBUF_INIT;
	struct setup s;
	struct proc p;
	struct reply r;

	make_setup(&s, NULL);
	start(&p, &s);
	cr_assert_eq(post_with_key(&p, "k-1", DEAL, &first), 201, "%s", first.buf);
	/* Changed since: the retry still gets the first answer, and creates nothing. */
	ask(&p, "PATCH", "/api/v1/deals/new-deal", (const char *const[]){ AUTH, PATCH_TYPE, "If-Match: *", NULL },
	    "{\"status\": \"agreed\"}", &r);
	cr_assert_eq(r.status, 200);
	reply_release(&r);
	cr_assert_eq(post_with_key(&p, "k-1", DEAL, &again), 201, "%s", again.buf);
	cr_assert_str_eq(again.buf, first.buf);
	cr_assert_eq(count_creates(&p), 1);
	/* The same key with another body is refused; without a key, the id exists: 409. */
	cr_assert_eq(post_with_key(&p, "k-1", "{\"id\": \"other\"}", &again), 422);
	cr_assert(strstr(again.buf, "another body"), "%s", again.buf);
	ask(&p, "POST", "/api/v1/deals", (const char *const[]){ AUTH, JSON_TYPE, NULL }, DEAL, &r);
	assert_problem(&r, 409);
	reply_release(&r);
	/* A key goes with POST only. */
	ask(&p, "DELETE", "/api/v1/deals/new-deal",
	    (const char *const[]){ AUTH, "If-Match: *", "Idempotency-Key: k-2", NULL }, NULL, &r);
	assert_problem(&r, 400);
	reply_release(&r);
	/* Recognised after a kill (the journal) and after a clean stop (the fold's mark). */
	cr_assert_eq(proc_stop(&p, SIGKILL, 10), 128 + SIGKILL);
	start(&p, &s);
	cr_assert_eq(post_with_key(&p, "k-1", DEAL, &again), 201, "%s", again.buf);
	cr_assert_str_eq(again.buf, first.buf);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	start(&p, &s);
	cr_assert_eq(post_with_key(&p, "k-1", DEAL, &again), 201, "%s", again.buf);
	cr_assert_str_eq(again.buf, first.buf);
	cr_assert_eq(count_creates(&p), 1);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
	strbuf_release(&first);
	strbuf_release(&again);
}

Test(write, a_full_journal_is_folded_in_and_the_data_served_stays_the_same)
{
	struct setup s;
	struct proc p;
	struct reply r;
	char body[128], tag[64], again[64];

	make_setup(&s, NULL);
	proc_start(&p, (const char *const[]){ "--data", s.data, "--tokens", s.tokens, "--journal-max-size",
					       "4096", NULL });
	for (int i = 0; i < 12; i++) {
		snprintf(body, sizeof(body), "{\"summary\": \"version %d\"}", i);
		ask(&p, "PATCH", "/api/v1/deals/asml-duv-plant",
		    (const char *const[]){ AUTH, PATCH_TYPE, "If-Match: *", NULL }, body, &r);
		cr_assert_eq(r.status, 200, "%s", r.body.buf);
		snprintf(tag, sizeof(tag), "%s", reply_header(&r, "ETag"));
		reply_release(&r);
	}
	cr_assert(proc_log_wait(&p, "journal folded into the data file", 2));
	/* The generation loaded from the folded file serves the same bytes, and the same feed. */
	etag_of(&p, "/api/v1/deals/asml-duv-plant", again, sizeof(again));
	cr_assert_str_eq(again, tag);
	http_get(url(&p, "/api/v1/changes?limit=0"), NULL, &r);
	cr_assert_str_eq(reply_header(&r, "X-Total-Count"), "12");
	reply_release(&r);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	remove_setup(&s);
}
