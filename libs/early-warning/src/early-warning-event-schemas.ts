/**
 * The JSON Schema of each early-warning event's data, generated from `EarlyWarningEvent`
 * (`npm run schemas:events`, libs/case-domain/tools/event-schema-generation.ts) and checked in; a test fails
 * when it no longer matches the union. References are `#/definitions/<Name>`, resolved in `definitions`.
 */
import type { CaseEventDataSchemas } from '@aftersales/case-domain';
import generated from './generated/early-warning-event-schemas.json';

export const EARLY_WARNING_EVENT_DATA_SCHEMAS: CaseEventDataSchemas = generated;
