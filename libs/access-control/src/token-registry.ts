/**
 * Bearer tokens and the role each one grants. Given in AUTH_TOKENS, or generated once per role and kept in
 * DATA_DIR (mode 0600) so they survive restarts of the embedded default.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@aftersales/runtime-config';
import { ROLES } from '@aftersales/runtime-config';

export const TOKENS_FILE = 'auth-tokens.json';

export class TokenRegistry {
  constructor(readonly entries: ReadonlyArray<{ role: Role; token: string }>) {}

  /** The role of a presented token, compared in constant time; undefined when unknown. */
  roleOf(presented: string): Role | undefined {
    const given = Buffer.from(presented);
    for (const { role, token } of this.entries) {
      const known = Buffer.from(token);
      if (known.length === given.length && timingSafeEqual(known, given)) return role;
    }
    return undefined;
  }

  /** Reads the generated tokens from `dataDir`, creating them on first start. */
  static generatedIn(dataDir: string): { registry: TokenRegistry; file: string; created: boolean } {
    const file = join(dataDir, TOKENS_FILE);
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      const entries = ROLES.filter((role) => typeof stored[role] === 'string').map((role) => ({ role, token: stored[role] }));
      if (entries.length === ROLES.length) return { registry: new TokenRegistry(entries), file, created: false };
    }
    mkdirSync(dataDir, { recursive: true });
    const tokens = Object.fromEntries(ROLES.map((role) => [role, `${role}-${randomBytes(18).toString('base64url')}`]));
    writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    return {
      registry: new TokenRegistry(ROLES.map((role) => ({ role, token: tokens[role] }))),
      file,
      created: true,
    };
  }
}
