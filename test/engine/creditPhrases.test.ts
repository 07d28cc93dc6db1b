/**
 * The credit phrases are data (server/src/engine/attribution/phrases.ts):
 * every example must match its pattern and every counter-example must not.
 * A phrase without examples of both kinds is untested, and fails here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { creditPhrases } from '../../server/src/engine/attribution/phrases';

describe('credit phrases', () => {
  for (const [id, phrase] of Object.entries(creditPhrases)) {
    test(`${id}: ${phrase.means}`, () => {
      assert.ok(
        phrase.examples.length > 0 && phrase.counterExamples.length > 0,
        `${id} needs examples and counter-examples`,
      );
      for (const e of phrase.examples) assert.match(e, phrase.pattern, `${id} must read "${e}"`);
      for (const e of phrase.counterExamples) assert.doesNotMatch(e, phrase.pattern, `${id} must not read "${e}"`);
    });
  }
});
