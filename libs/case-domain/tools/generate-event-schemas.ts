/**
 * `npm run schemas:events`: writes each event union's data schemas (src/generated/*.json next to the union).
 * `npm run docs:events`: the same, then the field tables of docs/events.md from those files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EVENT_UNIONS, REPO_ROOT, generateEventSchemas, schemasFileText } from './event-schema-generation';
import { EVENTS_DOC, withEventTables } from './events-doc';

let doc = process.argv.includes('--docs') ? readFileSync(resolve(REPO_ROOT, EVENTS_DOC), 'utf8') : undefined;
for (const union of EVENT_UNIONS) {
  const schemas = generateEventSchemas(union);
  const output = resolve(REPO_ROOT, union.output);
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, schemasFileText(schemas));
  console.log(`${union.output}: ${Object.keys(schemas.events).length} event types`);
  if (doc !== undefined) doc = withEventTables(doc, union, schemas);
}
if (doc !== undefined) {
  writeFileSync(resolve(REPO_ROOT, EVENTS_DOC), doc);
  console.log(`${EVENTS_DOC}: field tables written`);
}
