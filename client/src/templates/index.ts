/**
 * Page templates for "New article…". The built-in template is below; a site
 * overrides it with Markdown files in its templates folder
 * (`msol.templates.folder`, default `.msol/templates`: a dot-folder, so the
 * checks and GitBook ignore it). `article.md` there replaces the built-in
 * one; any other `*.md` is offered as another template.
 *
 * Syntax (a small subset of Mustache):
 * - `{{name}}` — a value; `{{name|yaml}}` quotes it for YAML when needed.
 * - `{{#name}}…{{/name}}` — kept only when the value is not empty;
 *   `{{^name}}…{{/name}}` — kept only when it is empty. A section tag alone
 *   on its line takes the line with it.
 *
 * The description is front matter only: GitBook shows it under the title (as
 * the preview does), so the page does not repeat it as its first paragraph.
 *
 * Values: title, description, author (empty when the page's author is the
 * site's default author), defaultAuthor, proposalLink (relative link from
 * the new page, empty when the site has no proposal), proposalTitle,
 * license, licenseName, licenseUrl, date (YYYY-MM-DD), fileName.
 */

export interface TemplateValues {
  readonly title: string;
  readonly description: string;
  readonly author: string;
  readonly defaultAuthor: string;
  readonly proposalLink: string;
  readonly proposalTitle: string;
  readonly license: string;
  readonly licenseName: string;
  readonly licenseUrl: string;
  readonly date: string;
  readonly fileName: string;
}

/** The name of the template a site's folder may override. */
export const defaultTemplateName = 'article.md';

export const builtInArticleTemplate = `---
description: {{description|yaml}}
{{#author}}
author: {{author|yaml}}
{{/author}}
---

# {{title}}

{{#proposalLink}}This page builds on the ideas of [the original proposal]({{proposalLink}}).{{/proposalLink}}

## Credits

{{#author}}
Written by {{author}}. Published under the site's license{{#licenseUrl}}, [{{licenseName}}]({{licenseUrl}}){{/licenseUrl}}.
{{/author}}
{{^author}}
Published under the site's license{{#licenseUrl}}, [{{licenseName}}]({{licenseUrl}}){{/licenseUrl}}.
{{/author}}
`;

/** A YAML scalar for a value: as written when that is safe, else double-quoted. */
export function yamlScalar(value: string): string {
  const v = value.replace(/\s+/g, ' ').trim();
  if (v === '') return '""';
  const plain =
    /^[^\s\-?:,[\]{}#&*!|>'"%@`]/.test(v) &&
    !/: |\s#|:$/.test(v) &&
    !/^(?:true|false|yes|no|on|off|null|~|[-+]?\d[\d._]*(?:e[-+]?\d+)?)$/i.test(v);
  return plain ? v : JSON.stringify(v);
}

export function renderTemplate(template: string, values: TemplateValues): string {
  const get = (name: string): string => {
    const v = (values as unknown as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : '';
  };
  // Standalone section tags take their whole line.
  let text = template.replace(/^[ \t]*(\{\{[#^/]\w+\}\})[ \t]*\r?\n/gm, '$1');
  // Sections, innermost first, until none is left.
  const section = /\{\{([#^])(\w+)\}\}((?:(?!\{\{[#^]\w+\}\})[\s\S])*?)\{\{\/\2\}\}/;
  for (let guard = 0; guard < 100 && section.test(text); guard++) {
    text = text.replace(section, (_m, kind: string, name: string, body: string) =>
      (get(name) !== '') === (kind === '#') ? body : '',
    );
  }
  text = text.replace(/\{\{(\w+)(?:\|(\w+))?\}\}/g, (_m, name: string, filter: string | undefined) =>
    filter === 'yaml' ? yamlScalar(get(name)) : get(name),
  );
  // A section left empty leaves its blank lines: one blank line is enough.
  text = text.replace(/(\r?\n)(?:[ \t]*\r?\n){2,}/g, '$1$1');
  return text.endsWith('\n') ? text : text + '\n';
}
