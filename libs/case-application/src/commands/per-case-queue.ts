/**
 * Commands on one case, inside one process, run one after another in arrival order. Writers in the same process
 * then never race each other for the case's next revision (each would lose, re-read and decide again, and ten
 * at once could exhaust the retries); only another process can make an append lose, and the optimistic retry
 * (decision-loop.ts) handles that. Commands on different cases run side by side as before.
 */
import { Injectable } from '@nestjs/common';

@Injectable()
export class PerCaseQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(caseId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(caseId) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(caseId, tail);
    void tail.then(() => {
      if (this.tails.get(caseId) === tail) this.tails.delete(caseId);
    });
    return result;
  }

  /** Cases with a command running or waiting (for tests and metrics). */
  get busyCases(): number {
    return this.tails.size;
  }
}
