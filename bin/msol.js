#!/usr/bin/env node
'use strict';
// The CLI is bundled by `npm run build` (scripts/build.mjs) into server/out/msol.js.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'server', 'out', 'msol.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('msol: the CLI is not built yet; run `npm run build` first\n');
  process.exit(2);
}
require(bundle);
