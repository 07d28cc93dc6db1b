/**
 * Every identifier the client shares with package.json's `contributes`, in one
 * place. A name changed here must be changed in the manifest too; the vscode
 * test suite checks that the commands below are registered.
 */

/** Language client id: also the settings section the client reads `trace.server` from. */
export const clientId = 'msol';

/** Name of the output channel and of the language client. */
export const displayName = 'Microsolidarity';

/** Settings section and keys (see contributes.configuration). */
export const settings = {
  section: 'msol',
  enable: 'enable',
} as const;

/** Command ids (see contributes.commands). */
export const commands = {
  checkSite: 'msol.checkSite',
  restartServer: 'msol.restartServer',
  openSettings: 'msol.openSettings',
  newArticle: 'msol.newArticle',
  insertTermDefinition: 'msol.insertTermDefinition',
  insertProposalLink: 'msol.insertProposalLink',
  addAttribution: 'msol.addAttribution',
  attributionReport: 'msol.attributionReport',
  showGlossary: 'msol.showGlossary',
} as const;

/** Path of the bundled server, relative to the extension root. */
export const serverModule = 'server/out/server.js';
