/**
 * Erased means gone, on the embedded default as users run it (spec section 7): the built API on a PGlite DATA_DIR
 * opens a case with contact details, the customer is erased, the process stops, and then every file under
 * DATA_DIR is scanned byte by byte: the destroyed key (raw, hex, base64) and the name, phone and email are in
 * none of them. Before the erasure, the same scan finds the key but no personal value: the contact never reached
 * disk in clear, nor as an unkeyed fingerprint.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { canonicalJson } from '@aftersales/event-store';
import { fingerprintSecretFileIn, keyFileIn } from '@aftersales/personal-data';
import type { ApiProcess } from '../../../test/harness/api-process';
import { spawnApi } from '../../../test/harness/api-process';
import { openCaseBody } from '../../../test/harness/api-under-test';
import { PGLITE_TEMPLATE_ENV } from '../../../test/harness/pglite-template';
import { filesHolding, keyNeedles, textNeedles } from '../../../libs/personal-data/test/files-holding';

jest.setTimeout(300_000);

const TOKENS = {
  service: 'service-token-erasure-on-disk',
  agent: 'agent-token-erasure-on-disk-1',
  analyst: 'analyst-token-erasure-on-disk',
  auditor: 'auditor-token-erasure-on-disk',
  admin: 'admin-token-erasure-on-disk-01',
};
const AUTH_TOKENS = Object.entries(TOKENS)
  .map(([role, token]) => `${role}=${token}`)
  .join(',');
const as = (role: keyof typeof TOKENS) => ({ Authorization: `Bearer ${TOKENS[role]}` });

/** Stops the API as an operator does (SIGTERM); answers how it ended. */
async function stop(api: ApiProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const { child } = api;
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.kill('SIGTERM');
  return exited;
}

/** Polls until `check` holds; the projectors of the embedded default run on their own schedule. */
async function eventually(check: () => Promise<boolean>, what: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Erasure on disk [embedded default, built process]', () => {
  const root = mkdtempSync(join(tmpdir(), 'aftersales-erasure-disk-'));
  const dataDir = join(root, 'data');
  let api: ApiProcess | undefined;
  afterAll(async () => {
    if (api) await stop(api);
    rmSync(root, { recursive: true, force: true });
  });

  it('after DELETE /customers/{id}/personal-data and a stop, no file in DATA_DIR holds the key or the contact details', async () => {
    const template = process.env[PGLITE_TEMPLATE_ENV];
    if (template) cpSync(template, join(dataDir, 'pglite'), { recursive: true });
    const contact = { name: 'Wang Fang', phone: '+86 137 2468 1357', email: 'wang.fang@example.com' };
    const personal = textNeedles(contact);
    const body = openCaseBody({ customerId: 'cust-disk', contact });

    // Given a case opened with contact details, with an Idempotency-Key (its fingerprint goes into the events).
    api = await spawnApi({ DATA_DIR: dataDir, AUTH_TOKENS });
    const opened = await request(api.url).post('/cases').set(as('service')).set('Idempotency-Key', 'disk-open-1').send(body).expect(201);
    const caseId: string = opened.body.caseId;
    const retried = await request(api.url).post('/cases').set(as('service')).set('Idempotency-Key', 'disk-open-1').send(body).expect(201);
    expect(retried.body).toMatchObject({ caseId, replayed: true });
    const otherContact = await request(api.url)
      .post('/cases')
      .set(as('service'))
      .set('Idempotency-Key', 'disk-open-1')
      .send({ ...body, contact: { ...contact, phone: '+86 137 0000 0001' } })
      .expect(422);
    expect(otherContact.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await request(api.url).post(`/cases/${caseId}/acknowledge`).set(as('agent')).set('Idempotency-Key', 'disk-ack-1').send({}).expect(200);
    expect((await request(api.url).get(`/cases/${caseId}`).set(as('agent')).expect(200)).body.contact).toEqual(contact);
    const events = (await request(api.url).get(`/cases/${caseId}/events`).set(as('auditor')).expect(200)).body;
    expect(events[0].data.contact).toMatchObject({ sealed: 'AES-256-GCM' });
    expect(events[0].metadata.requestHash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const inView = async () => JSON.stringify((await request(api!.url).get('/views/escalation').set(as('agent'))).body).includes(caseId);
    await eventually(inView, 'the escalation view lists the case');

    const line = readFileSync(keyFileIn(dataDir), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { customerId: string; key?: string })
      .find((entry) => entry.customerId === 'cust-disk');
    const needles = keyNeedles('key', Buffer.from(line!.key!, 'base64'));
    const unkeyed = {
      'unkeyed fingerprint of the opening': Buffer.from(
        createHash('sha256')
          .update(canonicalJson({ action: 'open', payload: body }))
          .digest('hex'),
      ),
    };
    expect(statSync(fingerprintSecretFileIn(dataDir)).mode & 0o777).toBe(0o600);

    // Before erasure, stopped: the scan finds the key (in the key file only) and no personal value anywhere.
    expect(await stop(api)).toEqual({ code: 0, signal: null });
    expect(filesHolding(dataDir, needles)).toEqual(['key (base64) in keys/customer-keys.jsonl']);
    expect(filesHolding(dataDir, { ...personal, ...unkeyed })).toEqual([]);

    // When the customer is erased.
    api = await spawnApi({ DATA_DIR: dataDir, AUTH_TOKENS });
    const satisfactionBefore = (await request(api.url).get('/views/satisfaction?groupBy=merchant').set(as('analyst')).expect(200)).body;
    const chainBefore = (await request(api.url).get(`/audit/cases/${caseId}/verify`).set(as('auditor')).expect(200)).body;
    const erased = await request(api.url).delete('/customers/cust-disk/personal-data').set(as('admin')).expect(200);
    expect(erased.body).toMatchObject({ customerId: 'cust-disk', erased: true, keysDestroyed: 1, alreadyErased: false });
    const again = await request(api.url).delete('/customers/cust-disk/personal-data').set(as('admin')).expect(200);
    expect(again.body).toMatchObject({ customerId: 'cust-disk', erased: true, keysDestroyed: 0, alreadyErased: true, erasedAt: erased.body.erasedAt });
    const unknown = await request(api.url).delete('/customers/cust-never-seen/personal-data').set(as('admin')).expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'CUSTOMER_NOT_FOUND', correlationId: expect.any(String) });

    // Then the case shows the contact as erased, the chain verifies, the views still count it.
    expect((await request(api.url).get(`/cases/${caseId}`).set(as('agent')).expect(200)).body).toMatchObject({
      caseId,
      contact: '[erased]',
      status: 'ACKNOWLEDGED',
    });
    const chain = (await request(api.url).get(`/audit/cases/${caseId}/verify`).set(as('auditor')).expect(200)).body;
    expect(chain).toMatchObject({ valid: true, headHash: chainBefore.headHash });
    expect(await inView()).toBe(true);
    expect((await request(api.url).get('/views/satisfaction?groupBy=merchant').set(as('analyst')).expect(200)).body).toEqual(satisfactionBefore);
    // A retry of the opening after the erasure still lands on the same case.
    expect((await request(api.url).post('/cases').set(as('service')).set('Idempotency-Key', 'disk-open-1').send(body).expect(201)).body).toMatchObject({
      caseId,
      replayed: true,
    });

    // And once stopped, no file under DATA_DIR holds the key in any encoding, nor any personal value.
    expect(await stop(api)).toEqual({ code: 0, signal: null });
    expect(filesHolding(dataDir, { ...needles, ...personal, ...unkeyed })).toEqual([]);
  });
});
