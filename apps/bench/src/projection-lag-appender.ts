/**
 * The load of the projection-lag scenario: generated case histories appended to the store at a steady event rate,
 * in a thread of its own with its own connections — as in a deployment, where the API process appends and another
 * process relays and projects — so generating and appending do not take the measured pipeline's thread. Every
 * append that returned is reported to the main thread (its events, stream and the time it returned, on the
 * process-wide clock `performance.timeOrigin + performance.now()`) in batches, once per tick.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { EventStore } from '@aftersales/event-store';
import { SqlEventStore } from '@aftersales/event-store';
import { ProgressBar as Progress } from '@aftersales/observability';
import { PostgresSqlClient } from '@aftersales/sql-client';
import { CaseGenerator } from './case-generator';
import type { GeneratedStream } from './case-generator';
import { sleep } from './stats';

export interface AppenderInput {
  connectionString: string;
  rate: number;
  seconds: number;
}

/** One append that returned: its events, their stream, when (process-wide milliseconds). */
export interface AppendReport {
  eventIds: string[];
  streamId: string;
  at: number;
}

type FromAppender = { kind: 'ready' } | { kind: 'appended'; appends: AppendReport[] } | { kind: 'failed'; error: string } | { kind: 'done'; seconds: number };

/** Where the appender tells what happened: every append that returned, every one that failed. */
export interface AppendSink {
  appended(report: AppendReport): void;
  failed(error: string): void;
}

const ROLE = 'projection-lag-appender';

/** The appender thread seen from the main thread: `ready` once it has its connections, `run()` resolves with the seconds it took. */
export class AppenderThread {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private finished?: (seconds: number) => void;
  private crashed?: (error: Error) => void;
  private loopAtRun?: EventLoopUtilization;

  constructor(input: AppenderInput, sink: AppendSink) {
    this.worker = new Worker(join(__dirname, 'projection-lag-appender.js'), { workerData: { role: ROLE, input } });
    this.ready = new Promise<void>((resolve, reject) => {
      this.crashed = reject;
      this.worker.on('message', (message: FromAppender) => {
        if (message.kind === 'ready') resolve();
        else if (message.kind === 'appended') for (const report of message.appends) sink.appended(report);
        else if (message.kind === 'failed') sink.failed(message.error);
        else {
          this.crashed = undefined; // done: terminating it is no failure
          this.finished?.(message.seconds);
        }
      });
      this.worker.on('error', (error) => this.crashed?.(error));
      this.worker.on('exit', (code) => this.crashed?.(new Error(`the appender thread exited (code ${code}) before it was done`)));
    });
  }

  /** Starts appending; resolves when the appender has stopped and every append it made has returned. */
  run(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.finished = resolve;
      this.crashed = reject;
      this.loopAtRun = this.worker.performance.eventLoopUtilization();
      this.worker.postMessage('go');
    });
  }

  /** Share of its time the appender thread was busy since `run()`. */
  utilisation(): number {
    return this.worker.performance.eventLoopUtilization(this.loopAtRun).utilization;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Appends generated streams at a steady event rate for `seconds`, then waits for the appends in flight; returns the seconds taken. */
export async function appendAtRate(store: EventStore, rate: number, seconds: number, sink: AppendSink, onTick: () => void = () => undefined): Promise<number> {
  // A queue of appends (one per generated stream chunk) taken at a steady event rate.
  const generator = new CaseGenerator(7);
  const queue: GeneratedStream[] = [];
  const refill = () => {
    while (queue.length < 200) {
      for (const stream of generator.next()) {
        // One append per command-sized chunk: 1-2 events, as the command path writes them.
        for (let i = 0; i < stream.events.length; i += 2) queue.push({ streamId: stream.streamId, events: stream.events.slice(i, i + 2) });
      }
    }
  };
  const appender = new ChainedAppends(store, sink);
  const progress = new Progress('projection lag', rate * seconds);
  const started = performance.now();
  const tickMs = 10;
  let scheduled = 0;
  while (performance.now() - started < seconds * 1000) {
    // Schedule by the clock: by now, rate × elapsed events should have been handed to the store.
    let due = (rate * (performance.now() - started)) / 1000 - scheduled;
    while (due >= 1) {
      refill();
      const chunk = queue.shift()!;
      due -= chunk.events.length;
      scheduled += chunk.events.length;
      appender.append(chunk);
    }
    progress.update(appender.appended);
    onTick();
    const next = started + Math.ceil((performance.now() - started + 0.001) / tickMs) * tickMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  // Appends still in flight when the clock ran out (the store fell behind the rate) are reported as they return, not
  // all at the end: the main thread must know an append before a view shows its events.
  while (appender.inFlight.size > 0) {
    progress.update(appender.appended);
    onTick();
    await sleep(tickMs);
  }
  onTick();
  return (performance.now() - started) / 1000;
}

/** Appends to one stream go one after the other, with the expected revision; different streams are appended concurrently. */
class ChainedAppends {
  readonly inFlight = new Set<Promise<void>>();
  appended = 0;
  private readonly revisions = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly sink: AppendSink,
  ) {}

  append(chunk: GeneratedStream): void {
    const { revisions, chains, inFlight, sink } = this;
    const expected = revisions.get(chunk.streamId) ?? 'no_stream';
    revisions.set(chunk.streamId, (revisions.get(chunk.streamId) ?? -1) + chunk.events.length);
    const appendNow = () =>
      this.store.append(chunk.streamId, chunk.events, expected).then(
        () => {
          this.appended += chunk.events.length;
          sink.appended({ eventIds: chunk.events.map((e) => e.eventId), streamId: chunk.streamId, at: performance.timeOrigin + performance.now() });
        },
        (error: Error) => sink.failed(error.message),
      );
    const chained = (chains.get(chunk.streamId) ?? Promise.resolve()).then(appendNow);
    chains.set(chunk.streamId, chained);
    inFlight.add(chained);
    void chained.finally(() => {
      inFlight.delete(chained);
      if (chains.get(chunk.streamId) === chained) chains.delete(chunk.streamId);
    });
  }
}

/** The thread's side: its own pool and store; appends when told to, reports once per tick, says when done. */
async function appenderMain(input: AppenderInput): Promise<void> {
  const port = parentPort!;
  const sql = await PostgresSqlClient.open(input.connectionString, 10);
  const store = await SqlEventStore.open('postgres', sql);
  let pending: AppendReport[] = [];
  const flush = () => {
    if (pending.length) port.postMessage({ kind: 'appended', appends: pending } satisfies FromAppender);
    pending = [];
  };
  const sink: AppendSink = {
    appended: (report) => pending.push(report),
    failed: (error) => port.postMessage({ kind: 'failed', error } satisfies FromAppender),
  };
  await new Promise<void>((resolve) => {
    port.once('message', () => resolve());
    port.postMessage({ kind: 'ready' } satisfies FromAppender);
  });
  const seconds = await appendAtRate(store, input.rate, input.seconds, sink, flush);
  await sql.close();
  port.postMessage({ kind: 'done', seconds } satisfies FromAppender);
  // Stays until the main thread has read its figures and terminates it.
  await new Promise<void>((resolve) => port.once('message', () => resolve()));
}

// A failure rejects this promise; unhandled in a worker, it ends the thread and reaches the main thread as 'error'.
if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE) void appenderMain((workerData as { input: AppenderInput }).input);
