/**
 * CSV for exports that auditors open in spreadsheets: RFC 4180 (a field with a comma, a quote, CR or LF is quoted,
 * quotes inside are doubled, records end with CRLF; quoting by csv-stringify) and neutralised formulas after the
 * OWASP CSV-injection guidance: a text cell that begins with `=`, `+`, `-`, `@`, a tab or CR (or their full-width
 * forms, which some spreadsheets also read as formulas) gets a leading `'`, so it is shown as text, never run.
 * Numbers come only from number-typed fields and are written as numbers: a number has no letters, so the sign
 * of -3 cannot start a formula that does anything.
 */
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null | undefined | readonly string[];

/** Characters that make a spreadsheet read a cell as a formula when they come first. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A text cell as it is safe to put in a spreadsheet: prefixed with `'` when it would start a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(cell: CsvCell): string | number {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : neutraliseFormula(String(cell));
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (cell === null || cell === undefined) return '';
  return neutraliseFormula(Array.isArray(cell) ? cell.join(' ') : (cell as string));
}

/** A CSV document: the header row, then one row per record; CRLF after every record, the last one included. */
export function toCsvDocument(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return stringify([header.map((h) => neutraliseFormula(h)), ...rows.map((row) => row.map(cellText))], {
    record_delimiter: '\r\n',
    quote: '"',
    escape: '"',
    // With CRLF as the record end, csv-stringify quotes only fields holding the whole CRLF; a bare CR or LF splits
    // rows in spreadsheets, so every field holding either is quoted.
    quoted_match: /[\r\n]/,
    cast: { number: (value) => String(value) },
  });
}
