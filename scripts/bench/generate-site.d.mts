/** Types of generate-site.mjs (the benchmark's site generator), for the tests. */
export interface GeneratedSite {
  readonly out: string;
  /** Markdown files written (folder READMEs, SUMMARY.md and GLOSSARY.md included). */
  readonly pages: number;
  readonly bytes: number;
  readonly mb: number;
  readonly longPage: string;
  readonly proposal: string;
}
export function generateSite(options?: { pages?: number; out?: string; seed?: number; write?: boolean }): GeneratedSite;
