/**
 * Loads a case from its stream and appends decided events with the expected revision. Folded states are kept in
 * a CaseStateCache: `current` answers from it without a read (the append's revision check guards it), `refresh`
 * reads only the events after a state's revision, `load` reads the whole stream (idempotency needs the history).
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CaseEvent, CaseState } from '@aftersales/case-domain';
import { evolve, foldCase, initialCaseState } from '@aftersales/case-domain';
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import type { CommandContext } from './case-stream';
import type { CaseEventToStore } from './case-stream';
import { caseStreamId, toDomainEvent, toEnvelopes } from './case-stream';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { CaseStateCache } from './case-state-cache';
import { CASE_STATE_CACHE, EVENT_STORE, PERSONAL_DATA } from './tokens';

export interface LoadedCase {
  state: CaseState;
  history: StoredEvent[];
}

/** A state to decide on, and whether it was just read from the store (a refusal on a cached one is re-checked). */
export interface DecisionState {
  state: CaseState;
  fresh: boolean;
}

@Injectable()
export class CaseRepository {
  private readonly cache: CaseStateCache;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA) private readonly vault: PersonalDataVault,
    @Optional() @Inject(CASE_STATE_CACHE) cache?: CaseStateCache,
  ) {
    this.cache = cache ?? new CaseStateCache();
  }

  /** The whole stream and its fold. */
  async load(caseId: string): Promise<LoadedCase> {
    const history = await this.store.readStream(caseStreamId(caseId));
    const state = foldCase(caseId, history.map(toDomainEvent));
    this.cache.remember(state);
    return { state, history };
  }

  /** The state held for the case, or the stream read and folded when none is held. */
  async current(caseId: string): Promise<DecisionState> {
    const held = this.cache.get(caseId);
    if (held) return { state: held, fresh: false };
    return { state: (await this.load(caseId)).state, fresh: true };
  }

  /** The state brought up to date with the events appended after it. */
  async refresh(state: CaseState): Promise<CaseState> {
    if (!state.exists) return (await this.load(state.caseId)).state;
    const missed = await this.store.readStream(caseStreamId(state.caseId), { fromRevision: state.revision + 1 });
    const next = missed.map(toDomainEvent).reduce(evolve, state);
    this.cache.remember(next);
    return next;
  }

  /** A case that cannot exist yet (its id was just drawn at random): nothing to read. */
  fresh(caseId: string): CaseState {
    return initialCaseState(caseId);
  }

  /** Appends at the state's revision; throws WrongExpectedRevisionError if someone else got there first. */
  async append(state: CaseState, events: CaseEvent[], ctx: CommandContext): Promise<CaseState> {
    const expected = state.exists ? state.revision : 'no_stream';
    try {
      await this.store.append(caseStreamId(state.caseId), toEnvelopes(state.caseId, await this.sealPersonalData(events), ctx), expected);
    } catch (error) {
      // A lost race leaves the held state behind the stream; any other failure may or may not have committed.
      this.cache.forget(state.caseId);
      throw error;
    }
    const next = events.reduce(evolve, state);
    this.cache.remember(next);
    return next;
  }

  /**
   * Contact details are stored sealed under the customer's key (crypto-shredding on erasure), never in clear.
   * Every opening makes its customer known to the vault, contact details or not.
   */
  private async sealPersonalData(events: CaseEvent[]): Promise<CaseEventToStore[]> {
    return Promise.all(
      events.map(async (event) => {
        if (event.type !== 'CaseOpened') return event;
        if (!event.data.contact) {
          await this.vault.register(event.data.customerId);
          return event;
        }
        const sealed = await this.vault.seal(event.data.customerId, event.data.contact);
        return { ...event, data: { ...event.data, contact: sealed } };
      }),
    );
  }
}
