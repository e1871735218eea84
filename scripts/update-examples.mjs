#!/usr/bin/env node
// Regenerates examples/<name>/expected-output.txt (stylish, no colour, Postfix 3.7.11); run after `npm run build`.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const root = new URL('../', import.meta.url).pathname;
for (const name of readdirSync(root + 'examples')) {
  const dir = `examples/${name}`;
  if (!statSync(root + dir).isDirectory()) continue;
  // --files off: the examples name certificate paths, and whether those exist depends on the machine.
  const r = spawnSync(process.execPath, ['bin/postfix-tls-lint', '--postfix-version', '3.7.11', '--no-color', '--verbose', '--files', 'off', dir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', POSTFIX_TLS_LINT_NO_POSTCONF: '1' },
  });
  writeFileSync(`${root}${dir}/expected-output.txt`, `# exit status ${r.status}\n${r.stdout.replaceAll(root, '')}`);
  console.log(`${dir}: exit ${r.status}`);
}
