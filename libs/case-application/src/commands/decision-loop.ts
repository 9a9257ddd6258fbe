/**
 * Load, decide, append with the expected revision; on a lost race, load again and decide again. A retry that
 * finds its own Idempotency-Key already in the stream answers what the first attempt answered.
 */
import { WrongExpectedRevisionError } from '@aftersales/event-store';
import { ConcurrencyExhaustedError } from '../application-errors';

export const MAX_DECISION_ATTEMPTS = 8;

export async function withOptimisticRetry<T>(caseId: string, attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; i < MAX_DECISION_ATTEMPTS; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
  throw new ConcurrencyExhaustedError(caseId);
}
