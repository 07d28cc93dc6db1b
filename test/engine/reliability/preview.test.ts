import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import {
  extendMarkdownIt,
  type MarkdownIt as PluginMd,
  type PreviewHost,
} from '../../../client/src/preview/markdownIt';
import { matcherOf } from '../../../client/src/preview/pageText';
import { params, runs } from './support';

/**
 * Preview security, as properties of the markdown-it plugin VS Code's preview
 * loads (client/src/preview/markdownIt.ts), over generated hostile pages:
 * GitBook tags whose attributes and bodies carry scripts, event handlers,
 * `javascript:`, `command:`, `vscode:`, `data:` URLs, quotes that try to
 * close an attribute, remote images in Markdown and in HTML.
 *
 * The oracle: markdown-it with `html: false` escapes every tag of the page,
 * so anything active in its output was made by the plugin. With `html: true`
 * (what VS Code uses; its preview then sanitises the HTML and applies its
 * CSP), the plugin must add nothing active that plain markdown-it did not
 * already pass through. Remote content (embeds' images, remote images in
 * Markdown or HTML) appears only with msol.preview.allowRemoteContent.
 *
 * Plain Markdown links to `command:` URIs are markdown-it's own output; VS
 * Code's preview webview does not enable command URIs, so they are inert
 * there (see docs/reliability.md). The plugin never makes one.
 */

const hostile = [
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  ' javascript:alert(1)',
  'command:workbench.action.terminal.new',
  'command:_workbench.downloadResource?%5B%22x%22%5D',
  'vscode://file/etc/passwd',
  'vscode-insiders://x',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  '//evil.example/x.png',
  'https://evil.example/x.png',
  'http://evil.example/pixel.gif',
  'https://youtu.be/abcdefghijk',
  'page.md',
  '../up.md#h',
  '#top',
  '<iframe src=https://evil.example>',
  'x" onmouseover="alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  '%22%3E%3Cscript%3E',
] as const;

const attr = fc.constantFrom(...hostile);
const body = fc.constantFrom(
  'text',
  'a **Crew** meets',
  '<script>alert(1)</script>',
  '[x](command:workbench.action.quit)',
  '![r](https://evil.example/r.png)',
  '<img src="https://evil.example/i.png" srcset="https://evil.example/2x.png 2x">',
  '<a href="javascript:alert(1)">j</a>',
  '<div onclick="alert(1)">d</div>',
  '`code`',
  '<img src=https://evil.example/u.png>',
  '<img src="&#104;ttps://evil.example/e.png">',
  '<video poster="//evil.example/p.png"></video>',
  '<div style="background:url(\'https://evil.example/b.png\')">b</div>',
  '<picture><source srcset="a.png 1x, https://evil.example/s.png 2x"></picture>',
  'inline <img src="https://evil.example/inline.png"> image',
);

/** Pages made of GitBook blocks with hostile attributes and bodies. */
const page = fc
  .array(
    fc.oneof(
      fc.tuple(attr, body).map(([a, b]) => `{% hint style="${a}" %}\n${b}\n{% endhint %}`),
      attr.map((a) => `{% embed url="${a}" %}`),
      fc.tuple(attr, body).map(([a, b]) => `{% embed url="${a}" %}\n${b}\n{% endembed %}`),
      fc.tuple(attr, body).map(([a, b]) => `{% content-ref url="${a}" %}\n[${b}](${a})\n{% endcontent-ref %}`),
      attr.map((a) => `{% file src="${a}" %}`),
      fc.tuple(attr, body).map(([a, b]) => `{% tabs %}\n{% tab title="${a}" %}\n${b}\n{% endtab %}\n{% endtabs %}`),
      fc.tuple(attr, body).map(([a, b]) => `{% code title="${a}" %}\n\`\`\`\n${b}\n\`\`\`\n{% endcode %}`),
      attr.map((a) => `---\ndescription: ${a}\n---`),
      attr.map((a) => `<figure><img src="${a}" alt="f"><figcaption><p>c</p></figcaption></figure>`),
      attr.map((a) => `![alt](${a})`),
      attr.map((a) => `[link](${a})`),
      body,
      fc.constant('Crews and the Crew meet.'),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join('\n\n') + '\n');

function host(allowRemoteContent: boolean): PreviewHost {
  return {
    enabled: () => true,
    allowRemoteContent: () => allowRemoteContent,
    glossary: () => matcherOf([{ term: 'Crew', forms: ['Crew', 'Crews'], definition: '"><script>alert(1)</script>' }]),
    exists: (_doc, href) => !href.includes('missing'),
    pageTitle: () => '"><script>alert(2)</script>',
  };
}

function render(src: string, options: { html: boolean; remote: boolean; plugin?: boolean }): string {
  const md = new MarkdownIt({ html: options.html, linkify: true });
  if (options.plugin !== false) extendMarkdownIt(md as unknown as PluginMd, host(options.remote));
  return md.render(src, { currentDocument: 'doc' });
}

/** Active content in HTML: elements that run or frame things, event handlers, dangerous URL schemes in attributes. */
function active(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<(script|iframe|object|embed|frame|frameset|applet|base|meta|link|style|form)\b/gi))
    found.push(`<${m[1]!.toLowerCase()}>`);
  for (const m of html.matchAll(/<[a-z][^<>]*?\s(on[a-z]+)\s*=/gi)) found.push(m[1]!.toLowerCase());
  for (const m of html.matchAll(
    /\s(href|src|srcset|action|formaction|poster|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|command|vscode|vscode-insiders|data|file):/gi,
  ))
    found.push(`${m[1]}=${m[2]!.toLowerCase()}:`);
  return found;
}

/** Remote loads: src/srcset/poster or url() pointing at http(s) or a protocol-relative URL. */
function remote(html: string): string[] {
  // A browser decodes character references in attributes.
  html = html
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)));
  const found: string[] = [];
  for (const m of html.matchAll(
    /<[a-z][^<>]*?\s(src|srcset|poster|data|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi,
  )) {
    const value = m[2]!.replace(/^["']|["']$/g, '').trim();
    if (
      /^(?:https?:)?\/\//i.test(value) ||
      (m[1]!.toLowerCase() === 'srcset' && /(?:^|[\s,])(?:https?:)?\/\//i.test(value))
    )
      found.push(`${m[1]}=${value}`);
  }
  // CSS url() in a style attribute of a real tag (escaped text that merely shows `url(` loads nothing).
  for (const m of html.matchAll(/<[a-z][^<>]*?\sstyle\s*=\s*("[^"]*"|'[^']*')/gi))
    if (/url\(\s*["']?\s*(?:https?:)?\/\//i.test(m[1]!)) found.push('url(https://');
  return found;
}

const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

test('the oracles can fail: they see scripts, handlers, bad schemes and remote loads', () => {
  assert.deepEqual(active('<p><a href="command:x">x</a><img src=x onerror=alert(1)><script></script></p>'), [
    '<script>',
    'onerror',
    'href=command:',
  ]);
  assert.deepEqual(
    active(render('[x](command:foo)\n', { html: false, remote: false, plugin: false })),
    ['href=command:'],
    'markdown-it itself makes command: links',
  );
  assert.deepEqual(
    remote(
      '<img src="https://x.org/a.png"><img srcset="a.png 1x, //x.org/b.png 2x"><div style="background:url(https://x.org/c.png)">',
    ),
    ['src=https://x.org/a.png', 'srcset=a.png 1x, //x.org/b.png 2x', 'url(https://'],
  );
});

test('html: false — every tag of the page is escaped, so nothing active or remote in the output comes from anywhere but the plugin: there is none', () => {
  let rendered = 0;
  fc.assert(
    fc.property(page, (src) => {
      const html = render(src, { html: false, remote: false });
      rendered += html.length;
      const baseline = count(active(render(src, { html: false, remote: false, plugin: false })));
      // markdown-it itself links `[x](command:…)`; the plugin may keep those, never add one.
      const extra = active(html).filter((x) => {
        const n = baseline.get(x) ?? 0;
        baseline.set(x, n - 1);
        return n <= 0;
      });
      assert.deepEqual(extra, [], `active content from the plugin:\n${src}\n---\n${html}`);
      assert.deepEqual(
        remote(html),
        [],
        `remote content without msol.preview.allowRemoteContent:\n${src}\n---\n${html}`,
      );
    }),
    params(40, runs),
  );
  assert.ok(rendered > 0);
});

test('html: true (as in VS Code) — the plugin adds nothing active to what markdown-it passes through, and nothing remote unless allowed', () => {
  fc.assert(
    fc.property(page, fc.boolean(), (src, allow) => {
      const html = render(src, { html: true, remote: allow });
      const baseline = count(active(render(src, { html: true, remote: allow, plugin: false })));
      const extra = active(html).filter((x) => {
        const n = baseline.get(x) ?? 0;
        baseline.set(x, n - 1);
        return n <= 0;
      });
      assert.deepEqual(extra, [], `active content from the plugin:\n${src}\n---\n${html}`);
      if (!allow)
        assert.deepEqual(
          remote(html),
          [],
          `remote content without msol.preview.allowRemoteContent:\n${src}\n---\n${html}`,
        );
    }),
    params(41, runs),
  );
});

test("with msol.preview.allowRemoteContent on, the only remote content is images (an embed's still image, a remote image): never a frame or a script", () => {
  const html = render(
    '{% embed url="https://youtu.be/abcdefghijk" %}\n\n![r](https://example.org/r.png)\n\n<img src="https://example.org/i.png">\n',
    { html: true, remote: true },
  );
  assert.match(html, /<img class="msol-embed-image" src="https:\/\/i\.ytimg\.com\/vi\/abcdefghijk\/hqdefault\.jpg"/);
  assert.match(html, /<img src="https:\/\/example\.org\/r\.png"/);
  assert.match(html, /<img src="https:\/\/example\.org\/i\.png">/);
  assert.deepEqual(active(html), []);
  const off = render(
    '{% embed url="https://youtu.be/abcdefghijk" %}\n\n![r](https://example.org/r.png)\n\n<img src="https://example.org/i.png">\n',
    { html: true, remote: false },
  );
  assert.deepEqual(remote(off), []);
  assert.match(off, /r/, 'the alt text of a remote image stays');
});
