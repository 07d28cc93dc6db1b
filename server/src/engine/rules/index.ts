import type { RuleDefinition } from './define';
import linkMissingFile from './link-missing-file/index';
import linkMissingHeading from './link-missing-heading/index';
import linkSiteAbsolute from './link-site-absolute/index';
import proposalMentionUnlinked from './proposal-mention-unlinked/index';
import proposalExternalCopy from './proposal-external-copy/index';
import summaryOrphanPage from './summary-orphan-page/index';
import summaryDuplicateEntry from './summary-duplicate-entry/index';
import gitbookBlockUnclosed from './gitbook-block-unclosed/index';
import gitbookBlockInvalid from './gitbook-block-invalid/index';
import encodingMojibake from './encoding-mojibake/index';
import termCase from './term-case/index';
import termAvoid from './term-avoid/index';
import termUndefined from './term-undefined/index';
import glossaryDuplicateTerm from './glossary-duplicate-term/index';
import termFirstUseUnlinked from './term-first-use-unlinked/index';
import attributionMissing from './attribution-missing/index';
import attributionIncomplete from './attribution-incomplete/index';
import licenseIncompatible from './license-incompatible/index';
import licenseUnknown from './license-unknown/index';
import authorUndeclared from './author-undeclared/index';
import siteLicenseNotice from './site-license-notice/index';
import imageAltMissing from './image-alt-missing/index';

/**
 * The one ordered list of rules. The README table, the settings schema, the
 * `.msolrc.json` schema and the docs links are generated from it
 * (`npm run generate`).
 */
export const rules: readonly RuleDefinition<never>[] = [
  linkMissingFile,
  linkMissingHeading,
  linkSiteAbsolute,
  proposalMentionUnlinked,
  proposalExternalCopy,
  summaryOrphanPage,
  summaryDuplicateEntry,
  gitbookBlockUnclosed,
  gitbookBlockInvalid,
  encodingMojibake,
  termCase,
  termAvoid,
  termUndefined,
  glossaryDuplicateTerm,
  termFirstUseUnlinked,
  attributionMissing,
  attributionIncomplete,
  licenseIncompatible,
  licenseUnknown,
  authorUndeclared,
  siteLicenseNotice,
  imageAltMissing,
] as unknown as readonly RuleDefinition<never>[];

export const ruleIds: readonly string[] = rules.map((r) => r.meta.id);

/**
 * Findings the engine itself reports, outside any rule. Their ids are public
 * like rule ids, so they can be filtered in CI.
 */
export function ruleById(id: string): RuleDefinition<never> | undefined {
  return rules.find((r) => r.meta.id === id);
}

export const engineFindingIds = {
  configInvalid: 'config-invalid',
  fileUnreadable: 'file-unreadable',
  ruleCrashed: 'rule-crashed',
} as const;
