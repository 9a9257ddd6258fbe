/**
 * The auditors' Python verifier (deploy/audit/verify_chain.py) and the service agree byte for byte: the same
 * canonical JSON for awkward values (key order by UTF-16 code unit, JavaScript's number forms, escapes), and the
 * same verdict on a history of both hash schemes, intact and tampered.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '../src';
import { GENESIS_HASH, canonicalJson, chainHash, chainHashV2, chainPayload } from '../src';

const VERIFIER_DIR = join(__dirname, '../../../deploy/audit');

const AWKWARD: unknown[] = [
  { b: 1, a: [true, false, null], '': {} },
  { '\uffff': 1, '😀': 2, é: 3, Z: 4, a: 5 },
  [0, -0, 1.5, 0.1, 0.30000000000000004, 1e21, 1e20, 1e-7, 0.000001, 5e-324, -2.5e-300, 123456789012345680000, 9007199254740991],
  'quote " backslash \\ newline \n tab \t nul \u0000 unit-separator \u001f del \u007f line-separator \u2028 退货 ✓ 😀',
  { nested: { deeper: { list: [{ z: 1, y: [] }] } } },
];

describe('Python verifier agrees with the service', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'verify-chain-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const python = (args: string[], input?: string) => spawnSync('python3', args, { encoding: 'utf8', input, cwd: VERIFIER_DIR });

  it('encodes awkward values to the same canonical JSON', () => {
    const file = join(dir, 'values.json');
    writeFileSync(file, JSON.stringify(AWKWARD));
    const run = python(['-c', 'import json, sys, verify_chain as v\nfor x in json.load(open(sys.argv[1], encoding="utf-8")): print(v.canonical(x))', file]);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').slice(0, -1)).toEqual(AWKWARD.map(canonicalJson));
  });

  it('verifies a history of scheme 1 then scheme 2 events as the service wrote them, and names a changed recordedAt', () => {
    const stream = 'case-5b0c2f7e-0000-4000-8000-000000000001';
    const events: StoredEvent[] = [];
    let prev = GENESIS_HASH;
    for (const [revision, scheme] of [1, 1, 2, 2].entries()) {
      const event = {
        streamId: stream,
        revision,
        position: String(revision + 1),
        eventId: `00000000-0000-4000-8000-00000000000${revision}`,
        type: 'CaseNoted',
        schemaVersion: 1,
        data: AWKWARD[revision],
        metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { type: 'agent', id: 'a' }, correlationId: 'c', causationId: 'c' },
        recordedAt: `2026-01-01T00:00:0${revision}.123Z`,
        hashScheme: scheme,
      };
      const payload = chainPayload(stream, event);
      const hash = scheme === 2 ? chainHashV2(prev, event.recordedAt, payload) : chainHash(prev, payload);
      events.push({ ...event, prevHash: prev, hash });
      prev = hash;
    }
    const file = join(dir, 'events.json');
    writeFileSync(file, JSON.stringify(events));
    expect(python(['verify_chain.py', file]).stdout.trim()).toBe(`VALID: 4 events, head ${prev}`);
    expect(python(['verify_chain.py', file, '--anchored', `3:${prev}`]).status).toBe(0);

    writeFileSync(file, JSON.stringify(events.slice(0, 3)));
    const cut = python(['verify_chain.py', file, '--anchored', `3:${prev}`]);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toMatch(/^BROKEN at revision 3: head deleted \(anchored up to revision 3\)/);

    writeFileSync(file, JSON.stringify(events.map((e) => (e.revision === 2 ? { ...e, recordedAt: '2020-01-01T00:00:00.000Z' } : e))));
    const moved = python(['verify_chain.py', file]);
    expect(moved.status).toBe(1);
    expect(moved.stdout).toMatch(/^BROKEN at revision 2: hash/);

    writeFileSync(file, JSON.stringify(events.map((e) => (e.revision === 3 ? { ...e, hashScheme: 1 } : e))));
    expect(python(['verify_chain.py', file]).stdout).toMatch(/^BROKEN at revision 3: hash scheme 1 after scheme 2/);
  });
});
