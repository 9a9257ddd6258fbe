/** Refusals raised by the application layer (the domain's own live in case-domain). */

export class StaleRevisionError extends Error {
  readonly code = 'STALE_REVISION';
  constructor(
    readonly caseId: string,
    readonly expectedRevision: number,
    readonly currentRevision: number,
  ) {
    super(`case ${caseId} is at revision ${currentRevision}, not ${expectedRevision}: reload it and decide again`);
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly key: string) {
    super(`Idempotency-Key '${key}' was already used for a different request`);
  }
}

/** Too many concurrent writers on one case; the client may retry. */
export class ConcurrencyExhaustedError extends Error {
  readonly code = 'CONCURRENT_UPDATES';
  constructor(readonly caseId: string) {
    super(`case ${caseId} kept changing while this command was decided; retry`);
  }
}

export class CaseDidNotExistYetError extends Error {
  readonly code = 'CASE_NOT_FOUND_AS_OF';
  constructor(
    readonly caseId: string,
    readonly asOf: string,
  ) {
    super(`case ${caseId} did not exist at ${asOf}`);
  }
}
