import type { JsonSchema } from './validate';
import { severities } from '../types';
import { configSections } from './config';

/**
 * The JSON Schema of `.msolrc.json`. The engine validates with it and
 * `npm run generate` writes it to `schemas/msolrc.schema.json` for editors.
 */

const severity: JsonSchema = {
  type: 'string',
  enum: severities,
  description: 'How a finding of this rule is reported; `off` turns the rule off.',
};

export function ruleSettingSchema(optionsSchema?: JsonSchema): JsonSchema {
  const options: JsonSchema = optionsSchema ?? { type: 'object' };
  return {
    oneOf: [
      severity,
      { type: 'array', items: [severity, options], minItems: 1, maxItems: 2 },
      {
        type: 'object',
        properties: { severity, ...(optionsSchema?.properties ?? {}) },
        additionalProperties: optionsSchema ? false : true,
      },
    ],
  };
}

export function configSchema(
  knownRules: readonly string[],
  ruleOptions: Readonly<Record<string, JsonSchema>> = {},
): JsonSchema {
  const rules: Record<string, JsonSchema> = {};
  for (const id of knownRules) rules[id] = ruleSettingSchema(ruleOptions[id]);
  const path = (description: string): JsonSchema => ({ type: 'string', description });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Microsolidarity Authoring configuration (.msolrc.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      site: {
        type: 'object',
        additionalProperties: false,
        description:
          "Facts about the site. What is not set here is read from the site (book.toml, book.json, .gitbook.yaml, CNAME, LICENSE, the home page); the Microsolidarity handbook's values are defaults for that site only.",
        properties: {
          kind: {
            type: 'string',
            enum: ['gitbook', 'mdbook', 'gitbook-legacy', 'plain'],
            description:
              'Which generator publishes the site; by default read from what the folder holds (book.toml: mdbook, .gitbook.yaml or SUMMARY.md: gitbook, book.json: gitbook-legacy, none: plain, link checks only).',
          },
          url: {
            type: 'string',
            format: 'uri',
            description:
              'The published URL of the site (links to it should be relative). Else a CNAME file or book.toml; unknown otherwise (link-site-absolute stays silent).',
          },
          root: path('Folder holding the content, relative to the workspace. `.gitbook.yaml` `root` takes precedence.'),
          readme: path('The home page, relative to root.'),
          summary: path('GitBook table of contents, relative to root.'),
          proposal: path(
            'The hub document every page builds on, relative to root (none by default: the proposal rules stay silent).',
          ),
          license: {
            type: 'string',
            description: "SPDX id of the site license. Else the home page's license statement or a LICENSE file.",
          },
          defaultAuthor: {
            type: 'string',
            description:
              "Author of every page that does not declare one. Else the home page's statement, book.toml authors or book.json author.",
          },
        },
      },
      rules: {
        type: 'object',
        additionalProperties: false,
        properties: rules,
        description: 'Severity (and options) per rule.',
      },
      ignore: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Files and folders to leave out, in .gitignore syntax, relative to the site folder (`drafts/`, `/drafts/**`, `*.{md,markdown}`, `!keep.md`).',
      },
      maxFileSize: {
        type: 'integer',
        minimum: 1,
        description: 'Files larger than this many bytes are skipped with a notice.',
      },
      ...Object.fromEntries(configSections().map((s) => [s.key, s.schema])),
    },
  };
}
