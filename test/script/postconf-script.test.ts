/** postconf commands in shell scripts and Dockerfiles: parsed in order, applied over main.cf, findings at the script line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerfileShellText, postconfOps, scriptFrontEnd } from '../../src/script/postconf-script.js';
import { shellCommands, wordSource } from '../../src/script/shell-words.js';
import { lintRendered } from '../../src/engine/lint-rendered.js';
import type { Finding } from '../../src/engine/types.js';

const V = '3.7.11';

function lintScript(text: string, kind: 'shell' | 'dockerfile', base?: string): Finding[] {
  const path = kind === 'dockerfile' ? 'Dockerfile' : 'setup-postfix.sh';
  const front = scriptFrontEnd({ script: { path, text }, kind, base: base === undefined ? null : { path: 'main.cf', text: base } });
  assert.ok(front, 'the script runs postconf');
  const texts = new Map([[path, text], ...(base !== undefined ? [['main.cf', base] as const] : [])]);
  return lintRendered({ texts, mainPath: `${path} (main.cf)`, masterPath: `${path} (master.cf)`, front, reportedElsewhere: new Set(['main.cf']) }, { postfixVersion: V }).findings;
}

const brief = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId}@${f.line}`).sort();

test('shell words: quotes, escapes, continuations and expansions keep their source offsets', () => {
  const src = `postconf -e 'a = b c' "x=\${HOST}.pem" y=\\$z \\\n  "p = q"; echo done && postconf -X old`;
  const cmds = shellCommands(src);
  assert.deepEqual(cmds.map((c) => c.map(wordSource)), [['postconf', '-e', 'a = b c', 'x=${HOST}.pem', 'y=$z', 'p = q'], ['echo', 'done'], ['postconf', '-X', 'old']]);
  const quoted = cmds[0][2].parts[0];
  assert.equal(quoted.kind === 'text' && src.slice(quoted.start, quoted.end), 'a = b c');
});

test('postconf forms: -e with quoted "name = value", bare name=value, -X, -#, -M and -P; queries change nothing', () => {
  const ops = postconfOps(`postconf -e 'smtp_tls_security_level = may' smtpd_tls_security_level=encrypt
postconf smtp_tls_loglevel=1
postconf -h mail_version
postconf -X smtp_use_tls
postconf -# smtpd_use_tls
sudo postconf -c /etc/postfix -e "relayhost = [relay.example]:587"
postconf -M submission/inet="submission inet n - n - - smtpd"
postconf -P "submission/inet/smtpd_tls_security_level=encrypt"
`);
  assert.deepEqual(
    ops.map((o) => `${o.kind} ${o.name}${o.param ? '/' + o.param : ''}`),
    ['set smtp_tls_security_level', 'set smtpd_tls_security_level', 'set smtp_tls_loglevel', 'unset smtp_use_tls', 'unset smtpd_use_tls', 'set relayhost', 'master submission/inet', 'master-param submission/inet/smtpd_tls_security_level'],
  );
});

test('Dockerfile: RUN with backslash continuations and && chains; other instructions are not shell', () => {
  const text = `FROM debian:12
ENV postconf=-e
RUN apt-get install -y postfix && \\
    postconf -e "smtp_tls_security_level = none" \\
      "smtp_tls_loglevel = 1" && \\
    echo ok
LABEL x="postconf -e smtpd_tls_security_level=none"
`;
  assert.equal(dockerfileShellText(text).length, text.length, 'offsets are kept');
  const fs = lintScript(text, 'dockerfile');
  assert.deepEqual(brief(fs), ['tls-off-outbound@4']);
  assert.equal(fs[0].file, 'Dockerfile');
  assert.equal(fs[0].column, 18, 'at the argument that sets it');
});

test('settings apply in order: a later postconf -e wins (the earlier one is reported), -X removes', () => {
  const fs = lintScript(`#!/bin/sh\npostconf -e "smtpd_tls_security_level = may" \\\n  "smtpd_tls_security_level = encrypt"\npostconf -e smtp_tls_security_level=none smtp_tls_loglevel=1\npostconf -X smtp_tls_security_level\n`, 'shell');
  const dup = fs.find((f) => f.ruleId === 'duplicate-parameter');
  assert.ok(dup && dup.line === 3 && dup.related[0].line === 2, brief(fs).join(', '));
  // smtp_tls_security_level = none was removed again: outbound TLS is off because nothing sets it.
  assert.ok(fs.some((f) => f.ruleId === 'tls-off-outbound' && f.line === 1), brief(fs).join(', '));
  assert.ok(!fs.some((f) => f.line === 4 && f.ruleId === 'tls-off-outbound'));
});

test('on top of the main.cf beside the script: a setting replaces the main.cf line; main.cf findings stay with main.cf', () => {
  const base = 'smtp_tls_security_level = none\nsmtpd_tls_security_level = may\nsmtpd_tls_protocols = !SSLv2\n';
  const fs = lintScript('postconf -e smtp_tls_security_level=may smtp_tls_loglevel=1\n', 'shell', base);
  assert.deepEqual(brief(fs), [], 'no duplicate with main.cf, and main.cf\'s own SSLv3 finding is reported when main.cf is linted');
  const worse = lintScript('postconf -e smtp_tls_security_level=none\n', 'shell', base);
  assert.ok(worse.some((f) => f.ruleId === 'tls-off-outbound' && f.file === 'setup-postfix.sh' && f.line === 1));
});

test('shell expansions are unknown values: a verdict that depends on one is dropped', () => {
  const fs = lintScript('postconf -e "smtp_tls_security_level=${TLS_LEVEL}" "smtp_tls_CAfile=${CA}" smtp_tls_loglevel=1\n', 'shell');
  assert.deepEqual(brief(fs), []);
  const fallback = lintScript('postconf -e "smtp_tls_security_level=${TLS_LEVEL:-none}" smtp_tls_loglevel=1\n', 'shell');
  assert.ok(fallback.some((f) => f.ruleId === 'tls-off-outbound' && /template default "none"/.test(f.message)));
});

test('postconf -M / -P build master.cf services: findings about a service point at the -P line', () => {
  const text = `postconf -e smtpd_tls_security_level=may smtp_tls_security_level=may smtp_tls_loglevel=1
postconf -M submission/inet="submission inet n - n - - smtpd"
postconf -P "submission/inet/smtpd_tls_security_level=encrypt"
postconf -P "submission/inet/smtpd_tls_mandatory_protocols=SSLv3"
`;
  const fs = lintScript(text, 'shell');
  const f = fs.find((x) => x.ruleId === 'obsolete-protocols');
  assert.ok(f && f.line === 4 && /service submission\/inet/.test(f.message), brief(fs).join(', '));
});

test('a fix edits the literal value inside the script argument', async () => {
  const { fixFilesUntilStable } = await import('../../src/fixer/fix-loop.js');
  const text = "postconf -e 'smtp_tls_security_level = encrypt' 'smtp_tls_loglevel = 1' 'smtp_tls_mandatory_ciphers = export'\n";
  const r = fixFilesUntilStable(new Map([['setup-postfix.sh', text]]), (texts) => {
    const t = texts.get('setup-postfix.sh')!;
    const front = scriptFrontEnd({ script: { path: 'setup-postfix.sh', text: t }, kind: 'shell' })!;
    return lintRendered({ texts: new Map([['setup-postfix.sh', t]]), mainPath: 's (main.cf)', front }, { postfixVersion: V }).findings;
  });
  const out = r.outputs.get('setup-postfix.sh')!;
  assert.match(out, /'smtp_tls_mandatory_ciphers = (medium|high)'/);
  assert.equal(out.replace(/= (medium|high)'\n$/, ''), text.replace(/= export'\n$/, ''), 'nothing else changed');
});
