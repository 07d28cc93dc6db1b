import { namePattern } from './credit';

/**
 * How people write credits, as data: each phrase the attribution reader
 * looks for, with what it means and examples of what it must and must not
 * match (every example is a test: test/engine/creditPhrases.test.ts). The
 * reader (images.ts, quotes.ts, adaptations.ts, authors.ts) applies them
 * with small functions; ARCHITECTURE.md lists them.
 */
export interface CreditPhrase {
  /** What finding the phrase means for the material it stands beside. */
  readonly means: string;
  readonly pattern: RegExp;
  /** Texts (Markdown removed) the pattern must match. */
  readonly examples: readonly string[];
  /** Texts it must not match. */
  readonly counterExamples: readonly string[];
}

const names = String.raw`${namePattern}(?:\s*(?:,|&|\band\b)\s*${namePattern})*`;

const pronouns =
  'She|He|They|It|We|I|You|This|That|These|Those|The|A|An|Here|There|As|In|Then|So|But|And|Or|Our|My|Their|His|Her|Its|One|Some|Many';
/** Words that are capitalised at a sentence start but name nobody. */
export const notAName = new RegExp(`^(?:${pronouns})$`);
/** A name, never a pronoun or an article ("We wrote…", "The team…"). */
const person = String.raw`(?!(?:${pronouns})\b)${namePattern}`;

export const creditPhrases = {
  creditLine: {
    means: 'a paragraph right after an image that credits it',
    pattern:
      /^\s*(?:[—–-]{1,2}\s*)?(?:(?:photo(?:graph)?|image|picture|illustration|drawing|painting|artwork|cartoon|still|graphic|header|cover)\s*(?:credits?|by|from|:)|credits?\b|source\s*:|courtesy\b|via\b|©|\(c\)|copyright\b|licen[cs]e\s*:)/i,
    examples: [
      'Photo by Janusz Ratecki, CAN RÓWNOWAŻNIA#2 workshop',
      'Image: Weaving (CC BY 2.0)',
      'Credit: NASA',
      'Source: https://example.org/x',
      '© 2019 Jane Doe',
      'Courtesy of the Rijksmuseum',
      '— Photo by Jane Doe on Unsplash',
    ],
    counterExamples: [
      'Photos from our gathering in Berlin',
      'One example of a Community Mastery – Kanban board',
      'Screenshots are welcome',
    ],
  },
  adaptation: {
    means: 'the page or passage is adapted from another work: it needs that work’s credit and license',
    pattern:
      /\b(?:adapted|reproduced|reprinted|translated|excerpted)\s+(?:(?:with\s+(?:kind\s+)?permission\s+)?from|after)\b|\ban?\s+(?:adaption|adaptation|translation)\s+(?:of|from)\b|\bbased\s+on\b/i,
    examples: [
      'Adapted from my blog post here.',
      'Credit: this is an adaption from the official Case Clinic recipe from the Presencing Institute.',
      'An adaptation of The Elephants by Jane Doe.',
      'Reproduced with permission from Field Notes.',
      'Based on The Elephants by Jane Doe.',
    ],
    counterExamples: [
      'Can we create resilient communities adapted to our contemporary context?',
      'The principles are flexible and adapt to the specific needs of different groups.',
    ],
  },
  ownWork: {
    means: 'an adaptation of the author’s own work: no third-party credit needed, but the page is that author’s',
    pattern:
      /\b(?:my|our)\s+(?:own\s+)?(?:(?:earlier|original|previous|first)\s+)?(?:blog(?:\s*post)?|post|article|essay|newsletter|website|site|book|talk|paper|thread|substack|story|piece|notes)\b/i,
    examples: ['Adapted from my blog post here.', 'Reprinted from our newsletter.', 'based on my earlier essay'],
    counterExamples: ['Adapted from the official Case Clinic recipe.', 'from their blog post'],
  },
  quoteAttributionLine: {
    means: 'the last line of a block quote, or the paragraph after it, names who said it',
    pattern: /^\s*(?:[—–―~]|--|-\s)/,
    examples: ['— Riane Eisler, Partnership 101', '-- Margaret Mead', '~ Ursula K. Le Guin'],
    counterExamples: ['Riane Eisler, Partnership 101', '-isms are everywhere'],
  },
  quoteTrailingAttribution: {
    means: 'a quotation that ends with a dash and the name of who said it, in its last paragraph',
    pattern: new RegExp(String.raw`["”]\s*[—–―-]{1,2}\s*((?:${namePattern})\b[^"”]{0,200})$`, 'u'),
    examples: [
      '… and power is exercised in ways that empower rather than disempower others." – Riane Eisler, Partnership 101',
      '"Never doubt that a small group can change the world." ― Margaret Mead',
    ],
    counterExamples: ['"a quote" - and then the author goes on talking about it', 'a sentence – Riane Eisler'],
  },
  quoteLeadIn: {
    means: 'the sentence before a block quote names its author ("As X writes in [Y](url):")',
    pattern: new RegExp(
      String.raw`(${namePattern})\s*(?:\([^)]*\)\s*)?(?:writes|wrote|said|says|puts it|explains|explained|observed|observes|notes|noted|argues|argued|described|describes)\b`,
      'u',
    ),
    examples: [
      'As Riane Eisler writes in Partnership 101:',
      'Margaret Mead said:',
      'Adrienne Maree Brown (2017) puts it this way:',
    ],
    counterExamples: ['as we said before:'],
  },
  callout: {
    means:
      'a block quote used as a callout box ("> **Note:** …", "> GitHub tip: …"): the site’s own words, not a quotation',
    pattern:
      /^\s*(?:\[!(?:note|tip|important|warning|caution)\]|(?:[\p{L}]+\s+)?(?:note|nb|n\.b\.|tip|hint|warning|important|caution|info|reminder|update|edit|tl;?dr|heads[\s-]up|psa|ps|p\.s\.|disclaimer|example|todo)\s*[:!])/iu,
    examples: [
      'Note: this page is a draft.',
      'GitHub tip: press . to open the editor.',
      '[!NOTE] Useful information.',
      'Update: the camp is full.',
    ],
    counterExamples: [
      'In the domination system, somebody has to be on top.',
      'Never doubt that a small group can change the world.',
    ],
  },
  byline: {
    means: 'the page declares its author at its top',
    // No `i` flag: it would let \p{Lu} match any letter ("By the way").
    pattern: new RegExp(
      String.raw`^(?:(?:[Ww]ritten|[Ww]ords|[Tt]ext|[Ss]tory|[Aa]rticle|[Pp]ost|[Gg]uest\s+post|[Ee]ssay|[Ii]nterview|[Tt]ranslat(?:ed|ion))\s+)?[Bb]y\s+(${names})\s*\.?$|^(?:[Aa]uthors?|[Ww]ritten by|[Bb]y)\s*:\s*(${names})\s*\.?$`,
      'u',
    ),
    examples: ['By Theory U', 'Written by Ness Radich', 'Author: Jane Doe and John Smith'],
    counterExamples: ['By the way, this is a draft.'],
  },
  signature: {
    means: 'the page ends with the name of the person who wrote it: it is their page',
    pattern: new RegExp(String.raw`^(?:[—–―~-]{1,2}\s*)?(${namePattern})\s*$`, 'u'),
    examples: ['Jocelyn Endres', '— Jane Doe', '~ Ursula K. Le Guin'],
    counterExamples: ['Thank you for reading!', 'See you soon'],
  },
  authorHint: {
    means: 'words near the top of the page (or its description) that name who wrote it',
    pattern: new RegExp(
      [
        String.raw`^(${person})(?:\s*\([^)]*\))?(?:,?\s+(?:from|of|at)\s+[^.]{0,160}?)?,?\s+(?:wrote|authored|created|compiled|prepared|developed|put together|published)\b`,
        String.raw`\b(?:[Tt]his|[Tt]hese|[Tt]he following)\s+(?:[\p{L}-]+\s+){0,3}(?:was|were|is|are)\s+(?:originally\s+)?(?:written|authored|created|contributed|compiled|prepared)\s+by\s+(${person})`,
        String.raw`\b(?:[Aa]\s+)?(?:[Gg]uest\s+post|[Nn]ote|[Cc]ontribution|[Ss]tory|[Ee]ssay)\s+(?:from|by)\s+(${person})`,
        String.raw`\b(?:written|published|authored)\s+by\s+(${person})`,
        // A transcript's speaker introducing themselves: "Hi there, I'm Nati, I wanted to share…".
        String.raw`^(?:[Hh]i|[Hh]ello|[Hh]ey|[Ww]elcome)\b[^.!?]{0,40}?[,.!]\s*(?:I['’]m|I am|[Mm]y name is)\s+(${person})\b`,
      ].join('|'),
      'u',
    ),
    examples: [
      'Ness Radich from the Leadership for Change program at Otago University wrote these guidelines.',
      'This guide was written by Jane Doe.',
      'A guest post by Jane Doe',
      "Hi there, I'm Nati, I wanted to share with you some ideas about crewing.",
    ],
    counterExamples: [
      'We wrote these guidelines together.',
      "Welcome back! In this video, I'm going to share some more ideas.",
      "Over the years I'm Nati's partner in this work.",
    ],
  },
  defaultAuthor: {
    means: 'the home page’s statement of who wrote the pages that name no author',
    pattern: new RegExp(
      String.raw`(?:[Aa]ssume|[Pp]resume)\s+(?:that\s+)?the\s+author\s+is\s+(${namePattern})|(?:[Dd]efault|[Uu]nless stated otherwise)[^.]{0,60}?author\s+is\s+(${namePattern})`,
      'u',
    ),
    examples: [
      'Unless stated otherwise, assume the author is Richard D. Bartlett.',
      'By default the author is Jane Doe.',
    ],
    counterExamples: ['The author is unknown.', 'Unless stated otherwise, assume the author is unknown.'],
  },
  publishedBy: {
    means: 'a license statement that names the author ("This story is published by X with no rights reserved")',
    pattern: new RegExp(String.raw`\b(?:published|written|released|shared)\s+by\s+(${namePattern})`, 'u'),
    examples: ['This story is published by Richard D. Bartlett with no rights reserved.'],
    counterExamples: ['It was published in 2018.'],
  },
} as const satisfies Record<string, CreditPhrase>;

/** The first capture group that matched, trimmed of trailing punctuation. */
export function captured(m: RegExpExecArray): string | undefined {
  const v = m.slice(1).find((g) => g !== undefined);
  return v?.replace(/[.,]+$/, '').trim();
}
