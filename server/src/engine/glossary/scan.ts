import type { Nodes, Parents } from 'mdast';
import { walkTree } from '../parse/walk';
import type { Span } from '../types';
import type { FileFacts } from '../facts';
import type { ParsedDocument } from '../parse/markdown';
import { spanTester } from '../parse/markdown';
import type { FormKind, Glossary } from './model';
import { glossaryFingerprint, matcherOf } from './knowledge';
import { formKey, isInTitle, isSentenceStart, quotationSpans, startsUpper, wordBefore } from './words';

/**
 * Every use of a glossary term (or of a synonym to avoid) in a page: whole
 * words in prose text and headings only. Code, inline code, HTML, front
 * matter, comments, link destinations, autolinks, GitBook tags, URLs,
 * domains, paths, hashtags and words that merely contain a term are never
 * uses.
 */

export interface TermUse {
  /** The canonical term. */
  readonly term: string;
  /** The form matched, in its canonical case ("Crews"); for a synonym, the synonym's form ("pods"). */
  readonly form: string;
  readonly formKind: FormKind;
  /** Set when the word is a synonym to avoid rather than the term. */
  readonly synonym?: string;
  /** The word as written. */
  readonly text: string;
  readonly span: Span;
  /** In a heading: ordinary (title) capitalisation applies. */
  readonly heading: boolean;
  /** First word of a sentence, paragraph, list item or table cell. */
  readonly sentenceStart: boolean;
  /** Capitalised next to another capitalised word or a number: part of a title or a name ("Microsolidarity Part 2"). */
  readonly title: boolean;
  /** Inside a quotation that holds more than the word: someone else's words. */
  readonly quoted: boolean;
  /** The word mentioned as a word: alone in quotes, in bold or in italics (“crew”, **crew**). */
  readonly mention: boolean;
  /**
   * Part of a proper name: a capitalised word other than an article or a
   * determiner right before it ("Maastricht Congregation", "Enspiral Crew",
   * even at a sentence start), or capitalised in a link's text.
   */
  readonly name: boolean;
  /** The subject of a sentence that defines it: "A Dyad is a relationship…", "The Congregation is somewhere…". */
  readonly introduced: boolean;
  /** Inside the text of a link. */
  readonly link: boolean;
  /** A preceding "a"/"an", for fixes that change the word's first sound. */
  readonly article?: Span;
}

const blockTypes = new Set(['paragraph', 'heading', 'tableCell']);
const skipTypes = new Set(['code', 'inlineCode', 'html', 'yaml', 'definition', 'image', 'imageReference']);

function spanOf(node: Nodes): Span {
  return { start: node.position?.start.offset ?? 0, end: node.position?.end.offset ?? 0 };
}

/** A token that is a URL, a domain, a file name, a path, an e-mail address or a handle. */
export function isUrlLike(token: string): boolean {
  const t = token.replace(/^[([<"'“‘*_]+/, '').replace(/[)\]>"'”’*_.,;:!?]+$/, '');
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ||
    t.includes('://') ||
    /^www\./i.test(t) ||
    t.includes('@') ||
    /[\p{L}\p{N}]\.[\p{L}\p{N}]/u.test(t) ||
    /^\.{0,2}\//.test(t)
  );
}

/** Scans one parsed page. Pure; use `termUsesOf` for the memoised version. */
export function scanTermUses(doc: ParsedDocument, glossary: Glossary): TermUse[] {
  const matcher = matcherOf(glossary);
  const pattern = matcher.pattern;
  if (!pattern) return [];
  const text = doc.text;
  const uses: TermUse[] = [];
  const inTag = spanTester(doc.gitbook.tags.map((t) => t.span));
  // A GitBook tag ends a block of its own: `{% hint %}` then "Microsolidarity is…" starts a sentence.
  const tagEnds = doc.gitbook.tags.map((t) => t.span.end).sort((x, y) => x - y);
  const proseStart = (blockStart: number, at: number) => {
    let from = blockStart;
    for (const e of tagEnds) {
      if (e > at) break;
      if (e > from) from = e;
    }
    return from;
  };
  const inExcluded = spanTester(doc.excluded);
  const quotes = new Map<Parents, Span[]>();
  const quotesOf = (block: Parents) => {
    let q = quotes.get(block);
    if (!q) {
      const s = spanOf(block);
      quotes.set(block, (q = quotationSpans(text, s.start, s.end)));
    }
    return q;
  };

  // The first match at or after an offset. Whether the pattern matches at a
  // position does not depend on where the search started, so a match found
  // from an earlier offset is still the first one from any later offset up
  // to it: text nodes without a term reuse it instead of scanning on to the
  // next term of the page each time.
  let searchedFrom = -1;
  let found: RegExpExecArray | null = null;
  const firstMatchFrom = (from: number): RegExpExecArray | null => {
    if (searchedFrom >= 0 && searchedFrom <= from && (found === null || found.index >= from)) return found;
    pattern.lastIndex = from;
    found = pattern.exec(text);
    searchedFrom = from;
    return found;
  };

  walkTree(doc.tree, (node, ancestors) => {
    if (skipTypes.has(node.type)) return 'skip';
    if (node.type === 'link' && node.position) {
      // Autolinks (<https://…>, www.…, bare URLs) are their own destination: no prose inside.
      if (text[node.position.start.offset ?? 0] !== '[') return 'skip';
    }
    if (node.type !== 'text') return undefined;
    const { start: s, end: e } = spanOf(node);
    if (e <= s) return undefined;
    const first0 = firstMatchFrom(s);
    if (!first0 || first0.index >= e) return undefined;
    const block = [...ancestors].reverse().find((a) => blockTypes.has(a.type));
    // A block's prose starts at its first child: after `#` markers and table pipes.
    const first = block && 'children' in block ? (block.children[0] as Nodes | undefined) : undefined;
    const blockStart = first ? spanOf(first).start : block ? spanOf(block).start : s;
    const heading = ancestors.some((a) => a.type === 'heading');
    const link = ancestors.some((a) => a.type === 'link' || a.type === 'linkReference');
    // The innermost bold or italic phrase: one that holds nothing but the term mentions it as a word.
    let emphasis: Span | undefined;
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i]!;
      if (a.type === 'strong' || a.type === 'emphasis') {
        emphasis = innerSpan(a);
        break;
      }
      if (blockTypes.has(a.type)) break;
    }
    for (let m: RegExpExecArray | null = first0; m && m.index < e; m = firstMatchFrom(m.index + m[0].length)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end > e || inTag(start) || inExcluded(start)) continue;
      const hit = matcher.lookup(m[0]);
      if (!hit) continue;
      // The whitespace-delimited token around the word, inside this text node.
      let ts = start;
      while (ts > s && !/\s/.test(text[ts - 1]!)) ts--;
      let te = end;
      while (te < e && !/\s/.test(text[te]!)) te++;
      if (isUrlLike(text.slice(ts, te))) continue;
      const upper = startsUpper(m[0]);
      const q = block ? quotesOf(block).find((x) => x.start <= start && end <= x.end) : undefined;
      const alone = (x: Span) => formKey(text.slice(x.start, x.end).replace(/[*_]/g, '').trim()) === formKey(m![0]);
      const quoted = !!q && !alone(q);
      const mention =
        (!!q && alone(q)) || (!!emphasis && emphasis.start <= start && end <= emphasis.end && alone(emphasis));
      const from = proseStart(blockStart, start);
      const sentenceStart = isSentenceStart(text, start, from);
      const a = /(?:^|[^\p{L}\p{N}])(an?)[ \t]+$/iu.exec(text.slice(Math.max(blockStart, start - 6), start));
      uses.push({
        term: hit.term.term,
        form: hit.form.text,
        formKind: hit.form.kind,
        ...(hit.synonym ? { synonym: hit.synonym } : {}),
        text: m[0],
        span: { start, end },
        heading,
        sentenceStart,
        title: upper && isInTitle(text, start, end, from),
        quoted,
        mention,
        name: upper && (link || isNamePart(text, start, from)),
        introduced: isIntroduced(text, start, end, from, sentenceStart),
        link,
        ...(a
          ? {
              article: {
                start: start - a[0].length + a[0].indexOf(a[1]!),
                end: start - a[0].length + a[0].indexOf(a[1]!) + a[1]!.length,
              },
            }
          : {}),
      });
    }
    return undefined;
  });
  return uses;
}

/** A node's span without its markers: the text inside `**…**` or `_…_`. */
function innerSpan(node: Parents): Span {
  const kids = node.children as Nodes[];
  const first = kids[0];
  const last = kids[kids.length - 1];
  if (!first || !last) return spanOf(node);
  return { start: spanOf(first).start, end: spanOf(last).end };
}

/** Words before a capitalised term that make it a common noun, not part of a name ("The Congregation", "Our Crew", "Many Crews"). */
const determiners = new Set(
  'a an the this that these those our your my his her their its each every any some many most more few several all both no one two three four five six seven eight nine ten another other such what which whose and or but of in on at for to from with by as into within without about between among'.split(
    ' ',
  ),
);

/** A capitalised word right before the term that is no determiner, article or preposition: "Maastricht Congregation", "Enspiral Crew". */
function isNamePart(text: string, start: number, from: number): boolean {
  const before = wordBefore(text, start, Math.max(from, start - 40));
  return (
    !!before &&
    startsUpper(before.word) &&
    !determiners.has(before.word.toLowerCase()) &&
    !/^I(?:['’]\w+)?$/.test(before.word)
  );
}

const definingVerb = /^[*_”"’']*\s+(?:is|are|means|refers\s+to|denotes|describes)\s/;

/** The subject of a defining sentence: at its start, after an article at most, followed by "is", "are", "means"… */
function isIntroduced(text: string, start: number, end: number, from: number, sentenceStart: boolean): boolean {
  if (!definingVerb.test(text.slice(end, end + 24))) return false;
  if (sentenceStart) return true;
  const before = wordBefore(text, start, Math.max(from, start - 12));
  return !!before && /^(?:a|an|the)$/i.test(before.word) && isSentenceStart(text, before.start, from);
}

const memo = new WeakMap<FileFacts, { readonly fingerprint: string; readonly uses: readonly TermUse[] }>();

/**
 * The term uses of a page, memoised on its facts (a new version of the page
 * has new facts) and the glossary's fingerprint. Phase one fills the memo as
 * the glossary rules run, so editor features and `msol glossary` rarely
 * parse a page again.
 */
export function termUsesOf(doc: ParsedDocument, glossary: Glossary, facts?: FileFacts): readonly TermUse[] {
  const fingerprint = glossaryFingerprint(glossary);
  if (facts) {
    const hit = memo.get(facts);
    if (hit && hit.fingerprint === fingerprint) return hit.uses;
  }
  const uses = scanTermUses(doc, glossary);
  if (facts) memo.set(facts, { fingerprint, uses });
  return uses;
}

/** The memoised uses of a page, when phase one (or an earlier call) computed them with this glossary. */
export function cachedTermUses(facts: FileFacts, glossary: Glossary): readonly TermUse[] | undefined {
  const hit = memo.get(facts);
  return hit && hit.fingerprint === glossaryFingerprint(glossary) ? hit.uses : undefined;
}
