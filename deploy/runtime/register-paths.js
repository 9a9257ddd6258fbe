/**
 * Resolves the monorepo's `@aftersales/*` imports to the compiled libraries in dist/ at run time
 * (`node -r ./deploy/runtime/register-paths.js dist/apps/api/src/main.js`).
 */
const Module = require('node:module');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', '..', 'dist', 'libs');
const originalResolve = Module._resolveFilename;

Module._resolveFilename = function resolveAftersales(request, ...rest) {
  const match = /^@aftersales\/([a-z-]+)$/.exec(request);
  if (match) return originalResolve.call(this, path.join(dist, match[1], 'src', 'index.js'), ...rest);
  return originalResolve.call(this, request, ...rest);
};
