/**
 * Bearer tokens and the role each one grants. Given in AUTH_TOKENS, or generated once per role and kept in
 * DATA_DIR (mode 0600) so they survive restarts of the embedded default.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenRole } from '@aftersales/runtime-config';
import { ROLES } from '@aftersales/runtime-config';

export const TOKENS_FILE = 'auth-tokens.json';

export class TokenRegistry {
  constructor(readonly entries: ReadonlyArray<{ role: TokenRole; token: string }>) {}

  /** The role of a presented token, compared in constant time; undefined when unknown. */
  roleOf(presented: string): TokenRole | undefined {
    return this.identify(presented)?.role;
  }

  /** The role of a presented token and the token's id (`<role>#<position>`, never the token itself); undefined when unknown. */
  identify(presented: string): { role: TokenRole; tokenId: string } | undefined {
    const given = Buffer.from(presented);
    let found: { role: TokenRole; tokenId: string } | undefined;
    this.entries.forEach(({ role, token }, index) => {
      const known = Buffer.from(token);
      if (!found && known.length === given.length && timingSafeEqual(known, given)) found = { role, tokenId: `${role}#${index}` };
    });
    return found;
  }

  /** Reads the generated tokens from `dataDir`, creating them on first start. */
  static generatedIn(dataDir: string): { registry: TokenRegistry; file: string; created: boolean } {
    const file = join(dataDir, TOKENS_FILE);
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      const entries = ROLES.filter((role) => typeof stored[role] === 'string').map((role) => ({ role, token: stored[role] }));
      if (entries.length === ROLES.length) return { registry: new TokenRegistry(entries), file, created: false };
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const tokens = Object.fromEntries(ROLES.map((role) => [role, `${role}-${randomBytes(18).toString('base64url')}`]));
    writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600); // the mode above applies only when the file is created
    return {
      registry: new TokenRegistry(ROLES.map((role) => ({ role, token: tokens[role] }))),
      file,
      created: true,
    };
  }
}
