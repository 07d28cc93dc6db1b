#!/usr/bin/env node
// code-server as ../shared/vscode-test-host's shim starts it (the shim's
// CODE_SERVER_BIN), but with workspace trust on: the shim always passes
// --disable-workspace-trust, and the Restricted Mode run (runTest.js) needs a
// window that is not trusted. Everything else is passed through as it is.
'use strict';
const { spawn } = require('node:child_process');

const real = process.env.MSOL_REAL_CODE_SERVER;
if (!real) {
  console.error('code-server-with-trust: MSOL_REAL_CODE_SERVER is not set');
  process.exit(2);
}
const child = spawn(
  real,
  process.argv.slice(2).filter((a) => a !== '--disable-workspace-trust'),
  { stdio: 'inherit' },
);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
