/*
 * csv: writing RFC 4180 CSV that spreadsheets open as it was meant.
 *
 * A struct csvw appends cells to a strbuf: cells are separated by commas and
 * rows end with CRLF; a cell holding '"', ',', CR or LF is quoted, its quotes
 * doubled. Text is written as given (UTF-8 in, UTF-8 out).
 *
 * Spreadsheets run a cell that starts with '=', '+', '-' or '@' as a formula
 * (and some strip a leading tab or CR first), so text from records could
 * run code on the reader's machine. As OWASP recommends against CSV
 * injection, a text cell starting with one of those six characters gets a
 * single quote in front ("=1+1" is written '=1+1), which spreadsheets show
 * as text. Numbers are not text: csvw_int() and csvw_number() write them as
 * they are, so -5 stays a number and money stays exact.
 *
 * A csvw borrows its strbuf; there is nothing to release.
 */
#ifndef ATTACHE_CSV_H
#define ATTACHE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"

/* The UTF-8 byte order mark, which Excel on Windows needs to read UTF-8. */
#define CSV_BOM "\xEF\xBB\xBF"
#define CSV_BOM_LEN 3

struct csvw {
	struct strbuf *sb;
	size_t cells;          /* cells written in the current row */
	size_t row_start;      /* where the current row began in sb */
};

/* Starts writing rows at the end of sb. */
void csvw_init(struct csvw *w, struct strbuf *sb);

/* A text cell of len bytes, neutralized and quoted as needed. */
void csvw_text(struct csvw *w, const char *s, size_t len);

/* An integer cell, exact. */
void csvw_int(struct csvw *w, int64_t v);

/*
 * A number cell from its text as JSON writes it (-12, 3.5, 1e9), written as
 * it is; text that is not a JSON number is written as a text cell instead.
 */
void csvw_number(struct csvw *w, const char *s, size_t len);

/* An empty cell: how CSV writes null. */
void csvw_empty(struct csvw *w);

/*
 * Ends the row with CRLF. A row of one empty cell is written "" so that it
 * is not a blank line, which readers skip.
 */
void csvw_end_row(struct csvw *w);

/* Whether s (len bytes) is a number as JSON writes one. */
bool csv_is_json_number(const char *s, size_t len);

#endif
