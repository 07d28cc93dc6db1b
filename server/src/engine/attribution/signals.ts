import { namePattern } from './credit';

/**
 * Whether a text (alt text, a caption, a credit line, an asset's file name)
 * names another maker or source: the sign of third-party material. The site's
 * own diagrams ("A fractal map of belonging") name none.
 */

export interface Signal {
  readonly kind: 'maker' | 'platform' | 'museum' | 'film' | 'copyright';
  /** For people: `names a maker ("by Wei Cheng Wu")`. */
  readonly reason: string;
  /** The maker's name, for `maker`: the site's own author is no third party. */
  readonly name?: string;
}

const platforms =
  /\b(unsplash|pexels|pixabay|shutterstock|getty\s*images|getty|istock(?:photo)?|alamy|flickr|wikimedia|wikipedia|dreamstime|adobe\s*stock|depositphotos|123rf|giphy|imgur|pinterest)\b/i;
const museums =
  /\b(museum|museo|mus[ée]e|gallery|galleria|galerie|rijksmuseum|louvre|uffizi|prado|met\s+collection|collection\s+of|archives?|library\s+of\s+congress|courtesy)\b/i;
/** Words of a film or show. Not "screenshot": people screenshot their own slides and pages. */
const films =
  /\b(film|movie|cartoon|animation|animated|tv|television|sitcom|episode|still\s+from|poster|comic|anime|manga|characters\s+from|disney|pixar|netflix|hbo|bbc|planeteers)\b/i;

const byText = new RegExp(String.raw`(?:^|[\s(“"'])by\s+(${namePattern})`, 'u');
/** In file names words are lower case and joined by - or _: "weaving-image-by-wei-cheng-wu-on-unsplash-r7lswitk0le.jpg". */
const byFile =
  /(?:^|[-_\s])by[-_\s]+([a-z\u00c0-\u024f]+(?:[-_\s][a-z\u00c0-\u024f]+){0,4}?)(?=[-_\s]+(?:on|via|from|at|for|in|cc|photo|image)\b|[-_\s]+[a-z0-9]{8,}$|$)/i;

function titleCase(s: string): string {
  return s
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/** The words of a file name: extension dropped, separators to spaces. */
export function fileNameWords(fileName: string): string {
  const base = fileName.replace(/^.*\//, '').replace(/\.[a-z0-9]{2,5}$/i, '');
  let decoded = base;
  try {
    decoded = decodeURIComponent(base);
  } catch {
    /* keep as written */
  }
  return decoded.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function thirdPartySignals(text: string, kind: 'text' | 'file' = 'text'): Signal[] {
  const out: Signal[] = [];
  if (!text.trim()) return out;
  const words = kind === 'file' ? fileNameWords(text) : text;
  if (kind === 'file') {
    const m = byFile.exec(text.replace(/^.*\//, '').replace(/\.[a-z0-9]{2,5}$/i, ''));
    if (m) {
      const name = titleCase(m[1]!);
      out.push({ kind: 'maker', reason: `its file name names a maker ("by ${name}")`, name });
    }
  } else {
    const m = byText.exec(text);
    if (m) {
      const name = m[1]!.replace(/[.,]+$/, '');
      if (!/^(?:Me|Us|Myself|Author|The Author)$/i.test(name))
        out.push({ kind: 'maker', reason: `it names a maker ("by ${name}")`, name });
    }
  }
  const where = kind === 'file' ? 'its file name' : 'it';
  const p = platforms.exec(words);
  if (p) out.push({ kind: 'platform', reason: `${where} names ${titleCase(p[1]!.toLowerCase())}` });
  const mu = museums.exec(words);
  if (mu)
    out.push({
      kind: 'museum',
      reason: `${where} names a ${/courtesy/i.test(mu[1]!) ? 'lender ("courtesy")' : 'museum or collection'}`,
    });
  // In a file name such words are anyone's ("poster.png", "animation.gif"): only a maker, a platform or a collection there is evidence.
  const f = kind === 'text' ? films.exec(words) : null;
  if (f) out.push({ kind: 'film', reason: `${where} names a film, show or cartoon ("${f[1]}")` });
  if (kind === 'text' && /©|\(c\)\s*\d|\bcopyright\b/i.test(text))
    out.push({ kind: 'copyright', reason: `${where} claims copyright` });
  return out;
}
