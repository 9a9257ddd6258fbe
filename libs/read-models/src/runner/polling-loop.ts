/** What readiness asks of a loop: is it running, and did its last pass fail (and how many in a row)? */
export interface LoopStatus {
  running: boolean;
  /** Passes failed in a row (0 once a pass succeeds). */
  failures: number;
  lastError?: string;
  lastErrorAt?: string;
  lastPassAt?: string;
}

/**
 * Runs a pass again and again: immediately while it finds work (or after `busyMs`, so that under steady load each
 * pass takes a larger batch instead of many tiny ones), after `idleMs` (or a nudge) when it does not. A failed
 * pass is reported and retried after `idleMs`; the loop keeps its status for readiness.
 */
export class PollingLoop {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private current: LoopStatus = { running: false, failures: 0 };

  constructor(
    /** One pass; returns how much it did (0 = idle). */
    private readonly pass: () => Promise<number>,
    private readonly idleMs: number,
    private readonly onError?: (error: Error) => void,
    /** Pause after a pass that found work; 0: go on at once. */
    private readonly busyMs = 0,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const done = await this.pass();
          this.current = { running: true, failures: 0, lastPassAt: new Date().toISOString() };
          if (done > 0 && this.busyMs <= 0) continue;
          if (done > 0) {
            await this.pause(this.busyMs);
            continue;
          }
        } catch (error) {
          this.current = {
            ...this.current,
            failures: this.current.failures + 1,
            lastError: (error as Error).message.slice(0, 500),
            lastErrorAt: new Date().toISOString(),
          };
          this.onError?.(error as Error);
        }
        await this.pause(this.idleMs);
      }
    })();
  }

  /** Waits `ms`, or less when nudged or stopped. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Ask for an immediate pass. */
  nudge(): void {
    this.wake?.();
  }

  status(): LoopStatus {
    return { ...this.current, running: this.running };
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}

/** Something that drains a source again and again in the background: `start`, `nudge`, `stop`. */
export abstract class PolledWork {
  private readonly loop: PollingLoop;

  protected constructor(idleMs: number, onError?: (error: Error) => void, busyMs = 0) {
    this.loop = new PollingLoop(() => this.pass(), idleMs, onError, busyMs);
  }

  /** One pass over the source; answers how much it did (0 = idle). */
  protected abstract pass(): Promise<number>;

  start(): void {
    this.loop.start();
  }

  /** Ask for an immediate pass (e.g. right after an append). */
  nudge(): void {
    this.loop.nudge();
  }

  /** Running or not, and the failures of its last passes (readiness). */
  loopStatus(): LoopStatus {
    return this.loop.status();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
