/**
 * The CLI end to end, as an operator runs it: the built `aftersales` command against an embedded data directory
 * written by the API.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SqlEventStore } from '@aftersales/event-store';
import { PgliteSqlClient } from '@aftersales/sql-client';
import { DEFAULT_SLA_POLICY } from '@aftersales/case-domain';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';

jest.setTimeout(120_000);

const CLI = join(__dirname, '..', '..', '..', 'deploy', 'runtime', 'cli.js');

function cli(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: dataDir, KAFKA_BROKERS: '', DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('aftersales CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-cli-'));
  let returnCase: string;
  let complaintCase: string;

  beforeAll(async () => {
    const sql = await PgliteSqlClient.open(join(dataDir, 'pglite'));
    const api = await startApi({ eventStore: await SqlEventStore.open('pglite', sql), readModels: sql, readModelKind: 'pglite', close: () => sql.close() });
    api.clock.set('2026-03-02T09:00:00.000Z');
    const open = async (over: Record<string, unknown>) =>
      (await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody(over)).expect(201)).body.caseId as string;
    const act = (id: string, action: string, body: object = {}) => request(api.http).post(`/cases/${id}/${action}`).set(bearer('agent')).send(body).expect(200);
    returnCase = await open({ priority: 'NORMAL' });
    complaintCase = await open({ priority: 'NORMAL', type: 'COMPLAINT' });
    api.clock.set('2026-03-02T09:30:00.000Z'); // first responses after 30 minutes
    await act(returnCase, 'acknowledge');
    await act(returnCase, 'assign', { agentId: 'agent-1', team: 'returns' });
    await act(complaintCase, 'acknowledge');
    await act(complaintCase, 'assign', { agentId: 'agent-2', team: 'complaints' });
    api.clock.set('2026-03-03T09:00:00.000Z');
    await act(complaintCase, 'propose-resolution', { kind: 'EXPLANATION' });
    await request(api.http).post(`/cases/${complaintCase}/accept-resolution`).set(bearer('service')).send({}).expect(200);
    await act(complaintCase, 'resolve', { summary: 'Explained' }); // resolved after 24 h; 4 + 7 events in all (each opening is triaged)
    await api.background.catchUp();
    await api.close();
  });

  it('verify: every chain holds', () => {
    const run = cli(dataDir, 'verify');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('2 streams, 11 events checked: every chain holds');
  });

  it('export: NDJSON of chosen streams, or of a time range, with metadata and hashes', () => {
    const file = join(dataDir, 'export.ndjson');
    const run = cli(dataDir, 'export', '--stream', `case-${returnCase}`, '--out', file);
    expect(run.code).toBe(0);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['CaseOpened', 'CaseTriaged', 'CaseAcknowledged', 'CaseAssigned']);
    expect(lines[0]).toMatchObject({
      streamId: `case-${returnCase}`,
      revision: 0,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      metadata: { caseId: returnCase },
    });
    const ranged = cli(dataDir, 'export', '--from', '2026-03-03T00:00:00Z', '--to', '2026-03-04T00:00:00Z');
    expect(
      ranged.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['ResolutionProposed', 'ResolutionAccepted', 'CaseResolved']);
  });

  it('refuses an unknown flag with the usage and exit code 2, touching nothing', () => {
    const run = cli(dataDir, 'verify', '--cases', 'x');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--cases'");
    expect(run.stderr).toContain('usage: aftersales <command>');
  });

  it('rebuild: all three views, with a summary', () => {
    const run = cli(dataDir, 'rebuild', 'all');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/escalation: done, 11 events applied/);
    expect(run.stderr).toMatch(/satisfaction: done, 11 events applied/);
    expect(run.stderr).toMatch(/loyalty: done, 11 events applied/);
    expect(cli(dataDir, 'rebuild', 'nonsense').stderr).toContain("unknown view 'nonsense'");
  });

  it('what-if: a stricter policy gives these breaches and escalations per team, next to the real ones', () => {
    const policyFile = join(dataDir, 'strict.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        ...DEFAULT_SLA_POLICY,
        id: 'strict',
        version: 2,
        targets: { ...DEFAULT_SLA_POLICY.targets, NORMAL: { firstResponseMinutes: 15, resolutionMinutes: 12 * 60 } },
      }),
    );
    const run = cli(dataDir, 'what-if', '--policy', policyFile, '--at', '2026-03-05T09:00:00Z');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    // Real (NORMAL: 24 h / 72 h): both responded in 30 min; the complaint resolved in 24 h; the return still open
    // at 5 March 09:00, 72 h after opening — exactly due, not past it.
    // Strict (15 min / 12 h): both first responses late (→ L1); the complaint resolved late, the return overdue (→ L2).
    expect(report).toMatchObject({
      policy: { id: 'strict', version: 2 },
      teams: {
        complaints: {
          actual: { cases: 1, firstResponseBreaches: 0, resolutionBreaches: 0, escalatedL1: 0, escalatedL2: 0 },
          whatIf: { cases: 1, firstResponseBreaches: 1, resolutionBreaches: 1, escalatedL1: 1, escalatedL2: 1 },
          recorded: { L1: 0, L2: 0, L3: 0 },
        },
        returns: {
          actual: { cases: 1, firstResponseBreaches: 0, resolutionBreaches: 0 },
          whatIf: { cases: 1, firstResponseBreaches: 1, resolutionBreaches: 1 },
        },
      },
    });
  });

  it('verify after tampering: names the stream and the revision, exit code 1', async () => {
    const sql = await PgliteSqlClient.open(join(dataDir, 'pglite'));
    await sql.query(`UPDATE events SET data = jsonb_set(data, '{team}', '"elsewhere"') WHERE stream_id = $1 AND revision = 3`, [`case-${returnCase}`]);
    await sql.close();
    const run = cli(dataDir, 'verify');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`case-${returnCase} broken at revision 3`);
    expect(run.stderr).toContain('2 streams, 11 events checked: 1 broken');
  });
});
