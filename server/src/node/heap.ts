import { setFlagsFromString } from 'node:v8';

/**
 * V8's heap growing factor for a batch process that runs worker threads
 * (`msol check`): each isolate's old generation may grow to 1.5 times what
 * survived its last full collection, not the up to 4 times V8 picks by
 * default. A check's live data is small against what parsing allocates (a
 * worker keeps about 25 MB and grew to 125 MB), so by default every thread
 * holds up to three times its live data in garbage at once: peak RSS 510
 * against 375 MB on 2,242 pages, for the same time within the noise
 * (docs/performance.md). Set before any thread starts (the flag is the
 * process's, read by every isolate when it sizes its heap); a user's own
 * `--heap-growing-percent` (node's argv or NODE_OPTIONS) is kept. Not for
 * the language server, a long-lived process where more frequent full
 * collections would land on keystrokes.
 */
export const batchHeapGrowingPercent = 50;

export function tuneHeapForBatch(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env['NODE_OPTIONS'] ?? '',
): boolean {
  const own = /heap[-_]growing[-_]percent/;
  if (execArgv.some((a) => own.test(a)) || own.test(nodeOptions)) return false;
  try {
    setFlagsFromString(`--heap-growing-percent=${batchHeapGrowingPercent}`);
  } catch {
    // A tuning, not a requirement: a runtime that refuses it checks with V8's defaults.
    return false;
  }
  return true;
}
