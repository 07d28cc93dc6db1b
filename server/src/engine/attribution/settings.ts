import { defineConfigSection, sectionOf, type MsolConfig } from '../config/config';
import type { JsonSchema } from '../config/validate';

/**
 * The `attribution` section of `.msolrc.json`: per-asset records (recorded
 * once, trusted on every page that uses the asset), other names of authors,
 * and the length from which a block quote needs a credit.
 *
 * ```json
 * "attribution": {
 *   "assets": {
 *     ".gitbook/assets/loom.jpg": { "title": "Loom", "author": "Jane Doe", "source": "https://…", "license": "CC-BY-4.0" },
 *     ".gitbook/assets/diagram.png": { "thirdParty": false }
 *   },
 *   "aliases": { "Richard D. Bartlett": ["Rich", "RichDecibels"] }
 * }
 * ```
 */

export interface AssetRecordSetting {
  readonly title?: string;
  readonly author?: string;
  readonly source?: string;
  readonly license?: string;
  /** true: treat as third-party even without a sign; false: the site's own, no credit needed. */
  readonly thirdParty?: boolean;
}

export interface AttributionSettings {
  /** Keyed by the asset's site path (`.gitbook/assets/x.jpg`) or a remote image's URL. */
  readonly assets: Readonly<Record<string, AssetRecordSetting>>;
  /** Other names of an author (the default author's nickname, handle, git name). */
  readonly aliases: Readonly<Record<string, readonly string[]>>;
  /** A block quote of at least this many words needs a credit. */
  readonly quoteWords: number;
}

const record: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    title: { type: 'string', description: 'Title of the work.' },
    author: { type: 'string', description: 'Who made it.' },
    source: { type: 'string', format: 'uri', description: 'A link to the work.' },
    license: {
      type: 'string',
      description:
        'An SPDX id or expression (CC-BY-4.0), or a named value: `LicenseRef-PublicDomain`, `LicenseRef-Unsplash`, `LicenseRef-AllRightsReserved`.',
    },
    thirdParty: {
      type: 'boolean',
      description: "`true`: third-party material; `false`: the site's own (needs no credit).",
    },
  },
};

export const attributionSection = defineConfigSection<AttributionSettings>({
  key: 'attribution',
  schema: {
    type: 'object',
    additionalProperties: false,
    description: 'License attribution: per-asset records, author aliases, quote length.',
    properties: {
      assets: {
        type: 'object',
        additionalProperties: record,
        description:
          'Credit records per asset (site path or remote URL), trusted on every page that uses it. A sidecar `NAME.license` file beside the asset does the same.',
      },
      aliases: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string' } },
        description: 'Other names of an author, so that "Rich" counts as "Richard D. Bartlett".',
      },
      quoteWords: {
        type: 'integer',
        minimum: 1,
        description: 'A block quote of at least this many words needs a credit.',
        default: 40,
      },
    },
  },
  defaults: {
    assets: {},
    aliases: { 'Richard D. Bartlett': ['Rich', 'Rich Bartlett', 'Richard Bartlett', 'RichDecibels', 'richdecibels'] },
    quoteWords: 40,
  },
});

export function attributionSettings(config: MsolConfig): AttributionSettings {
  return sectionOf(config, attributionSection);
}
