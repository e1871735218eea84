/**
 * The inbound lab's console table, docs/interop-inbound.md and the log
 * fixtures (test/fixtures/lab-logs/inbound: one log per cell plus an index),
 * which the log-diagnosis tests read. Pure except writeLogFixtures.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InboundPrediction } from '../../src/interop/client-types.js';
import { LAB_CLIENTS } from './clients.js';
import { SERVER_CONFIGS, type InboundCell } from './matrix.js';
import type { InboundObserved } from './observe.js';
import { comparisonTable } from '../report.js';
import type { Comparison } from '../compare.js';
import { expectedDiagnosis, type InboundDiagnoseCheck } from './diagnose-check.js';

export interface InboundCellResult {
  readonly cell: InboundCell;
  readonly prediction: InboundPrediction;
  readonly observed: InboundObserved;
  readonly comparison: Comparison;
  /** The -o settings of the cell's smtpd service (certificate included). */
  readonly settings: readonly (readonly [string, string])[];
  /** What the cell's certificate kind is, in words. */
  readonly certificateLabel: string;
  /** For broken certificate material: what the linter says about it (its first sentence), checked against the observation. */
  readonly lint?: { readonly ruleId: string; readonly message: string };
  /** smtpd's log lines of the cell's sessions. */
  readonly serverLines: readonly string[];
  readonly authRequests: number;
}

function summary(o: InboundObserved): string {
  return `${o.outcome}/${o.delivery}${o.protocol ? ` ${o.protocol} ${o.cipher}` : ''}`;
}

export function formatInboundTable(results: readonly InboundCellResult[]): string {
  return comparisonTable(['SVC', 'CONFIG', 'CLIENT', 'OBSERVED (outcome/delivery protocol cipher)'], results.map((r) => ({
    match: r.comparison.match,
    cells: [r.cell.service, r.cell.config.id, r.cell.client.id, summary(r.observed)],
    id: `${r.cell.service} ${r.cell.id}`,
    differences: r.comparison.differences,
    notes: [`seen: ${r.observed.evidence}`, `predictor: ${r.prediction.reason}`],
  })));
}

const SHORT: Readonly<Record<string, string>> = {
  tls: 'TLS',
  plaintext: 'plain',
  'no-starttls': 'no STARTTLS',
  'handshake-failure': 'handshake fails',
  'starttls-required': '530 (TLS required)',
  'lab-error': 'LAB ERROR',
};

function cellText(r: InboundCellResult): string {
  const o = r.observed;
  const what = o.outcome === 'tls' ? `${o.protocol} ${o.cipher}` : SHORT[o.outcome] ?? o.outcome;
  const then = o.outcome === 'tls' && o.delivery === 'tls' ? '' : ` → ${o.delivery}`;
  return `${what}${then}${r.comparison.match ? '' : ' **≠ predicted**'}`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

/** The cell's settings without the lab's temporary paths; the certificate kind in words. */
function settingsText(r: InboundCellResult): string {
  const plain = r.cell.config.settings.map(([n, v]) => `\`${n} = ${v}\``);
  const cert = r.cell.config.cert === 'rsa' ? [] : [`certificate: ${mdEscape(r.certificateLabel)}`];
  return [...plain, ...cert].join('<br>');
}

/** What `diagnose --config` made of the cells' smtpd logs (lab/inbound/diagnose-check.ts). */
function diagnoseSection(results: readonly InboundCellResult[], d: InboundDiagnoseCheck): string[] {
  const out: string[] = [];
  out.push('## diagnose over these logs');
  out.push('');
  out.push('The lab also runs `postfix-tls-lint diagnose --config` (the same core, in-process) over smtpd\'s log with the lab\'s main.cf and');
  out.push('master.cf: once per cell (its sessions alone) and once per configuration (all its cells\' sessions together). Every cell');
  out.push('whose client did not get TLS must get exactly one incident with the cause and the master.cf `-o` setting the configuration');
  out.push('is about (`turnsAway` in lab/inbound/matrix.ts; a plaintext client at encrypt: `starttls-required`; a STARTTLS client on a');
  out.push('wrapper-mode port: `client-lost-connection`, `smtpd_tls_wrappermode`), and the delivery smtpd can see (`plaintext` when the');
  out.push('client came back without TLS, `rejected` after a 530, else `unknown`: smtpd cannot see a client keep its mail). Cells');
  out.push('that got TLS must get none. The same check runs in `npm test` over the recorded logs (test/diagnose/inbound-lab.test.ts).');
  out.push('');
  out.push(`**${results.length} cells: ${d.diagnosed} diagnosed with the right cause and setting, ${d.quiet} without incident as expected,`);
  out.push(`${d.unseen.length} that smtpd's log cannot explain (below), ${d.problems.size} with problems.**`);
  out.push('');
  // The causes this run's failing cells must get, with the setting and the cells.
  const byCause = new Map<string, string[]>();
  for (const r of results) {
    const e = expectedDiagnosis(r.cell, r.observed);
    if (e.kind !== 'incident') continue;
    const k = `\`${e.cause}\` | \`${e.parameter}\``;
    byCause.set(k, [...(byCause.get(k) ?? []), r.cell.id]);
  }
  out.push('| cause | setting responsible | cells |');
  out.push('|---|---|---|');
  for (const [k, ids] of byCause) out.push(`| ${k} | ${ids.map((i) => `\`${i}\``).join(', ')} |`);
  out.push('');
  if (d.unseen.length > 0) {
    out.push('Not visible in smtpd\'s log (no incident, by design):');
    out.push('');
    for (const u of d.unseen) out.push(`- \`${u.cell}\`: ${mdEscape(u.why)}. smtpd logged: \`${u.line.replace(/^.*? (postfix\/)/, '$1')}\``);
    out.push('');
  }
  const notes = results.filter((r) => r.observed.outcome === 'tls' && r.observed.delivery !== 'tls').map((r) => `\`${r.cell.id}\``);
  if (notes.length > 0) {
    out.push(`Not a TLS failure (TLS worked, no incident): ${notes.join(', ')}: the client needs AUTH and the service offers none;`);
    out.push('smtpd logs only the command counts (`ehlo=2 starttls=1 quit=1`).');
    out.push('');
  }
  out.push('The expired certificate (`may-expired`): none of the lab clients verifies the server certificate, so all of them got TLS and');
  out.push('smtpd logged a normal "Anonymous TLS connection established"; nothing in its log says the certificate expired. A client that');
  out.push('verified would abort with an alert ("sslv3 alert certificate expired" in the TLS library line), which diagnose reports as');
  out.push('`tls-library-error` with that evidence: the inbound causes have no "client rejected our certificate" (the linter\'s');
  out.push('certificate finding is the place to see it).');
  out.push('');
  return out;
}

export function inboundDoc(results: readonly InboundCellResult[], v: { readonly postfix: string; readonly openssl: string; readonly node: string }, diagnosed: InboundDiagnoseCheck | null = null): string {
  const matched = results.filter((r) => r.comparison.match).length;
  const configIds = SERVER_CONFIGS.map((c) => c.id).filter((id) => results.some((r) => r.cell.config.id === id));
  const clientIds = LAB_CLIENTS.map((c) => c.id).filter((id) => results.some((r) => r.cell.client.id === id));
  const out: string[] = [];
  out.push('# Inbound matrix: clients against a real Postfix smtpd');
  out.push('');
  out.push('<!-- Generated by `npm run lab -- --write-docs` (lab/inbound/); do not edit by hand. -->');
  out.push('');
  out.push(`A real Postfix ${v.postfix} smtpd (a private instance, ${v.openssl}) accepted connections on 127.0.0.1 from Node.js ${v.node}`);
  out.push('SMTP clients that behave like the client profiles (`postfix-tls-lint clients`): their protocols, their suites in their order,');
  out.push('their groups, STARTTLS or TLS from the first byte, AUTH, and what they do after a failed handshake (retry in plaintext or');
  out.push('keep the mail). Each server configuration is its own smtpd service with `-o` settings on top of the lab main.cf. What smtpd');
  out.push('logged, checked against what the client saw on the wire, was compared with `postfix-tls-lint handshake --inbound` on the');
  out.push(`same main.cf, master.cf and client profile. **${results.length} cells, ${matched} match the prediction.**`);
  out.push('');
  out.push('The lab main.cf: `compatibility_level = 3.6`, `smtpd_tls_security_level = may`, `smtpd_tls_chain_files` = an RSA-2048');
  out.push('certificate from the lab CA, `smtpd_tls_loglevel = 1`, `smtpd_client_port_logging = yes` (to attribute log lines to');
  out.push('sessions), AUTH through a Dovecot-protocol server of the lab (`smtpd_sasl_type = dovecot`), mail for `inbound.lab`');
  out.push('accepted and discarded. The client profiles are the shipped ones trimmed to what OpenSSL 3 can offer (no SSLv3, RC4 or');
  out.push('3DES); `plain-mta` and `tls-required-mta` are synthetic. The smtpd log of every cell is kept in');
  out.push('`test/fixtures/lab-logs/inbound/` (one file per cell, `index.json` lists each cell\'s settings, client and outcome).');
  out.push('For the cells with broken certificate material (a missing key, a key that does not match its certificate, an expired');
  out.push('certificate) the lab also runs `postfix-tls-lint --files on` on the same files and checks that its finding says what smtpd');
  out.push('logged and what the client saw (the 454 reply to STARTTLS, the 530 to MAIL FROM, the dropped wrapper-mode connection,');
  out.push('TLS with a certificate the client found expired); the finding\'s first sentence is shown under the configuration.');
  out.push('');
  out.push('## Overview');
  out.push('');
  out.push(`| config | ${clientIds.join(' | ')} |`);
  out.push(`|---|${clientIds.map(() => '---').join('|')}|`);
  for (const cid of configIds) {
    out.push(`| \`${cid}\` | ${clientIds.map((id) => {
      const r = results.find((x) => x.cell.config.id === cid && x.cell.client.id === id);
      return r ? cellText(r) : '';
    }).join(' | ')} |`);
  }
  out.push('');
  if (diagnosed) out.push(...diagnoseSection(results, diagnosed));
  out.push('## Server configurations');
  out.push('');
  out.push('| config | smtpd settings (-o) | purpose |');
  out.push('|---|---|---|');
  for (const cid of configIds) {
    const r = results.find((x) => x.cell.config.id === cid) as InboundCellResult;
    out.push(`| \`${cid}\` | ${settingsText(r)} | ${mdEscape(r.cell.config.purpose)} |`);
  }
  out.push('');
  out.push('## Clients');
  out.push('');
  out.push('| client | emulates | protocols | STARTTLS | AUTH | after a failed handshake | suites (offer order) |');
  out.push('|---|---|---|---|---|---|---|');
  for (const id of clientIds) {
    const c = LAB_CLIENTS.find((x) => x.id === id);
    if (!c) continue;
    const p = c.profile;
    out.push(`| \`${id}\` | ${mdEscape(c.emulates)} | ${p.protocols.join(', ')} | ${p.starttls}${p.implicitTls ? ', implicit TLS' : ''} | ${p.auth ? 'yes' : 'no'} | ${p.onTlsFailure} | ${p.ciphers.length > 8 ? `${p.ciphers.slice(0, 8).join(' ')} … (${p.ciphers.length})` : p.ciphers.join(' ')} |`);
  }
  out.push('');
  out.push('## Cells');
  out.push('');
  out.push('"Why" is the predictor\'s explanation; "seen" is what the client saw and what smtpd logged, per connection.');
  for (const cid of configIds) {
    out.push('');
    out.push(`### \`${cid}\``);
    out.push('');
    const lint = results.find((x) => x.cell.config.id === cid && x.lint)?.lint;
    if (lint) {
      out.push(`Lint (\`${lint.ruleId}\`, checked against what was seen): ${mdEscape(lint.message)}`);
      out.push('');
    }
    out.push('| client | observed | delivery | why | seen |');
    out.push('|---|---|---|---|---|');
    for (const r of results.filter((x) => x.cell.config.id === cid)) {
      const mark = r.comparison.match ? '' : ` **≠ predicted: ${mdEscape(r.comparison.differences.join('; '))}**`;
      out.push(`| \`${r.cell.client.id}\` | ${cellText(r).replace(/ → .*/, '')}${mark} | ${r.observed.delivery} | ${mdEscape(r.prediction.reason)} | ${mdEscape(r.observed.evidence)} |`);
    }
  }
  out.push('');
  return out.join('\n');
}

/** One smtpd log per cell and an index, replacing what was there. */
export function writeLogFixtures(dir: string, results: readonly InboundCellResult[], etc: { readonly main: string; readonly master: string } | null = null): void {
  mkdirSync(dir, { recursive: true });
  // The configuration smtpd ran with (diagnose --config reads it in test/diagnose/inbound-lab.test.ts).
  if (etc) {
    mkdirSync(join(dir, 'etc'), { recursive: true });
    writeFileSync(join(dir, 'etc', 'main.cf'), etc.main);
    writeFileSync(join(dir, 'etc', 'master.cf'), etc.master);
  }
  for (const f of readdirSync(dir)) if (f.endsWith('.log') || f === 'index.json') rmSync(join(dir, f));
  const index = results.map((r) => {
    writeFileSync(join(dir, `${r.cell.id}.log`), r.serverLines.join('\n') + '\n');
    return {
      cell: r.cell.id,
      log: `${r.cell.id}.log`,
      service: `postfix/${r.cell.service}/smtpd`,
      config: { id: r.cell.config.id, purpose: r.cell.config.purpose, settings: r.cell.config.settings, certificate: r.cell.config.cert, certificateLabel: r.certificateLabel },
      client: { id: r.cell.client.id, profile: r.cell.client.profile.sources[1]?.replace(/^derived from /, '') ?? 'synthetic (lab/inbound/clients.ts)', starttls: r.cell.client.profile.starttls, onTlsFailure: r.cell.client.profile.onTlsFailure, auth: r.cell.client.profile.auth },
      observed: { outcome: r.observed.outcome, delivery: r.observed.delivery, protocol: r.observed.protocol, cipher: r.observed.cipher },
      predictedMatch: r.comparison.match,
      ...(r.lint ? { lint: r.lint } : {}),
    };
  });
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
}
