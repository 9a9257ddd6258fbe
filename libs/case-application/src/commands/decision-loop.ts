/**
 * Load, decide, append with the expected revision; on a lost race, load again and decide again. A retry that
 * finds its own Idempotency-Key already in the stream answers what the first attempt answered. Retries wait a
 * short, jittered, growing moment (`exponential-backoff`), so writers racing for one case spread out.
 */
import { backOff } from 'exponential-backoff';
import { WrongExpectedRevisionError } from '@aftersales/event-store';
import { ConcurrencyExhaustedError } from '../application-errors';

export const MAX_DECISION_ATTEMPTS = 8;

/** Waits between attempts: up to 2, 4, 8 … ms (full jitter), never more than 50 ms. */
export const DECISION_RETRY = { startingDelay: 2, timeMultiple: 2, maxDelay: 50, jitter: 'full' } as const;

export async function withOptimisticRetry<T>(caseId: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await backOff(attempt, {
      ...DECISION_RETRY,
      numOfAttempts: MAX_DECISION_ATTEMPTS,
      retry: (error) => error instanceof WrongExpectedRevisionError,
    });
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) throw new ConcurrencyExhaustedError(caseId);
    throw error;
  }
}
