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
const naming =
  /\b(?:called|named|termed|known as|we call (?:this|these|that|it|them)|I call (?:this|these|that|it|them))\s+(?:an?\s+|the\s+)?["“‘]?$/i;
const article = /(?:^|[\s(“"‘])(?:a|an|the|our|each|every)\s+["“‘]?$/i;
const copulaStart = /^\s*(?:is|are)\s+(?:a|an|the|any|one|what|where|when|how|some|our)\b/i;
/** "**Partners** are members with…": a plural defined by a bare noun; not "are expected", "are always", "are important". */
const pluralCopula =
  /^\s*are\s+(?!(?:not|also|often|always|usually|never|very|more|less|most|so|too|just|only|all|both|each|free|welcome|able|optional|important|responsible|key|vital|here|there|now|then|still|mostly|likely|ready)\b)(?![\p{L}-]+(?:ed|ly|ing)\b)\p{L}/iu;
/** "**Domination** is imbalance, coercion…": a singular defined by a bare noun; not "is important", "is not", "is often", "is used". */
const singularCopula =
  /^\s*is\s+(?!(?:not|also|often|always|usually|never|very|more|less|most|so|too|just|only|all|both|free|welcome|able|optional|important|essential|crucial|responsible|key|vital|here|there|now|then|still|mostly|likely|ready|good|bad|great|best|better|simple|easy|hard|difficult|possible|necessary|available|fine|true|false|different|similar|critical|central|useful|helpful|powerful|new|old|big|small|large|clear|open|done|over|about|like|why|because|that|this|it|my|your|our|their|his|her|its)\b)(?![\p{L}-]+(?:ed|ly|ing|ful|ous|ive|able|ible|ic|ical|less|ent|ant)\b)\p{L}/iu;
/** Nothing but opening punctuation and markup before: the phrase starts its paragraph or list item. */
const blockStart = /^[\s"“‘'([*_]*$/;

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
  // `"**Partnership**" is when…`: closing quotes between the phrase and its verb.
  const verb = after.replace(/^["”’'*_]+/, '');
  const c = copula.exec(verb);
  const atBlockStart = blockStart.test(text.slice(0, offset));
  if (
    c &&
    startsSentence &&
    (copulaStart.test(verb) || pluralCopula.test(verb) || singularCopula.test(verb) || !/^\s*(?:is|are)\b/i.test(verb))
  ) {
    gloss = c[1];
    strict = true;
  } else if (colonInside && /^\s*(?:a|an|the|any|one|some)\s/i.test(after)) {
    // "X: …" defines only as the label of its paragraph or list item ("Invite them to a **time-bounded experiment**: a sequence of…" is an instruction).
    gloss = after.trim();
    strict = atBlockStart;
  } else {
    const g = colonGloss.exec(after);
    if (g) {
      gloss = g[1];
      strict = atBlockStart;
    }
  }
  if (!strict && naming.test(before)) strict = true;
  const loose = strict || article.test(before) || before.trim() === '' || /^\s*(?:is|are)\b/i.test(after);
  return { strict, loose, ...(gloss ? { gloss: gloss.trim() } : {}), sentence };
}
