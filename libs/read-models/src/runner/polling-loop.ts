/** Runs a pass again and again: immediately while it finds work, after `idleMs` (or a nudge) when it does not. */
export class PollingLoop {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    /** One pass; returns how much it did (0 = idle). */
    private readonly pass: () => Promise<number>,
    private readonly idleMs: number,
    private readonly onError?: (error: Error) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          if ((await this.pass()) > 0) continue;
        } catch (error) {
          this.onError?.(error as Error);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.idleMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  /** Ask for an immediate pass. */
  nudge(): void {
    this.wake?.();
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

  protected constructor(idleMs: number, onError?: (error: Error) => void) {
    this.loop = new PollingLoop(() => this.pass(), idleMs, onError);
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

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
