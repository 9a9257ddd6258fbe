#!/usr/bin/env node
/**
 * `npm start`'s pre-step: builds (`npm run build`) only when a source, a tsconfig or the dependency list changed
 * since the last build, so an unchanged tree starts in a second instead of recompiling. The build stamp is
 * dist/.build-stamp, written after a successful build; `npm run build` itself always builds.
 */
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const stamp = join(root, 'dist', '.build-stamp');

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted or renamed file changes its folder's time
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === 'test') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const inputs = ['apps', 'libs', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.build.json'];
const sources = Math.max(...inputs.map((p) => newest(join(root, p))));
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (built >= sources && existsSync(join(root, 'dist', 'apps', 'api', 'src', 'main.js'))) {
  process.stdout.write('build: up to date (sources unchanged since the last build)\n');
} else {
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
