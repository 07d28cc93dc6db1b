import type { WorkspaceIndex } from '../workspace';
import { safeDecodeUri } from '../text';

/**
 * Images the site's editors uploaded to the site's own storage: GitHub's
 * attachments of the site's own repository (`github.com/OWNER/REPO/assets/…`,
 * and `github.com/user-attachments/assets/…` on a site kept on GitHub) and
 * GitBook's file storage. Like the files under `.gitbook/assets/`, they are
 * the site's own unless a credit or their words say otherwise: being remote
 * is no evidence of third-party material.
 *
 * The site's repository is read from the site: a link from a page into one
 * of the site's own files (`github.com/OWNER/REPO/raw/BRANCH/PATH` where PATH
 * is a file of the site, as the handbook's home page links its PDF).
 */

const repoFileLink =
  /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+)\/(?:raw|blob|tree|edit)\/[^/]+\/([^?#]+)/i;
const repoAsset = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+)\/assets\//i;
const userAttachment = /^https?:\/\/(?:www\.)?github\.com\/user-attachments\/(?:assets|files)\//i;
const gitbookFiles =
  /^https?:\/\/(?:files\.gitbook\.com|content\.gitbook\.com|[\w-]+\.gitbook\.io\/~\/files|[\w.-]*gitbook-x-prod\.appspot\.com|[\w-]+-files\.gitbook\.io)\//i;

const caches = new WeakMap<WorkspaceIndex, { revision: number; repos: ReadonlySet<string> }>();

/** `owner/repo` (lower case) of every GitHub repository the site links into its own files. */
export function siteRepositories(index: WorkspaceIndex): ReadonlySet<string> {
  const cached = caches.get(index);
  if (cached && cached.revision === index.revision) return cached.repos;
  const repos = new Set<string>();
  for (const page of index.pages()) {
    for (const r of index.facts(page)?.references ?? []) {
      if (!r.url.includes('github.com/')) continue;
      const m = repoFileLink.exec(r.url);
      if (!m) continue;
      if (index.hasFile(safeDecodeUri(m[3]!).replace(/\/+$/, ''))) repos.add(`${m[1]}/${m[2]}`.toLowerCase());
    }
  }
  caches.set(index, { revision: index.revision, repos });
  return repos;
}

/** Why an image URL is an upload to the site's own storage, or undefined. */
export function ownUpload(url: string, index: WorkspaceIndex): string | undefined {
  const u = url.trim();
  const asset = repoAsset.exec(u);
  if (asset && siteRepositories(index).has(`${asset[1]}/${asset[2]}`.toLowerCase()))
    return `it was uploaded to the site's repository ${asset[1]}/${asset[2]}`;
  if (userAttachment.test(u) && siteRepositories(index).size > 0)
    return 'it was uploaded to GitHub by the site’s editors';
  if (gitbookFiles.test(u)) return 'it was uploaded to GitBook by the site’s editors';
  return undefined;
}
