import { parse } from 'csv-parse/sync';
import { neutraliseFormula, toCsvDocument } from '../src/compliance-csv';

/** Reads a CSV document back as RFC 4180 says (a strict reader), to show every hostile cell round-trips. */
const read = (csv: string): string[][] => parse(csv, { record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false });

describe('CSV export: RFC 4180 quoting and spreadsheet formula neutralisation', () => {
  const HOSTILE: Array<[label: string, cell: string, expected: string]> = [
    ['equals (formula)', '=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['plus', '+1+cmd|/C calc!A0', `'+1+cmd|/C calc!A0`],
    ['minus', '-2+3', `'-2+3`],
    ['at', '@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['tab', '\t=1+1', `'\t=1+1`],
    ['carriage return first', '\r=1+1', `'\r=1+1`],
    ['full-width equals', '\uFF1D1+1', `'\uFF1D1+1`],
    ['embedded quotes', 'say "hello", then leave', 'say "hello", then leave'],
    ['bare CR inside', 'first\rsecond', 'first\rsecond'],
    ['CRLF inside', 'first\r\nsecond', 'first\r\nsecond'],
    ['lone LF inside', 'first\nsecond', 'first\nsecond'],
    ['comma', 'a,b', 'a,b'],
    ['unicode', '退货 — naïve ✓ 😀', '退货 — naïve ✓ 😀'],
    ['harmless text', 'late first response', 'late first response'],
    ['equals later in the text', 'a=b', 'a=b'],
    ['empty', '', ''],
  ];

  it.each(HOSTILE)('given a cell with %s, when exported and read back, then it is one cell holding the text shown as text', (_label, cell, expected) => {
    const csv = toCsvDocument(['rule', 'detail', 'count'], [['R1', cell, 3]]);
    const rows = read(csv);
    expect(rows).toEqual([
      ['rule', 'detail', 'count'],
      ['R1', expected, '3'],
    ]);
  });

  it('quotes exactly the fields holding a comma, a quote, CR or LF, doubling the quotes inside, and ends every record with CRLF', () => {
    const csv = toCsvDocument(['a', 'b', 'c', 'd', 'e'], [['plain', 'x,y', 'say "hi"', 'one\rtwo', 'one\ntwo']]);
    expect(csv).toBe('a,b,c,d,e\r\nplain,"x,y","say ""hi""","one\rtwo","one\ntwo"\r\n');
  });

  it('writes numbers from number fields as numbers (a negative one stays numeric), and text that looks like a negative number as text', () => {
    const csv = toCsvDocument(['n', 'text'], [[-12.5, '-12.5']]);
    expect(csv).toBe("n,text\r\n-12.5,'-12.5\r\n");
  });

  it('writes lists as one cell, neutralised as a whole, and empty for absent values', () => {
    expect(toCsvDocument(['evidence', 'none'], [[['=evt-1', 'evt-2'], undefined]])).toBe("evidence,none\r\n'=evt-1 evt-2,\r\n");
    expect(neutraliseFormula('@x')).toBe("'@x");
    expect(neutraliseFormula('x@')).toBe('x@');
  });
});
