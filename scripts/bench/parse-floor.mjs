// The remark parse floor of the benchmark (issue 16): what parsing a site with the parser msol is built on
// costs, without any rule. Every Markdown file of a folder (dot-folders left out, as msol's walk does) is
// read and parsed with unified + remark-parse + remark-gfm + remark-frontmatter (yaml), on one worker thread
// per core, files dealt out by size. Prints one JSON line: files, bytes, ms.
//   node scripts/bench/parse-floor.mjs <site folder>
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const started = performance.now();
  const root = resolve(process.argv[2] ?? '.');
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) {
        if (!name.startsWith('.') && name !== 'node_modules') walk(p);
      } else if (/\.(md|markdown)$/i.test(name)) files.push({ path: p, size: s.size });
    }
  };
  walk(root);
  // Largest first, each to the lane with the fewest bytes so far: the lanes finish together.
  const lanes = Array.from({ length: availableParallelism() }, () => ({ files: [], bytes: 0 }));
  for (const f of files.sort((a, b) => b.size - a.size)) {
    const lane = lanes.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lane.files.push(f.path);
    lane.bytes += f.size;
  }
  const self = fileURLToPath(import.meta.url);
  const results = await Promise.all(
    lanes.map(
      (lane) =>
        new Promise((done, fail) => {
          const worker = new Worker(self, { workerData: lane.files });
          worker.once('message', done);
          worker.once('error', fail);
        }),
    ),
  );
  const parsed = results.reduce((n, r) => n + r.files, 0);
  const bytes = results.reduce((n, r) => n + r.bytes, 0);
  console.log(
    JSON.stringify({ files: parsed, bytes, threads: lanes.length, ms: Math.round(performance.now() - started) }),
  );
  process.exit(0);
} else {
  const [{ unified }, { default: remarkParse }, { default: remarkGfm }, { default: remarkFrontmatter }] =
    await Promise.all([import('unified'), import('remark-parse'), import('remark-gfm'), import('remark-frontmatter')]);
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);
  let bytes = 0;
  let nodes = 0;
  for (const path of workerData) {
    const text = readFileSync(path, 'utf8');
    bytes += text.length;
    nodes += processor.parse(text).children.length;
  }
  parentPort.postMessage({ files: workerData.length, bytes, nodes });
}
