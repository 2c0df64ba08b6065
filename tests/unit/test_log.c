/*
 * Tests for server/log.c: one line per event, JSON or text, never forged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "server/log.h"

/* Runs fn with stderr going to a pipe; returns what it wrote (free it). */
static char *capture(void (*fn)(void))
{
	int fds[2], saved = dup(2);
	char *out = calloc(1, 65536);
	ssize_t n;

	cr_assert_eq(pipe(fds), 0);
	dup2(fds[1], 2);
	fn();
	dup2(saved, 2);
	close(fds[1]);
	n = read(fds[0], out, 65535);
	cr_assert_geq(n, 0);
	close(fds[0]);
	close(saved);
	return out;
}

static void hostile_access(void)
{
	struct access_entry e = {
		.request_id = "id1", .remote = "127.0.0.1", .method = "GET",
		.target = "/x\ny", .status = 200, .bytes = 5, .duration_us = 7,
		.user_agent = "ab\x1b[31mRED\rFAKE\x7f",
	};

	log_access(&e);
}

Test(log, json_lines_escape_control_characters)
{
	char *out;

	log_init(LOG_JSON, LOG_INFO);
	out = capture(hostile_access);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %s", out);
	cr_assert(strstr(out, "\"target\":\"/x\\ny\""), "%s", out);
	cr_assert(strstr(out, "\"user_agent\":\"ab\\u001b[31mRED\\rFAKE\\u007f\""), "%s", out);
	cr_assert(strstr(out, "\"status\":200,\"bytes\":5,\"duration_us\":7"), "%s", out);
	free(out);
}

static void writer_access(void)
{
	struct access_entry e = {
		.request_id = "id1", .remote = "::1", .method = "PATCH",
		.target = "/api/v1/deals/d1", .status = 204, .bytes = 0, .duration_us = 1234,
		.user_agent = NULL, .writer = "ci\"bot",
	};

	log_access(&e);
}

Test(log, json_access_lines_are_one_object_with_every_member_in_order)
{
	const char *want = "\",\"level\":\"info\",\"msg\":\"request\",\"request_id\":\"id1\","
			   "\"remote\":\"::1\",\"method\":\"PATCH\",\"target\":\"/api/v1/deals/d1\","
			   "\"status\":204,\"bytes\":0,\"duration_us\":1234,\"user_agent\":null,"
			   "\"writer\":\"ci\\\"bot\"}\n";
	char *out;

	log_init(LOG_JSON, LOG_INFO);
	out = capture(writer_access);
	/* {"time":"2026-12-01T18:29:31.123Z" */
	cr_assert_eq(strlen(out), 9 + 24 + strlen(want), "%s", out);
	cr_assert(!strncmp(out, "{\"time\":\"", 9), "%s", out);
	for (int i = 0; i < 24; i++)
		cr_assert(strchr("0123456789-T:.Z", out[9 + i]), "%s", out);
	cr_assert_eq(out[9 + 10], 'T', "%s", out);
	cr_assert_eq(out[9 + 19], '.', "%s", out);
	cr_assert_eq(out[9 + 23], 'Z', "%s", out);
	cr_assert_str_eq(out + 9 + 24, want);
	free(out);
}

static void long_target_access(void)
{
	char target[LOG_MAX_TARGET + 100];
	struct access_entry e = { .request_id = "id1", .remote = "-", .method = "GET", .target = target };

	memset(target, 'a', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	log_access(&e);
}

Test(log, a_long_target_is_cut_in_both_formats)
{
	char cut[LOG_MAX_TARGET + 1];
	char *out;

	memset(cut, 'a', LOG_MAX_TARGET - 3);
	memcpy(cut + LOG_MAX_TARGET - 3, "...", 4);
	log_init(LOG_JSON, LOG_INFO);
	out = capture(long_target_access);
	cr_assert_not_null(strstr(out, "\"target\":\"aaa"), "%s", out);
	cr_assert_not_null(strstr(out, cut), "%s", out);
	cr_assert_null(strstr(out, "a...a"), "%s", out);
	cr_assert_lt(strlen(out), LOG_MAX_TARGET + 400);
	free(out);
	log_init(LOG_TEXT, LOG_INFO);
	out = capture(long_target_access);
	cr_assert_not_null(strstr(out, cut), "%s", out);
	cr_assert_lt(strlen(out), LOG_MAX_TARGET + 400);
	free(out);
}

Test(log, text_lines_quote_and_escape_any_control_character)
{
	char *out;

	log_init(LOG_TEXT, LOG_INFO);
	out = capture(hostile_access);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %s", out);
	cr_assert_null(strchr(out, '\x1b'));
	cr_assert_null(strchr(out, '\r'));
	cr_assert(strstr(out, " user_agent=\"ab\\u001b[31mRED\\rFAKE\\u007f\""), "%s", out);
	cr_assert(strstr(out, " method=GET "), "%s", out);
	free(out);
}

static void debug_line(void)
{
	log_event(LOG_DEBUG, "hidden", NULL);
	log_event(LOG_WARN, "shown", "key", "v", NULL);
}

Test(log, the_level_filters)
{
	char *out;

	log_init(LOG_JSON, LOG_INFO);
	out = capture(debug_line);
	cr_assert_null(strstr(out, "hidden"));
	cr_assert(strstr(out, "\"level\":\"warn\",\"msg\":\"shown\",\"key\":\"v\""), "%s", out);
	free(out);
}

static void huge_target(void)
{
	char *target = malloc(100001);
	struct access_entry e = { .request_id = "id1", .remote = "-", .method = "GET", .target = target };

	memset(target, 'a', 100000);
	target[100000] = '\0';
	log_access(&e);
	free(target);
}

Test(log, a_huge_target_is_cut_in_the_access_log)
{
	char *out, *t;

	log_init(LOG_JSON, LOG_INFO);
	out = capture(huge_target);
	cr_assert_lt(strlen(out), 2000, "%zu bytes", strlen(out));
	t = strstr(out, "\"target\":\"");
	cr_assert_not_null(t);
	cr_assert_eq(strspn(t + 10, "a"), LOG_MAX_TARGET - 3);
	cr_assert(!strncmp(t + 10 + LOG_MAX_TARGET - 3, "...\"", 4), "%s", out);
	free(out);
}
