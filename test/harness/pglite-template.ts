/**
 * A fresh PGlite takes seconds to initialise, so the global set-up initialises one template data directory
 * per run and every test copies it.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PGLITE_TEMPLATE_ENV = 'AFTERSALES_PGLITE_TEMPLATE';

export function freshPgliteDir(): string {
  const template = process.env[PGLITE_TEMPLATE_ENV];
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-pglite-'));
  if (template) cpSync(template, dir, { recursive: true });
  return dir;
}
