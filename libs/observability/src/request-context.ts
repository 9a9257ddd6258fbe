/** Per-request context (correlation id) carried through async calls without passing it by hand. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const CORRELATION_HEADER = 'x-correlation-id';
const VALID_CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The caller's correlation id when it is well-formed, otherwise a new one. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && VALID_CORRELATION.test(header) ? header : randomUUID();
}
