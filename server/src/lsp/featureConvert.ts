import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CodeLens,
  type CompletionItem,
  type DocumentLink,
  type DocumentSymbol,
  type Hover,
  type Location as LspLocation,
  type Position as LspPosition,
  type Range as LspRange,
  type SymbolInformation,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type {
  CodeLensEntry,
  CompletionEntry,
  CompletionKind,
  DocumentLinkEntry,
  HoverResult,
  Location,
  Position,
  Range,
  Span,
  SymbolEntry,
  TextEdit,
} from '../engine/index';

/**
 * The one place where the engine's editor-feature data (engine/features/
 * types.ts: offsets, site paths) becomes LSP (positions, URIs). Pure
 * functions: the handlers in features.ts give them a way to map offsets of
 * the current document and site paths to URIs.
 */

/** Offsets of one document's text ↔ LSP positions (a TextDocument, or the engine's LineIndex). */
export interface OffsetMapper {
  positionAt(offset: number): Position;
}

/** Site path → URI the client knows (undefined: outside the site, not shown). */
export type UriOf = (path: string) => string | undefined;

/** The command a proposal code lens runs: the client turns its JSON arguments into VS Code types and shows the references. */
export const showReferencesCommand = 'msol.showReferences';

export function lspPosition(p: Position): LspPosition {
  return { line: p.line, character: p.character };
}

export function lspRange(r: Range): LspRange {
  return { start: lspPosition(r.start), end: lspPosition(r.end) };
}

export function spanRange(mapper: OffsetMapper, span: Span): LspRange {
  return { start: lspPosition(mapper.positionAt(span.start)), end: lspPosition(mapper.positionAt(span.end)) };
}

export function toLocation(loc: Location, uriOf: UriOf): LspLocation | undefined {
  const uri = uriOf(loc.path);
  return uri ? { uri, range: lspRange(loc.range) } : undefined;
}

export function toLocations(locs: readonly Location[], uriOf: UriOf): LspLocation[] {
  const out: LspLocation[] = [];
  const seen = new Set<string>();
  for (const l of locs) {
    const loc = toLocation(l, uriOf);
    if (!loc) continue;
    const key = `${loc.uri}#${loc.range.start.line}:${loc.range.start.character}-${loc.range.end.line}:${loc.range.end.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(loc);
  }
  return out;
}

/**
 * Several hovers at one place (a term in a link's text, a credited image in a
 * link) become one: their Markdown one after another, separated by rules; the
 * range is the smallest of their spans (the innermost thing hovered).
 */
export function toHover(results: readonly HoverResult[], mapper: OffsetMapper, markdown = true): Hover | null {
  if (results.length === 0) return null;
  const smallest = results.reduce((a, b) => (b.span.end - b.span.start < a.span.end - a.span.start ? b : a));
  const value = results.map((r) => r.markdown).join('\n\n---\n\n');
  return {
    contents: markdown
      ? { kind: MarkupKind.Markdown, value }
      : { kind: MarkupKind.PlainText, value: markdownToPlainText(value) },
    range: spanRange(mapper, smallest.span),
  };
}

/**
 * The engine's hover Markdown as plain text, for a client that reads only
 * that: emphasis and code marks dropped, a link becomes its text, escapes
 * undone. Lists, paragraphs and rules stay as lines.
 */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/!?\[((?:[^\]\\]|\\.)*)\]\((?:<[^>]*>|[^()\s]*)(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\\*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\\\w])_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/(`+)([^`]|[^`].*?[^`])\1(?!`)/g, (_m, _ticks: string, code: string) => code.replace(/^ (.*) $/, '$1'))
    .replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, '$1');
}

/** A snippet's text as plain text: tab stops and placeholders become what they hold, escapes undone. */
export function snippetToPlainText(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i]!;
    if (c === '\\' && i + 1 < snippet.length && '$}\\'.includes(snippet[i + 1]!)) {
      out += snippet[++i];
      continue;
    }
    if (c === '$') {
      const stop = /^\$(?:(\d+)|\{(\d+)(?::((?:[^}\\]|\\.)*))?\})/.exec(snippet.slice(i));
      if (stop) {
        out += stop[3] !== undefined ? snippetToPlainText(stop[3]) : '';
        i += stop[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

const completionKinds: Record<CompletionKind, CompletionItemKind> = {
  page: CompletionItemKind.File,
  folder: CompletionItemKind.Folder,
  asset: CompletionItemKind.File,
  heading: CompletionItemKind.Reference,
  term: CompletionItemKind.Text,
  snippet: CompletionItemKind.Snippet,
};

/** What a client takes in completion items. */
export interface CompletionOptions {
  /** Snippets (`insertTextFormat: 2`); without, a snippet is inserted as its plain text. */
  readonly snippets: boolean;
  /** Markdown documentation; without, plain text. */
  readonly markdown: boolean;
  /** The client's command that opens the completion list again (VS Code's `editor.action.triggerSuggest`), if it has one. */
  readonly triggerSuggest?: string;
}

export function toCompletionItem(
  e: CompletionEntry,
  mapper: OffsetMapper,
  options: CompletionOptions = { snippets: true, markdown: true },
): CompletionItem {
  const snippet = e.snippet === true && options.snippets;
  const newText = e.snippet === true && !options.snippets ? snippetToPlainText(e.insertText) : e.insertText;
  return {
    label: e.label,
    kind: completionKinds[e.kind],
    // The client filters on the text between the replace range's start and the cursor: what was typed of
    // insertText. A snippet (a whole definition sentence, "**Crew** …") is found by its label's words.
    filterText: e.snippet === true ? e.label : e.insertText,
    textEdit: { range: spanRange(mapper, e.replace), newText },
    ...(snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    ...(e.documentation !== undefined
      ? {
          documentation: options.markdown
            ? { kind: MarkupKind.Markdown, value: e.documentation }
            : { kind: MarkupKind.PlainText, value: markdownToPlainText(e.documentation) },
        }
      : {}),
    ...(e.sortText !== undefined ? { sortText: e.sortText } : {}),
    // Folders: keep completing inside the folder just entered (only where the client has such a command).
    ...(e.kind === 'folder' && options.triggerSuggest
      ? { command: { title: 'Suggest', command: options.triggerSuggest } }
      : {}),
  };
}

/**
 * A document link. A fragment naming a heading becomes `#L<line>` (what VS
 * Code's opener understands) when `headingLine` finds the heading's line;
 * otherwise the fragment is kept as written.
 */
export function toDocumentLink(
  e: DocumentLinkEntry,
  uriOf: UriOf,
  headingLine: (path: string, fragment: string) => number | undefined,
): DocumentLink | undefined {
  const uri = uriOf(e.targetPath);
  if (!uri) return undefined;
  let target = uri;
  if (e.fragment !== undefined) {
    const line = headingLine(e.targetPath, e.fragment);
    target += line !== undefined ? `#L${line + 1}` : `#${encodeURIComponent(e.fragment)}`;
  }
  return { range: lspRange(e.range), target, ...(e.tooltip ? { tooltip: e.tooltip } : {}) };
}

/** An outline entry: `range` is the heading's whole section (`sectionEnd`), `selectionRange` the heading line. */
export function toDocumentSymbol(e: SymbolEntry, sectionEnd: (e: SymbolEntry) => Position): DocumentSymbol {
  const end = sectionEnd(e);
  const endsAfter =
    end.line > e.range.end.line || (end.line === e.range.end.line && end.character >= e.range.end.character);
  return {
    name: e.name || '(empty heading)',
    ...(e.detail ? { detail: e.detail } : {}),
    kind: symbolKind(e),
    range: { start: lspPosition(e.range.start), end: lspPosition(endsAfter ? end : e.range.end) },
    selectionRange: lspRange(e.range),
    ...(e.children?.length ? { children: e.children.map((c) => toDocumentSymbol(c, sectionEnd)) } : {}),
  };
}

function symbolKind(e: SymbolEntry): SymbolKind {
  return e.kind === 'term' ? SymbolKind.Constant : e.kind === 'page' ? SymbolKind.File : SymbolKind.String;
}

/** A workspace symbol: headings named `## Text` (their depth shown), terms by name; the container says where. */
export function toSymbolInformation(e: SymbolEntry, uriOf: UriOf): SymbolInformation | undefined {
  const uri = uriOf(e.path);
  if (!uri) return undefined;
  const name = e.kind === 'heading' && e.depth ? `${'#'.repeat(e.depth)} ${e.name}` : e.name;
  const containerName = e.kind === 'term' ? `glossary term · ${e.path}` : e.path;
  return { name, kind: symbolKind(e), location: { uri, range: lspRange(e.range) }, containerName };
}

/**
 * A code lens: it runs `msol.showReferences(uri, position, locations)` (the
 * VS Code client shows the references; for another client the server
 * announces the command and answers with a message).
 */
export function toCodeLens(e: CodeLensEntry, uri: string, uriOf: UriOf): CodeLens {
  const range = lspRange(e.range);
  const locations = toLocations(e.locations, uriOf);
  return {
    range,
    command: { title: e.title, command: showReferencesCommand, arguments: [uri, range.start, locations] },
  };
}

/** Edits of one file with their ranges (engine `workspaceEditRanges`, or offsets mapped by the caller). */
export type RangedEdits = ReadonlyMap<string, ReadonlyArray<TextEdit & { readonly range: Range }>>;

export interface WorkspaceEditOptions {
  readonly uriOf: UriOf;
  /** The version the edits were computed on (an open document's), or undefined (the file on disk). */
  readonly versionOf: (path: string) => number | undefined;
  /** The client takes `documentChanges` (versioned edits, file creation). */
  readonly documentChanges: boolean;
  /** Files to create before their edits (the client must support `create` resource operations). */
  readonly create?: ReadonlySet<string>;
}

/** Engine edits of several files → one WorkspaceEdit; undefined when nothing would change. */
export function toWorkspaceEdit(edits: RangedEdits, options: WorkspaceEditOptions): WorkspaceEdit | undefined {
  const files: Array<{ path: string; uri: string; edits: LspTextEdit[] }> = [];
  for (const [path, list] of edits) {
    const uri = options.uriOf(path);
    if (!uri || list.length === 0) continue;
    files.push({
      path,
      uri,
      edits: [...list].sort((a, b) => a.start - b.start).map((e) => ({ range: lspRange(e.range), newText: e.newText })),
    });
  }
  if (files.length === 0) return undefined;
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!options.documentChanges) return { changes: Object.fromEntries(files.map((f) => [f.uri, f.edits])) };
  return {
    documentChanges: files.flatMap((f) => {
      const create = options.create?.has(f.path) ?? false;
      const edit = {
        textDocument: { uri: f.uri, version: create ? null : (options.versionOf(f.path) ?? null) },
        edits: f.edits,
      };
      return create ? [{ kind: 'create' as const, uri: f.uri, options: { ignoreIfExists: true } }, edit] : [edit];
    }),
  };
}

/** Offsets of one text → ranged edits for toWorkspaceEdit. */
export function rangedEdits(path: string, edits: readonly TextEdit[], mapper: OffsetMapper): RangedEdits {
  return new Map([
    [path, edits.map((e) => ({ ...e, range: { start: mapper.positionAt(e.start), end: mapper.positionAt(e.end) } }))],
  ]);
}
