// `npm start`: builds, then checks the bundled example site, as a user would run `msol check`.
// The example has deliberate problems (examples/README.md), so msol exits 1; that is the
// expected outcome of the demo, not a failure of `npm start`. Any other exit code is passed on.
import { spawnSync } from 'node:child_process';

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--product'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const check = spawnSync(process.execPath, ['bin/msol.js', 'check', 'examples/handbook', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
if (check.status === 1) {
  console.log(
    '\nmsol exited with 1: the example site has deliberate problems (see examples/README.md). Try `node bin/msol.js check examples/handbook --fix` on a copy.',
  );
  process.exit(0);
}
process.exit(check.status ?? 1);
