/*
 * iso: the ISO 3166-1 alpha-2 country codes and ISO 4217 currency codes.
 *
 * The tables were generated from Debian's iso-codes 4.15.0
 * (/usr/share/iso-codes/json/iso_3166-1.json and iso_4217.json) and are kept
 * sorted, so a lookup is a binary search over fixed-width entries.
 */
#include "lib/iso.h"

#include <stdlib.h>
#include <string.h>

/* 249 officially assigned alpha-2 codes, concatenated in order. */
static const char countries[] =
	"ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCN"
	"COCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHM"
	"HNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMK"
	"MLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURW"
	"SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI"
	"VNVUWFWSYEYTZAZMZW";

/* 181 currency codes, concatenated in order. */
static const char currencies[] =
	"AEDAFNALLAMDANGAOAARSAUDAWGAZNBAMBBDBDTBGNBHDBIFBMDBNDBOBBOVBRLBSDBTNBWPBYNBZDCADCDFCHECHFCHWCLF"
	"CLPCNYCOPCOUCRCCUCCUPCVECZKDJFDKKDOPDZDEGPERNETBEURFJDFKPGBPGELGHSGIPGMDGNFGTQGYDHKDHNLHRKHTGHUF"
	"IDRILSINRIQDIRRISKJMDJODJPYKESKGSKHRKMFKPWKRWKWDKYDKZTLAKLBPLKRLRDLSLLYDMADMDLMGAMKDMMKMNTMOPMRU"
	"MURMVRMWKMXNMXVMYRMZNNADNGNNIONOKNPRNZDOMRPABPENPGKPHPPKRPLNPYGQARRONRSDRUBRWFSARSBDSCRSDGSEKSGD"
	"SHPSLESLLSOSSRDSSPSTNSVCSYPSZLTHBTJSTMTTNDTOPTRYTTDTWDTZSUAHUGXUSDUSNUYIUYUUYWUZSVEDVESVNDVUVWST"
	"XAFXAGXAUXBAXBBXBCXBDXCDXDRXOFXPDXPFXPTXSUXTSXUAXXXYERZARZMWZWL";

static bool find(const char *table, size_t width, const char *s, size_t len)
{
	size_t lo = 0, hi = strlen(table) / width;

	if (len != width)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = memcmp(s, table + mid * width, width);

		if (cmp == 0)
			return true;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

bool iso_country_code(const char *s, size_t len)
{
	return find(countries, 2, s, len);
}

bool iso_currency_code(const char *s, size_t len)
{
	return find(currencies, 3, s, len);
}

const char *iso_country_code_rule(const char *s, size_t len)
{
	if (len != 2 || !(s[0] >= 'A' && s[0] <= 'Z') || !(s[1] >= 'A' && s[1] <= 'Z'))
		return "an ISO 3166-1 alpha-2 country code (two capital letters, e.g. GB)";
	if (len == 2 && s[0] == 'U' && s[1] == 'K')
		return "an ISO 3166-1 alpha-2 country code (the United Kingdom is GB)";
	if (!iso_country_code(s, len))
		return "an officially assigned ISO 3166-1 alpha-2 country code";
	return NULL;
}
