// Writes a reproducible GitBook site of N pages in the handbook's shape, for benchmarks.
//   node scripts/bench/generate-site.mjs --pages 2240 --out /tmp/msol-bench/site-2240 [--seed 1]
// Shape: README.md with a "Definition of terms" section, SUMMARY.md listing every page in
// folders, articles/proposal.md (the hub) with parts and term headings, GLOSSARY.md, pages of
// ~6 KB (13.8 MB at 2,240 pages, like the real large site the targets were measured on) with
// links (about 2% broken), anchors, images with and without credits, GitBook blocks, tables,
// code, block quotes; .gitbook/assets/ with the images. Same seed, same bytes.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const pages = Number(opt('pages', 500));
const out = opt('out', `/tmp/msol-bench/site-${pages}`);
let seed = Number(opt('seed', 1)) >>> 0 || 1;

// xorshift32: deterministic across machines and Node versions.
function rnd() {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

const words = 'support trust crew congregation assembly group peers mutual care practice belonging reciprocity gathering host circle listen money share learn economic emotional small large network community dialogue weave purpose meaning relationship invite ritual season rhythm friends work commons'.split(' ');
const terms = ['Microsolidarity', 'Crew', 'Congregation', 'Assembly', 'Dyad', 'Self'];
const sections = ['articles', 'crewing', 'congregating', 'discussing', 'practices', 'stories', 'research', 'methods'];

function sentence() {
  const n = int(8, 18);
  const w = [];
  for (let i = 0; i < n; i++) w.push(rnd() < 0.06 ? pick(terms) + (rnd() < 0.3 ? 's' : '') : pick(words));
  const s = w.join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}
function paragraph(extra = '') {
  const n = int(3, 6);
  const s = [];
  for (let i = 0; i < n; i++) s.push(sentence());
  return s.join(' ') + extra;
}

rmSync(out, { recursive: true, force: true });
const files = new Map();
const write = (p, text) => files.set(p, text);

// Page paths: spread over folders of ~60 pages, each folder with a README.
const pagePaths = [];
for (let i = 0; i < pages - 3; i++) {
  const folder = `${sections[i % sections.length]}/${sections[i % sections.length]}-${Math.floor(i / 60)}`;
  pagePaths.push(`${folder}/page-${i}.md`);
}
const folders = [...new Set(pagePaths.map((p) => dirname(p)))];
const assets = [];
for (let i = 0; i < Math.max(10, Math.floor(pages / 10)); i++) assets.push(i % 7 === 0 ? `photo-by-someone-${i}-on-unsplash.jpg` : `image (${i}).png`);
const headingsOf = new Map();

function pageText(path, i) {
  const title = `${pick(words)} ${pick(words)} ${i}`;
  const hs = [];
  let t = `---\ndescription: ${sentence()}\n---\n\n# ${title[0].toUpperCase() + title.slice(1)}\n\n`;
  const up = '../'.repeat(path.split('/').length - 1);
  t += paragraph(` Read [the proposal](${up}articles/proposal.md) first.`) + '\n\n';
  const nSections = int(3, 6);
  for (let s = 0; s < nSections; s++) {
    const h = `${pick(words)} and ${pick(words)} ${s}`;
    hs.push(h.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-'));
    t += `## ${h}\n\n`;
    t += paragraph() + '\n\n';
    // Links: to other pages (2% broken), to anchors of the proposal, external.
    const target = pagePaths[int(0, pagePaths.length - 1)];
    const rel = up + (rnd() < 0.02 ? target.replace('.md', '-moved.md') : target);
    t += `See [${pick(words)}](${rel}) and [the ${pick(terms)}](${up}articles/proposal.md#part-${int(1, 4)}-${pick(['collapse', 'crew', 'congregation', 'assembly'])}), or [elsewhere](https://example.org/${pick(words)}).\n\n`;
    if (rnd() < 0.35) {
      const a = pick(assets);
      t += rnd() < 0.5
        ? `![${pick(words)} ${pick(words)}](${up}.gitbook/assets/${a.replace(/ /g, '%20')})\n\n`
        : `<figure><img src="${up}.gitbook/assets/${a}" alt=""><figcaption><p>Photo by Someone on Unsplash</p></figcaption></figure>\n\n`;
    }
    if (rnd() < 0.25) t += `{% hint style="${pick(['info', 'warning', 'success', 'danger'])}" %}\n${sentence()}\n{% endhint %}\n\n`;
    if (rnd() < 0.15) t += `> ${paragraph()}\n\n`;
    if (rnd() < 0.15) t += '```\nconst crew = gather(peers);\n```\n\n';
    if (rnd() < 0.1) t += `| ${pick(words)} | ${pick(words)} |\n| --- | --- |\n| ${sentence()} | ${sentence()} |\n\n`;
    if (rnd() < 0.3) t += `* ${sentence()}\n* ${sentence()}\n  * ${sentence()}\n\n`;
  }
  headingsOf.set(path, hs);
  return t;
}

pagePaths.forEach((p, i) => write(p, pageText(p, i)));
for (const f of folders) write(`${f}/README.md`, `# ${f}\n\n${paragraph()}\n`);
for (const s of sections) write(`${s}/README.md`, `# ${s}\n\n${paragraph()}\n`);

let proposal = '# A proposal\n\n' + paragraph() + '\n\n### Definition of terms\n\n';
['Self', 'Dyad', 'Crew', 'Congregation', 'Assembly'].forEach((term, i) => {
  proposal += `#### ${i + 1}: the ${term}\n\n${paragraph()}\n\n`;
});
['Collapse', 'Crew', 'Congregation', 'Assembly'].forEach((p, i) => {
  proposal += `## Part ${i + 1}. ${p}\n\n${paragraph()}\n\n${paragraph()}\n\n`;
});
write('articles/proposal.md', proposal);
write('README.md', `# Microsolidarity\n\n${paragraph()}\n\n## Definition of terms\n\n**Microsolidarity** is a set of practices for mutual support between peers.\n\nMost of this support happens in a **Crew**: a small group of up to about 8 people.\n\nThe **Congregation** is a space for Crews to develop in the company of other Crews.\n\nMany Congregations could form an **Assembly**.\n\n## About this site\n\nAll the content on this site is published with a [CC-BY-SA](https://creativecommons.org/licenses/by-sa/4.0/) license. Unless stated otherwise, assume the author is Richard D. Bartlett.\n`);
write('GLOSSARY.md', '# Glossary\n\n## Dyad\n\nTwo people in a relationship of mutual support.\n\n## Self\n\nThe networked self: the first scale of belonging.\n');
let summary = '# Table of contents\n\n* [Microsolidarity](README.md)\n* [Proposal](articles/proposal.md)\n';
for (const s of sections) {
  summary += `* [${s}](${s}/README.md)\n`;
  for (const f of folders.filter((f) => f.startsWith(s + '/'))) {
    summary += `  * [${f}](${f}/README.md)\n`;
    for (const p of pagePaths.filter((p) => dirname(p) === f)) summary += `    * [${p}](${p})\n`;
  }
}
write('SUMMARY.md', summary);

let bytes = 0;
for (const [p, text] of files) {
  mkdirSync(dirname(join(out, p)), { recursive: true });
  writeFileSync(join(out, p), text);
  bytes += Buffer.byteLength(text);
}
mkdirSync(join(out, '.gitbook/assets'), { recursive: true });
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
for (const a of assets) writeFileSync(join(out, '.gitbook/assets', a), png);
console.log(JSON.stringify({ out, pages: [...files.keys()].length, bytes, mb: +(bytes / 1048576).toFixed(1) }));
