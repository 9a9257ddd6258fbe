/**
 * Reading one `orders.events.v1` record: size, bytes, JSON, then the version (optional `ce_schemaversion` header
 * or `ce_type` ending in `.v<n>`; order facts are at version 1) and the type (a spec name such as `PLACED` or a
 * deprecated alias such as `OrderPlaced`, versioned as the event type it is stored as). Field validation is the intake's
 * (the same rules as POST /order-events). Each refusal carries its reason code.
 */
import { storedOrderFactType } from '@aftersales/order-facts';
import { RecordRejectedError } from '@aftersales/read-models';
import { checkKnownVersion } from './known-events';
import { checkSize, headerText, strictJson, strictText } from './record-decoding';

export function decodeOrderFactRecord(
  message: { key?: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
  maxRecordBytes = Number.POSITIVE_INFINITY,
): unknown {
  checkSize(message.key, message.value, maxRecordBytes);
  if (!message.value) throw new RecordRejectedError('schema', 'record has no value');
  const text = strictText(message.value, 'record');
  let record: unknown;
  try {
    record = strictJson(text, 'record');
  } catch (error) {
    if (error instanceof RecordRejectedError && error.reason === 'invalid_json') throw new RecordRejectedError('invalid_json', 'record is not JSON');
    throw error;
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) throw new RecordRejectedError('schema', 'record is not a JSON object');
  const type = (record as { type?: unknown }).type;
  const stored = typeof type === 'string' ? storedOrderFactType(type) : undefined;
  if (typeof type === 'string' && !stored)
    throw new RecordRejectedError('unknown_type', `order fact type '${type.slice(0, 100)}' is not one this release knows`);
  const version = headerText(message.headers, 'ce_schemaversion') ?? /\.v(\d+)$/.exec(headerText(message.headers, 'ce_type') ?? '')?.[1];
  if (stored && version !== undefined) checkKnownVersion(stored, version, 'ce_schemaversion');
  return record;
}
