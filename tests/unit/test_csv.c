/*
 * Tests for lib/csv.c: RFC 4180 cells, CRLF rows, formula neutralization,
 * exact numbers and text in any script.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "lib/csv.h"

/* One row of the given text cells, as written. */
static void row_of(struct strbuf *sb, const char *const *cells, size_t n)
{
	struct csvw w;

	csvw_init(&w, sb);
	for (size_t i = 0; i < n; i++)
		csvw_text(&w, cells[i], strlen(cells[i]));
	csvw_end_row(&w);
}

Test(csv, cells_are_separated_by_commas_and_rows_end_with_crlf)
{
	struct strbuf sb = STRBUF_INIT;

	row_of(&sb, (const char *const[]){ "a", "b", "c" }, 3);
	row_of(&sb, (const char *const[]){ "d" }, 1);
	cr_assert_str_eq(sb.buf, "a,b,c\r\nd\r\n");
	strbuf_release(&sb);
}

/* Parameters are copied into each test's process: arrays, not pointers. */
struct quote_case {
	char in[64], out[80];
};

ParameterizedTestParameters(csv, quotes_only_what_needs_it)
{
	static struct quote_case cases[] = {
		{ "plain text", "plain text" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "cr\rhere", "\"cr\rhere\"" },
		{ "semi; colon", "semi; colon" },
		{ "it's", "it's" },
		{ "", "" },
	};
	return cr_make_param_array(struct quote_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct quote_case *c, csv, quotes_only_what_needs_it)
{
	struct strbuf sb = STRBUF_INIT;
	struct csvw w;

	csvw_init(&w, &sb);
	csvw_text(&w, c->in, strlen(c->in));
	csvw_text(&w, "x", 1);
	cr_assert_eq(sb.len, strlen(c->out) + 2, "%s -> %s", c->in, sb.buf);
	cr_assert(!memcmp(sb.buf, c->out, strlen(c->out)), "%s -> %s", c->in, sb.buf);
	strbuf_release(&sb);
}

ParameterizedTestParameters(csv, text_a_spreadsheet_would_run_gets_a_quote_in_front)
{
	static struct quote_case cases[] = {
		{ "=1+1", "'=1+1" },
		{ "+82 2 123", "'+82 2 123" },
		{ "-5", "'-5" },
		{ "@SUM(A1:A9)", "'@SUM(A1:A9)" },
		{ "\tcmd", "'\tcmd" },
		{ "\rcmd", "\"'\rcmd\"" },
		{ "=HYPERLINK(\"http://x\",\"a,b\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\"" },
		{ "a=b", "a=b" },
		{ "1-2", "1-2" },
		{ "'quoted", "'quoted" },
	};
	return cr_make_param_array(struct quote_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct quote_case *c, csv, text_a_spreadsheet_would_run_gets_a_quote_in_front)
{
	struct strbuf sb = STRBUF_INIT;
	struct csvw w;

	csvw_init(&w, &sb);
	csvw_text(&w, c->in, strlen(c->in));
	cr_assert_str_eq(sb.buf, c->out);
	strbuf_release(&sb);
}

Test(csv, numbers_are_written_exactly_and_never_prefixed)
{
	struct strbuf sb = STRBUF_INIT;
	struct csvw w;

	csvw_init(&w, &sb);
	csvw_int(&w, 1200000000000000);
	csvw_int(&w, 9007199254740991);
	csvw_int(&w, -5);
	csvw_number(&w, "-12", 3);
	csvw_number(&w, "2500000000000", 13);
	csvw_number(&w, "3.5e-2", 6);
	csvw_end_row(&w);
	cr_assert_str_eq(sb.buf, "1200000000000000,9007199254740991,-5,-12,2500000000000,3.5e-2\r\n");
	strbuf_release(&sb);
}

Test(csv, a_number_cell_that_is_not_a_number_is_neutralized_as_text)
{
	struct strbuf sb = STRBUF_INIT;
	struct csvw w;

	csvw_init(&w, &sb);
	csvw_number(&w, "-1+cmd|' /C calc'!A0", 20);
	cr_assert_str_eq(sb.buf, "'-1+cmd|' /C calc'!A0");
	strbuf_release(&sb);
}

Test(csv, json_numbers_are_told_from_other_text)
{
	const char *yes[] = { "0", "-0", "12", "-12", "3.25", "1e9", "1E+9", "2.5e-12" };
	const char *no[] = { "", "-", "01", "1.", ".5", "1e", "+1", "0x10", "1 2", "NaN", "1,5" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		cr_assert(csv_is_json_number(yes[i], strlen(yes[i])), "%s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert(!csv_is_json_number(no[i], strlen(no[i])), "%s", no[i]);
}

Test(csv, korean_and_romanian_text_pass_through_as_utf8)
{
	struct strbuf sb = STRBUF_INIT;

	row_of(&sb, (const char *const[]){ "Cernavodă", "윤석열", "Constanța, Mangalia", "한국수력원자력" }, 4);
	cr_assert_str_eq(sb.buf, "Cernavodă,윤석열,\"Constanța, Mangalia\",한국수력원자력\r\n");
	strbuf_release(&sb);
}

Test(csv, nulls_are_empty_cells_and_a_lone_empty_cell_is_not_a_blank_line)
{
	struct strbuf sb = STRBUF_INIT;
	struct csvw w;

	csvw_init(&w, &sb);
	csvw_empty(&w);
	csvw_text(&w, "x", 1);
	csvw_empty(&w);
	csvw_end_row(&w);
	csvw_empty(&w);
	csvw_end_row(&w);
	csvw_text(&w, "", 0);
	csvw_end_row(&w);
	cr_assert_str_eq(sb.buf, ",x,\r\n\"\"\r\n\"\"\r\n");
	strbuf_release(&sb);
}

Test(csv, the_bom_is_utf8s_byte_order_mark)
{
	cr_assert_eq(CSV_BOM_LEN, strlen(CSV_BOM));
	cr_assert(!memcmp(CSV_BOM, "\xEF\xBB\xBF", 3));
}
