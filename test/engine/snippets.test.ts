/**
 * Every Markdown snippet the extension contributes inserts GitBook syntax the
 * engine accepts: each body is expanded (defaults for `${n:default}`, a
 * placeholder word for a bare `$n`, every option of a choice) into a page of
 * a small in-memory site, and the page has no gitbook-block-* and no
 * link-missing-* finding.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project, type Finding } from '../../server/src/engine/index';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';
import { expandSnippet, snippetChoices } from './snippetExpansion';

interface Snippet {
  readonly prefix: string | string[];
  readonly body: string | string[];
  readonly description?: string;
  readonly scope?: string;
}

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { snippets: { language: string; path: string }[] };
};
const snippetFiles = manifest.contributes.snippets
  .filter((s) => s.language === 'markdown')
  .map((s) => join(root, s.path));
const snippets: [string, Snippet][] = snippetFiles.flatMap((f) =>
  Object.entries(JSON.parse(readFileSync(f, 'utf8')) as Record<string, Snippet>),
);

/** Where each expansion goes: most snippets assume a page one folder down (`../.gitbook/assets/…`). */
const page = 'articles/snippet.md';

const siteFiles: Record<string, string> = {
  'README.md': '# Home\n\n## Definition of terms\n\n**Crew**: a group of 2 to 8 peers.\n',
  'SUMMARY.md':
    '# Table of contents\n\n* [Home](README.md)\n* [The proposal](articles/proposal.md)\n* [Page](articles/page.md)\n* [Snippet](articles/snippet.md)\n',
  'articles/proposal.md': '# The proposal\n\n## Part 1\n\nText.\n',
  'articles/page.md': '# Page\n\nText.\n',
  '.gitbook/assets/image.png': 'png',
  '.gitbook/assets/file.pdf': 'pdf',
};

/** The findings a snippet must never cause. */
const forbidden = (f: Finding) => f.ruleId.startsWith('gitbook-block-') || f.ruleId.startsWith('link-missing-');

async function check(text: string, path = page): Promise<Finding[]> {
  const fs = new MemoryFileSystem({ ...siteFiles, [path]: `# Snippet\n\n${text}\n` });
  const project = new Project({ fs });
  await project.initialize();
  return project.check(path);
}

/** One expansion per option of the snippet's first choice (or one, without choices). */
function variants(body: string | string[]): { label: string; text: string; stop?: number; option?: string }[] {
  const choices = [...snippetChoices(body)];
  const variable = (name: string) => (name === 'TM_FILENAME_BASE' ? 'snippet' : '');
  if (choices.length === 0) return [{ label: 'defaults', text: expandSnippet(body, { emptyStop: 'Text', variable }) }];
  const [stop, options] = choices[0]!;
  return options.map((option) => ({
    label: `$${stop} = ${option}`,
    text: expandSnippet(body, { emptyStop: 'Text', variable, choice: (n, opts) => (n === stop ? option : opts[0]!) }),
    stop,
    option,
  }));
}

describe('contributed Markdown snippets', () => {
  test('the manifest contributes the snippet file and it holds the snippets the issue asks for', () => {
    assert.ok(snippetFiles.length > 0, 'no Markdown snippets contributed');
    const prefixes = new Set(snippets.flatMap(([, s]) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix])));
    for (const p of [
      'hint',
      'hint-info',
      'hint-success',
      'hint-warning',
      'hint-danger',
      'embed',
      'content-ref',
      'figure',
      'credit',
      'term',
      'proposal',
      'front-matter',
    ]) {
      assert.ok(prefixes.has(p), `no snippet with prefix ${p}`);
    }
    for (const [name, s] of snippets)
      assert.ok(s.description && s.description.length > 10, `snippet "${name}" has no description`);
  });

  for (const [name, snippet] of snippets) {
    for (const v of variants(snippet.body)) {
      test(`"${name}" (${v.label}) expands to syntax the engine accepts`, async () => {
        // The proposal link's choices are paths for pages in different folders: each one where it is right.
        const path =
          name === 'Link to the proposal'
            ? ((
                {
                  'articles/proposal.md': 'index.md',
                  'proposal.md': page,
                  '../articles/proposal.md': 'other/snippet.md',
                } as Record<string, string>
              )[v.option ?? ''] ?? page)
            : page;
        assert.doesNotMatch(v.text, /\$\{?\d|\u0000/, `unexpanded tab stop in ${JSON.stringify(v.text)}`);
        const findings = (await check(v.text, path)).filter(forbidden);
        assert.deepEqual(
          findings.map((f) => `${f.ruleId}: ${f.message}`),
          [],
          `expansion:\n${v.text}`,
        );
      });
    }
  }

  test('the check is not vacuous: a broken expansion is reported', async () => {
    const unclosed = (await check('{% hint style="info" %}\nText.')).filter(forbidden);
    assert.deepEqual(
      unclosed.map((f) => f.ruleId),
      ['gitbook-block-unclosed'],
    );
    const missing = (await check('{% content-ref url="nowhere.md" %}\n[x](nowhere.md)\n{% endcontent-ref %}'))
      .filter(forbidden)
      .map((f) => f.ruleId);
    assert.ok(missing.includes('link-missing-file'), JSON.stringify(missing));
    const style = (await check('{% hint style="note" %}\nText.\n{% endhint %}')).filter(forbidden).map((f) => f.ruleId);
    assert.deepEqual(style, ['gitbook-block-invalid']);
  });
});

describe('snippet expansion', () => {
  const variable = (name: string) => (name === 'TM_SELECTED_TEXT' ? '' : 'file');
  test('defaults, bare stops, mirrors, choices, variables and escapes', () => {
    assert.equal(
      expandSnippet('[${2:$1}]($1)${1:page.md}$0', { emptyStop: 'X', variable }),
      '[page.md](page.md)page.md',
    );
    assert.equal(expandSnippet('a $1 b $2', { emptyStop: 'X', variable }), 'a X b X');
    assert.equal(expandSnippet('${1|info,success|}', { emptyStop: 'X', variable }), 'info');
    assert.equal(
      expandSnippet('${1|info,success|}', { emptyStop: 'X', variable, choice: (_n, o) => o[1]! }),
      'success',
    );
    assert.equal(expandSnippet('${0:${TM_SELECTED_TEXT:Say it.}}', { emptyStop: 'X', variable }), 'Say it.');
    assert.equal(
      expandSnippet('${TM_FILENAME_BASE/(^|-)(\\w)/${2:/upcase}/g}!', { emptyStop: 'X', variable }),
      'file!',
    );
    assert.equal(expandSnippet('\\$1 \\} $$1', { emptyStop: 'X', variable }), '$1 } $X');
  });
});
