/**
 * The embedded default as users run it: the built process on a PGlite data directory. A case answered with 201
 * survives `kill -9`; generated tokens survive restarts; a bad configuration stops the start with every problem named.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openCaseBody } from '../../../test/harness/api-under-test';
import { MAIN, killHard, spawnApi } from '../../../test/harness/api-process';

jest.setTimeout(90_000);

describe('Embedded default process', () => {
  it('keeps a case answered with 201 across kill -9, and keeps its generated tokens', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-crash-'));
    const first = await spawnApi({ DATA_DIR: dataDir, AUTH_TOKENS: '' });
    expect(first.output()).toContain('Bearer tokens');
    const tokens = JSON.parse(readFileSync(join(dataDir, 'auth-tokens.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(tokens).sort()).toEqual(['admin', 'agent', 'analyst', 'auditor', 'service']);

    const opened = await request(first.url).post('/cases').set('Authorization', `Bearer ${tokens.service}`).send(openCaseBody()).expect(201);
    const acknowledged = await request(first.url)
      .post(`/cases/${opened.body.caseId}/acknowledge`)
      .set('Authorization', `Bearer ${tokens.agent}`)
      .send({})
      .expect(200);
    await killHard(first);

    const second = await spawnApi({ DATA_DIR: dataDir, AUTH_TOKENS: '' });
    try {
      const read = await request(second.url).get(`/cases/${opened.body.caseId}`).set('Authorization', `Bearer ${tokens.agent}`).expect(200);
      expect(read.body).toMatchObject({ caseId: opened.body.caseId, status: 'ACKNOWLEDGED', revision: acknowledged.body.revision });
    } finally {
      await killHard(second);
    }
  });

  it('refuses to start on an invalid configuration, naming every problem', () => {
    const result = spawnSync(process.execPath, ['-r', join(__dirname, '../../../deploy/runtime/register-paths.js'), MAIN], {
      env: { ...process.env, NODE_OPTIONS: '', PORT: 'abc', AUTH_TOKENS: 'root=0123456789abcdef0123', DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain("PORT must be an integer from 0 to 65535, got 'abc'");
    expect(result.stderr).toContain("AUTH_TOKENS entry 'root' must be role=token");
  });
});
