import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBuilt, msol } from '../cli/cliHarness';
import { readTree } from './support';

/**
 * `msol check --fix` on the real handbook, opt-in (the corpus is not part of
 * a clone of this project):
 *
 *   MSOL_CORPORA=../shared/corpus node --import tsx --test test/engine/reliability/corpusFix.test.ts
 *
 * On both corpora (the living site, cloned with its history from
 * handbook-history.bundle, and the 2020 snapshot), a copy is checked, fixed,
 * and fixed again: no rule's count grows, the second --fix changes nothing,
 * and the living site's eu-summer-camp-2023 pictures are either left alone
 * or pointed at the very picture they showed when the page moved.
 */

const corpora = process.env['MSOL_CORPORA'];
const skip = corpora
  ? false
  : 'set MSOL_CORPORA to the folder holding handbook-history.bundle and handbook-2020-12 to run';

function counts(json: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const file of JSON.parse(json) as Array<{ messages: Array<{ ruleId: string }> }>)
    for (const m of file.messages) out[m.ruleId] = (out[m.ruleId] ?? 0) + 1;
  return out;
}

function fixTwice(site: string): { before: Record<string, number>; after: Record<string, number> } {
  const first = msol(['check', '.', '--no-cache', '--format', 'json'], { cwd: site });
  const fixed = msol(['check', '.', '--no-cache', '--fix', '--format', 'json'], { cwd: site });
  assert.doesNotMatch(fixed.stderr, /internal error|did not settle/);
  const before = counts(first.stdout);
  const after = counts(fixed.stdout);
  const grew = Object.keys(after)
    .filter((id) => after[id]! > (before[id] ?? 0))
    .map((id) => `${id}: ${before[id] ?? 0} → ${after[id]}`);
  assert.deepEqual(grew, [], 'a rule counts more findings after --fix');
  const tree = readTree(site);
  const again = msol(['check', '.', '--no-cache', '--fix', '--format', 'json'], { cwd: site });
  assert.match(again.stderr, /no fixes applied/);
  assert.deepEqual(readTree(site), tree, 'a second --fix changed the site');
  console.log(`# ${site}: before ${JSON.stringify(before)}; after ${JSON.stringify(after)}`);
  return { before, after };
}

test(
  'the living handbook (bundle tip, with its history): --fix adds no finding of any rule, settles, and puts the right pictures on eu-summer-camp-2023',
  { skip },
  () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'msol-corpus-'));
    const site = join(dir, 'handbook');
    execFileSync('git', ['clone', '-q', resolve(corpora!, 'handbook-history.bundle'), site]);
    const page = join(site, 'archive', 'eu-summer-camp-2023.md');
    const before = readFileSync(page, 'utf8');
    fixTwice(site);
    const after = readFileSync(page, 'utf8');
    // Each picture's link is as it was, or points at a file holding what its path held when the page moved into archive/.
    const moved = execFileSync(
      'git',
      ['-C', site, 'log', '--format=%H', '-1', '--', 'archive/eu-summer-camp-2023.md'],
      { encoding: 'utf8' },
    ).trim();
    const srcs = (text: string) => [...text.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    const was = srcs(before);
    const now = srcs(after);
    assert.equal(now.length, was.length);
    let repointed = 0;
    now.forEach((src, i) => {
      if (src === was[i]) return;
      repointed++;
      const shown = execFileSync('git', ['-C', site, 'show', `${moved}^:${was[i]}`], { encoding: 'utf8' });
      assert.equal(
        readFileSync(join(site, 'archive', src), 'utf8'),
        shown,
        `${was[i]} → ${src}: another picture than the one the page showed`,
      );
    });
    assert.ok(repointed > 0, 'the pictures whose content is known were repaired');
    rmSync(dir, { recursive: true, force: true });
  },
);

test('the 2020 snapshot (no history of its own): --fix adds no finding of any rule and settles', { skip }, () => {
  ensureBuilt();
  const source = resolve(corpora!, 'handbook-2020-12');
  assert.ok(existsSync(source), `no ${source}`);
  const dir = mkdtempSync(join(tmpdir(), 'msol-corpus-'));
  const site = join(dir, 'handbook-2020-12');
  cpSync(source, site, { recursive: true, mode: 0 });
  execFileSync('chmod', ['-R', 'u+w', site]);
  fixTwice(site);
  rmSync(dir, { recursive: true, force: true });
});
