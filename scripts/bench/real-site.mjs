// The real-content site of the benchmark (issue 16): the Microsolidarity handbook as it stands at the
// tip of ../shared/corpus/handbook-history.bundle, copied `copies` times under part-N/ folders, with a
// top README.md (the tip's, its links pointing into part-1/) and a top SUMMARY.md listing every page
// (each part's own table of contents, nested under "Part N", then the pages it leaves out).
// 40 copies: 2,242 pages, about 14 MB, the size of the site issue 16 measured.
//   node scripts/bench/real-site.mjs [--copies 40] [--out DIR]
// The corpus is not part of the project: without it, buildRealSite says why and the benchmark skips
// the site (with that note in its output).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultBundle = resolve(repo, '..', 'shared', 'corpus', 'handbook-history.bundle');

/** Files of the clone that are not the site: git's, and the Mac editors' settings. */
const notSite = (name) => name === '.git' || name === '.DS_Store' || name.endsWith('.plist');

function walk(dir, out = [], base = dir) {
  for (const name of readdirSync(dir).sort()) {
    if (notSite(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out, base);
    else out.push(relative(base, p).split('\\').join('/'));
  }
  return out;
}

const isPage = (p) => /\.(md|markdown)$/i.test(p);
const isExternal = (url) => /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/') || url.startsWith('#');

/** A Markdown link target moved under `prefix` (external links, absolute paths and anchors stay). */
function prefixLinks(text, prefix) {
  return text.replace(/\]\(([^)\s]+)([^)]*)\)/g, (all, url, rest) =>
    isExternal(url) ? all : `](${prefix}${url}${rest})`,
  );
}

/** The top table of contents: every part's own, nested under a "Part N" entry, plus the pages it leaves out. */
export function topSummary(tipSummary, pages, copies) {
  const listed = new Set([...tipSummary.matchAll(/\]\(([^)\s#]+)/g)].map((m) => m[1]));
  const entries = tipSummary.split('\n').filter((l) => /^\s*[*-] \[/.test(l));
  const unlisted = pages.filter((p) => !listed.has(p) && p !== 'SUMMARY.md');
  const lines = ['# Table of contents', ''];
  for (let n = 1; n <= copies; n++) {
    lines.push(`* [Part ${n}](part-${n}/README.md)`);
    for (const e of entries) lines.push('  ' + prefixLinks(e, `part-${n}/`));
    for (const p of unlisted) lines.push(`  * [${p.replace(/\.md$/, '')}](part-${n}/${p.split(' ').join('%20')})`);
  }
  return lines.join('\n') + '\n';
}

/** A stable name for the tip, so that a site built before is reused. */
function tipOf(bundle) {
  return execFileSync('git', ['bundle', 'list-heads', bundle], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .sort()
    .join('\n');
}

/**
 * Builds (or reuses) the site. Returns { root, pages, files, mb, tip } or { skipped: reason } when the
 * corpus bundle or git is missing.
 */
export function buildRealSite({
  bundle = defaultBundle,
  copies = 40,
  out = '/tmp/msol-bench/real-site-40',
  fresh = false,
} = {}) {
  if (!existsSync(bundle))
    return { skipped: `the corpus bundle is absent (${bundle}); the real-content site is skipped` };
  let tip;
  try {
    tip = tipOf(bundle);
  } catch (error) {
    return {
      skipped: `git could not read the corpus bundle (${String(error).split('\n')[0]}); the real-content site is skipped`,
    };
  }
  const marker = join(out, '.msol-bench-site.json');
  const wanted = { tip, copies, format: 1 };
  if (!fresh && existsSync(marker)) {
    try {
      const info = JSON.parse(readFileSync(marker, 'utf8'));
      if (JSON.stringify(info.wanted) === JSON.stringify(wanted)) return { ...info.site, root: out };
    } catch {
      // Rebuilt below.
    }
  }
  const clone = mkdtempSync(join(tmpdir(), 'msol-real-site-'));
  try {
    execFileSync('git', ['clone', '--quiet', bundle, clone], { stdio: 'ignore' });
    const files = walk(clone);
    const pages = files.filter(isPage);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (let n = 1; n <= copies; n++) {
      for (const f of files) {
        const to = join(out, `part-${n}`, ...f.split('/'));
        mkdirSync(dirname(to), { recursive: true });
        cpSync(join(clone, ...f.split('/')), to);
      }
    }
    writeFileSync(join(out, 'README.md'), prefixLinks(readFileSync(join(clone, 'README.md'), 'utf8'), 'part-1/'));
    writeFileSync(join(out, 'SUMMARY.md'), topSummary(readFileSync(join(clone, 'SUMMARY.md'), 'utf8'), pages, copies));
    const all = walk(out);
    const pageCount = all.filter(isPage).length;
    const bytes = all.filter(isPage).reduce((n, p) => n + statSync(join(out, ...p.split('/'))).size, 0);
    const site = {
      pages: pageCount,
      files: all.length,
      mb: +(bytes / 1e6).toFixed(1),
      copies,
      tip: tip.split(' ')[0].slice(0, 12),
    };
    writeFileSync(marker, JSON.stringify({ wanted, site }, null, 2) + '\n');
    return { ...site, root: out };
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  console.log(
    JSON.stringify(
      buildRealSite({ copies: Number(opt('copies', 40)), out: resolve(opt('out', '/tmp/msol-bench/real-site-40')) }),
    ),
  );
}
