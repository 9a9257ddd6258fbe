/**
 * Keeps one Kafka consumer alive. kafkajs is told never to restart by itself (`restartOnFailure` answers false):
 * every crash — retries exhausted, a non-retriable error (`restart: false`), an error thrown from `eachBatch`, a
 * failed start — is handled here the same way: the consumer is replaced after an exponential backoff
 * (`exponential-backoff`: 1 s, 2 s, 4 s … up to a bound, no jitter), and the backoff resets once a consumer has
 * run for a while. Nothing is thrown to the caller, so a consumer never takes the process down and never stays
 * dead; its state is what readiness reports.
 */
import { backOff } from 'exponential-backoff';
import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import type { FetchSizing } from './record-limits';

export type ConsumerState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped';

export interface ConsumerStatus {
  name: string;
  state: ConsumerState;
  since: string;
  /** Crashes since the process started (failed restart attempts included). */
  crashes: number;
  /** Successful restarts after a crash. */
  restarts: number;
  lastError?: string;
  lastErrorAt?: string;
}

export interface SupervisionOptions {
  /** Delay before the first restart after a crash; doubles on each crash that follows soon after. */
  initialDelayMs?: number;
  /** Bound of the delay. */
  maxDelayMs?: number;
  /** A consumer that ran this long without crashing starts the backoff afresh. */
  stableAfterMs?: number;
  /** How long stop() waits for the consumer to leave its group. */
  stopTimeoutMs?: number;
  onCrash?: (name: string, error: Error, restartInMs: number) => void;
  onRestart?: (name: string) => void;
}

class Superseded extends Error {}

export class SupervisedConsumer {
  private consumer?: Consumer;
  private generation = 0;
  private streak = 0;
  private runningSince?: number;
  private current: ConsumerStatus;

  constructor(
    private readonly kafka: Kafka,
    readonly name: string,
    private readonly config: ConsumerConfig,
    /** Connects, subscribes and runs the given consumer. */
    private readonly attach: (consumer: Consumer) => Promise<void>,
    private readonly options: SupervisionOptions = {},
  ) {
    this.current = { name, state: 'idle', since: new Date().toISOString(), crashes: 0, restarts: 0 };
  }

  status(): ConsumerStatus {
    return { ...this.current };
  }

  /** Starts the consumer; a failure is reported and retried with backoff, never thrown. */
  async start(): Promise<void> {
    const generation = ++this.generation;
    this.streak = 0;
    try {
      await this.startOnce(generation);
    } catch (error) {
      if (!(error instanceof Superseded)) this.crashed(generation, error as Error);
    }
  }

  /** Stops the consumer; waits for it to leave its group, but not longer than `stopTimeoutMs` (the broker may be gone). */
  async stop(): Promise<void> {
    this.generation += 1;
    const consumer = this.consumer;
    this.consumer = undefined;
    this.setState('stopped');
    if (!consumer) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.stopTimeoutMs ?? 10_000);
      timer.unref();
    });
    await Promise.race([consumer.disconnect().catch(() => undefined), gaveUp]).finally(() => clearTimeout(timer));
  }

  private setState(state: ConsumerState): void {
    this.current = { ...this.current, state, since: new Date().toISOString() };
  }

  private async startOnce(generation: number): Promise<void> {
    if (generation !== this.generation) throw new Superseded();
    this.setState(this.current.state === 'restarting' ? 'restarting' : 'starting');
    const consumer = this.kafka.consumer({ ...this.config, retry: { ...this.config.retry, restartOnFailure: async () => false } });
    // kafkajs reports a failure to join as a crash while run() itself resolves: such a crash fails this attempt.
    const attempt: { attached: boolean; crash?: Error } = { attached: false };
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      if (!attempt.attached) attempt.crash ??= event.payload.error;
      else if (this.consumer === consumer) this.crashed(generation, event.payload.error);
    });
    try {
      await this.attach(consumer);
      if (attempt.crash) throw attempt.crash;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    if (generation !== this.generation) {
      await consumer.disconnect().catch(() => undefined);
      throw new Superseded();
    }
    attempt.attached = true;
    this.runningSince = Date.now();
    this.setState('running');
  }

  private crashed(generation: number, error: Error): void {
    if (generation !== this.generation || this.current.state === 'restarting') return;
    const stableAfter = this.options.stableAfterMs ?? 60_000;
    const wasStable = this.runningSince !== undefined && Date.now() - this.runningSince >= stableAfter;
    this.streak = wasStable ? 1 : this.streak + 1;
    this.runningSince = undefined;
    this.consumer = undefined;
    const initial = this.options.initialDelayMs ?? 1_000;
    const max = this.options.maxDelayMs ?? 30_000;
    const delay = Math.min(max, initial * 2 ** (this.streak - 1));
    this.recordError(error);
    this.setState('restarting');
    this.options.onCrash?.(this.name, error, delay);
    void backOff(() => this.startOnce(generation), {
      startingDelay: delay,
      maxDelay: max,
      timeMultiple: 2,
      jitter: 'none',
      delayFirstAttempt: true,
      numOfAttempts: Number.MAX_SAFE_INTEGER,
      retry: (failure: Error) => {
        if (failure instanceof Superseded || generation !== this.generation) return false;
        this.recordError(failure);
        this.options.onCrash?.(this.name, failure, max);
        return true;
      },
    }).then(
      () => {
        this.current = { ...this.current, restarts: this.current.restarts + 1 };
        this.options.onRestart?.(this.name);
      },
      () => undefined, // superseded by stop() or a new start()
    );
  }

  private recordError(error: Error): void {
    this.current = { ...this.current, crashes: this.current.crashes + 1, lastError: error.message.slice(0, 500), lastErrorAt: new Date().toISOString() };
  }
}

/** What a consumer group under supervision is told by its owner (projector or order intake). */
export interface SupervisedGroupOptions {
  groupId: string;
  fetch?: FetchSizing;
  supervision?: SupervisionOptions;
  /** kafkajs retries of one batch before the consumer crashes (and is restarted with backoff). */
  retries?: number;
  onError?: (error: Error) => void;
}

/** A SupervisedConsumer for a group: the owner's tuning, fetch sizes and retries, crashes reported to `onError`. */
export function superviseGroup(
  kafka: Kafka,
  options: SupervisedGroupOptions,
  tuning: Omit<ConsumerConfig, 'groupId'>,
  attach: (consumer: Consumer) => Promise<void>,
): SupervisedConsumer {
  return new SupervisedConsumer(
    kafka,
    options.groupId,
    {
      groupId: options.groupId,
      ...tuning,
      ...(options.fetch ?? {}),
      retry: { retries: options.retries ?? 8, initialRetryTime: 300, maxRetryTime: 5_000 },
    },
    attach,
    {
      ...options.supervision,
      onCrash: (name, error, delay) => {
        options.onError?.(error);
        options.supervision?.onCrash?.(name, error, delay);
      },
    },
  );
}
