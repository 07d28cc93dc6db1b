/**
 * Site knowledge whose derivation throws (a bug in the glossary code, never
 * content) is not silence: the rules run with an empty glossary, and the
 * source page gets one `rule-crashed` finding saying so, like a rule's crash.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { glossaryKnowledge } from '../../server/src/engine/glossary/knowledge';
import { checkSite, site } from './util';

const original = glossaryKnowledge.derive;
afterEach(() => {
  (glossaryKnowledge as { derive: typeof original }).derive = original;
});

function breakGlossary(): void {
  (glossaryKnowledge as { derive: typeof original }).derive = () => {
    throw new Error('boom in the glossary');
  };
}

const readme = '# Home\n\n## Definition of terms\n\n**Crew**: a small group.\n\nA crew meets. See [gone](gone.md).\n';

describe('a glossary source that throws', () => {
  test('is a rule-crashed finding on the source page; the other rules still run', async () => {
    breakGlossary();
    const { findings } = await checkSite(
      site({
        'README.md': readme,
        'GLOSSARY.md': '# Glossary\n\n## Crew\n\nA small group.\n',
        'a.md': '# A\n\nthe crew\n',
      }),
    );
    const crashed = findings.filter((f) => f.ruleId === 'rule-crashed');
    assert.equal(crashed.length, 1);
    assert.equal(crashed[0]!.path, 'GLOSSARY.md');
    assert.equal(crashed[0]!.severity, 'error');
    assert.match(
      crashed[0]!.message,
      /^Unexpected crash while reading the glossary from this page and 1 more \(README\.md\) \(boom in the glossary\)/,
    );
    assert.ok(
      findings.some((f) => f.ruleId === 'link-missing-file' && f.path === 'README.md'),
      'the other rules ran',
    );
    assert.ok(!findings.some((f) => f.ruleId === 'term-case'), 'the glossary is empty');
  });

  test('without a GLOSSARY.md, the home page carries it; a working glossary reports nothing of the kind', async () => {
    breakGlossary();
    const broken = await checkSite(site({ 'README.md': readme }));
    assert.deepEqual(
      broken.findings.filter((f) => f.ruleId === 'rule-crashed').map((f) => f.path),
      ['README.md'],
    );
    (glossaryKnowledge as { derive: typeof original }).derive = original;
    const working = await checkSite(site({ 'README.md': readme }));
    assert.deepEqual(
      working.findings.filter((f) => f.ruleId === 'rule-crashed'),
      [],
    );
  });
});
