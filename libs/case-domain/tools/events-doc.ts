/**
 * Renders the field tables of docs/events.md from the generated event data schemas, between two markers; the
 * prose around them is written by hand. `npm run docs:events` writes it, a test fails when the file is stale.
 */
import { currentEventVersion } from '../src/event-versions';
import { CASE_EVENTS } from './event-schema-generation';
import type { EventSchemas, EventUnion } from './event-schema-generation';

export const EVENTS_DOC = 'docs/events.md';
export const beginMarker = ({ union, source }: EventUnion) => `<!-- BEGIN GENERATED ${union} by \`npm run docs:events\` from ${source}; do not edit -->`;
export const endMarker = ({ union }: EventUnion) => `<!-- END GENERATED ${union} -->`;

type Schema = Record<string, unknown>;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const anchor = (name: string) => name.toLowerCase().replace(/[^a-z0-9-]/g, '');
const refName = (ref: string) => ref.replace(/^#\/definitions\//, '');

/** A short rendering of a schema's type: enums spelled out, named objects linked to their own table. */
function typeOf(schema: Schema, definitions: Record<string, Schema>): string {
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    const target = definitions[name] ?? {};
    if (Array.isArray(target.enum)) return `${name}: ${(target.enum as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
    return `[${name}](#${anchor(name)})`;
  }
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).map((s) => typeOf(s, definitions)).join(' or ');
  if (schema.type === 'array') return `${typeOf((schema.items ?? {}) as Schema, definitions)}[]`;
  if (schema.type === 'object' && !schema.properties) return 'object';
  if (schema.type === 'object') return 'object (below)';
  return typeof schema.type === 'string' ? schema.type : 'any';
}

/** Rows of one object schema; inline objects (and arrays of them) are flattened as `parent.child`. */
function rows(schema: Schema, definitions: Record<string, Schema>, prefix = ''): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const out: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    const inline = property.type === 'object' && property.properties ? property : undefined;
    const inlineItems = property.type === 'array' && (property.items as Schema | undefined)?.properties ? (property.items as Schema) : undefined;
    const type = inline ? 'object' : inlineItems ? 'object[]' : typeOf(property, definitions);
    const description = typeof property.description === 'string' ? cell(property.description) : '';
    out.push(`| \`${path}\` | ${cell(type)} | ${required.has(name) ? 'yes' : 'no'} | ${description} |`);
    if (inline) out.push(...rows(inline, definitions, `${path}.`));
    if (inlineItems) out.push(...rows(inlineItems, definitions, `${path}[].`));
  }
  return out;
}

function table(schema: Schema, definitions: Record<string, Schema>): string[] {
  if (typeof schema.$ref === 'string') {
    const target = definitions[refName(schema.$ref)];
    if (!target?.properties) return [`The data is ${typeOf(schema, definitions)}.`];
    return [...(typeof target.description === 'string' ? [cell(target.description), ''] : []), ...table(target, definitions)];
  }
  const body = rows(schema, definitions);
  if (!body.length) return ['No data fields (`{}`).'];
  return ['| field | type | required | meaning |', '|---|---|---|---|', ...body];
}

/** The generated section: one table per event type, then one per named object type they use. */
export function renderEventTables(union: EventUnion, schemas: EventSchemas): string {
  const { events, definitions } = schemas;
  const out: string[] = [beginMarker(union), '', `${Object.keys(events).length} event types.`, ''];
  for (const [type, { description, data }] of Object.entries(events)) {
    // Case events carry a version per type (event-versions.ts); other unions are at version 1.
    out.push(`### ${type} (v${union === CASE_EVENTS ? currentEventVersion(type) : 1})`, '');
    if (description) out.push(cell(description), '');
    out.push(...table(data, definitions), '');
  }
  // Types that are a whole event's data are in that event's table already.
  const whole = new Set(Object.values(events).map(({ data }) => (typeof data.$ref === 'string' ? refName(data.$ref) : '')));
  const named = Object.entries(definitions).filter(([name, schema]) => schema.type === 'object' && schema.properties && !whole.has(name));
  if (named.length) out.push(`### Types used in the data of ${union.union}`, '');
  for (const [name, schema] of named) {
    out.push(`#### ${name}`, '');
    if (typeof schema.description === 'string') out.push(cell(schema.description), '');
    out.push(...table(schema, definitions), '');
  }
  out.push(endMarker(union));
  return out.join('\n');
}

/** The document with its generated section replaced (or appended when it has none yet). */
export function withEventTables(document: string, union: EventUnion, schemas: EventSchemas): string {
  const section = renderEventTables(union, schemas);
  const begin = document.indexOf(beginMarker(union));
  const end = document.indexOf(endMarker(union));
  if (begin === -1 || end === -1 || end < begin) return `${document.trimEnd()}\n\n${section}\n`;
  return `${document.slice(0, begin)}${section}${document.slice(end + endMarker(union).length)}`;
}
