/*
 * Tests for models/money.c (reading is tested through the store fixtures).
 */
#include <criterion/criterion.h>

#include "models/money.h"

Test(money, accepts_iso_4217_codes_only)
{
	cr_assert_null(money_currency_rule("KRW", 3));
	cr_assert_null(money_currency_rule("USD", 3));
	cr_assert_str_eq(money_currency_rule("XYZ", 3), "an ISO 4217 currency code");
	cr_assert_str_eq(money_currency_rule("krw", 3),
			 "an ISO 4217 currency code (three capital letters, e.g. KRW)");
	cr_assert_str_eq(money_currency_rule("WON", 3), "an ISO 4217 currency code");
}

Test(money, writes_amounts_as_integers)
{
	struct strbuf sb = STRBUF_INIT;
	struct money m = { 1200000000000000, "KRW", "market", true };
	struct jsonw w;

	jsonw_init(&w, &sb, false);
	jsonw_array_begin(&w);
	money_to_json(&w, &m);
	money_to_json(&w, NULL);
	jsonw_array_end(&w);
	cr_assert_str_eq(sb.buf, "[{\"amount\":1200000000000000,\"currency\":\"KRW\","
			 "\"basis\":\"market\",\"estimate\":true},null]");
	jsonw_release(&w);
	strbuf_release(&sb);
}
