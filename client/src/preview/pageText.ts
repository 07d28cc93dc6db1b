/**
 * Pure text helpers of the preview (no `vscode`): a page's title for
 * content-ref cards, and the glossary matcher that marks terms.
 */
import type { PreviewGlossary, PreviewTerm } from './markdownIt';

/** The page's title: its first level-one heading (front matter skipped). */
export function pageTitleOf(text: string): string | undefined {
  const body = text.replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/, '');
  const atx = /^#[ \t]+(.+?)[ \t#]*$/m.exec(body);
  if (atx)
    return (
      atx[1]!
        .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1')
        .replace(/[*_`]/g, '')
        .trim() || undefined
    );
  const setext = /^(\S.*)\r?\n=+[ \t]*$/m.exec(body);
  return setext ? setext[1]!.trim() : undefined;
}

const apostrophes = /[’‘]/g;

function formKey(s: string): string {
  return s.replace(apostrophes, "'").toLocaleLowerCase();
}

/** A whole-word matcher over every form of every term, longest forms first. */
export function matcherOf(
  terms: readonly { readonly term: string; readonly forms: readonly string[]; readonly definition: string }[],
): PreviewGlossary {
  const byForm = new Map<string, PreviewTerm>();
  for (const t of terms)
    for (const f of [t.term, ...t.forms])
      if (!byForm.has(formKey(f))) byForm.set(formKey(f), { term: t.term, definition: t.definition });
  const forms = [...byForm.keys()].filter((f) => f.trim() !== '').sort((a, b) => b.length - a.length);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’‘]");
  const pattern = forms.length
    ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${forms.map(escape).join('|')})(?![\\p{L}\\p{N}_])`, 'giu')
    : undefined;
  return { pattern, lookup: (word) => byForm.get(formKey(word)) };
}
