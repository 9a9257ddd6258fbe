/**
 * Derives the JSON Schema of each event's data from the typed event unions (`CaseEvent` in
 * libs/case-domain/src/case-events.ts, `EarlyWarningEvent` in libs/early-warning) with ts-json-schema-generator.
 * Every member of a union is picked up by its `type` literal, so a new event type needs no change here. The
 * results are checked in next to each union (src/generated/*.json, `npm run schemas:events`); a test fails when
 * one is stale.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

/** The repository root: the nearest folder up with tsconfig.base.json (from the sources or from their build). */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'tsconfig.base.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no tsconfig.base.json above ${from}`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);

/** An event union, where it is written, where its schemas go, and named types published beside its data. */
export interface EventUnion {
  union: string;
  source: string;
  output: string;
  extraTypes?: Array<{ type: string; source: string }>;
}

export const CASE_EVENTS: EventUnion = {
  union: 'CaseEvent',
  source: 'libs/case-domain/src/case-events.ts',
  output: 'libs/case-domain/src/generated/case-event-schemas.json',
  // The sealed form in which the store keeps contact details (the data on the wire, not in the domain).
  extraTypes: [{ type: 'SealedValue', source: 'libs/personal-data/src/personal-data-vault.ts' }],
};

export const EARLY_WARNING_EVENTS: EventUnion = {
  union: 'EarlyWarningEvent',
  source: 'libs/early-warning/src/early-warning-events.ts',
  output: 'libs/early-warning/src/generated/early-warning-event-schemas.json',
};

export const EVENT_UNIONS: readonly EventUnion[] = [CASE_EVENTS, EARLY_WARNING_EVENTS];

type Schema = Record<string, unknown>;

export interface EventSchemas {
  $comment: string;
  /** Per event type, in the order of the union: the JSON Schema of its `data` and the type's own description. */
  events: Record<string, { description?: string; data: Schema }>;
  /** The named types the data schemas refer to (`#/definitions/<Name>`), and the union's extra types. */
  definitions: Record<string, Schema>;
}

function generate(rootType: string, source: string): { root: Schema; definitions: Record<string, Schema> } {
  const generator = createGenerator({
    path: resolve(REPO_ROOT, source),
    tsconfig: resolve(REPO_ROOT, 'tsconfig.json'),
    type: rootType,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    skipTypeCheck: true,
    sortProps: false,
  });
  const schema = generator.createSchema(rootType) as Schema;
  const definitions = (schema.definitions ?? {}) as Record<string, Schema>;
  const root = definitions[rootType];
  if (!root) throw new Error(`no schema generated for ${rootType} in ${source}`);
  return { root, definitions };
}

const refName = (ref: string) => ref.replace(/^#\/definitions\//, '');

/** Names of the definitions a schema refers to, transitively. */
function referencedNames(schema: unknown, definitions: Record<string, Schema>, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) referencedNames(s, definitions, into);
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = refName(value);
        if (!into.has(name)) {
          into.add(name);
          referencedNames(definitions[name], definitions, into);
        }
      } else referencedNames(value, definitions, into);
    }
  }
  return into;
}

/** The event data schemas of every member of the union, keyed by the member's `type` literal. */
export function generateEventSchemas({ union, source, extraTypes = [] }: EventUnion): EventSchemas {
  const { root, definitions } = generate(union, source);
  const members = (root.anyOf ?? (root.$ref ? [root] : [])) as Schema[];
  const events: EventSchemas['events'] = {};
  for (const member of members) {
    const name = typeof member.$ref === 'string' ? refName(member.$ref) : undefined;
    const envelope = name ? definitions[name] : member;
    const properties = (envelope.properties ?? {}) as Record<string, Schema>;
    const type = properties.type?.const;
    if (typeof type !== 'string' || !properties.data) throw new Error(`a member of ${union} (${name ?? 'inline'}) has no literal type or no data`);
    if (events[type]) throw new Error(`${union} has two members of type ${type}: older versions belong to the upcasters, not the union`);
    events[type] = { ...(typeof envelope.description === 'string' ? { description: envelope.description } : {}), data: properties.data };
  }
  const used = referencedNames(Object.values(events), definitions);
  const extras = extraTypes.map(({ type, source: from }) => [type, generate(type, from).root] as const);
  return {
    $comment: `Generated from the ${union} union in ${source} by \`npm run schemas:events\`; do not edit.`,
    events,
    definitions: {
      ...Object.fromEntries([...used].sort().map((n) => [n, definitions[n]])),
      ...Object.fromEntries(extras),
    },
  };
}

/** The checked-in file's text for a set of schemas. */
export function schemasFileText(schemas: EventSchemas): string {
  return `${JSON.stringify(schemas, null, 2)}\n`;
}
