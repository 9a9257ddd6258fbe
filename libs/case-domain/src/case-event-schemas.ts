/**
 * The JSON Schema of each case event's data, generated from the event union (`npm run schemas:events`,
 * tools/event-schema-generation.ts) and checked in; a test fails when it no longer matches the union.
 * References between schemas are `#/definitions/<Name>`, resolved in `definitions`.
 */
import generated from './generated/case-event-schemas.json';

export type JsonSchema = Record<string, unknown>;

export interface CaseEventDataSchemas {
  /** Per event type: the schema of its data and the type's description. */
  events: Record<string, { description?: string; data: JsonSchema }>;
  /** The named types the data schemas refer to, and `SealedValue` (contact details as stored). */
  definitions: Record<string, JsonSchema>;
}

export const CASE_EVENT_DATA_SCHEMAS: CaseEventDataSchemas = generated;
