import { lintRule } from 'unified-lint-rule';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Fix, RuleMeta, Span } from '../types';
import type { FileFacts } from '../facts';
import { lineOf } from '../facts';
import { code, kept, message, words } from '../message';
import type { ParsedDocument } from '../parse/markdown';
import type { WorkspaceIndex } from '../workspace';
import type { MsolConfig } from '../config/config';
import type { JsonSchema } from '../config/validate';

/**
 * How a rule is written: `defineRule(meta, check)` returns a unified-lint-rule
 * plugin plus the metadata the registry, the docs and the settings schema are
 * generated from. A rule reads its context from `file.data.msol` and reports
 * through `report`; it never throws to its caller (a crash becomes one
 * `rule-crashed` finding on the file).
 */

export interface RuleContext {
  readonly path: string;
  readonly facts: FileFacts;
  readonly index: WorkspaceIndex;
  readonly config: MsolConfig;
  /** Present for document rules, and for workspace rules when the host still holds the parse. */
  readonly doc?: ParsedDocument;
}

export interface ReportExtras {
  /** Why it matters (the finding's `note`); the message says only what is wrong and what to write. */
  readonly note?: string;
  readonly fix?: Fix;
  readonly suggestions?: readonly Fix[];
  /** Other places that explain the finding, in this or another file. */
  readonly related?: readonly { readonly path: string; readonly span: Span; readonly message: string }[];
}

export type Report = (span: Span, message: string, extras?: ReportExtras) => void;

export interface RuleDefinition<O = Record<string, unknown>> {
  readonly meta: RuleMeta & { readonly url: string };
  readonly optionsSchema?: JsonSchema;
  readonly defaultOptions: O;
  /** The unified-lint-rule plugin: `unified().use(plugin, [severity, options])`. */
  readonly plugin: unknown;
}

/** Attached to each VFileMessage a rule reports (unified-lint-rule owns ruleId/source/url). */
export interface MessageExtras {
  msolSpan: Span;
  msolFix?: Fix;
  msolSuggestions?: readonly Fix[];
  msolRelated?: ReportExtras['related'];
  msolCrashed?: boolean;
}

export const docsBaseUrl =
  'https://github.com/microsolidarity/microsolidarity-authoring/blob/main/server/src/engine/rules/';

export function defineRule<O extends object>(
  meta: RuleMeta,
  options: { readonly schema?: JsonSchema; readonly defaults: O },
  check: (ctx: RuleContext, report: Report, options: O) => void,
): RuleDefinition<O> {
  const url = `${docsBaseUrl}${meta.id}/docs.md`;
  const plugin = lintRule({ origin: `msol:${meta.id}`, url }, (_tree: Root, file: VFile, userOptions: unknown) => {
    const ctx = file.data['msol'] as RuleContext | undefined;
    if (!ctx) return;
    const report: Report = (span, text, extras) => {
      const m = file.message(text, { place: { start: point(ctx.facts, span.start), end: point(ctx.facts, span.end) } });
      const x = m as unknown as MessageExtras;
      x.msolSpan = span;
      if (extras?.note) m.note = extras.note;
      if (extras?.fix) x.msolFix = extras.fix;
      if (extras?.suggestions?.length) x.msolSuggestions = extras.suggestions;
      if (extras?.related?.length) x.msolRelated = extras.related;
    };
    try {
      check(ctx, report, {
        ...options.defaults,
        ...(typeof userOptions === 'object' && userOptions ? userOptions : {}),
      } as O);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const m = file.message(
        message`Unexpected crash of rule ${kept(code(meta.id))} on this file (${words(reason)}), expected it to finish`,
        {
          place: { line: 1, column: 1 },
        },
      );
      m.note = `The rule threw: ${reason}. Its findings on this file are missing; the other rules' are not. This is a bug of msol: please report it with the page.`;
      const x = m as unknown as MessageExtras;
      x.msolSpan = { start: 0, end: 0 };
      x.msolCrashed = true;
    }
  });
  return {
    meta: { ...meta, url },
    ...(options.schema ? { optionsSchema: options.schema } : {}),
    defaultOptions: options.defaults,
    plugin,
  };
}

function point(facts: FileFacts, offset: number) {
  const line = lineOf(facts.lineStarts, offset);
  return { line: line + 1, column: offset - facts.lineStarts[line]! + 1, offset };
}
