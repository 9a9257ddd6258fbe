/**
 * Projection administration: status (checkpoints, lag behind the store, dead letters, shape versions, rebuild
 * progress) and rebuilds, one at a time per view, run in the background while the live view keeps answering.
 * At start-up, a view stored with another shape version than its projection declares is rebuilt (logged, and
 * shown with its reason in the status).
 */
import { ConflictException, NotFoundException } from '@nestjs/common';
import type { EventStore } from '@aftersales/event-store';
import type { Projection, ProjectionName, RebuildProgress } from '@aftersales/read-models';
import {
  createProjections,
  ensureBookkeeping,
  rebuildProjection,
  shapeChanged,
  shapeVersionOf,
  storedShapeVersions,
  tableOnlyDeadLetters,
} from '@aftersales/read-models';
import type { JsonLogger } from '@aftersales/observability';
import type { SqlClient } from '@aftersales/sql-client';

export interface ProjectionStatus {
  name: ProjectionName;
  checkpoints: Array<{ source: string; position: string; updatedAt: string; lag?: number }>;
  storeHead?: string;
  deadLetters: number;
  /** The shape version the projection declares, and those its stored checkpoints carry (they differ only until a rebuild). */
  shapeVersion: number;
  storedShapeVersions: number[];
  rebuild?: RebuildProgress;
}

export class ProjectionAdmin {
  private readonly projections: Projection[] = createProjections();
  private readonly rebuilds = new Map<string, RebuildProgress>();
  private readonly running = new Map<string, Promise<RebuildProgress>>();

  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
  ) {}

  private find(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection)
      throw new NotFoundException({
        code: 'PROJECTION_NOT_FOUND',
        message: `no projection '${name}'; known: ${this.projections.map((p) => p.name).join(', ')}`,
      });
    return projection;
  }

  async status(): Promise<ProjectionStatus[]> {
    await ensureBookkeeping(this.sql);
    const head = await this.store.headPosition();
    const checkpoints = await this.sql.query<{ projection: string; source: string; position: string; updated_at: Date | string }>(
      'SELECT projection, source, position, updated_at FROM projection_checkpoints ORDER BY projection, source',
    );
    const letters = await this.sql.query<{ projection: string; n: string | number }>(
      'SELECT projection, count(*) AS n FROM projection_dead_letters GROUP BY projection',
    );
    const numeric = (v?: string) => (v && /^\d+$/.test(v) ? BigInt(v) : undefined);
    const stored = await Promise.all(this.projections.map((p) => storedShapeVersions(this.sql, p.name)));
    return this.projections.map((p, i) => ({
      name: p.name,
      shapeVersion: shapeVersionOf(p),
      storedShapeVersions: stored[i],
      storeHead: head,
      checkpoints: checkpoints.rows
        .filter((c) => c.projection === p.name)
        .map((c) => {
          const lag =
            c.source === 'feed' && numeric(head) !== undefined && numeric(c.position) !== undefined ? Number(numeric(head)! - numeric(c.position)!) : undefined;
          return { source: c.source, position: c.position, updatedAt: new Date(c.updated_at).toISOString(), ...(lag !== undefined ? { lag } : {}) };
        }),
      deadLetters: Number(letters.rows.find((l) => l.projection === p.name)?.n ?? 0),
      rebuild: this.rebuilds.get(p.name),
    }));
  }

  /** Starts a rebuild; answers its first progress. A second request while one runs is a 409. */
  rebuild(name: string, reason?: string): RebuildProgress {
    const projection = this.find(name);
    if (this.running.has(name))
      throw new ConflictException({ code: 'REBUILD_RUNNING', message: `a rebuild of '${name}' is already running`, rebuild: this.rebuilds.get(name) });
    const initial: RebuildProgress = { projection: name, state: 'running', processed: 0, startedAt: new Date().toISOString(), ...(reason ? { reason } : {}) };
    this.rebuilds.set(name, initial);
    const withReason = (progress: RebuildProgress): RebuildProgress => ({ ...progress, ...(reason ? { reason } : {}) });
    const run = rebuildProjection(this.sql, this.store, projection, tableOnlyDeadLetters, (progress) => this.rebuilds.set(name, withReason(progress)))
      .then(withReason)
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    return initial;
  }

  /**
   * Start-up: rebuilds each view (of `only`, when given) whose stored shape version differs from the one its
   * projection declares; logs each, and answers the names of the views being rebuilt.
   */
  async rebuildChangedShapes(logger: JsonLogger, only?: readonly string[]): Promise<string[]> {
    await ensureBookkeeping(this.sql);
    const started: string[] = [];
    for (const projection of this.projections.filter((p) => !only || only.includes(p.name))) {
      const changed = await shapeChanged(this.sql, projection.name, shapeVersionOf(projection));
      if (!changed || this.running.has(projection.name)) continue;
      const reason = `shape version ${changed.stored.join(', ')} → ${changed.current}`;
      logger.event('warn', 'view stored with another shape version: rebuilding it', {
        projection: projection.name,
        stored: changed.stored,
        current: changed.current,
      });
      this.rebuild(projection.name, reason);
      started.push(projection.name);
    }
    return started;
  }

  /** Resolves when the running rebuild of `name` (if any) ends. */
  async settled(name: string): Promise<RebuildProgress | undefined> {
    return (await this.running.get(name)) ?? this.rebuilds.get(name);
  }
}
