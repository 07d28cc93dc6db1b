import { parse as parseYaml } from 'yaml';

/**
 * Front matter as the `yaml` package reads it, with a fast path for the
 * shape GitBook writes and nearly every page has: `key: >-` followed by
 * lines of text at one indentation, and `key: plain text`. The `yaml`
 * package builds a whole document model first and costs a few percent of a
 * site's check; the fast path answers only when its value is certainly
 * `yaml`'s (strings only: anything that could be a number, a boolean, null,
 * a comment, a quote, a flow collection, a block indicator or a second
 * document goes to `yaml`). `test/engine/frontMatter.test.ts` compares both
 * on every page it can find and on variations.
 */
export function parseFrontMatter(text: string): unknown {
  return simpleFrontMatter(text) ?? parseYaml(text);
}

const keyPattern = /^([A-Za-z][A-Za-z0-9_-]*):(?: (.*))?$/;
/** A plain scalar that is certainly a string: no indicator first, no `: `, ` #`, tab or trailing space. */
const plainString = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^\t]*$/;
/** What YAML 1.2's core schema would not read as a string. */
const nonString =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const reserved = new Set(['__proto__', 'constructor', 'prototype']);
const specialKey = /^(?:null|true|false)$/i;

/** The fast path: a plain object, or undefined when the text is not of the simple shape. */
export function simpleFrontMatter(text: string): Record<string, string> | undefined {
  if (text.includes('\r') || text.includes('\t')) return undefined;
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length;) {
    const m = keyPattern.exec(lines[i]!);
    if (!m) return undefined;
    const key = m[1]!;
    if (reserved.has(key) || specialKey.test(key) || Object.prototype.hasOwnProperty.call(out, key)) return undefined;
    const value = m[2];
    i++;
    if (value === '>-') {
      // A folded block scalar, strip chomping: lines at one indentation, no blank or more-indented line, joined by spaces.
      const parts: string[] = [];
      let indent = -1;
      for (; i < lines.length && lines[i]!.startsWith(' '); i++) {
        const line = lines[i]!;
        const at = line.length - line.trimStart().length;
        if (indent < 0) indent = at;
        if (at !== indent || line.endsWith(' ')) return undefined;
        parts.push(line.slice(at));
      }
      if (parts.length === 0) return undefined;
      out[key] = parts.join(' ');
      continue;
    }
    if (
      value === undefined ||
      !plainString.test(value) ||
      value.endsWith(' ') ||
      value.endsWith(':') ||
      value.includes(': ') ||
      value.includes(' #') ||
      nonString.test(value)
    )
      return undefined;
    // A plain scalar may continue on more-indented lines: not this shape.
    if (i < lines.length && lines[i]!.startsWith(' ')) return undefined;
    out[key] = value;
  }
  return out;
}
