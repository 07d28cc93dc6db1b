// Writes a reproducible GitBook site of N Markdown pages in the handbook's shape, for benchmarks.
//   node scripts/bench/generate-site.mjs --pages 2240 --out /tmp/msol-bench/site-2240 [--seed 1]
// --pages counts every Markdown file written (folder READMEs, SUMMARY.md and GLOSSARY.md included).
// Shape: README.md with a "Definition of terms" section and the license statement, SUMMARY.md
// listing every page in folders of ~60 pages, articles/proposal.md (the hub: parts and term
// headings), GLOSSARY.md, one long page (articles/field-notes.md, ~50 KB, for the editor
// benchmark) and pages of ~6.5 KB of long prose paragraphs (about 13.8 MB at 2,240 pages, like
// the real large site the targets were measured on) with inline links to pages, their headings
// and the proposal (about 2% broken), bold terms (rarely mis-cased), images with and without
// credits, GitBook blocks (hint, content-ref, embed), tables, code and credited block quotes;
// .gitbook/assets/ with the images. Same arguments, same bytes: xorshift32, no Math.random, no
// dates. Also importable: `generateSite({ pages, out, seed })` returns the same summary object.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const words =
  'support trust care practice belonging reciprocity gathering host circle listen money share learn economic emotional small large network community dialogue weave purpose meaning relationship invite ritual season rhythm friends work commons people together group peers mutual help time space conversation question answer story growth health prosperity collective project experiment pattern method language role contribution guidance freedom courage hope'.split(
    ' ',
  );
const terms = ['Microsolidarity', 'Crew', 'Congregation', 'Assembly', 'Dyad', 'Guild', 'Weaver'];
const sections = ['articles', 'crewing', 'congregating', 'discussing', 'practices', 'stories', 'research', 'methods'];
const people = ['Wei Cheng Wu', 'Ana Lopez', 'Tom Brown', 'Mia Chen', 'Sam Okafor', 'Lea Novak'];
const proposalParts = ['Collapse', 'Crew', 'Congregation', 'Assembly'];
const proposalTerms = ['Self', 'Dyad', 'Crew', 'Congregation', 'Assembly'];
/** The anchor GitBook (and the engine) give "Part 2. Crew": lower case, punctuation dropped, spaces to dashes. */
const partSlug = (i) => `part-${i + 1}-${proposalParts[i].toLowerCase()}`;

export function generateSite({
  pages = 500,
  out = `/tmp/msol-bench/site-${pages}`,
  seed: seedOption = 1,
  write: writeToDisk = true,
} = {}) {
  if (!Number.isInteger(pages) || pages < 16)
    throw new Error(`--pages must be a whole number of at least 16, got ${pages}`);
  let seed = Number(seedOption) >>> 0 || 1;
  // xorshift32: deterministic across machines and Node versions.
  const rnd = () => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed / 4294967296;
  };
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const cap = (s) => s[0].toUpperCase() + s.slice(1);

  // Fixed pages: README, SUMMARY, GLOSSARY, proposal, field notes, one README per section.
  const fixed = 5 + sections.length;
  let content = pages - fixed;
  while (content + Math.ceil(content / 60) > pages - fixed) content--;
  const pagePaths = [];
  for (let i = 0; i < content; i++) {
    const k = Math.floor(i / 60);
    const s = sections[k % sections.length];
    pagePaths.push(`${s}/${s}-${Math.floor(k / sections.length)}/page-${i}.md`);
  }
  const folders = [...new Set(pagePaths.map((p) => dirname(p)))];
  const assets = [];
  for (let i = 0; i < Math.max(10, Math.floor(pages / 10)); i++)
    assets.push(i % 7 === 0 ? `photo-by-someone-${i}-on-unsplash.jpg` : `image (${i}).png`);
  // Headings are decided before any text, so that links to them can be right (or, 2% of the time, wrong).
  const headingsOf = new Map();
  for (const p of pagePaths) {
    const n = int(3, 6);
    const hs = [];
    for (let s = 0; s < n; s++) hs.push(`${cap(pick(words))} and ${pick(words)} ${s}`);
    headingsOf.set(p, hs);
  }
  const slug = (h) =>
    h
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-');
  const rel = (from, to) => {
    const up = '../'.repeat(from.split('/').length - 1);
    return up + to;
  };

  const term = () => {
    const t = pick(terms);
    // Terms are written as the glossary defines them, except rarely (term-case).
    return rnd() < 0.004 ? t.toLowerCase() : t;
  };
  function sentence(from) {
    const n = int(9, 19);
    const w = [];
    for (let i = 0; i < n; i++) {
      const r = rnd();
      if (r < 0.05) w.push(term());
      else if (r < 0.065) w.push(`**${pick(words)} ${pick(words)}**`);
      else if (r < 0.075) w.push(`\\(${pick(words)}\\)`);
      else if (r < 0.085 && from) w.push(link(from));
      else w.push(pick(words));
    }
    return cap(w.join(' ')) + pick(['.', '.', '.', '!', '?']);
  }
  function link(from) {
    const r = rnd();
    if (r < 0.35) {
      const target = pick(pagePaths);
      const broken = rnd() < 0.02;
      return `[${pick(words)} ${pick(words)}](${rel(from, broken ? target.replace('.md', '-moved.md') : target)})`;
    }
    if (r < 0.55) {
      const target = pick(pagePaths);
      const hs = headingsOf.get(target);
      const anchor = rnd() < 0.02 ? `${slug(pick(hs))}-old` : slug(pick(hs));
      return `[${pick(words)}](${rel(from, target)}#${anchor})`;
    }
    if (r < 0.7) return `[the proposal](${rel(from, 'articles/proposal.md')}#${partSlug(int(0, 3))})`;
    if (r < 0.995) return `[${pick(words)}](https://example.org/${pick(words)}/${int(1, 999)})`;
    return `[the proposal](https://www.microsolidarity.cc/articles/proposal)`;
  }
  function paragraph(from, min = 4, max = 7) {
    const n = int(min, max);
    const s = [];
    for (let i = 0; i < n; i++) s.push(sentence(from));
    return s.join(' ');
  }
  function image(from) {
    const a = pick(assets);
    const src = rel(from, `.gitbook/assets/${a}`);
    const who = pick(people);
    const r = rnd();
    if (r < 0.45)
      return `![${cap(pick(words))} ${pick(words)} by ${who}](${src.replace(/ /g, '%20')})\n“${cap(pick(words))} ${pick(words)}” by ${who}, [source](https://example.org/photos/${int(1, 9999)}), [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).`;
    if (r < 0.85)
      return `<figure><img src="${src}" alt="${cap(pick(words))} ${pick(words)}"><figcaption><p>“${cap(pick(words))}” by ${who}, <a href="https://example.org/photos/${int(1, 9999)}">source</a>, <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p></figcaption></figure>`;
    // Defects: no credit, empty alt.
    if (r < 0.93) return `![${cap(pick(words))}](${src.replace(/ /g, '%20')})`;
    return `<figure><img src="${src}" alt=""><figcaption><p>Photo by ${who} on Unsplash</p></figcaption></figure>`;
  }
  function block(from) {
    const r = rnd();
    if (r < 0.2)
      return `{% hint style="${pick(['info', 'warning', 'success', 'danger'])}" %}\n${sentence(from)}\n{% endhint %}`;
    if (r < 0.3) {
      const target = pick(pagePaths);
      return `{% content-ref url="${rel(from, target)}" %}\n[${target.split('/').pop()}](${rel(from, target)})\n{% endcontent-ref %}`;
    }
    if (r < 0.36)
      return `{% embed url="https://www.youtube.com/watch?v=${int(100000, 999999)}" %}\n${cap(pick(words))} ${pick(words)}\n{% endembed %}`;
    if (r < 0.5)
      return `> ${paragraph(undefined, 2, 4)}\n>\n> — ${pick(people)}, [${pick(words)} ${pick(words)}](https://example.org/quotes/${int(1, 999)})`;
    if (r < 0.6) return '```\nconst crew = gather(peers);\nshare(crew, care);\n```';
    if (r < 0.7)
      return `| ${cap(pick(words))} | ${cap(pick(words))} |\n| --- | --- |\n| ${sentence()} | ${sentence()} |\n| ${sentence()} | ${sentence()} |`;
    return `* ${sentence(from)}\n* ${sentence(from)}\n  * ${sentence()}\n* ${sentence(from)}`;
  }

  function pageText(path, i) {
    const title = `${cap(pick(words))} ${pick(words)} ${i}`;
    const description =
      rnd() < 0.5 ? `description: ${sentence()}` : `description: >-\n  ${sentence()}\n  ${sentence()}`;
    let t = `---\n${description}\n---\n\n# ${title}\n\n`;
    t += `${paragraph(path)} Read [the proposal](${rel(path, 'articles/proposal.md')}) first.\n\n`;
    for (const h of headingsOf.get(path)) {
      t += `${rnd() < 0.8 ? '##' : '###'} ${h}\n\n`;
      const paras = int(1, 2);
      for (let p = 0; p < paras; p++) t += paragraph(path) + '\n\n';
      if (rnd() < 0.3) t += image(path) + '\n\n';
      if (rnd() < 0.5) t += block(path) + '\n\n';
    }
    return t;
  }

  const files = new Map();
  pagePaths.forEach((p, i) => files.set(p, pageText(p, i)));
  for (const f of folders)
    files.set(`${f}/README.md`, `# ${cap(f.split('/').pop())}\n\n${paragraph(`${f}/README.md`, 2, 4)}\n`);
  for (const s of sections) files.set(`${s}/README.md`, `# ${cap(s)}\n\n${paragraph(`${s}/README.md`, 2, 4)}\n`);

  let proposal = `---\ndescription: The original proposal.\n---\n\n# A proposal to weave emotional and economic Microsolidarity\n\n${paragraph('articles/proposal.md')}\n\n### Definition of terms\n\n`;
  proposalTerms.forEach((t, i) => {
    proposal += `#### ${i + 1}: the ${t}\n\n${paragraph(undefined)}\n\n`;
  });
  proposalParts.forEach((p, i) => {
    proposal += `## Part ${i + 1}. ${p}\n\n${paragraph('articles/proposal.md')}\n\n${paragraph('articles/proposal.md')}\n\n`;
  });
  files.set('articles/proposal.md', proposal);

  // A long page (~50 KB) for the editor benchmark's keystrokes.
  let notes = `# Field notes\n\n`;
  for (let s = 0; notes.length < 50000; s++)
    notes += `## Notes ${s}\n\n${paragraph('articles/field-notes.md')}\n\n${paragraph('articles/field-notes.md')}\n\n`;
  files.set('articles/field-notes.md', notes);

  files.set(
    'README.md',
    `# Microsolidarity\n\n${paragraph('README.md')}\n\n## Definition of terms\n\n**Microsolidarity** is a set of practices for mutual support between peers.\n\nMost of this support happens in a **Crew**: a small group of up to about 8 people.\n\nThe **Congregation** is a space for Crews to develop in the company of other Crews.\n\nMany Congregations could form an **Assembly**.\n\n## About this site\n\nAll the content on this site is published with a [CC-BY-SA](https://creativecommons.org/licenses/by-sa/4.0/) license. Unless stated otherwise, assume the author is Richard D. Bartlett.\n`,
  );
  files.set(
    'GLOSSARY.md',
    '# Glossary\n\n## Guild\n\nA network of peers who support each other to develop a craft.\n\n## Weaver\n\nSomeone who tends the relationships of a Congregation.\n',
  );
  let summary =
    '# Table of contents\n\n* [Microsolidarity](README.md)\n* [Proposal](articles/proposal.md)\n* [Field notes](articles/field-notes.md)\n* [Glossary](GLOSSARY.md)\n';
  const byFolder = new Map(folders.map((f) => [f, []]));
  for (const p of pagePaths) byFolder.get(dirname(p)).push(p);
  for (const s of sections) {
    summary += `* [${cap(s)}](${s}/README.md)\n`;
    for (const f of folders.filter((f) => f.startsWith(s + '/'))) {
      summary += `  * [${cap(f.split('/').pop())}](${f}/README.md)\n`;
      for (const p of byFolder.get(f)) summary += `    * [${p.split('/').pop().replace('.md', '')}](${p})\n`;
    }
  }
  files.set('SUMMARY.md', summary);

  let bytes = 0;
  for (const text of files.values()) bytes += Buffer.byteLength(text);
  if (writeToDisk) {
    rmSync(out, { recursive: true, force: true });
    for (const [p, text] of files) {
      mkdirSync(dirname(join(out, p)), { recursive: true });
      writeFileSync(join(out, p), text);
    }
    mkdirSync(join(out, '.gitbook/assets'), { recursive: true });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    for (const a of assets) writeFileSync(join(out, '.gitbook/assets', a), png);
  }
  return {
    out,
    pages: files.size,
    bytes,
    mb: +(bytes / 1048576).toFixed(1),
    longPage: 'articles/field-notes.md',
    proposal: 'articles/proposal.md',
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const pages = Number(opt('pages', 500));
  console.log(
    JSON.stringify(
      generateSite({ pages, out: opt('out', `/tmp/msol-bench/site-${pages}`), seed: Number(opt('seed', 1)) }),
    ),
  );
}
