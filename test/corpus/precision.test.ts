/**
 * Issue 13 over real configurations: the 44 main.cf files of the shared corpus (with their master.cf and
 * policy tables), when the corpus is present (/work/shared/corpus, or POSTFIX_TLS_LINT_CORPUS). Invariants
 * that hold for every finding, whatever the file says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { lintConfig } from '../../src/engine/lint-config.js';
import { defaultPeers } from '../../src/interop/peers.js';
import { defaultClients } from '../../src/interop/clients.js';
import { applyFixes } from '../../src/fixer/apply-edits.js';
import { displayText } from '../../src/util/text.js';
import { undescribedChanges } from '../support/fix-description.js';
import { predictHandshakeCached } from '../../src/interop/predict-memo.js';
import { ConfigModel } from '../../src/model/config.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import { isHistoricSuiteName } from '../../src/ciphers/suite-names.js';
import type { Finding } from '../../src/engine/types.js';
import { CORPUS, corpusConfigs } from '../support/corpus.js';
import { serverTls } from '../../src/model/server-services.js';
import { predictInbound } from '../../src/interop/predict-inbound.js';

/** Clients named in a finding that get TLS on port 25 after `after` (main.cf text) but not before: what its remedy restores. */
function clientsRestored(f: Finding, before: string, after: string): string[] {
  const mx = (text: string) => serverTls(new ConfigModel(parseMainCf(text, 'main.cf'), VERSION), null, []).services[0];
  const [was, now] = [mx(before), mx(after)];
  return clients.filter((c) => new RegExp(`\\b${c.id}\\b`).test(f.message) && predictInbound(was, c).outcome !== 'tls' && predictInbound(now, c).outcome === 'tls').map((c) => c.id);
}

/** The server rules that name clients who lose TLS, and the remedy each advises (as new main.cf text). */
const INBOUND_REMEDIES: Readonly<Record<string, (f: Finding, text: string) => string | null>> = {
  'smtpd-cipher-grade': (f, text) => (f.fix ? applyFixes(text, [{ fix: f.fix }]).output : null),
  'smtpd-protocol-floor': (f, text) => (f.fix ? applyFixes(text, [{ fix: f.fix }]).output : null),
  'smtpd-cipher-exclusion': (f, text) => {
    const param = String(f.parameter);
    const rest = lintModelValue(text, param).split(/[\s,:]+/).filter((t) => t !== '' && t !== String(f.data.token));
    return `${text}\n${param} = ${rest.join(', ')}\n`;
  },
};

/** The value main.cf gives NAME (postconf's last-wins), or '' when unset. */
function lintModelValue(mainText: string, name: string): string {
  return new ConfigModel(parseMainCf(mainText, 'main.cf'), VERSION).value(name);
}

const VERSION = '3.7.11';
const peers = defaultPeers();
const clients = defaultClients();

const configs = () => corpusConfigs(VERSION);

test('the corpus: every finding keeps the issue-13 invariants', (t) => {
  if (!existsSync(CORPUS)) return t.skip(`corpus not found at ${CORPUS} (set POSTFIX_TLS_LINT_CORPUS): real-configuration review skipped`);
  const all = configs();
  assert.ok(all.length >= 44, `expected the 44-file corpus, found ${all.length}`);
  const problems: string[] = [];
  let findings = 0;
  for (const c of all) {
    const result = lintConfig(c.sources, { postfixVersion: VERSION, peers, clients });
    const mainText = c.sources.main.text;
    for (const f of result.findings) {
      findings++;
      const where = `${c.id} ${f.ruleId}@${f.line}`;
      // Class 5: messages are clean text.
      for (const text of [f.message, f.summary, f.confirm ?? '', f.fix?.description ?? '', ...f.related.map((r) => r.message)]) {
        // eslint-disable-next-line no-control-regex
        if (/[\x00-\x08\x0b-\x1f\x7f\ufffd]/.test(displayText(text))) problems.push(`${where}: control character or U+FFFD in "${displayText(text)}"`);
      }
      // Class 10: a summary is one line, shorter than the message or equal to it.
      if (f.summary.length > f.message.length || f.summary.includes('\n')) problems.push(`${where}: summary "${f.summary}"`);
      // Class 2: a real OpenSSL suite name is never "unknown".
      if (f.ruleId === 'unknown-cipher-exclusion' && f.messageId === 'unknown' && isHistoricSuiteName(String(f.data.token).replace(/"/g, ''))) problems.push(`${where}: real suite name called unknown`);
      // Class 7: findings about policy entries and dedicated transports are warnings at most; predictions for entries are information.
      // (Mandatory TLS on the public MX is no deliberate per-destination choice: RFC 3207 forbids it, an error wherever it is set.)
      if (f.category === 'interop' && f.severity === 'error' && f.file !== c.sources.main.path && f.ruleId !== 'smtpd-mandatory-tls-mx') problems.push(`${where}: interop error outside main.cf`);
      // After the merges: a file that is simply absent on the lint machine (a generated policy table) is no warning for
      // a configuration that is not the live one (--files auto), as for certificate files.
      if (f.ruleId === 'policy-table-entry' && f.messageId === 'missing' && /\(no such file\)/.test(f.message) && f.severity !== 'info') problems.push(`${where}: absent table is ${f.severity}`);
      if (/^certificate-|^private-key-|^ca-file-|^weak-certificate|^self-signed/.test(f.ruleId)) problems.push(`${where}: file finding without --files (${f.summary})`);
      // A server exclusion never warns about clients that the protocol lists in force already refuse (corpus 002, 019):
      // removing the token alone would give them nothing back.
      if (f.ruleId === 'smtpd-cipher-exclusion' && f.severity !== 'info' && f.messageId !== 'keyType') {
        const floor = (n: string) => /!TLSv1\b|>=TLSv1\.[23]|^\s*TLSv1\.[23]/.test(lintModelValue(c.sources.main.text, n));
        if (/SHA1?|CBC/.test(String(f.data.token)) && floor('smtpd_tls_protocols') && floor('smtpd_tls_mandatory_protocols')) problems.push(`${where}: blames clients the protocol floor refuses`);
      }
      // Corpus 031 (class A's sibling): a server rule warns about lost clients only when its own remedy, applied to
      // this configuration, gives one of the clients it names TLS back (the predictor on port 25 before and after).
      const remedy = INBOUND_REMEDIES[f.ruleId];
      if (remedy && f.file === c.sources.main.path && f.severity === 'warning' && /Client profiles (that lose|refused)/.test(f.message)) {
        const after = remedy(f, mainText);
        if (after !== null && clientsRestored(f, mainText, after).length === 0) problems.push(`${where}: warns about clients its remedy does not restore`);
      }
      // Corpus 013: a posttls-finger command runs as printed: no stand-in next hop the admin must spot and replace (an
      // unknown next hop is a shell parameter that says what to set).
      if (f.confirm && /mx\.example\.net\b/.test(f.confirm) && !/mx\.example\.net/.test(mainText + (c.sources.master?.text ?? '') + [...(c.sources.tables?.values() ?? [])].map((x) => ('text' in x ? x.text : '')).join('\n'))) problems.push(`${where}: confirm names a placeholder host (${f.confirm.slice(0, 60)}...)`);
      // Class 8: a main.cf fix names every parameter it changes.
      if (f.fix && (f.fix.file ?? f.file) === c.sources.main.path) {
        const missing = undescribedChanges(mainText, f.fix);
        if (missing.length > 0) problems.push(`${where}: fix "${f.fix.description}" does not name ${missing.join(', ')}`);
      }
      // Classes 3 and 13: a safe fix never yields a list of protocol names; a predicted fix restores what it names.
      if (f.fix && (f.fix.file ?? f.file) === c.sources.main.path) {
        const after = applyFixes(mainText, [{ fix: f.fix }]).output;
        if (f.ruleId === 'obsolete-protocols' && /protocols = [A-Za-z]/.test(after.split('\n').find((l) => l.startsWith(String(f.parameter))) ?? '')) problems.push(`${where}: fix leaves a list of names`);
        const predicted = /gives (.+) TLS again \(predicted\)/.exec(f.fix.description);
        if (predicted) {
          const model = new ConfigModel(parseMainCf(after, c.sources.main.path), VERSION);
          // A server rule's claim is about senders (client profiles) on port 25, an smtp rule's about peers.
          const inbound = f.ruleId.startsWith('smtpd-') ? clientsRestored(f, mainText, after) : null;
          for (const id of predicted[1].split(', ')) {
            if (inbound) {
              if (!inbound.includes(id)) problems.push(`${where}: fix claims TLS for sender ${id}, the inbound prediction after it disagrees`);
              continue;
            }
            const p = peers.find((x) => x.id === id);
            if (!p || predictHandshakeCached(model, p).delivery !== 'tls') problems.push(`${where}: fix claims TLS for ${id}, the prediction after it disagrees`);
          }
        }
      }
    }
    // Corpus 040: a setting that has no effect is said once (the rule with the service and the fix), not once per rule.
    const noEffect = new Map<string, string[]>();
    for (const f of result.findings) {
      if (!/has no effect/.test(f.message) || !f.parameter) continue;
      noEffect.set(f.parameter, [...(noEffect.get(f.parameter) ?? []), `${f.ruleId}@${f.file === c.sources.main.path ? 'main.cf' : f.file}:${f.line}`]);
    }
    for (const [param, where] of noEffect) if (new Set(where.map((w) => w.split('@')[0])).size > 1) problems.push(`${c.id}: "${param} has no effect" from ${where.join(' and ')}`);
    // Class 12: one root cause, one finding: no two findings of one rule about the same parameter with the same summary on one line.
    const seen = new Map<string, Finding>();
    for (const f of result.findings) {
      const k = `${f.file}\0${f.line}\0${f.ruleId}\0${f.summary}`;
      if (seen.has(k)) problems.push(`${c.id} ${f.ruleId}@${f.line}: repeated "${f.summary}"`);
      seen.set(k, f);
    }
  }
  t.diagnostic(`${all.length} configurations, ${findings} findings checked`);
  assert.deepEqual(problems, []);
});
