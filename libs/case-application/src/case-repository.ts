/** Loads a case from its stream and appends decided events with the expected revision. */
import { Inject, Injectable } from '@nestjs/common';
import type { CaseEvent, CaseState } from '@aftersales/case-domain';
import { evolve, foldCase } from '@aftersales/case-domain';
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import type { CommandContext } from './case-stream';
import { caseStreamId, toDomainEvent, toEnvelopes } from './case-stream';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { EVENT_STORE, PERSONAL_DATA } from './tokens';

export interface LoadedCase {
  state: CaseState;
  history: StoredEvent[];
}

@Injectable()
export class CaseRepository {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA) private readonly vault: PersonalDataVault,
  ) {}

  async load(caseId: string): Promise<LoadedCase> {
    const history = await this.store.readStream(caseStreamId(caseId));
    return { state: foldCase(caseId, history.map(toDomainEvent)), history };
  }

  /** Appends at the state's revision; throws WrongExpectedRevisionError if someone else got there first. */
  async append(state: CaseState, events: CaseEvent[], ctx: CommandContext): Promise<CaseState> {
    const expected = state.exists ? state.revision : 'no_stream';
    await this.store.append(caseStreamId(state.caseId), toEnvelopes(state.caseId, await this.sealPersonalData(events), ctx), expected);
    return events.reduce(evolve, state);
  }

  /**
   * Contact details are stored sealed under the customer's key (crypto-shredding on erasure), never in clear.
   * Every opening makes its customer known to the vault, contact details or not.
   */
  private async sealPersonalData(events: CaseEvent[]): Promise<CaseEvent[]> {
    return Promise.all(
      events.map(async (event) => {
        if (event.type !== 'CaseOpened') return event;
        if (!event.data.contact) {
          await this.vault.register(event.data.customerId);
          return event;
        }
        const sealed = await this.vault.seal(event.data.customerId, event.data.contact);
        return { ...event, data: { ...event.data, contact: sealed as never } };
      }),
    );
  }
}
