/**
 * Why a record was dead-lettered: a small fixed set of codes, carried in the dead letter (header `dlq-reason`,
 * column `reason`) and used as the `reason` label of the dead-letter metric. Anything a consumer cannot
 * process maps to exactly one of them.
 */
export const DEAD_LETTER_REASONS = ['undecodable', 'invalid_json', 'schema', 'unknown_type', 'unknown_version', 'too_large', 'apply_failed'] as const;

export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** A record refused before it reached any view or store, with the reason code and a sentence saying what is wrong. */
export class RecordRejectedError extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    message: string,
  ) {
    super(message);
    this.name = 'RecordRejectedError';
  }
}

/** Text safe for a PostgreSQL TEXT column and a log line: NUL characters are spelled out, the length bounded. */
export function storableText(text: string, max = 2000): string {
  const safe = text.replaceAll('\u0000', '\\u0000');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
