/** Bearer tokens: recognised exactly, named without revealing them, and generated once per data directory. */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES } from '@aftersales/runtime-config';
import { TOKENS_FILE, TokenRegistry, bearerTokenOf, principalOf } from '../src';

describe('TokenRegistry', () => {
  const registry = new TokenRegistry([
    { role: 'agent', token: 'agent-token-one' },
    { role: 'agent', token: 'agent-token-two' },
    { role: 'metrics', token: 'metrics-token-1' },
  ]);

  it('knows a token only when it matches exactly: no prefix, no other length, no other case', () => {
    expect(registry.identify('agent-token-two')).toEqual({ role: 'agent', tokenId: 'agent#1' });
    expect(registry.roleOf('metrics-token-1')).toBe('metrics');
    for (const wrong of ['agent-token-tw', 'agent-token-twoo', 'AGENT-TOKEN-TWO', '']) expect(registry.identify(wrong)).toBeUndefined();
  });

  it('reads the principal from an Authorization header, or nothing from another shape', () => {
    expect(principalOf('Bearer agent-token-one', registry)).toEqual({ role: 'agent', tokenId: 'agent#0' });
    expect(principalOf(['Bearer agent-token-one'], registry)).toBeUndefined();
    expect(bearerTokenOf('Bearer two words')).toBeUndefined();
    expect(bearerTokenOf(undefined)).toBeUndefined();
  });

  it('generates one token per role in DATA_DIR, mode 0600, and reads the same ones on the next start', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'aftersales-tokens-')), 'data');
    const first = TokenRegistry.generatedIn(dir);
    expect(first.created).toBe(true);
    expect(first.registry.entries.map((e) => e.role)).toEqual([...ROLES]);
    expect(new Set(first.registry.entries.map((e) => e.token)).size).toBe(ROLES.length);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const second = TokenRegistry.generatedIn(dir);
    expect(second.created).toBe(false);
    expect(second.registry.entries).toEqual(first.registry.entries);
  });

  it('generates a fresh set when the kept file lacks a role', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftersales-tokens-'));
    writeFileSync(join(dir, TOKENS_FILE), JSON.stringify({ agent: 'kept-agent-token' }));
    const again = TokenRegistry.generatedIn(dir);
    expect(again.created).toBe(true);
    expect(again.registry.roleOf('kept-agent-token')).toBeUndefined();
    expect(Object.keys(JSON.parse(readFileSync(join(dir, TOKENS_FILE), 'utf8')))).toEqual([...ROLES]);
  });
});
