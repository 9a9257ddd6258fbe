/** A progress bar on stderr for long work (on a terminal it redraws one line; otherwise one line per 10 %). */
export class ProgressBar {
  private lastDecile = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const ratio = Math.min(1, done / this.total);
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = done / Math.max(elapsed, 0.001);
    const text = `${this.label} [${'#'.repeat(Math.round(ratio * 30)).padEnd(30, '.')}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done}/${this.total} ${rate.toFixed(0)}/s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${text}`);
      if (ratio >= 1) process.stderr.write('\n');
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        process.stderr.write(`${text}\n`);
      }
    }
  }
}
