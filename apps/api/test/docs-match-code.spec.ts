/**
 * docs/architecture.md names every app and library there is, and no other: its tables of `apps/` and `libs/`
 * must match the folders, and the counts in its prose must match the tables.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const doc = readFileSync(resolve(ROOT, 'docs/architecture.md'), 'utf8');
const folders = (parent: string) =>
  readdirSync(resolve(ROOT, parent), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${parent}/${d.name}`)
    .sort();
const tableRows = (parent: string) => [...doc.matchAll(new RegExp(`^\\| \`(${parent}/[a-z0-9-]+)\` *\\|`, 'gm'))].map((m) => m[1]).sort();
const NUMBERS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
  'twenty-one',
  'twenty-two',
  'twenty-three',
  'twenty-four',
  'twenty-five',
];

describe('docs/architecture.md, where the code is', () => {
  it('lists every app and every library, and nothing that is not there', () => {
    expect(tableRows('apps')).toEqual(folders('apps'));
    expect(tableRows('libs')).toEqual(folders('libs'));
  });

  it('counts them right', () => {
    const counted = /^(\w+) apps and ([\w-]+) libraries/im.exec(doc);
    expect(counted?.slice(1).map((n) => n.toLowerCase())).toEqual([NUMBERS[folders('apps').length], NUMBERS[folders('libs').length]]);
  });
});
