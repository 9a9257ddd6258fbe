/**
 * The running API that owns the embedded data directory, as the CLI reaches it: the URL its lock advertises and a
 * bearer token for the role a command needs (from AUTH_TOKENS, else the generated DATA_DIR/auth-tokens.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOKENS_FILE } from '@aftersales/access-control';
import type { AppConfig } from '@aftersales/runtime-config';
import type { DataDirOwner } from '@aftersales/storage';
import { describeOwner } from '@aftersales/storage';

export type ApiRole = 'admin' | 'auditor';

/** How long one request may take before the API counts as unresponsive. */
const REQUEST_TIMEOUT_MS = 120_000;

export class OwnerApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OwnerApiError';
  }
}

function tokenFor(config: AppConfig, role: ApiRole): string | undefined {
  const given = config.authTokens?.find((t) => t.role === role)?.token;
  if (given) return given;
  try {
    const stored = JSON.parse(readFileSync(join(config.dataDir, TOKENS_FILE), 'utf8')) as Record<string, unknown>;
    return typeof stored[role] === 'string' ? stored[role] : undefined;
  } catch {
    return undefined;
  }
}

export class OwnerApi {
  readonly url: string;

  constructor(
    readonly owner: DataDirOwner,
    private readonly config: AppConfig,
  ) {
    if (!owner.url) throw new OwnerApiError(`${describeOwner(owner)} has no HTTP listener to work through`);
    this.url = owner.url.replace(/\/+$/, '');
  }

  get description(): string {
    return describeOwner(this.owner);
  }

  /** Sends a request as `role`; answers the status and the parsed JSON body (404 and 409 are answers, not errors). */
  async request<T>(role: ApiRole, method: 'GET' | 'POST', path: string): Promise<{ status: number; body: T }> {
    const token = tokenFor(this.config, role);
    if (!token) {
      throw new OwnerApiError(
        `no ${role} token to call ${this.description}: set AUTH_TOKENS to the API's tokens, or keep the generated ${TOKENS_FILE} in DATA_DIR`,
      );
    }
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
        body: method === 'POST' ? '{}' : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new OwnerApiError(`cannot reach ${this.description}: ${cause}`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new OwnerApiError(`${method} ${path}: the answer of ${this.description} broke off: ${(error as Error).message}`);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new OwnerApiError(`${method} ${path} answered ${response.status} with a body that is not JSON`, response.status);
    }
    if (response.ok || response.status === 404 || response.status === 409) return { status: response.status, body: body as T };
    const message = (body as { message?: unknown } | undefined)?.message;
    throw new OwnerApiError(`${method} ${path} answered ${response.status}${message ? `: ${String(message)}` : ''}`, response.status);
  }
}
