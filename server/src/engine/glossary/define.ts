import { isSentenceStart, sentences } from './words';

/**
 * The shapes of a sentence that defines a bold term, read from a paragraph's
 * plain text: "**Microsolidarity** is a set of practices…", "a **Crew**: a
 * small group…", "we call this a **Guild**", "an **Assembly**".
 */

export interface DefinitionShape {
  /** "X is …", "X: a …", "called X": a definition wherever it stands. */
  readonly strict: boolean;
  /** Preceded by an article or at the start of the paragraph: a definition inside a "Definition of terms" section. */
  readonly loose: boolean;
  /** What follows "is" or ":" up to the end of the sentence. */
  readonly gloss?: string;
  /** The sentence holding the phrase. */
  readonly sentence: { readonly start: number; readonly end: number; readonly text: string };
}

const copula = /^\s*(?:is|are|means|refers to|stands for|describes|denotes)\s+(\S[^]*)$/i;
const colonGloss = /^\s*:\s+((?:a|an|the|any|one|some)\s[^]*)$/i;
const naming = /\b(?:called|named|termed|known as|we call (?:this|these|that|it|them)|I call (?:this|these|that|it|them))\s+(?:an?\s+|the\s+)?["“‘]?$/i;
const article = /(?:^|[\s(“"‘])(?:a|an|the|our|each|every)\s+["“‘]?$/i;
const copulaStart = /^\s*(?:is|are)\s+(?:a|an|the|any|one|what|where|when|how|some|our)\b/i;
/** "**Partners** are members with…": a plural defined by a bare noun; not "are expected", "are always", "are important". */
const pluralCopula = /^\s*are\s+(?!(?:not|also|often|always|usually|never|very|more|less|most|so|too|just|only|all|both|each|free|welcome|able|optional|important|responsible|key|vital|here|there|now|then|still|mostly|likely|ready)\b)(?![\p{L}-]+(?:ed|ly|ing)\b)\p{L}/iu;

/** How the bold phrase at `offset` (length `length`) in `text` reads, or undefined for a phrase in no sentence. */
export function definitionShape(text: string, offset: number, length: number): DefinitionShape | undefined {
  const all = sentences(text);
  const sentence = all.find((s) => s.start <= offset && offset < s.end) ?? all.find((s) => offset < s.end);
  if (!sentence) return undefined;
  const phrase = text.slice(offset, offset + length);
  const colonInside = /:\s*$/.test(phrase);
  const after = text.slice(offset + length, sentence.end);
  const before = text.slice(sentence.start, offset);
  const startsSentence = isSentenceStart(text, offset, sentence.start) || article.test(before);
  let gloss: string | undefined;
  let strict = false;
  const c = copula.exec(after);
  if (c && startsSentence && (copulaStart.test(after) || pluralCopula.test(after) || !/^\s*(?:is|are)\b/i.test(after))) {
    gloss = c[1];
    strict = true;
  } else if (colonInside && /^\s*(?:a|an|the|any|one|some)\s/i.test(after)) {
    gloss = after.trim();
    strict = true;
  } else {
    const g = colonGloss.exec(after);
    if (g) {
      gloss = g[1];
      strict = true;
    }
  }
  if (!strict && naming.test(before)) strict = true;
  const loose = strict || article.test(before) || before.trim() === '' || /^\s*(?:is|are)\b/i.test(after);
  return { strict, loose, ...(gloss ? { gloss: gloss.trim() } : {}), sentence };
}
