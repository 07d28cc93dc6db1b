/**
 * The git calls of the language server among those the git shim recorded
 * (test/vscode/git-shim/git: one line per call, arguments then the working
 * folder). The server's are the ones with `-c core.quotePath=false`
 * (server/src/node/gitHistory.ts); VS Code's own git extension never passes it.
 */
export function serverGitCalls(log: string): string[] {
  return log.split('\n').filter((line) => line.includes('core.quotePath=false'));
}
