/**
 * The API process's one shutdown path. main.ts turns on Nest's shutdown hooks for SIGTERM and SIGINT and
 * registers here what the process opened. On a signal Nest calls `beforeApplicationShutdown` (logged; the grace
 * period starts), then closes the HTTP server (no new connections; requests in flight finish and are answered),
 * then `onApplicationShutdown`, which closes what was registered in order — the background (SLA watch,
 * projectors, relay, consumers; a projector first reads the feed to its end, which no longer grows), the
 * personal-data vault, tracing, and last the storage (PGlite, then DATA_DIR's ownership lock) — and Nest exits
 * 0. A resource that fails to close is logged and the others are still closed; the process then exits 1. A
 * shutdown longer than the grace period exits 1, naming what it was waiting for. In-process tests close the app
 * themselves: with no signal both hooks do nothing.
 */
import type { BeforeApplicationShutdown, OnApplicationShutdown } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { JsonLogger } from '@aftersales/observability';

/** How long a signalled shutdown may take before the process gives up and exits 1 (Kubernetes' default grace is 30 s). */
export const SHUTDOWN_GRACE_MS = 25_000;

interface Closer {
  name: string;
  close: () => Promise<unknown>;
}

@Injectable()
export class ProcessShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly closers: Closer[] = [];
  private current = 'nothing';

  constructor(private readonly logger: JsonLogger) {}

  /** Closed after the last request was answered, in registration order (register the storage last). */
  closeAfterRequests(name: string, close: () => Promise<unknown>): void {
    this.closers.push({ name, close });
  }

  beforeApplicationShutdown(signal?: string): void {
    if (!signal) return;
    this.logger.event('info', 'shutting down', { signal, graceMs: SHUTDOWN_GRACE_MS });
    setTimeout(() => {
      this.logger.event('error', 'shutdown exceeded its grace period', { waitingFor: this.current, graceMs: SHUTDOWN_GRACE_MS });
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    this.current = 'requests in flight';
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    if (!signal) return;
    const failed: string[] = [];
    for (const { name, close } of this.closers) {
      this.current = name;
      try {
        await close();
      } catch (error) {
        failed.push(name);
        this.logger.event('error', 'a resource did not close', { resource: name, error: (error as Error).message });
      }
    }
    if (failed.length) throw new Error(`shutdown could not close: ${failed.join(', ')}`);
    this.logger.event('info', 'shut down', { signal });
  }
}
