/**
 * Reads the bearer token out of an Authorization header, and names who it belongs to. Every spelling of one
 * token (scheme in any case, any spaces or tabs around it) reads as the same token, so the rate limiter and the
 * guard see one principal; the header text itself is never a key.
 */
import type { TokenRole } from '@aftersales/runtime-config';
import type { TokenRegistry } from './token-registry';

/** `Bearer` (any case), whitespace, the token (no whitespace in it, as AUTH_TOKENS requires); whitespace around is ignored. */
const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined when the header is absent or another shape. */
export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return BEARER.exec(header)?.[1];
}

/** Who a valid token belongs to: its role and a stable id of the token (not the token), for per-principal limits. */
export interface Principal {
  role: TokenRole;
  tokenId: string;
}

export function principalOf(header: string | string[] | undefined, tokens: TokenRegistry): Principal | undefined {
  const token = bearerTokenOf(header);
  return token === undefined ? undefined : tokens.identify(token);
}
