// RFC 4180 read strictly, as the document declares text/csv answers: rows end
// with CRLF (the last one too), cells are separated by commas, a cell holding
// '"', ',', CR or LF is quoted and its quotes doubled, and nothing else is
// allowed (a bare CR or LF, a quote inside an unquoted cell, text after a
// closing quote). Written here rather than taken from npm so that it refuses
// what lenient parsers accept.

const BOM = '\uFEFF';

// { bom, rows: [[cell]], quoted: [[bool]], error } of a body's text; error is
// null or a sentence naming the first fault.
export function parseCsv(text) {
  const bom = text.startsWith(BOM);
  const s = bom ? text.slice(1) : text;
  const rows = [], quoted = [];
  const fail = (what) => ({ bom, rows, quoted, error: `row ${rows.length + 1}: ${what}` });
  let i = 0;
  while (i < s.length) {
    const row = [], q = [];
    for (;;) {
      let cell = '', isQuoted = false;
      if (s[i] === '"') {
        isQuoted = true;
        i++;
        for (;;) {
          const end = s.indexOf('"', i);
          if (end < 0) return fail('a quoted cell is not closed');
          cell += s.slice(i, end);
          i = end + 1;
          if (s[i] !== '"') break;
          cell += '"';
          i++;
        }
      } else {
        let end = i;
        while (end < s.length && s[end] !== ',' && s[end] !== '\r' && s[end] !== '\n') end++;
        cell = s.slice(i, end);
        if (cell.includes('"')) return fail(`a quote inside an unquoted cell ${JSON.stringify(cell.slice(0, 40))}`);
        i = end;
      }
      row.push(cell);
      q.push(isQuoted);
      if (s[i] === ',') { i++; continue; }
      if (s[i] === '\r' && s[i + 1] === '\n') { i += 2; break; }
      if (i >= s.length) return fail('the last row does not end with CRLF');
      return fail(`${JSON.stringify(s.slice(i, i + 12))} after a cell: a bare CR or LF, or text after a closing quote`);
    }
    rows.push(row);
    quoted.push(q);
  }
  return { bom, rows, quoted, error: null };
}

// Whether a writer that quotes only when it must would quote cell, in a row of width cells:
// when it holds '"', ',', CR or LF, or when it is the one empty cell of its row (else a blank line).
export const mustQuote = (cell, width) => /[",\r\n]/.test(cell) || (width === 1 && cell === '');
