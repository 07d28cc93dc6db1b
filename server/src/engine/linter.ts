import { unified, type Processor } from 'unified';
import type { Root } from 'mdast';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { Finding, Fix, Range, RuleScope, Severity, Span } from './types';
import type { FileFacts } from './facts';
import { lineOf } from './facts';
import type { ParsedDocument } from './parse/markdown';
import type { WorkspaceIndex } from './workspace';
import type { MsolConfig } from './config/config';
import type { MessageExtras, RuleContext } from './rules/define';
import { engineFindingIds, rules } from './rules/index';

/**
 * Runs the registry's rules over one file, in one of two phases, and turns
 * their messages into findings: severity from the config, inline
 * `msol-disable` directives applied, ranges computed from offsets.
 */

const emptyRoot: Root = Object.freeze({ type: 'root', children: [] }) as unknown as Root;

/** The severity a config gives a rule (the registry's default when it says nothing). */
export function severityOf(config: MsolConfig, ruleId: string): Severity {
  const s = config.rules[ruleId]?.severity;
  if (s && s !== ('inherit' as Severity)) return s;
  const rule = rules.find((r) => r.meta.id === ruleId);
  // A plain folder of Markdown (no table of contents, no generator): link checks only, unless the config turns a rule on.
  if (config.identity?.kind === 'plain' && rule && rule.meta.category !== 'links') return 'off';
  return rule?.meta.defaultSeverity ?? 'warning';
}

// A processor per (config, scope), built once: `use` and `freeze` are not free.
const processors = new WeakMap<MsolConfig, Map<RuleScope, Processor<Root, Root, Root>>>();

function processorFor(config: MsolConfig, scope: RuleScope): Processor<Root, Root, Root> {
  let byScope = processors.get(config);
  if (!byScope) processors.set(config, (byScope = new Map()));
  let p = byScope.get(scope);
  if (!p) {
    let proc = unified() as unknown as Processor<Root, Root, Root>;
    for (const rule of rules) {
      if (rule.meta.scope !== scope) continue;
      const severity = severityOf(config, rule.meta.id);
      if (severity === 'off') continue;
      proc = proc.use(
        rule.plugin as never,
        [severity === 'error' ? 2 : 1, config.rules[rule.meta.id]?.options ?? {}] as never,
      ) as never;
    }
    p = proc.freeze() as never;
    byScope.set(scope, p!);
  }
  return p!;
}

export interface RunInput {
  readonly path: string;
  readonly facts: FileFacts;
  readonly index: WorkspaceIndex;
  readonly config: MsolConfig;
  readonly doc?: ParsedDocument;
}

export function runRules(scope: RuleScope, input: RunInput): Finding[] {
  const ctx: RuleContext = input;
  const file = new VFile({ path: input.path, data: { msol: ctx } });
  processorFor(input.config, scope).runSync(
    scope === 'document' && input.doc ? input.doc.tree : (input.doc?.tree ?? emptyRoot),
    file,
  );
  const findings: Finding[] = [];
  for (const message of file.messages) {
    const f = toFinding(message, input);
    if (f) findings.push(f);
  }
  return findings;
}

function toFinding(message: VFileMessage, input: RunInput): Finding | undefined {
  const x = message as unknown as Partial<MessageExtras>;
  const crashed = x.msolCrashed === true;
  const ruleId = crashed ? engineFindingIds.ruleCrashed : (message.ruleId ?? 'unknown');
  const severity = crashed ? 'error' : severityOf(input.config, ruleId);
  if (severity === 'off') return undefined;
  const span = x.msolSpan ?? { start: 0, end: 0 };
  // A safe fix never deletes a line break (a URL "spanning" lines is page text): such a fix is only offered.
  const offeredOnly = x.msolFix !== undefined && deletesLineBreak(x.msolFix, input.facts.lineStarts);
  const suggestions = [...(offeredOnly ? [x.msolFix!] : []), ...(x.msolSuggestions ?? [])];
  const related = (x.msolRelated ?? []).flatMap((r) => {
    const facts = r.path === input.path ? input.facts : input.index.facts(r.path);
    return facts ? [{ path: r.path, range: rangeOf(facts.lineStarts, r.span), message: r.message }] : [];
  });
  return {
    ruleId,
    severity,
    message: message.reason,
    ...(message.note ? { note: message.note } : {}),
    path: input.path,
    span,
    range: rangeOf(input.facts.lineStarts, span),
    ...(message.url && !crashed ? { url: message.url } : {}),
    ...(x.msolFix && !offeredOnly ? { fix: x.msolFix } : {}),
    ...(suggestions.length ? { suggestions } : {}),
    ...(related.length ? { related } : {}),
  };
}

/** Whether an edit of the fix removes more line breaks than it writes (lines it spans, against line breaks in its new text). */
function deletesLineBreak(fix: Fix, lineStarts: readonly number[]): boolean {
  return fix.edits.some((e) => {
    let spanned = 0;
    for (let line = lineOf(lineStarts, e.start) + 1; line < lineStarts.length && lineStarts[line]! <= e.end; line++)
      spanned++;
    return spanned > (e.newText.match(/\r\n|\r|\n/g)?.length ?? 0);
  });
}

export function rangeOf(lineStarts: readonly number[], span: Span): Range {
  const at = (offset: number) => {
    const line = lineOf(lineStarts, offset);
    return { line, character: offset - lineStarts[line]! };
  };
  return { start: at(span.start), end: at(span.end) };
}

/** Drops findings that `<!-- msol-disable … -->` directives switch off. */
export function applyDirectives(findings: readonly Finding[], facts: Pick<FileFacts, 'directives'>): Finding[] {
  if (facts.directives.length === 0) return [...findings];
  return findings.filter((f) => !isSuppressed(f, facts));
}

function isSuppressed(f: Finding, facts: Pick<FileFacts, 'directives'>): boolean {
  const line = f.range.start.line;
  const names = (rules: readonly string[]) => rules.length === 0 || rules.includes(f.ruleId);
  let disabled = false;
  for (const d of facts.directives) {
    if (d.kind === 'disable-next-line' && d.line + 1 === line && names(d.rules)) return true;
    if (d.kind === 'disable-line' && d.line === line && names(d.rules)) return true;
    if (d.offset > f.span.start) continue;
    if (d.kind === 'disable' && names(d.rules)) disabled = true;
    if (d.kind === 'enable' && names(d.rules)) disabled = false;
  }
  return disabled;
}

/** Sorts findings by position, then rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) => a.path.localeCompare(b.path) || a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId),
  );
}
