import type { Range, Span, TextEdit } from '../types';

/**
 * Editor features as engine data, free of LSP types. Each area (links,
 * glossary, attribution) answers with these shapes from pure functions over a
 * Project; the language server converts them to LSP in one place.
 * Positions are offsets into the document's current text.
 */

export interface Location {
  readonly path: string;
  readonly span: Span;
  readonly range: Range;
}

export interface HoverResult {
  /** Markdown shown to the user. */
  readonly markdown: string;
  readonly span: Span;
}

export type CompletionKind = 'page' | 'folder' | 'asset' | 'heading' | 'term' | 'snippet';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  /** The text replacing `replace`. */
  readonly insertText: string;
  /** When true, insertText is a snippet with $1/${1:placeholder} tab stops. */
  readonly snippet?: boolean;
  readonly replace: Span;
  readonly detail?: string;
  readonly documentation?: string;
  /** Sorts before others with a smaller value. */
  readonly sortText?: string;
}

/** Edits to several files: a rename or an update after a move. */
export interface WorkspaceEdits {
  readonly changes: ReadonlyMap<string, readonly TextEdit[]>;
}

export interface SymbolEntry {
  readonly name: string;
  readonly kind: 'heading' | 'term' | 'page';
  readonly path: string;
  readonly span: Span;
  readonly range: Range;
  readonly depth?: number;
  readonly children?: readonly SymbolEntry[];
  readonly detail?: string;
}

export interface CodeLensEntry {
  readonly span: Span;
  readonly range: Range;
  readonly title: string;
  /** Where the lens leads (e.g. the references it counts). */
  readonly locations: readonly Location[];
}

export interface DocumentLinkEntry {
  readonly span: Span;
  readonly range: Range;
  /** Site path of the target, with an optional fragment. */
  readonly targetPath: string;
  readonly fragment?: string;
  readonly tooltip?: string;
}
