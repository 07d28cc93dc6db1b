// The vscode-markdown-languageservice peer of the benchmark: what VS Code's built-in Markdown
// link validation does for a whole workspace, with the package's real API. The site is read
// from disk into an in-memory workspace (as VS Code's would hold it), markdown-it tokenizes
// (as VS Code does), and every document's links are validated: files, headings in the same
// and in other files, references. Prints one JSON line: documents, diagnostics, ms.
//   node scripts/bench/mdls-driver.mjs <site folder>
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import MarkdownIt from 'markdown-it';
import { createLanguageService, githubSlugifier, DiagnosticLevel, LogLevel } from 'vscode-markdown-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';

const started = performance.now();
const root = resolve(process.argv[2] ?? '.');
const docs = new Map();
const entries = new Map(); // uri string -> { isDirectory }
const children = new Map(); // dir uri string -> [name, stat][]

function walk(dir) {
  const list = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = join(dir, e.name);
    const uri = URI.file(p).toString();
    const stat = { isDirectory: e.isDirectory() };
    entries.set(uri, stat);
    list.push([e.name, stat]);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.md')) docs.set(uri, TextDocument.create(uri, 'markdown', 1, readFileSync(p, 'utf8')));
  }
  children.set(URI.file(dir).toString(), list);
}
entries.set(URI.file(root).toString(), { isDirectory: true });
walk(root);

const none = () => ({ dispose() {} });
const workspace = {
  get workspaceFolders() {
    return [URI.file(root)];
  },
  onDidChangeMarkdownDocument: none,
  onDidCreateMarkdownDocument: none,
  onDidDeleteMarkdownDocument: none,
  async getAllMarkdownDocuments() {
    return docs.values();
  },
  hasMarkdownDocument: (uri) => docs.has(uri.toString()),
  async openMarkdownDocument(uri) {
    return docs.get(uri.toString());
  },
  async stat(uri) {
    return entries.get(uri.toString());
  },
  async readDirectory(uri) {
    return children.get(uri.toString()) ?? [];
  },
};
const md = new MarkdownIt({ html: true });
const parser = {
  slugifier: githubSlugifier,
  async tokenize(document) {
    return md.parse(document.getText(), {});
  },
};
const service = createLanguageService({ workspace, parser, logger: { level: LogLevel.Off, log() {} } });
const options = {
  validateReferences: DiagnosticLevel.warning,
  validateFragmentLinks: DiagnosticLevel.warning,
  validateFileLinks: DiagnosticLevel.warning,
  validateMarkdownFileLinkFragments: DiagnosticLevel.warning,
  validateUnusedLinkDefinitions: DiagnosticLevel.warning,
  validateDuplicateLinkDefinitions: DiagnosticLevel.warning,
  ignoreLinks: [],
};
const token = { isCancellationRequested: false, onCancellationRequested: none };
let diagnostics = 0;
for (const doc of docs.values()) diagnostics += (await service.computeDiagnostics(doc, options, token)).length;
service.dispose();
console.log(JSON.stringify({ documents: docs.size, diagnostics, ms: Math.round(performance.now() - started) }));
