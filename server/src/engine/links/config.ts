import { defineConfigSection, sectionOf, type MsolConfig } from '../config/config';

/**
 * The `links` section of `.msolrc.json`: what the cross-link rules and
 * features need to know beyond `site` (which already names the site URL and
 * the proposal). Registered at module load by the modules that read it.
 */
export interface LinksConfig {
  /** Phrases that name the proposal in prose ("the proposal"); matched whole-word, case-insensitively, `'` and `’` alike. */
  readonly proposalMentions: readonly string[];
  /** Published copies of the proposal elsewhere (its old Medium post): links to them should link the local page. */
  readonly proposalCopies: readonly string[];
  /** Globs (relative to the workspace) of pages that need no SUMMARY.md entry. */
  readonly orphanIgnore: readonly string[];
}

export const mediumCopyOfProposal =
  'https://medium.com/enspiral-tales/courage-before-hope-a-proposal-to-weave-emotional-and-economic-microsolidarity-87bc81372a09';

export const linksSection = defineConfigSection<LinksConfig>({
  key: 'links',
  schema: {
    type: 'object',
    additionalProperties: false,
    description: 'Cross-links: how the proposal is mentioned and copied, and which pages need no SUMMARY.md entry.',
    properties: {
      proposalMentions: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Phrases that mean the proposal in prose; `proposal-mention-unlinked` asks for a link in the same paragraph.',
        default: ['the proposal', 'the original proposal'],
      },
      proposalCopies: {
        type: 'array',
        items: { type: 'string' },
        description:
          'URLs of external copies of the proposal; `proposal-external-copy` asks to link the local page instead. The Microsolidarity handbook has its old Medium post here by default.',
        default: [],
      },
      orphanIgnore: {
        type: 'array',
        items: { type: 'string' },
        description: 'Globs of pages that `summary-orphan-page` leaves alone (drafts, notes).',
        default: [],
      },
    },
  },
  defaults: {
    proposalMentions: ['the proposal', 'the original proposal'],
    proposalCopies: [],
    orphanIgnore: [],
  },
});

export function linksConfig(config: MsolConfig): LinksConfig {
  return sectionOf(config, linksSection);
}
