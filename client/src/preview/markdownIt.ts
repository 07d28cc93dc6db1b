/**
 * The markdown-it plugin behind VS Code's Markdown preview
 * (`contributes.markdown.markdownItPlugins` → `extendMarkdownIt`): renders
 * what GitBook renders — hints, embeds, content-ref page cards, figures with
 * captions, tabs, code titles, file cards, the front matter `description` as
 * the page's lead — and marks glossary terms (their definition as a
 * tooltip) and links to missing files.
 *
 * Free of `vscode`: everything that knows the workspace comes in through
 * `PreviewHost`, so the plugin runs in any markdown-it.
 *
 * Tokens are made once per document version (VS Code caches them); every
 * decision that depends on settings, the glossary or the disk is made when
 * rendering, so a cached token list always renders what is true now. With
 * `msol.preview.enable` off the plugin renders the tags as the plain preview
 * would (escaped text) and emits none of its classes, so its styles, all
 * scoped under `.msol-preview`, apply to nothing.
 *
 * Sanitisation: every attribute value and text from the page is escaped; a
 * URL is only made a link when it is http(s), mailto or relative (never
 * `command:`, `vscode:`, `javascript:` or `data:`); nothing here emits a
 * script, an iframe or an event handler. Remote content (an embed's image,
 * a remote image in Markdown or in the page's HTML) is loaded only when
 * `msol.preview.allowRemoteContent` is on, and then only as an `<img>`:
 * otherwise a Markdown image shows its alt text and the HTML's remote
 * `src`/`srcset`/`poster`/`background`/`url()` are renamed `data-msol-blocked-*`.
 */

// ---- the part of markdown-it this plugin uses (markdown-it 14 / 15) -------------------------------

export interface MdToken {
  type: string;
  tag: string;
  nesting: number;
  content: string;
  info: string;
  markup: string;
  block: boolean;
  hidden: boolean;
  map: [number, number] | null;
  meta: unknown;
  attrs: [string, string][] | null;
  children: MdToken[] | null;
  attrGet(name: string): string | null;
}

interface BlockState {
  src: string;
  bMarks: number[];
  eMarks: number[];
  tShift: number[];
  sCount: number[];
  blkIndent: number;
  line: number;
  lineMax: number;
  parentType: string;
  md: MarkdownIt;
  env: unknown;
  push(type: string, tag: string, nesting: number): MdToken;
}

interface CoreState {
  tokens: MdToken[];
  /** Set by `renderInline` / `parseInline`: no block structure, no wrapper. */
  inlineMode: boolean;
  src: string;
  Token: new (type: string, tag: string, nesting: number) => MdToken;
}

type RenderRule = (tokens: MdToken[], idx: number, options: unknown, env: unknown, self: Renderer) => string;

interface Renderer {
  rules: Record<string, RenderRule | undefined>;
  renderToken(tokens: MdToken[], idx: number, options: unknown): string;
  renderAttrs(token: MdToken): string;
}

export interface MarkdownIt {
  block: {
    ruler: {
      before(
        name: string,
        rule: string,
        fn: (state: BlockState, start: number, end: number, silent: boolean) => boolean,
        options?: { alt?: string[] },
      ): void;
    };
    tokenize(state: BlockState, start: number, end: number): void;
  };
  core: {
    ruler: {
      push(name: string, fn: (state: CoreState) => void): void;
      after(after: string, name: string, fn: (state: CoreState) => void): void;
    };
  };
  renderer: Renderer;
  renderInline(src: string, env?: unknown): string;
  normalizeLink(url: string): string;
  utils: { escapeHtml(s: string): string };
}

// ---- what the plugin asks the host ---------------------------------------------------------------

/** A glossary term as the preview needs it. */
export interface PreviewTerm {
  readonly term: string;
  readonly definition: string;
}

export interface PreviewGlossary {
  /** Matches any form of any term as a whole word (global, Unicode). */
  readonly pattern: RegExp | undefined;
  lookup(word: string): PreviewTerm | undefined;
}

/**
 * The workspace, seen from one render. `doc` is markdown-it's
 * `env.currentDocument` (VS Code passes the document's Uri; undefined when a
 * string is rendered).
 */
export interface PreviewHost {
  enabled(doc: unknown): boolean;
  allowRemoteContent(doc: unknown): boolean;
  glossary(doc: unknown): PreviewGlossary | undefined;
  /** Whether a local link target exists (a folder counts when it has a README.md); undefined when unknown. */
  exists(doc: unknown, href: string): boolean | undefined;
  /** The title of the page a local link points at, when it can be read. */
  pageTitle(doc: unknown, href: string): string | undefined;
}

// ---- GitBook tags --------------------------------------------------------------------------------

interface Tag {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** The tag as written (`{% hint style="info" %}`). */
  readonly raw: string;
}

const tagLine = /^\{%\s*([A-Za-z][\w-]*)((?:\s+[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s%"']+))*)\s*%\}\s*$/;
const attribute = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s%"']+))/g;

/** A line that is exactly one GitBook tag. */
export function parseTagLine(line: string): Tag | undefined {
  const m = tagLine.exec(line.trim());
  if (!m) return undefined;
  const attrs: Record<string, string> = {};
  for (const a of m[2]!.matchAll(attribute)) attrs[a[1]!.toLowerCase()] = a[2] ?? a[3] ?? a[4] ?? '';
  return { name: m[1]!.toLowerCase(), attrs, raw: line.trim() };
}

/** Blocks whose content is Markdown, rendered inside our container. */
const containers = new Set(['hint', 'tabs', 'tab', 'code']);
export const hintStyles = ['info', 'success', 'warning', 'danger'] as const;
const hintLabels: Record<(typeof hintStyles)[number], string> = {
  info: 'Info',
  success: 'Success',
  warning: 'Warning',
  danger: 'Danger',
};

interface ContainerMeta {
  readonly msol: 'container';
  readonly tag: Tag;
  readonly close: string;
}
interface ContentRefMeta {
  readonly msol: 'content-ref';
  readonly tag: Tag;
  readonly close: string;
  /** The Markdown between the tags (GitBook writes a link to the page there). */
  readonly inner: string;
}
interface EmbedMeta {
  readonly msol: 'embed' | 'file';
  readonly tag: Tag;
  readonly close?: string;
  readonly caption?: string;
}
interface LeadMeta {
  readonly msol: 'lead';
  readonly description: string;
}

function metaOf<T>(token: MdToken): T {
  return token.meta as T;
}

function lineText(state: BlockState, line: number): string {
  return state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!);
}

/** The line of the tag that closes `name` opened at `start`, honouring nesting; -1 when there is none. */
function findClose(state: BlockState, name: string, start: number, end: number): number {
  let depth = 1;
  for (let line = start + 1; line < end; line++) {
    if (state.sCount[line]! < state.blkIndent && state.bMarks[line]! + state.tShift[line]! < state.eMarks[line]!)
      return -1;
    const tag = parseTagLine(lineText(state, line));
    if (!tag) continue;
    if (tag.name === name) depth++;
    else if (tag.name === `end${name}`) {
      depth--;
      if (depth === 0) return line;
    }
  }
  return -1;
}

function gitbookBlock(state: BlockState, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const tag = parseTagLine(lineText(state, startLine));
  if (!tag) return false;
  const name = tag.name;

  if (containers.has(name) || name === 'content-ref') {
    const close = findClose(state, name, startLine, endLine);
    if (close < 0) return false; // unclosed: left as text (the engine reports it)
    if (silent) return true;
    const closeRaw = lineText(state, close).trim();
    if (name === 'content-ref') {
      const inner = state.src
        .slice(state.bMarks[startLine + 1] ?? state.eMarks[startLine]!, state.bMarks[close]!)
        .trim();
      const token = state.push('msol_content_ref', 'div', 0);
      token.block = true;
      token.map = [startLine, close + 1];
      token.meta = { msol: 'content-ref', tag, close: closeRaw, inner } satisfies ContentRefMeta;
      state.line = close + 1;
      return true;
    }
    const oldParent = state.parentType;
    const oldMax = state.lineMax;
    state.parentType = 'msol_gitbook' as string;
    state.lineMax = close;
    const open = state.push('msol_gitbook_open', 'div', 1);
    open.block = true;
    open.map = [startLine, close + 1];
    open.meta = { msol: 'container', tag, close: closeRaw } satisfies ContainerMeta;
    state.md.block.tokenize(state, startLine + 1, close);
    const end = state.push('msol_gitbook_close', 'div', -1);
    end.block = true;
    end.meta = open.meta;
    state.parentType = oldParent;
    state.lineMax = oldMax;
    state.line = close + 1;
    return true;
  }

  if (name === 'embed' || name === 'file') {
    // `{% embed url="…" %}`, or the newer form with a caption: `{% embed url="…" %}caption{% endembed %}`.
    let last = startLine;
    let caption: string | undefined;
    let closeRaw: string | undefined;
    for (let line = startLine + 1; line < endLine && line <= startLine + 20; line++) {
      const t = parseTagLine(lineText(state, line));
      if (t?.name === `end${name}`) {
        last = line;
        closeRaw = t.raw;
        caption = state.src.slice(state.bMarks[startLine + 1]!, state.bMarks[line]!).trim();
        break;
      }
      if (t) break;
    }
    if (silent) return true;
    const token = state.push('msol_embed', 'div', 0);
    token.block = true;
    token.map = [startLine, last + 1];
    token.meta = {
      msol: name,
      tag,
      ...(closeRaw ? { close: closeRaw } : {}),
      ...(caption ? { caption } : {}),
    } satisfies EmbedMeta;
    state.line = last + 1;
    return true;
  }
  return false;
}

// ---- front matter description → lead -------------------------------------------------------------

/** `description:` of a YAML front matter (plain, quoted, or a folded/literal block). */
export function frontMatterDescription(yaml: string): string | undefined {
  const lines = yaml.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^description:[ \t]*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    let value = m[1]!.trim();
    if (/^[>|][+-]?\d*$/.test(value)) {
      const literal = value.startsWith('|');
      const body: string[] = [];
      for (let j = i + 1; j < lines.length && (/^[ \t]+\S/.test(lines[j]!) || lines[j]!.trim() === ''); j++)
        body.push(lines[j]!.trim());
      while (body.length && body[body.length - 1] === '') body.pop();
      value = literal ? body.join('\n') : body.join(' ').replace(/ {2,}/g, ' ');
    } else if (/^"/.test(value)) {
      try {
        value = JSON.parse(value.replace(/\s+#.*$/, '')) as string;
      } catch {
        value = value.replace(/^"|"$/g, '');
      }
    } else if (/^'/.test(value)) {
      value = value.replace(/^'|'$/g, '').replace(/''/g, "'");
    } else {
      value = value.replace(/\s+#.*$/, '');
      // A plain scalar may go on over indented lines.
      for (let j = i + 1; j < lines.length && /^[ \t]+\S/.test(lines[j]!); j++) value += ' ' + lines[j]!.trim();
    }
    value = value.trim();
    return value ? value : undefined;
  }
  return undefined;
}

function leadRule(state: CoreState): void {
  if (state.inlineMode) return;
  const tokens = state.tokens;
  const fm = tokens.find((t) => t.type === 'front_matter');
  let yaml = typeof fm?.meta === 'string' ? fm.meta : undefined;
  if (yaml === undefined && !fm) {
    // A markdown-it without the front matter plugin: read the block ourselves.
    const m = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\s*(?:\r?\n|$)/.exec(state.src);
    if (m) yaml = m[1];
  }
  const description = yaml !== undefined ? frontMatterDescription(yaml) : undefined;
  if (!description) return;
  const lead = new state.Token('msol_lead', 'p', 0);
  lead.block = true;
  lead.meta = { msol: 'lead', description } satisfies LeadMeta;
  // GitBook shows the description under the page's title.
  const h1 = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1');
  const at = h1 >= 0 && tokens[h1 + 2]?.type === 'heading_close' ? h1 + 3 : fm ? tokens.indexOf(fm) + 1 : 0;
  tokens.splice(at, 0, lead);
}

// ---- marks for render time -----------------------------------------------------------------------

const noTerms = Symbol('msol.noTerms');

/** Text in headings and link labels is not marked as a glossary term. */
function contextRule(state: CoreState): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'inline' || !t.children) continue;
    const inHeading = tokens[i - 1]?.type === 'heading_open';
    let inLink = 0;
    for (const child of t.children) {
      if (child.type === 'link_open') inLink++;
      else if (child.type === 'link_close') inLink = Math.max(0, inLink - 1);
      else if (child.type === 'text' && (inHeading || inLink > 0))
        (child as unknown as Record<symbol, boolean>)[noTerms] = true;
    }
  }
  if (state.inlineMode) return;
  tokens.unshift(Object.assign(new state.Token('msol_preview_open', 'div', 1), { block: true }));
  tokens.push(Object.assign(new state.Token('msol_preview_close', 'div', -1), { block: true }));
}

// ---- rendering -----------------------------------------------------------------------------------

/** Whether a URL may become a link in the preview: http(s), mailto, or a relative or fragment link. */
export function isSafeUrl(url: string): boolean {
  const u = url.trim();
  if (!u) return false;
  // Control characters and whitespace inside a scheme can hide one ("java\tscript:").
  if (/[\u0000-\u001f\u007f]/.test(u)) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u);
  if (!scheme) return !u.startsWith('//');
  return ['http', 'https', 'mailto'].includes(scheme[1]!.toLowerCase());
}

function isRemote(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}

/** Character references a browser decodes inside an attribute (`&#104;ttps:` is `https:`). */
function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Math.min(parseInt(d, 10), 0x10ffff)))
    .replace(/&colon;/gi, ':')
    .replace(/&sol;/gi, '/');
}

/** A URL (or a srcset, or CSS with url()) that makes the preview fetch from the network. */
function loadsRemote(name: string, value: string): boolean {
  const v = decodeEntities(value);
  if (name === 'style') return /url\(\s*["']?\s*(?:https?:)?\/\//i.test(v);
  return /(?:^|[\s,])(?:https?:)?\/\//i.test(v.trim());
}

/** The page's HTML with every remote load renamed `data-msol-blocked-*` (nothing is fetched; the rest is kept). */
export function blockRemoteHtml(html: string): string {
  return html.replace(/<[a-z][^<>]*>/gi, (tag) =>
    tag.replace(
      /(\s)(src|srcset|poster|background|style)(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)/gi,
      (m, space: string, name: string, eq: string, value: string) =>
        loadsRemote(name.toLowerCase(), value.replace(/^["']|["']$/g, ''))
          ? `${space}data-msol-blocked-${name.toLowerCase()}${eq}${value}`
          : m,
    ),
  );
}

/** A local link target: no scheme, not only a fragment. */
function isLocalHref(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('#') && !href.startsWith('//') && href.trim() !== '';
}

const imageExtension = /\.(?:png|jpe?g|gif|webp|svg|avif)(?:[?#].*)?$/i;

/** A still image for an embed, only for hosts that serve one without scripts. */
export function embedImage(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (imageExtension.test(u.pathname)) return u.toString();
  const host = u.hostname.replace(/^www\.|^m\./, '');
  let id: string | null = null;
  if (host === 'youtube.com')
    id =
      u.pathname === '/watch'
        ? u.searchParams.get('v')
        : (/^\/(?:embed|shorts|live)\/([\w-]{6,})/.exec(u.pathname)?.[1] ?? null);
  else if (host === 'youtu.be') id = /^\/([\w-]{6,})/.exec(u.pathname)?.[1] ?? null;
  return id && /^[\w-]{6,20}$/.test(id) ? `https://i.ytimg.com/vi/${id}/hqdefault.jpg` : undefined;
}

export function extendMarkdownIt(md: MarkdownIt, host: PreviewHost): MarkdownIt {
  const esc = (s: string) => md.utils.escapeHtml(s);
  const on = (env: unknown) => {
    try {
      return host.enabled(docOf(env));
    } catch {
      return false;
    }
  };
  /** The token's own attributes (VS Code's data-line / code-line for scroll sync) plus our classes. */
  const attrs = (token: MdToken, classes: string, extra = ''): string => {
    const own = (token.attrs ?? []).filter(([k]) => k === 'data-line' || k === 'class' || k === 'dir');
    const cls = [classes, ...own.filter(([k]) => k === 'class').map(([, v]) => v)].join(' ').trim();
    const rest = own
      .filter(([k]) => k !== 'class')
      .map(([k, v]) => ` ${k}="${esc(v)}"`)
      .join('');
    return ` class="${esc(cls)}"${rest}${extra}`;
  };
  const plainTag = (raw: string) => `<p>${esc(raw)}</p>\n`;
  const remoteAllowed = (env: unknown) => safe(() => host.allowRemoteContent(docOf(env))) === true;
  const linkHref = (url: string) => esc(md.normalizeLink(url.trim()));

  md.block.ruler.before('fence', 'msol_gitbook', gitbookBlock, {
    alt: ['paragraph', 'reference', 'blockquote', 'list'],
  });
  md.core.ruler.push('msol_lead', leadRule);
  md.core.ruler.push('msol_context', contextRule);

  const r = md.renderer.rules;

  r['msol_preview_open'] = (_t, _i, _o, env) => (on(env) ? '<div class="msol-preview">\n' : '');
  r['msol_preview_close'] = (_t, _i, _o, env) => (on(env) ? '</div>\n' : '');

  r['msol_lead'] = (tokens, idx, _o, env) => {
    if (!on(env)) return '';
    const { description } = metaOf<LeadMeta>(tokens[idx]!);
    return `<p class="msol-lead">${esc(description)}</p>\n`;
  };

  r['msol_gitbook_open'] = (tokens, idx, _o, env) => {
    const token = tokens[idx]!;
    const { tag } = metaOf<ContainerMeta>(token);
    if (!on(env)) return plainTag(tag.raw);
    switch (tag.name) {
      case 'hint': {
        const style = (hintStyles as readonly string[]).includes(tag.attrs['style'] ?? '')
          ? (tag.attrs['style'] as (typeof hintStyles)[number])
          : 'info';
        return `<div${attrs(token, `msol-hint msol-hint-${style}`, ` role="note" aria-label="${hintLabels[style]}"`)}><div class="msol-hint-body">\n`;
      }
      case 'tabs':
        return `<div${attrs(token, 'msol-tabs')}>\n`;
      case 'tab':
        return `<section${attrs(token, 'msol-tab')}><div class="msol-tab-title">${esc(tag.attrs['title'] ?? 'Tab')}</div><div class="msol-tab-body">\n`;
      case 'code': {
        const title = tag.attrs['title'];
        return `<div${attrs(token, 'msol-code')}>${title ? `<div class="msol-code-title">${esc(title)}</div>` : ''}\n`;
      }
      default:
        return `<div${attrs(token, `msol-block`)}>\n`;
    }
  };

  r['msol_gitbook_close'] = (tokens, idx, _o, env) => {
    const { tag, close } = metaOf<ContainerMeta>(tokens[idx]!);
    if (!on(env)) return plainTag(close);
    switch (tag.name) {
      case 'hint':
      case 'tab':
        return tag.name === 'tab' ? '</div></section>\n' : '</div></div>\n';
      default:
        return '</div>\n';
    }
  };

  r['msol_content_ref'] = (tokens, idx, _o, env) => {
    const token = tokens[idx]!;
    const { tag, close, inner } = metaOf<ContentRefMeta>(token);
    if (!on(env)) return `<p>${esc(tag.raw)}\n${md.renderInline(inner, env)}\n${esc(close)}</p>\n`;
    const url = tag.attrs['url'] ?? '';
    const doc = docOf(env);
    const local = isLocalHref(url);
    const missing = local ? safe(() => host.exists(doc, url)) === false : false;
    const title = (local ? safe(() => host.pageTitle(doc, url)) : undefined) ?? innerLabel(inner) ?? url;
    const href = isSafeUrl(url) ? ` href="${linkHref(url)}"` : '';
    const cls = `msol-content-ref${missing ? ' msol-broken-link' : ''}`;
    const tip = missing ? ` title="${esc(`Missing page: ${url}`)}"` : '';
    return (
      `<div${attrs(token, cls)}><a class="msol-content-ref-link"${href}${tip}>` +
      `<span class="msol-content-ref-icon" aria-hidden="true"></span>` +
      `<span class="msol-content-ref-text"><span class="msol-content-ref-title">${esc(title)}</span>` +
      `<span class="msol-content-ref-path">${esc(url)}</span></span></a></div>\n`
    );
  };

  r['msol_embed'] = (tokens, idx, _o, env) => {
    const token = tokens[idx]!;
    const meta = metaOf<EmbedMeta>(token);
    const { tag } = meta;
    if (!on(env)) {
      const parts = [tag.raw, meta.caption, meta.close].filter((p): p is string => p !== undefined);
      return `<p>${parts.map(esc).join('\n')}</p>\n`;
    }
    const doc = docOf(env);
    const caption = meta.caption ? `<div class="msol-embed-caption">${md.renderInline(meta.caption, env)}</div>` : '';
    if (meta.msol === 'file') {
      const src = tag.attrs['src'] ?? '';
      const name = decodeSafe(src.split(/[\\/]/).pop() ?? src);
      const missing = isLocalHref(src) ? safe(() => host.exists(doc, src)) === false : false;
      const href = isSafeUrl(src) ? ` href="${linkHref(src)}"` : '';
      return (
        `<div${attrs(token, `msol-file${missing ? ' msol-broken-link' : ''}`)}><a class="msol-file-link"${href}>` +
        `<span class="msol-file-icon" aria-hidden="true"></span><span class="msol-file-name">${esc(name || src)}</span></a>${caption}</div>\n`
      );
    }
    const url = tag.attrs['url'] ?? '';
    const remote = isRemote(url);
    let hostname = url;
    try {
      hostname = new URL(url).hostname.replace(/^www\./, '');
    } catch {
      // not a URL: shown as written
    }
    const image = remote && safe(() => host.allowRemoteContent(doc)) === true ? embedImage(url) : undefined;
    const href = remote ? ` href="${linkHref(url)}"` : '';
    return (
      `<div${attrs(token, 'msol-embed')}>` +
      (image
        ? `<a class="msol-embed-media"${href}><img class="msol-embed-image" src="${esc(image)}" alt="${esc(`Preview of ${url}`)}" loading="lazy" referrerpolicy="no-referrer"></a>`
        : '') +
      `<a class="msol-embed-link"${href}><span class="msol-embed-icon" aria-hidden="true"></span>` +
      `<span class="msol-embed-text"><span class="msol-embed-host">${esc(hostname)}</span><span class="msol-embed-url">${esc(url)}</span></span></a>` +
      (image
        ? ''
        : remote
          ? `<span class="msol-embed-note">Remote content is not loaded in the preview (msol.preview.allowRemoteContent).</span>`
          : '') +
      `${caption}</div>\n`
    );
  };

  // An HTML link to a missing file is marked like a Markdown one (GitBook writes `<a href>` in tables and figures).
  const markAnchors = (out: string, env: unknown): string =>
    markBrokenAnchors(out, (href) => safe(() => host.exists(docOf(env), href)) === false);

  const html = r['html_block'];
  r['html_block'] = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    let out = html ? html(tokens, idx, options, env, self) : token.content;
    if (!on(env)) return out;
    if (!remoteAllowed(env)) out = blockRemoteHtml(out);
    out = markAnchors(out, env);
    if (!/^\s*<figure[\s>]/i.test(token.content)) return out;
    // GitBook's figure: <figure><img …><figcaption>…</figcaption></figure>, styled as GitBook does.
    return out.replace(/<figure(?=[\s>])/i, (m) =>
      /^\s*<figure[^>]*\bclass=/i.test(token.content) ? m : `${m} class="msol-figure"`,
    );
  };

  const htmlInline = r['html_inline'];
  r['html_inline'] = (tokens, idx, options, env, self) => {
    const out = htmlInline ? htmlInline(tokens, idx, options, env, self) : tokens[idx]!.content;
    if (!on(env)) return out;
    return markAnchors(remoteAllowed(env) ? out : blockRemoteHtml(out), env);
  };

  const image = r['image'];
  r['image'] = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const src = token.attrGet('src') ?? '';
    if (on(env) && !remoteAllowed(env) && loadsRemote('src', src)) {
      return `<span class="msol-remote-image" title="${esc(`Remote image not loaded in the preview (msol.preview.allowRemoteContent): ${src}`)}">${esc(token.content)}</span>`;
    }
    return image ? image(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };

  const text = r['text'];
  r['text'] = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const plain = () => (text ? text(tokens, idx, options, env, self) : esc(token.content));
    if ((token as unknown as Record<symbol, boolean>)[noTerms] || !on(env)) return plain();
    const glossary = safe(() => host.glossary(docOf(env)));
    const pattern = glossary?.pattern;
    if (!glossary || !pattern) return plain();
    const content = token.content;
    pattern.lastIndex = 0;
    let out = '';
    let last = 0;
    let marked = false;
    for (let m = pattern.exec(content); m; m = pattern.exec(content)) {
      if (m[0] === '') {
        pattern.lastIndex++;
        continue;
      }
      const term = glossary.lookup(m[0]);
      if (!term) continue;
      out += esc(content.slice(last, m.index));
      const tip = term.definition ? `${term.term}: ${term.definition}` : term.term;
      out += `<span class="msol-term" data-term="${esc(term.term)}" title="${esc(tip)}">${esc(m[0])}</span>`;
      last = m.index + m[0].length;
      marked = true;
    }
    if (!marked) return plain();
    return out + esc(content.slice(last));
  };

  const linkOpen = r['link_open'];
  r['link_open'] = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const render = (list: MdToken[]) =>
      linkOpen ? linkOpen(list, idx, options, env, self) : self.renderToken(list, idx, options);
    const href = token.attrGet('href');
    if (!on(env) || href === null || !isLocalHref(href) || safe(() => host.exists(docOf(env), href)) !== false)
      return render(tokens);
    // Tokens are cached across renders: mark a copy, never the token itself.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(token) as object) as MdToken, token);
    copy.attrs = (token.attrs ?? []).map(([k, v]) => [k, v] as [string, string]);
    const cls = copy.attrs.find(([k]) => k === 'class');
    if (cls) cls[1] = `${cls[1]} msol-broken-link`;
    else copy.attrs.push(['class', 'msol-broken-link']);
    if (!copy.attrs.some(([k]) => k === 'title')) copy.attrs.push(['title', `Missing file: ${decodeSafe(href)}`]);
    const list = tokens.slice();
    list[idx] = copy;
    return render(list);
  };

  return md;
}

/**
 * `<a href="…">` tags in raw HTML whose local target is missing get the
 * `msol-broken-link` class (added to a class already there) and a title when
 * they have none. Everything else of the HTML is left as written.
 */
export function markBrokenAnchors(html: string, missing: (href: string) => boolean): string {
  if (!/<a\s/i.test(html)) return html;
  return html.replace(/<a(\s[^>]*)>/gi, (tag, attrs: string) => {
    const m = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);
    if (!m) return tag;
    const href = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '')
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
    if (!isLocalHref(href) || !missing(href)) return tag;
    let out = attrs;
    const cls = /\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(out);
    out = cls
      ? out.slice(0, cls.index) +
        ` class="${attrEscape(`${cls[1] ?? cls[2] ?? ''} msol-broken-link`.trim())}"` +
        out.slice(cls.index + cls[0].length)
      : `${out.replace(/\s*\/?$/, '')} class="msol-broken-link"${/\/\s*$/.test(out) ? ' /' : ''}`;
    if (!/\stitle\s*=/i.test(out))
      out = `${out.replace(/\s*\/?$/, '')} title="${attrEscape(`Missing file: ${decodeSafe(href)}`)}"`;
    return `<a${out}>`;
  });
}

function attrEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function docOf(env: unknown): unknown {
  return typeof env === 'object' && env !== null ? (env as { currentDocument?: unknown }).currentDocument : undefined;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The label of the link GitBook writes inside a content-ref (`[Title](page.md)`). */
function innerLabel(inner: string): string | undefined {
  const m = /^\s*\[([^\]]+)\]\(/.exec(inner);
  return m ? m[1]!.replace(/\\([\\[\]*_`])/g, '$1').trim() || undefined : undefined;
}
