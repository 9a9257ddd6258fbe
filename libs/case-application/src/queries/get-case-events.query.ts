/** GET /cases/{id}/events: the full history with its metadata, in revision order. */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CaseNotFoundError } from '@aftersales/case-domain';
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { caseStreamId } from '../case-stream';
import { EVENT_STORE } from '../tokens';

export class GetCaseEventsQuery {
  constructor(readonly caseId: string) {}
}

export interface CaseHistoryEntry {
  /** The stream (`case-<caseId>`) and the full metadata as stored: what the hash chain covers. */
  streamId: string;
  eventId: string;
  type: string;
  schemaVersion: number;
  caseId: string;
  revision: number;
  position: string;
  occurredAt: string;
  recordedAt: string;
  actor: StoredEvent['metadata']['actor'];
  correlationId: string;
  causationId: string;
  commandId?: string;
  data: unknown;
  metadata: StoredEvent['metadata'];
  prevHash?: string;
  hash?: string;
  /** Which hash formula `hash` follows (docs/audit-trail.md): 1 or 2. */
  hashScheme?: number;
}

@QueryHandler(GetCaseEventsQuery)
export class GetCaseEventsHandler implements IQueryHandler<GetCaseEventsQuery, CaseHistoryEntry[]> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ caseId }: GetCaseEventsQuery): Promise<CaseHistoryEntry[]> {
    const history = await this.store.readStream(caseStreamId(caseId));
    if (history.length === 0) throw new CaseNotFoundError(caseId);
    return history.map((e) => ({
      streamId: e.streamId,
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      caseId: e.metadata.caseId ?? caseId,
      revision: e.revision,
      position: e.position,
      occurredAt: e.metadata.occurredAt,
      recordedAt: e.recordedAt,
      actor: e.metadata.actor,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
      commandId: e.metadata.commandId,
      data: e.data,
      metadata: e.metadata,
      prevHash: e.prevHash,
      hash: e.hash,
      hashScheme: e.hashScheme,
    }));
  }
}
