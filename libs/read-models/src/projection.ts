/** A read model: its tables and how a batch of (new, in-order, de-duplicated) events changes them. */
import type { SqlQueryable } from '@aftersales/sql-client';
import type { ProjectedEvent } from './projected-event';

export type ProjectionName = 'escalation' | 'satisfaction' | 'loyalty';

export interface Projection {
  readonly name: ProjectionName;
  /** DDL creating the projection's tables with the given suffix ('' live, '_rebuild' while rebuilding). */
  schema(suffix: string): string;
  /** Table names (without suffix), for rebuild swaps and resets. */
  readonly tables: string[];
  /** Streams this projection reads (by id); others are skipped before `apply`. */
  wants(streamId: string): boolean;
  /** Applies events in order inside the runner's transaction. Events are new to this projection. */
  apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<void>;
}
