/**
 * SIGTERM while clients are writing, on the built process (needs `npm run build`): requests in flight finish
 * (every answer is a 201) or fail cleanly (the connection is refused or closed before any answer), every
 * acknowledged case is in the store afterwards, the process exits 0 within the grace period, and the data
 * directory's ownership lock is released (the next start finds no lock to recover).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWNER_LOCK_FILE } from '@aftersales/storage';
import { openCaseBody } from '../../../test/harness/api-under-test';
import type { ApiProcess } from '../../../test/harness/api-process';
import { killHard, spawnApi } from '../../../test/harness/api-process';
import { SHUTDOWN_GRACE_MS } from '../src/composition/process-shutdown';

jest.setTimeout(300_000);

/** The machine may be busy: a start may take a while, which is not what this test is about. */
const START_WITHIN_MS = 120_000;

const SERVICE = 'service-token-shutdown-0001';
const AGENT = 'agent-token-shutdown-00001';
const ENV = { AUTH_TOKENS: `service=${SERVICE},agent=${AGENT}`, RATE_LIMIT_PER_SECOND: '0' };
const WRITERS = 8;
const ACKNOWLEDGED_BEFORE_SIGNAL = 40;

/** A failure before any answer came: the server was closed or closing, nothing was acknowledged. */
const CLEAN_FAILURES = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'];

function failureCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code ?? String(error);
}

interface Outcomes {
  acknowledged: string[];
  answeredAfterSignal: number;
  otherAnswers: number[];
  cleanFailures: number;
  uncleanFailures: string[];
}

/** One client opening cases until the server stops answering; every outcome is recorded. */
async function writer(api: ApiProcess, n: number, outcomes: Outcomes, signalled: () => boolean, onAcknowledged: () => void): Promise<void> {
  for (let i = 0; ; i += 1) {
    const sentAfterSignal = signalled();
    try {
      const response = await fetch(`${api.url}/cases`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${SERVICE}`, 'Content-Type': 'application/json', 'Idempotency-Key': `shutdown-${n}-${i}` },
        body: JSON.stringify(openCaseBody({ orderId: `ord-${n}-${i}` })),
      });
      const body = (await response.json()) as { caseId?: string };
      if (response.status === 201 && body.caseId) {
        outcomes.acknowledged.push(body.caseId);
        if (signalled() && !sentAfterSignal) outcomes.answeredAfterSignal += 1;
        onAcknowledged();
      } else {
        outcomes.otherAnswers.push(response.status);
      }
    } catch (error) {
      const code = failureCode(error);
      if (!signalled()) throw error;
      if (CLEAN_FAILURES.includes(code)) outcomes.cleanFailures += 1;
      else outcomes.uncleanFailures.push(code);
      if (code === 'ECONNREFUSED') return; // the server is gone: nothing more to send
    }
  }
}

describe('Shutdown on SIGTERM while clients write', () => {
  it('answers or cleanly refuses every request, keeps every acknowledged case, exits 0 and releases DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-shutdown-'));
    const api = await spawnApi({ ...ENV, DATA_DIR: dataDir }, START_WITHIN_MS);
    const outcomes: Outcomes = { acknowledged: [], answeredAfterSignal: 0, otherAnswers: [], cleanFailures: 0, uncleanFailures: [] };
    let signalledAt: number | undefined = undefined;
    let enoughWritten!: () => void;
    const written = new Promise<void>((resolve) => (enoughWritten = resolve));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
      api.child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    const writers = Array.from({ length: WRITERS }, (_, n) =>
      writer(
        api,
        n,
        outcomes,
        () => signalledAt !== undefined,
        () => {
          if (outcomes.acknowledged.length >= ACKNOWLEDGED_BEFORE_SIGNAL) enoughWritten();
        },
      ),
    );

    await written;
    signalledAt = Date.now();
    api.child.kill('SIGTERM');
    const exit = await exited;
    await Promise.all(writers);

    const lastLines = exit.code === 0 ? '' : api.output().split('\n').slice(-15).join('\n');
    expect({ code: exit.code, signal: exit.signal, lastLines }).toEqual({ code: 0, signal: null, lastLines: '' });
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_GRACE_MS);
    expect(outcomes.otherAnswers).toEqual([]);
    expect(outcomes.uncleanFailures).toEqual([]);
    expect(outcomes.answeredAfterSignal).toBeGreaterThan(0); // requests in flight at the signal were finished
    expect(api.output()).toContain('"msg":"shut down"');
    expect(existsSync(join(dataDir, OWNER_LOCK_FILE))).toBe(false);

    const again = await spawnApi({ ...ENV, DATA_DIR: dataDir }, START_WITHIN_MS);
    try {
      expect(again.output()).not.toContain('recovered a stale data directory lock');
      const missing: string[] = [];
      for (const caseId of outcomes.acknowledged) {
        const response = await fetch(`${again.url}/cases/${caseId}`, { headers: { Authorization: `Bearer ${AGENT}` } });
        if (response.status !== 200) missing.push(`${caseId}: ${response.status}`);
      }
      expect(missing).toEqual([]);
      expect(outcomes.acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_SIGNAL);
    } finally {
      await killHard(again);
    }
  });
});
