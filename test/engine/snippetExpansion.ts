/**
 * Expands VS Code snippet bodies the way the tests need them: the engine
 * test checks what a snippet inserts against the engine, the vscode test
 * compares what VS Code inserted. Supports tab stops (`$1`, `${1}`,
 * `${1:default}` with nesting, mirrors), choices (`${1|a,b|}`), variables
 * (`${TM_SELECTED_TEXT:default}`, transforms) and escapes.
 */

export interface ExpansionOptions {
  /** A tab stop with no default and no mirror (`$2`); VS Code inserts ''. */
  readonly emptyStop: string;
  /** A variable's value when it has no default (TM_SELECTED_TEXT, TM_FILENAME_BASE, …). */
  variable(name: string): string;
  /** Which option a choice takes (by tab stop number); default the first. */
  choice?(stop: number, options: readonly string[]): string;
}

type Node =
  | { kind: 'text'; value: string }
  | { kind: 'stop'; n: number; children?: Node[]; options?: string[] }
  | { kind: 'var'; name: string; children?: Node[]; transform?: boolean };

function parse(src: string, start: number, closing: boolean): { nodes: Node[]; end: number } {
  const nodes: Node[] = [];
  let text = '';
  const flush = () => {
    if (text) nodes.push({ kind: 'text', value: text });
    text = '';
  };
  let i = start;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && '$}\\,|'.includes(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (closing && c === '}') {
      flush();
      return { nodes, end: i + 1 };
    }
    if (c === '$') {
      const simple = /^\$(\d+)/.exec(src.slice(i));
      if (simple) {
        flush();
        nodes.push({ kind: 'stop', n: Number(simple[1]) });
        i += simple[0].length;
        continue;
      }
      const simpleVar = /^\$([A-Z_][A-Z0-9_]*)/.exec(src.slice(i));
      if (simpleVar) {
        flush();
        nodes.push({ kind: 'var', name: simpleVar[1]! });
        i += simpleVar[0].length;
        continue;
      }
      const open = /^\$\{(\d+|[A-Z_][A-Z0-9_]*)/.exec(src.slice(i));
      if (open) {
        flush();
        const id = open[1]!;
        let j = i + open[0].length;
        const isStop = /^\d+$/.test(id);
        if (src[j] === '}') {
          nodes.push(isStop ? { kind: 'stop', n: Number(id) } : { kind: 'var', name: id });
          i = j + 1;
          continue;
        }
        if (src[j] === ':') {
          const inner = parse(src, j + 1, true);
          nodes.push(
            isStop
              ? { kind: 'stop', n: Number(id), children: inner.nodes }
              : { kind: 'var', name: id, children: inner.nodes },
          );
          i = inner.end;
          continue;
        }
        if (src[j] === '|' && isStop) {
          const close = src.indexOf('|}', j + 1);
          const options = src
            .slice(j + 1, close)
            .split(/(?<!\\),/)
            .map((o) => o.replace(/\\(.)/g, '$1'));
          nodes.push({ kind: 'stop', n: Number(id), options });
          i = close + 2;
          continue;
        }
        if (src[j] === '/' && !isStop) {
          // A transform: ${VAR/regex/format/flags}; the tests only need a value.
          let depth = 0;
          for (j = j + 1; j < src.length; j++) {
            if (src[j] === '\\') {
              j++;
              continue;
            }
            if (src[j] === '{') depth++;
            else if (src[j] === '}') {
              if (depth === 0) break;
              depth--;
            }
          }
          nodes.push({ kind: 'var', name: id, transform: true });
          i = j + 1;
          continue;
        }
      }
    }
    text += c;
    i++;
  }
  flush();
  return { nodes, end: i };
}

/** Expands a snippet body (its lines joined with `\n`). */
export function expandSnippet(body: string | readonly string[], options: ExpansionOptions): string {
  const src = typeof body === 'string' ? body : body.join('\n');
  const { nodes } = parse(src, 0, false);
  // A tab stop's value: its first occurrence with a default or choices; later plain `$n` mirror it.
  const values = new Map<number, string>();
  const render = (list: readonly Node[]): string =>
    list
      .map((n) => {
        if (n.kind === 'text') return n.value;
        if (n.kind === 'var') {
          if (n.transform) return options.variable(n.name);
          const value = options.variable(n.name);
          return value !== '' ? value : n.children ? render(n.children) : '';
        }
        if (n.options) {
          const v = options.choice ? options.choice(n.n, n.options) : n.options[0]!;
          if (!values.has(n.n)) values.set(n.n, v);
          return values.get(n.n)!;
        }
        if (n.children) {
          const v = render(n.children);
          if (!values.has(n.n)) values.set(n.n, v);
          return values.get(n.n)!;
        }
        return values.get(n.n) ?? '\u0000' + n.n + '\u0000';
      })
      .join('');
  // Two passes: a mirror may come before the stop that sets its value.
  render(nodes);
  const out = render(nodes);
  return out.replace(
    /\u0000(\d+)\u0000/g,
    (_m, n: string) => values.get(Number(n)) ?? (n === '0' ? '' : options.emptyStop),
  );
}

/** Every choice option of every choice stop in a body: for testing each variant. */
export function snippetChoices(body: string | readonly string[]): Map<number, string[]> {
  const src = typeof body === 'string' ? body : body.join('\n');
  const out = new Map<number, string[]>();
  const visit = (list: readonly Node[]) => {
    for (const n of list) {
      if (n.kind === 'stop' && n.options && !out.has(n.n)) out.set(n.n, n.options);
      if ('children' in n && n.children) visit(n.children);
    }
  };
  visit(parse(src, 0, false).nodes);
  return out;
}
