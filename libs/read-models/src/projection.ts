/** A read model: its tables and how a batch of (new, in-order, de-duplicated) events changes them. */
import type { SqlQueryable } from '@aftersales/sql-client';
import type { ProjectedEvent } from './projected-event';

/** The views, in their usual order: the one list of their names (WORKERS and the CLI take theirs from it). */
export const PROJECTION_NAMES = ['escalation', 'satisfaction', 'loyalty', 'early-warning', 'follow-ups'] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

export interface Projection {
  readonly name: ProjectionName;
  /**
   * The version of the shape of the projection's tables and rows (docs/views.md). Raise it whenever a change
   * means rows written before it are not what the projection would write now: the runner stores it with each
   * checkpoint, and a view stored with another version is rebuilt at start-up. Absent: 1.
   */
  readonly shapeVersion?: number;
  /** DDL creating the projection's tables with the given suffix ('' live, '_rebuild' while rebuilding). */
  schema(suffix: string): string;
  /** Table names (without suffix), for rebuild swaps and resets. */
  readonly tables: string[];
  /** Streams this projection reads (by id); others are skipped before `apply`. */
  wants(streamId: string): boolean;
  /** Applies events in order inside the runner's transaction. Events are new to this projection. */
  apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<void>;
}

/** The projection's declared shape version (1 when it declares none). */
export function shapeVersionOf(projection: Pick<Projection, 'shapeVersion'>): number {
  return projection.shapeVersion ?? 1;
}
