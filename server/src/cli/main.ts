import { version } from '../../../package.json';
import { runCli } from './run';
import { tuneHeapForBatch } from '../node/heap';

/**
 * The `msol` process: binds runCli to argv, the streams and the exit code.
 * Output is flushed by letting the process end on its own (process.exitCode),
 * never by process.exit(), which can cut a piped report short.
 */

// Before any worker thread starts: every isolate sizes its heap by this (see heap.ts).
tuneHeapForBatch();

function fail(error: unknown): void {
  process.stderr.write(
    `msol: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
}

// `msol check | head`: a closed pipe is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  fail(error);
});
process.on('uncaughtException', (error) => {
  fail(error);
  process.exit(2);
});

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => {
    if (text) process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
  stdoutIsTTY: process.stdout.isTTY === true,
  version,
}).then((code) => {
  process.exitCode = code;
}, fail);
