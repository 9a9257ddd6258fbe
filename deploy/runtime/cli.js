#!/usr/bin/env node
/** The `aftersales` command (package.json bin): the built CLI with the monorepo's library paths. */
require('./register-paths.js');
require('../../dist/apps/cli/src/main.js');
