/**
 * One rule never recommends what another rule flags: apply each safe fix on its own, and each
 * "set NAME = VALUE" a message recommends, then lint again with every rule. No other rule may
 * report a new finding about the parameter the change touched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../src/lint.js';
import { applyFixes } from '../../src/fixer/apply-edits.js';
import { setParam } from '../../src/fixer/edits.js';
import { parseMainCf } from '../../src/parser/main-cf.js';
import type { Finding } from '../../src/engine/types.js';

const LEVELS = ['may', 'encrypt', 'dane', 'secure'];
const PROTOCOLS = ['SSLv3, TLSv1', '!SSLv2', '!SSLv2, !SSLv3, !TLSv1', 'SSLv3 TLSv1 TLSv1.1', '>=SSLv3', '>= TLSv1.2', 'TLSv1.2 TLSv1.3', '>=TLSv1.3', ''];
const GRADES = ['export', 'low', 'high', 'medium', 'null'];

function configs(): { name: string; text: string; version: string }[] {
  const out: { name: string; text: string; version: string }[] = [];
  for (const level of LEVELS) {
    for (const p of PROTOCOLS) {
      for (const knob of ['smtp_tls_protocols', 'smtp_tls_mandatory_protocols']) {
        out.push({ name: `${level} ${knob}=${p}`, version: '3.7.11', text: `smtp_dns_support_level = dnssec\nsmtp_tls_security_level = ${level}\nsmtp_tls_loglevel = 1\n${knob} = ${p}\n` });
      }
    }
    for (const g of GRADES) {
      for (const knob of ['smtp_tls_ciphers', 'smtp_tls_mandatory_ciphers']) {
        out.push({ name: `${level} ${knob}=${g}`, version: '3.7.11', text: `smtp_dns_support_level = dnssec\nsmtp_tls_security_level = ${level}\nsmtp_tls_loglevel = 1\n${knob} = ${g}\n` });
      }
    }
  }
  for (const p of PROTOCOLS) {
    for (const level of ['may', 'encrypt']) {
      out.push({ name: `smtpd ${level} ${p}`, version: '3.7.11', text: `smtpd_tls_security_level = ${level}\nsmtpd_tls_protocols = ${p}\nsmtpd_tls_mandatory_protocols = ${p}\n` });
    }
    out.push({ name: `3.5 may ${p}`, version: '3.5.20', text: `smtp_tls_security_level = may\nsmtp_tls_loglevel = 1\nsmtp_tls_protocols = ${p}\nsmtp_tls_mandatory_protocols = ${p}\n` });
  }
  out.push({ name: 'legacy switches', version: '3.7.11', text: 'smtp_use_tls = yes\nsmtpd_use_tls = yes\nsmtp_enforce_tls = yes\n' });
  out.push({ name: 'TLS off', version: '3.7.11', text: 'myhostname = mx.example.com\n' });
  return out;
}

const lint = (text: string, version: string) => lintText(text, 'main.cf', { postfixVersion: version, opensslVersion: 3, peers: [] }).findings;

function changedParams(before: string, after: string): Set<string> {
  const values = (t: string) => new Map(parseMainCf(t, 'main.cf').params.map((p) => [p.name, p.value]));
  const a = values(before);
  const b = values(after);
  return new Set([...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)));
}

/** The obsolete switches decide the level when smtp_tls_security_level is empty: the same setting. */
const SAME_SETTING: Readonly<Record<string, string>> = {
  smtp_use_tls: 'smtp_tls_security_level', smtp_enforce_tls: 'smtp_tls_security_level', smtp_tls_enforce_peername: 'smtp_tls_security_level',
  smtpd_use_tls: 'smtpd_tls_security_level', smtpd_enforce_tls: 'smtpd_tls_security_level',
};
const setting = (p: string | null) => (p === null ? null : (SAME_SETTING[p] ?? p));

function newFlags(before: readonly Finding[], after: readonly Finding[], params: ReadonlySet<string>, except: string): string[] {
  const seen = new Set(before.map((f) => `${f.ruleId}\0${setting(f.parameter)}`));
  return after
    .filter((f) => f.ruleId !== except && f.parameter !== null && params.has(f.parameter) && !seen.has(`${f.ruleId}\0${setting(f.parameter)}`))
    .map((f) => `${f.ruleId}: ${f.message}`);
}

test('a safe fix never produces a value another rule flags', () => {
  const problems: string[] = [];
  for (const c of configs()) {
    const before = lint(c.text, c.version);
    for (const f of before) {
      if (!f.fix || f.fix.kind !== 'safe' || (f.fix.file && f.fix.file !== 'main.cf')) continue;
      const after = applyFixes(c.text, [{ fix: f.fix }]).output;
      const flagged = newFlags(before, lint(after, c.version), changedParams(c.text, after), f.ruleId);
      if (flagged.length > 0) problems.push(`${c.name}: fix "${f.fix.description}" (${f.ruleId}) -> ${flagged.join(' | ')}`);
    }
  }
  assert.deepEqual(problems, []);
});

/** "set NAME = VALUE" in a message, for values without spaces (and comma lists of "!" exclusions). */
const ADVICE = /\bset ([a-z_]+) = ((?:![A-Za-z0-9.]+, )*[^\s,;)"]+)/g;

test('a value a message recommends is not flagged by another rule', () => {
  const problems: string[] = [];
  for (const c of configs()) {
    const before = lint(c.text, c.version);
    for (const f of before) {
      for (const m of f.message.matchAll(ADVICE)) {
        const [, name, value] = m;
        const file = parseMainCf(c.text, 'main.cf');
        const existing = [...file.params].reverse().find((p) => p.name === name);
        const after = applyFixes(c.text, [{ fix: { kind: 'safe', description: 'advice', edits: [setParam(file, name, value, existing)] } }]).output;
        const flagged = newFlags(before, lint(after, c.version), new Set([name]), f.ruleId);
        if (flagged.length > 0) problems.push(`${c.name}: ${f.ruleId} advises ${name} = ${value} -> ${flagged.join(' | ')}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
