/**
 * "Add attribution…" starts from what the checks already read of an image's
 * credit (engine/features/attribution.ts `knownCredit`): the alt text, the
 * file name, a credit line, "on Unsplash".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownCredit } from '../../server/src/engine/features/attribution';
import { checkSite, site } from './util';

const readme =
  '# Home\n\nAll the content on this site is published with a [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/) license. Unless stated otherwise, assume the author is Richard D. Bartlett.\n';

test('an Unsplash photo credited in its alt text: the author, and the license "on Unsplash" implies', async () => {
  const page =
    '# Weaving\n\n![Weaving image by Wei Cheng Wu on Unsplash](../.gitbook/assets/weaving-by-wei-cheng-wu-on-unsplash.jpg)\n';
  const { project } = await checkSite(
    site({
      'README.md': readme,
      'articles/weaving.md': page,
      '.gitbook/assets/weaving-by-wei-cheng-wu-on-unsplash.jpg': '',
    }),
  );
  const known = knownCredit(project.index, 'articles/weaving.md', page.indexOf('Weaving image'));
  assert.equal(known?.author, 'Wei Cheng Wu');
  assert.equal(known?.license?.implied, true);
  assert.match(known?.license?.name ?? '', /Unsplash/);
  assert.match(known?.from ?? '', /^alt text/);
});

test('a credit line: title, author, source and license as written', async () => {
  const page =
    '# Loom\n\n![A loom](https://images.example.org/loom.jpg)\n\n_"[Loom](https://example.org/loom)" by Jane Doe is licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)._\n';
  const { project } = await checkSite(site({ 'README.md': readme, 'articles/loom.md': page }));
  const known = knownCredit(project.index, 'articles/loom.md', page.indexOf('A loom'));
  assert.deepEqual(known, {
    title: 'Loom',
    author: 'Jane Doe',
    source: 'https://example.org/loom',
    license: { id: 'CC-BY-4.0', name: 'CC BY 4.0', implied: false },
    from: 'credit line',
  });
});

test('away from an image: nothing', async () => {
  const page = '# Text\n\nNo image here.\n';
  const { project } = await checkSite(site({ 'README.md': readme, 'articles/text.md': page }));
  assert.equal(knownCredit(project.index, 'articles/text.md', page.indexOf('No image')), undefined);
});
