import * as assert from 'node:assert/strict';
import { State } from 'vscode-languageclient/node';
import * as vscode from 'vscode';
import { activated, codeOf, diagnosticsOf, lineOf, openPage, until } from './helpers';

suite('Restart', () => {
  test('"Restart language server" stops the client and brings it back to Running', async () => {
    const api = await activated();
    assert.equal(api.client.state, State.Running);
    const seen: State[] = [];
    const listener = api.client.onDidChangeState((e) => seen.push(e.newState));
    try {
      const restarted = vscode.commands.executeCommand('msol.restartServer');
      await until(
        'the client to stop and run again',
        [api.client.onDidChangeState],
        () =>
          seen.includes(State.Stopped) && seen.lastIndexOf(State.Running) > seen.indexOf(State.Stopped)
            ? true
            : undefined,
        () => `states seen: ${JSON.stringify(seen.map((s) => State[s]))}`,
      );
      await restarted;
    } finally {
      listener.dispose();
    }
    assert.equal(api.client.state, State.Running);
    assert.ok(
      seen.indexOf(State.Starting) > seen.indexOf(State.Stopped),
      `states seen: ${JSON.stringify(seen.map((s) => State[s]))}`,
    );

    // The new server answers: the open page's problem comes back.
    const document = await openPage('getting-started.md');
    const linkLine = lineOf(document, '](crews.md)');
    await diagnosticsOf(document.uri, 'link-missing-file after the restart', (all) =>
      all.find((d) => codeOf(d) === 'link-missing-file' && d.range.start.line === linkLine),
    );
  });
});
