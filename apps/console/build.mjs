/**
 * Builds the web console into dist/console (served by the API at GET /console): type-checks the browser sources,
 * bundles src/main.tsx with every dependency (Preact, ECharts) and the stylesheet with esbuild, and copies the page.
 * Nothing is fetched at run time from anywhere but the API itself.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'dist', 'console');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { console: join(here, 'src', 'main.tsx') },
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: ['es2022'],
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
  tsconfig: join(here, 'tsconfig.json'),
});
await build({ entryPoints: { console: join(here, 'src', 'console.css') }, outdir: out, bundle: true, minify: true, logLevel: 'warning' });
for (const file of ['index.html', 'icon.svg']) copyFileSync(join(here, 'src', file), join(out, file));
process.stdout.write(`console built into ${out}\n`);
