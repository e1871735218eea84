/**
 * Case tables for rules that judge the whole configuration (main.cf plus
 * master.cf): snippets in, findings (file, line, message id) out, fixed
 * main.cf and master.cf out. Like rule-tester.ts, over lintConfig.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig } from '../../src/engine/lint-config.js';
import { fixFilesUntilStable } from '../../src/fixer/fix-loop.js';
import type { Finding, FixKind, Rule } from '../../src/engine/types.js';
import { defaultClients } from '../../src/interop/clients.js';
import type { ClientProfile } from '../../src/interop/client-types.js';
import { assertFinding } from './expect-finding.js';

export interface ServerCase {
  readonly name?: string;
  readonly main: string;
  /** master.cf text; omitted = no master.cf (the stock one is assumed). */
  readonly master?: string;
  readonly version?: string;
  readonly opensslVersion?: number;
  /** Client profiles for the inbound predictions (default: the shipped default set). */
  readonly clients?: readonly ClientProfile[];
}

export interface ServerExpected {
  readonly messageId: string;
  readonly file?: 'main.cf' | 'master.cf';
  readonly line?: number;
  readonly severity?: Finding['severity'];
  readonly parameter?: string | null;
  /** Substrings the message must contain. */
  readonly includes?: string | readonly string[];
  readonly fixKind?: FixKind | null;
}

export interface ServerInvalidCase extends ServerCase {
  readonly errors: readonly ServerExpected[];
  /** Texts after applying this rule's fixes (every kind); null = no fix offered. */
  readonly output: { readonly main?: string; readonly master?: string } | null;
}

export function lintServer(rule: Rule, c: ServerCase, texts?: ReadonlyMap<string, string>): readonly Finding[] {
  const main = texts?.get('main.cf') ?? c.main;
  const master = texts?.get('master.cf') ?? c.master;
  return lintConfig(
    { main: { path: 'main.cf', text: main }, master: master === undefined ? null : { path: 'master.cf', text: master }, configDir: '/etc/postfix' },
    { postfixVersion: c.version ?? '3.7.11', opensslVersion: c.opensslVersion ?? 3, rules: [rule], clients: c.clients ?? defaultClients() },
  ).findings;
}

export function runServerRuleCases(rule: Rule, cases: { valid: readonly ServerCase[]; invalid: readonly ServerInvalidCase[] }): void {
  const id = rule.meta.id;
  assert.ok(cases.valid.length > 0 && cases.invalid.length > 0, `${id}: needs valid and invalid cases`);
  if (rule.meta.fixable) assert.ok(cases.invalid.some((c) => c.output !== null), `${id}: a fixable rule needs a case with its fixed output`);
  cases.valid.forEach((c, i) => {
    test(`${id} valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
      assert.deepEqual(lintServer(rule, c).map((f) => `${f.file}:${f.line} ${f.messageId}: ${f.message}`), []);
    });
  });
  cases.invalid.forEach((c, i) => {
    test(`${id} invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
      const found = lintServer(rule, c);
      assert.equal(found.length, c.errors.length, `findings: ${JSON.stringify(found.map((f) => [f.file, f.line, f.messageId, f.message]), null, 1)}`);
      c.errors.forEach((e, k) => {
        const f = found[k];
        assertFinding(rule, f, e);
        if (e.fixKind !== undefined) assert.equal(f.fix?.kind ?? null, e.fixKind);
      });
      if (c.output === null) {
        assert.ok(!found.some((f) => f.fix), 'expected no fix (output: null)');
        return;
      }
      const texts = new Map<string, string>([['main.cf', c.main], ...(c.master !== undefined ? [['master.cf', c.master] as [string, string]] : [])]);
      const fixed = fixFilesUntilStable(texts, (t) => lintServer(rule, c, t), { kinds: ['safe', 'interop'] });
      assert.equal(fixed.outputs.get('main.cf'), c.output.main ?? c.main, 'main.cf after fixing');
      if (c.master !== undefined) assert.equal(fixed.outputs.get('master.cf'), c.output.master ?? c.master, 'master.cf after fixing');
      assert.deepEqual(lintServer(rule, c, fixed.outputs).filter((f) => f.fix).map((f) => f.message), [], 'fixed output must not draw fixable findings again');
    });
  });
}

/** The active part of Postfix's stock master.cf that matters here: smtpd on port 25, the smtp client. */
export const STOCK_MASTER = [
  'smtp      inet  n       -       y       -       -       smtpd',
  'pickup    unix  n       -       y       60      1       pickup',
  'cleanup   unix  n       -       y       -       0       cleanup',
  'qmgr      unix  n       -       n       300     1       qmgr',
  'smtp      unix  -       -       y       -       -       smtp',
  '',
].join('\n');

/** The stock submission entry (commented out in the shipped file), as people enable it. */
export const SUBMISSION = [
  'submission inet n       -       y       -       -       smtpd',
  '  -o syslog_name=postfix/submission',
  '  -o smtpd_tls_security_level=encrypt',
  '  -o smtpd_sasl_auth_enable=yes',
  '',
].join('\n');

/** The stock submissions (465) entry with wrapper mode. */
export const SUBMISSIONS = [
  'submissions inet n       -       y       -       -       smtpd',
  '  -o syslog_name=postfix/submissions',
  '  -o smtpd_tls_wrappermode=yes',
  '  -o smtpd_sasl_auth_enable=yes',
  '',
].join('\n');

/** A TLS-capable main.cf: Debian's certificate lines. */
export const CERT = 'smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key\n';
