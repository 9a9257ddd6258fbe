/**
 * A tick on an interval for the watches (SLA watch, early-warning watch): a tick never overlaps the one before, a
 * failed tick is reported and the next one runs, the timer does not hold the process open, and `stop` waits for
 * the tick in flight.
 */
export class PeriodicTick {
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    private readonly tick: () => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = this.tick()
        .then(() => undefined)
        .catch((error: Error) => this.onError(error))
        .finally(() => (this.ticking = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }
}
