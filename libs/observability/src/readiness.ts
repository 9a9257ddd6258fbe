/**
 * Readiness: named checks of what the process depends on (the event store, Kafka) and of the work it runs (each
 * projector, the order intake), each bounded in time. GET /health/ready (and its alias GET /health) runs them all
 * and answers 503 when any is down, so a load balancer stops sending traffic. A check is down when it throws, does
 * not answer in time, or answers `{ status: 'down', … }` (with details naming what is wrong).
 */
export type ReadinessCheck = () => Promise<Record<string, unknown>>;

export interface ComponentStatus {
  status: 'up' | 'down';
  latencyMs: number;
  [detail: string]: unknown;
}

export interface ReadinessReport {
  ready: boolean;
  components: Record<string, ComponentStatus>;
}

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  constructor(private readonly timeoutMs = 2_000) {}

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all([...this.checks].map(async ([name, check]) => [name, await this.run(check)] as const));
    return { ready: entries.every(([, s]) => s.status === 'up'), components: Object.fromEntries(entries) };
  }

  private async run(check: ReadinessCheck): Promise<ComponentStatus> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const details = await Promise.race([check(), timeout]);
      const status = details.status === 'down' ? 'down' : 'up';
      return { ...details, status, latencyMs: Date.now() - started };
    } catch (error) {
      return { status: 'down', latencyMs: Date.now() - started, error: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
