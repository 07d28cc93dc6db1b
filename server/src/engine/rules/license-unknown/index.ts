import { defineRule } from '../define';
import { labelled, message, said } from '../../message';
import { assessPage, pageLicense } from '../../attribution/assess';
import { itemLabel } from '../../attribution/describe';

/** A credit whose license cannot be identified. See docs.md. */
export default defineRule(
  {
    id: 'license-unknown',
    category: 'attribution',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description:
      'A credit names a license that cannot be identified as an SPDX id, a Creative Commons license or a known named license.',
    fixable: false,
  },
  { defaults: {} },
  ({ path, index }, report) => {
    const note =
      'A license is identified by an SPDX id (CC-BY-4.0, CC0-1.0), a Creative Commons name with its version (CC BY-SA 4.0), "public domain", or a link to the license deed. ' +
      'Until it is, nobody can tell whether the site may republish the material.';
    for (const a of assessPage(index, path)) {
      if (!a.thirdParty || a.license?.kind !== 'unknown' || a.compatibility.verdict === 'incompatible') continue;
      report(
        a.span,
        message`Unexpected license ${said(a.license.raw.trim())} in the credit of ${labelled(itemLabel(a))}, expected one that can be identified`,
        { note },
      );
    }
    const own = pageLicense(index, path);
    if (own.license?.kind === 'unknown' && own.span) {
      report(
        own.span,
        message`Unexpected page license ${said(own.license.raw.trim())}, expected a license that can be identified (CC BY 4.0)`,
        { note },
      );
    }
  },
);
