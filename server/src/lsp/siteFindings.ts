import {
  throwIfCancelled,
  type CancellationToken,
  type Finding,
  type Logger,
  type Project,
  type WorkspaceFindingsCache,
} from '../engine/index';

/**
 * Every file's findings of one site (the status bar's counts,
 * `workspace/diagnostic`, `msol/checkSite`), kept incrementally: cached per
 * index revision; after an edit no other page can see, only that page is
 * checked again; otherwise the whole site is, by one run at a time that
 * pauses every few milliseconds (the host's `pause`), so that the editor's
 * requests are answered in between.
 */

/** A whole-site check in progress: pages edited meanwhile are marked like the cache's; a visible edit makes it stale. */
interface SiteCheck {
  readonly project: Project;
  revision: number;
  valid: boolean;
  readonly dirty: Set<string>;
  done: Promise<ReadonlyMap<string, readonly Finding[]>>;
}

/** Site-wide findings of one index revision. */
interface SiteFindingsCache {
  readonly project: Project;
  /** The index revision the findings hold for, once the pages in `dirty` are checked again. */
  revision: number;
  /** Pages edited since, in ways no other page can see (Project.openDocument said so): only they need checking again. */
  readonly dirty: Set<string>;
  /** Reloading a broken config may leave the config as it was but change its findings. */
  readonly configFindings: readonly Finding[];
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
}

export interface SiteFindingsOptions {
  readonly logger: Logger;
  /** Whether `project` is still the host's (not replaced by a re-index, not disposed): a run for another stops. */
  readonly isCurrent: (project: Project) => boolean;
  /** A pause of a long run: lets the editor's requests and keystrokes go first. */
  readonly pause: () => Promise<void>;
}

/** Workspace findings from the persistent cache for the first check of a freshly indexed project. */
interface WarmStart {
  readonly project: Project;
  readonly cache: WorkspaceFindingsCache;
  /** Called once a check that used the cache is complete (the host stores what it recorded). */
  readonly completed: () => void;
}

export class SiteFindings {
  readonly #options: SiteFindingsOptions;
  #cache: SiteFindingsCache | undefined;
  #running: SiteCheck | undefined;
  #warm: WarmStart | undefined;

  constructor(options: SiteFindingsOptions) {
    this.#options = options;
  }

  /** A config reload built a new Project: nothing cached holds. */
  forget(): void {
    this.#cache = undefined;
    this.#warm = undefined;
  }

  /**
   * The next whole-site check of `project` takes pages' workspace findings
   * from `cache` (the CLI's persistent cache: a workspace that CI or a
   * pre-commit run checked costs about a warm check), until something other
   * pages can see changes.
   */
  warmStart(project: Project, cache: WorkspaceFindingsCache, completed: () => void): void {
    this.#warm = { project, cache, completed };
  }

  /** Something other pages can see changed (a file event, a visible edit): the persistent cache's workspace findings no longer hold. */
  siteChanged(): void {
    this.#warm = undefined;
  }

  /**
   * A page's text went to the engine (`visible`: other pages may see the
   * difference, Project.openDocument's answer). The cached findings, and
   * those being computed, stay valid but for this page, or not at all.
   */
  edited(project: Project, path: string, visible: boolean, revisionBefore: number, revisionAfter: number): void {
    for (const state of [this.#cache, this.#running]) {
      if (!state || state.project !== project) continue;
      if (!visible && state.revision === revisionBefore) {
        state.revision = revisionAfter;
        state.dirty.add(path);
      } else if (state === this.#running) this.#running.valid = false;
    }
    // The edited page itself no longer takes cached findings (its phase one is not the cache's); a visible edit ends them all.
    if (visible) this.siteChanged();
  }

  /** Every file's findings for the host's current project (`current()` also hands the engine the latest edits). */
  async of(current: () => Project, token: CancellationToken): Promise<ReadonlyMap<string, readonly Finding[]>> {
    let last: ReadonlyMap<string, readonly Finding[]> | undefined;
    // Edits during a run may make its result unusable; a few tries, then the latest result as it is.
    for (let attempt = 0; attempt < 4; attempt++) {
      const project = current();
      await project.refreshStale(token);
      const revision = project.index.revision;
      const cached = this.#cache;
      if (
        cached &&
        cached.project === project &&
        cached.revision === revision &&
        cached.configFindings === project.configFindings
      )
        return this.#settle(cached, token);
      const running = this.#running;
      if (running && running.project === project && running.valid) {
        last = await running.done;
        throwIfCancelled(token);
        continue;
      }
      this.#options.logger.log('debug', 'site findings: checking every page', {
        reason: !cached
          ? 'first check'
          : cached.project !== project
            ? 'new project'
            : cached.revision !== revision
              ? `revision ${cached.revision} → ${revision}`
              : 'config findings changed',
      });
      last = await this.#checkSite(project, revision);
      throwIfCancelled(token);
    }
    return last ?? new Map();
  }

  /** The cached findings with the pages edited since checked again. */
  #settle(cached: SiteFindingsCache, token: CancellationToken): ReadonlyMap<string, readonly Finding[]> {
    if (cached.dirty.size === 0) return cached.findings;
    const project = cached.project;
    const findings = new Map(cached.findings);
    let added = false;
    for (const path of cached.dirty) {
      throwIfCancelled(token);
      const now = project.index.hasFile(path) ? project.check(path) : [];
      if (now.length === 0) findings.delete(path);
      else {
        added ||= !findings.has(path);
        findings.set(path, now);
      }
    }
    const settled = added ? new Map([...findings].sort(([a], [b]) => a.localeCompare(b))) : findings;
    this.#cache = {
      project,
      revision: cached.revision,
      dirty: new Set(),
      configFindings: cached.configFindings,
      findings: settled,
    };
    return settled;
  }

  /** One run over the whole site (shared by every caller meanwhile); cached when no edit made it stale. */
  #checkSite(project: Project, revision: number): Promise<ReadonlyMap<string, readonly Finding[]>> {
    const run: SiteCheck = { project, revision, valid: true, dirty: new Set(), done: Promise.resolve(new Map()) };
    this.#running = run;
    const { isCurrent, pause } = this.#options;
    const warm = this.#warm?.project === project ? this.#warm : undefined;
    run.done = (async () => {
      try {
        // A run whose project was replaced (a re-index) or disposed stops at its next pause.
        const superseded: CancellationToken = {
          get isCancellationRequested() {
            return !isCurrent(project);
          },
        };
        // The persistent cache's findings hold only while nothing visible changed; asked at each page, not once.
        const cache: WorkspaceFindingsCache | undefined = warm && {
          get: (path) => (this.#warm === warm ? warm.cache.get(path) : undefined),
          record: (path, workspace) => warm.cache.record(path, workspace),
        };
        const findings = await project.checkAllYielding(superseded, pause, cache);
        if (run.valid && run.revision === project.index.revision && isCurrent(project)) {
          this.#cache = {
            project,
            revision: run.revision,
            dirty: run.dirty,
            configFindings: project.configFindings,
            findings,
          };
        }
        if (warm && this.#warm === warm) {
          this.#warm = undefined;
          warm.completed();
        }
        return findings;
      } finally {
        if (this.#running === run) this.#running = undefined;
      }
    })();
    return run.done;
  }
}
