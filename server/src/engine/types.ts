/**
 * The engine's public data: findings, fixes and rule metadata. Plain,
 * serialisable objects only (they cross worker threads and the LSP wire).
 */

/** A user-facing severity. `off` disables a rule entirely. */
export type Severity = 'off' | 'hint' | 'info' | 'warning' | 'error';
export const severities: readonly Severity[] = ['off', 'hint', 'info', 'warning', 'error'];

/** A 0-based position: line and UTF-16 character, like LSP. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A half-open span of a document: offsets in UTF-16 code units. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** Replace the text in [start, end) with newText. Offsets refer to the document the finding was made on. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  /** What the fix does, for a quick-fix menu: plain text, no Markdown ("Point the link at ../articles/proposal.md"). */
  readonly title: string;
  /** Non-overlapping edits to the finding's own file. */
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  readonly path: string;
  readonly range: Range;
  readonly message: string;
}

export interface Finding {
  /** A rule id from the registry, or one of the engine's own ids (`config-invalid`, `file-unreadable`, `rule-crashed`). */
  readonly ruleId: string;
  readonly severity: Exclude<Severity, 'off'>;
  /** "Unexpected …, expected …": one line of at most 120 characters (engine/message.ts) saying what is wrong and what to write. */
  readonly message: string;
  /** Why it matters, and more than the message has room for (several sentences). Shown in the hover, by `msol check --verbose` and in JSON output. */
  readonly note?: string;
  /** Site-relative path of the file the finding is in. */
  readonly path: string;
  readonly range: Range;
  readonly span: Span;
  /** The rule's documentation. */
  readonly url?: string;
  /** A safe fix, when one exists. */
  readonly fix?: Fix;
  /** Other fixes a user may pick (not applied by --fix). */
  readonly suggestions?: readonly Fix[];
  readonly related?: readonly RelatedLocation[];
}

export type RuleCategory = 'links' | 'glossary' | 'attribution' | 'hygiene';

/**
 * `document` rules look at one parsed document. `workspace` rules also read the
 * workspace index (other files' facts) and run in the second phase.
 */
export type RuleScope = 'document' | 'workspace';

export interface RuleMeta {
  readonly id: string;
  readonly category: RuleCategory;
  readonly scope: RuleScope;
  readonly defaultSeverity: Severity;
  /** One line, for tables and the settings schema. */
  readonly description: string;
  /** True when the rule offers fixes that `--fix` applies. */
  readonly fixable: boolean;
}
