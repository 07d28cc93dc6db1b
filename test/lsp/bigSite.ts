/**
 * A site large enough that indexing is clearly still running when a test
 * opens a page right after `initialized`: 400 pages of 12 sections, each
 * linking to the next page's sections. The last page is not in SUMMARY.md
 * (an orphan only the whole index can tell).
 */
const pageCount = 400;

export function bigSite(): Record<string, string> {
  const files: Record<string, string> = {
    'README.md': '# Home\n\nA handbook about [the proposal](proposal.md).\n',
    'proposal.md': '# Proposal\n\n## Part 1. Collapse\n\nSome text.\n',
    'GLOSSARY.md': '# Glossary\n\n## Congregation\n\nA group of crews.\n',
  };
  const summary = ['# Summary', '', '* [Home](README.md)', '* [Proposal](proposal.md)'];
  for (let i = 0; i < pageCount; i++) {
    const name = `pages/p${String(i).padStart(4, '0')}.md`;
    const next = `p${String((i + 1) % pageCount).padStart(4, '0')}.md`;
    const sections = Array.from(
      { length: 12 },
      (_, s) =>
        `## Section ${s}\n\nParagraph ${s} of page ${i}, linking to [the next page](${next}#section-${s}) and [home](../README.md).\n`,
    );
    files[name] = `# Page ${i}\n\n${sections.join('\n')}`;
    summary.push(`* [Page ${i}](${name})`);
  }
  // The last page is left out of SUMMARY.md: an orphan only the whole index can tell.
  summary.pop();
  files['SUMMARY.md'] = summary.join('\n') + '\n';
  return files;
}
