import type { Connection } from 'vscode-languageserver/node';
import {
  describeSite,
  formatSiteDescription,
  neverCancelled,
  type Finding,
  type Logger,
  type SiteDescription,
} from '../engine/index';
import { glossaryOf } from '../engine/glossary/index';
import { StatusNotification } from '../protocol';
import { runGuarded } from './logging';
import type { Sites } from './sites';

/**
 * `msol/status` for the status bar: sent when indexing starts, when it ends
 * and, after checks, when the site's problem counts change. Counting reads
 * the hosts' cached site-wide findings, so it costs one check per change.
 */

const statusDelay = 250;
const statusMaxDelay = 2000;

export interface SiteCounts {
  readonly pages: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/** Counts of every ready site; also the answer to msol/checkSite. */
export async function countSites(sites: Sites, token = neverCancelled): Promise<SiteCounts> {
  let pages = 0;
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const host of sites.hosts) {
    if (host.state !== 'ready') continue;
    const findings = await host.siteFindings(token);
    pages += host.project.index.pages().length;
    for (const list of findings.values())
      for (const f of list as Finding[]) {
        if (f.severity === 'error') errors++;
        else if (f.severity === 'warning') warnings++;
        else if (f.severity === 'info') infos++;
      }
  }
  return { pages, errors, warnings, infos };
}

export class StatusReporter {
  readonly #connection: Connection;
  readonly #sites: Sites;
  readonly #logger: Logger;
  #last = '';
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Only a client that asked for `msol/status` (InitializationOptions.statusNotification) gets it, and only then are counts kept. */
  readonly #enabled: boolean;

  constructor(connection: Connection, sites: Sites, logger: Logger, enabled = true) {
    this.#connection = connection;
    this.#sites = sites;
    this.#logger = logger;
    this.#enabled = enabled;
  }

  /**
   * After a check: send the counts when they changed, once checks pause for
   * statusDelay (but at least every statusMaxDelay while they go on): while
   * someone types, the site-wide count must not compete with the keystrokes'
   * own diagnostics.
   */
  schedule(): void {
    if (!this.#enabled) return;
    const now = Date.now();
    this.#firstPending ??= now;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const wait = Math.max(0, Math.min(statusDelay, this.#firstPending + statusMaxDelay - now));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#firstPending = undefined;
      runGuarded('status', this.#logger, () => this.sendNow());
    }, wait);
  }
  #firstPending: number | undefined;

  async sendNow(): Promise<void> {
    if (!this.#enabled) return;
    const indexing = this.#sites.hosts.some((h) => h.state === 'indexing');
    const counts = await countSites(this.#sites);
    const params: StatusNotification.Params = {
      state: indexing ? 'indexing' : 'ready',
      pages: counts.pages,
      errors: counts.errors,
      warnings: counts.warnings,
      // Terms of every ready site's glossary (0: none read yet).
      glossaryTerms: this.#sites.hosts.reduce(
        (n, h) => n + (h.state === 'ready' ? glossaryOf(h.project.index).terms.length : 0),
        0,
      ),
      sites: this.#sites.hosts
        .filter((h) => h.state === 'ready')
        .map((h) => siteStatus(h.rootUri, describeSite(h.project.index))),
    };
    const key = JSON.stringify(params);
    if (key === this.#last) return;
    this.#last = key;
    await this.#connection.sendNotification(StatusNotification.type, params);
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }
}

/** A site's description in the status message (the tooltip's words are the client's). */
export function siteStatus(uri: string, d: SiteDescription): StatusNotification.SiteStatus {
  return {
    uri,
    kind: d.kind,
    kindLabel: d.kindLabel,
    kindFrom: d.kindFrom,
    ...(d.url ? { url: d.url } : {}),
    ...(d.license ? { license: d.license } : {}),
    ...(d.defaultAuthor ? { defaultAuthor: d.defaultAuthor } : {}),
    silent: d.silent.map((s) => ({ rule: s.rule, needs: s.needs, setting: s.setting })),
    lines: formatSiteDescription(d),
  };
}
