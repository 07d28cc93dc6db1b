import { defineRule } from '../define';
import { code, message } from '../../message';
import { spanTester } from '../../parse/markdown';

/**
 * UTF-8 text that was once decoded as Windows-1252 and saved again: `â€”`
 * for an em dash, `â€™` for an apostrophe, `Ã©` for é. See docs.md.
 */

// Windows-1252 bytes 0x80–0x9F as the characters they decode to (undefined bytes map to the C1 control of the same value).
const cp1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const byteOf = new Map<string, number>();
for (let i = 0; i < 32; i++) byteOf.set(cp1252High[i]!, 0x80 + i);
for (let b = 0xa0; b <= 0xff; b++) byteOf.set(String.fromCharCode(b), b);

const continuation = `[${[...cp1252High].join('')}\\u00A0-\\u00BF]`;
// A UTF-8 lead byte (as Latin-1/Windows-1252) followed by the continuation bytes it needs.
const pattern = new RegExp(
  `[\\u00C2-\\u00DF]${continuation}|[\\u00E0-\\u00EF]${continuation}{2}|[\\u00F0-\\u00F4]${continuation}{3}`,
  'g',
);
const strict = new TextDecoder('utf-8', { fatal: true });

/** The text a mojibake sequence stood for, or undefined when it is not one. */
export function repairMojibake(sequence: string): string | undefined {
  const bytes: number[] = [];
  for (const ch of sequence) {
    const b = byteOf.get(ch);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  try {
    const repaired = strict.decode(new Uint8Array(bytes));
    // Nobody meant a C1 control: `Â”` in `“Â”` is a quoted letter, not a mangled U+0094.
    return repaired.length > 0 && repaired.codePointAt(0)! >= 0xa0 ? repaired : undefined;
  } catch {
    return undefined;
  }
}

export default defineRule(
  {
    id: 'encoding-mojibake',
    category: 'hygiene',
    scope: 'document',
    defaultSeverity: 'warning',
    description:
      'Text in the wrong encoding (`â€”` where an em dash was meant, `Ã©` for é); the fix restores the characters.',
    fixable: true,
  },
  { defaults: {} },
  ({ doc }, report) => {
    if (!doc) return;
    // Front matter is published (GitBook shows `description:` under the title), so it is checked; code and comments are not.
    const frontMatter = doc.tree.children[0]?.type === 'yaml' ? doc.tree.children[0].position?.start.offset : undefined;
    const inCode = spanTester(doc.excluded.filter((s) => s.start !== frontMatter));
    pattern.lastIndex = 0;
    for (let m = pattern.exec(doc.text); m; m = pattern.exec(doc.text)) {
      if (inCode(m.index)) continue;
      const repaired = repairMojibake(m[0]);
      if (!repaired) continue;
      const span = { start: m.index, end: m.index + m[0].length };
      report(span, message`Unexpected ${code(m[0])} (UTF-8 read as Windows-1252), expected ${code(repaired)}`, {
        note: `\`${repaired}\` was saved as UTF-8, read back as Windows-1252 and saved again, which turns one character into several.`,
        fix: { title: `Replace with “${repaired}”`, edits: [{ start: span.start, end: span.end, newText: repaired }] },
      });
    }
  },
);
