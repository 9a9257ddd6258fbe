/**
 * Folded case states kept between commands, so that a command on a case this process has seen decides on the
 * state it already holds instead of reading the whole stream again. The cache is only ever a guess: every append
 * still carries the expected revision, and the store refuses it when another writer (another process, another
 * replica) got there first — the command then reads the events it missed and decides again. A refusal decided on
 * a cached state is confirmed on fresh state before it is answered. Bounded: least recently used states go first.
 */
import { LRUCache } from 'lru-cache';
import type { CaseState } from '@aftersales/case-domain';

export const DEFAULT_CASE_STATE_CACHE_SIZE = 10_000;

export class CaseStateCache {
  private readonly states: LRUCache<string, CaseState>;

  constructor(maxStates = DEFAULT_CASE_STATE_CACHE_SIZE) {
    this.states = new LRUCache({ max: Math.max(1, maxStates) });
  }

  get(caseId: string): CaseState | undefined {
    return this.states.get(caseId);
  }

  /** Keeps the state unless a newer one (a higher revision) is already there. */
  remember(state: CaseState): void {
    if (!state.exists) return;
    const held = this.states.get(state.caseId);
    if (held && held.revision > state.revision) return;
    this.states.set(state.caseId, state);
  }

  forget(caseId: string): void {
    this.states.delete(caseId);
  }

  get size(): number {
    return this.states.size;
  }
}
