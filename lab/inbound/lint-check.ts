/**
 * For the cells with broken certificate material (a missing key, a key that
 * does not match, an expired certificate): what the linter says about the
 * cell's service, and whether that is what the real smtpd and the client
 * did. The lint runs as users run it (the CLI, --files on, JSON output) on
 * the cell's main.cf and master.cf, whose files exist in the lab.
 */
import { main as cli } from '../../src/cli/main.js';
import { captureIo } from '../cli-capture.js';
import type { CertKind } from './matrix.js';
import type { ClientRun } from './smtp-client.js';
import type { InboundObserved } from './observe.js';

export const BROKEN_KINDS: ReadonlySet<CertKind> = new Set(['missing-key', 'key-mismatch', 'expired']);

export interface LintSaid {
  readonly ruleId: string;
  readonly message: string;
}

interface JsonFinding {
  readonly ruleId: string;
  readonly message: string;
  readonly file: string;
}

/** The certificate finding the lint command makes about one service (by its listener) of the cell's configuration. */
export async function lintCertificateFinding(mainCfPath: string, listener: string): Promise<LintSaid | null> {
  const { io, out } = captureIo(mainCfPath.slice(0, mainCfPath.lastIndexOf('/')));
  await cli(['--format', 'json', '--files', 'on', '--no-color', mainCfPath], io);
  const report = JSON.parse(out()) as { files: { findings: JsonFinding[] }[] };
  const findings = report.files.flatMap((f) => f.findings);
  const own = findings.filter((f) => (f.ruleId === 'certificate-load-failure' || f.ruleId === 'certificate-validity') && f.message.includes(`${listener} `));
  return own.length > 0 ? { ruleId: own[0].ruleId, message: own[0].message } : null;
}

/** Does the finding say what happened? Problems, empty when it does. */
export function lintMatchesObservation(kind: CertKind, settings: readonly (readonly [string, string])[], said: LintSaid | null, observed: InboundObserved, run: ClientRun, serverLines: readonly string[]): string[] {
  if (!BROKEN_KINDS.has(kind)) return [];
  if (!said) return ['the linter says nothing about the broken certificate'];
  const problems: string[] = [];
  const s1 = run.sessions[0];
  const wrapper = settings.some(([n, v]) => n === 'smtpd_tls_wrappermode' && v === 'yes');
  const enforced = settings.some(([n, v]) => n === 'smtpd_tls_security_level' && v === 'encrypt');
  if (kind === 'expired') {
    if (said.ruleId !== 'certificate-validity' || !/ expired on /.test(said.message)) problems.push(`lint: expected an "expired" finding, got ${said.ruleId}: ${said.message}`);
    if (!/Opportunistic senders still complete TLS with /.test(said.message)) problems.push('lint does not say that senders still complete TLS');
    if (observed.outcome === 'tls' && s1?.certificate?.verifyError !== 'CERT_HAS_EXPIRED') problems.push(`the client completed TLS but saw ${s1?.certificate?.verifyError ?? 'no verdict'}, not CERT_HAS_EXPIRED`);
    if (observed.outcome !== 'tls' && !/refuse to send/.test(said.message)) problems.push(`observed ${observed.outcome}, which the lint message does not explain`);
    return problems;
  }
  if (said.ruleId !== 'certificate-load-failure') problems.push(`lint: expected certificate-load-failure, got ${said.ruleId}`);
  const logged = /It logs "(.*)" and runs without TLS/.exec(said.message)?.[1];
  if (!logged) problems.push('lint does not quote what smtpd logs');
  else if (!serverLines.some((l) => l.includes(logged))) problems.push(`smtpd did not log "${logged}"`);
  if (wrapper) {
    if (!/drops every connection/.test(said.message)) problems.push('lint does not say that the wrapper-mode service drops every connection');
    if (!serverLines.some((l) => /Wrapper-mode request dropped/.test(l))) problems.push('smtpd did not log "Wrapper-mode request dropped"');
    return problems;
  }
  const refused = '454 4.7.0 TLS not available due to local problem';
  if (!said.message.includes(refused)) problems.push(`lint does not say that STARTTLS is answered with "${refused}"`);
  if (s1?.starttlsReply !== null && s1?.starttlsReply !== undefined && !s1.starttlsReply.startsWith(refused)) problems.push(`the client got "${s1.starttlsReply}" to STARTTLS`);
  if (!s1?.starttlsOffered) problems.push('smtpd did not announce STARTTLS, although the lint says it does');
  if (enforced) {
    const required = '530 5.7.0 Must issue a STARTTLS command first';
    if (!said.message.includes(required)) problems.push(`lint does not say that MAIL FROM gets "${required}"`);
    const mail = run.sessions.map((s) => s.mailReply).find((r) => r !== null);
    if (mail && !mail.startsWith(required)) problems.push(`MAIL FROM got "${mail}"`);
  }
  return problems;
}
