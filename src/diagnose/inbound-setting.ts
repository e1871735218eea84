/**
 * Which smtpd setting turns a client away, for the inbound handshake causes
 * (`diagnose --config`): the shipped client profiles that the inbound
 * predictor expects to fail this way on the service, and the first
 * narrowing setting whose default would let them in. Pure.
 *
 * The log names no client software, so the predictor's clients stand in for
 * the one that failed; the explanation says which of them agree.
 */
import type { ServerService } from '../model/server-services.js';
import { defaultFor } from '../model/catalogue/index.js';
import { loadBuiltinClients } from '../interop/clients.js';
import { predictInbound, serviceWithSettings } from '../interop/predict-inbound.js';
import type { ClientProfile, InboundPrediction } from '../interop/client-types.js';
import type { Cause } from './types.js';

export interface InboundSetting {
  readonly parameter: string;
  /** Shipped client profiles the predictor expects to fail this way, and one prediction in words. */
  readonly agreement: { readonly clients: readonly string[]; readonly prediction: InboundPrediction } | null;
}

/** The predictor's reason for a failed handshake, sorted like diagnose's causes. */
function predictedKind(p: InboundPrediction): 'protocol' | 'cipher' | null {
  if (p.outcome !== 'handshake-failure') return null;
  if (/^the TLS handshake fails: no common protocol|@SECLEVEL=\d, at which OpenSSL has no usable signature/.test(p.reason)) return 'protocol';
  if (/^the TLS handshake fails: no shared cipher/.test(p.reason)) return 'cipher';
  return null;
}

/** Settings that narrow what a client can negotiate, in the order they are blamed. */
function candidates(svc: ServerService, kind: 'protocol' | 'cipher'): string[] {
  const p = svc.policy;
  const seclevel = p.cipherlistParam && /@SECLEVEL=/i.test(p.cipherlistValue) ? [p.cipherlistParam] : [];
  const exclusions = p.exclusions.filter((e) => e.tokens.length > 0).map((e) => e.param);
  if (kind === 'protocol') return [p.protocolsParam, ...seclevel];
  return [...exclusions, p.gradeParam, ...seclevel, 'tls_eecdh_auto_curves'];
}

function atDefault(svc: ServerService, param: string): ServerService {
  return serviceWithSettings(svc, new Map([[param, defaultFor(param, svc.model.version) ?? '']]));
}

let builtin: readonly ClientProfile[] | null = null;

/**
 * The setting responsible for a client-no-shared-protocol or
 * client-no-shared-cipher incident on this smtpd, or null for other causes.
 */
export function inboundHandshakeSetting(svc: ServerService, cause: Cause, reasons: readonly string[]): InboundSetting | null {
  const kind = cause === 'client-no-shared-protocol' ? 'protocol' : cause === 'client-no-shared-cipher' ? 'cipher' : null;
  if (!kind) return null;
  builtin ??= loadBuiltinClients();
  const failing = builtin.map((c) => ({ c, p: predictInbound(svc, c) })).filter((x) => predictedKind(x.p) === kind);
  const agreement = failing.length > 0 ? { clients: failing.map((x) => x.c.id), prediction: failing[0].p } : null;
  for (const param of candidates(svc, kind)) {
    if (!svc.model.isSet(param) && param !== svc.policy.protocolsParam) continue;
    const relaxed = atDefault(svc, param);
    if (failing.some((x) => predictInbound(relaxed, x.c).outcome === 'tls')) return { parameter: param, agreement };
  }
  // No shipped client shows it (or resetting one setting does not let them in): the setting that narrows most,
  // a certificate of one key type only (an ECDSA-only server meets RSA-only clients), or the @SECLEVEL of the cipher
  // list when OpenSSL had no signature for an old version.
  const p = svc.policy;
  if (kind === 'protocol') return { parameter: reasons.includes('no suitable signature algorithm') && p.cipherlistParam ? p.cipherlistParam : p.protocolsParam, agreement };
  const exclusion = p.exclusions.find((e) => e.tokens.length > 0)?.param;
  if (exclusion) return { parameter: exclusion, agreement };
  if (p.certificates.configured && !p.certificates.keyTypes.includes('RSA')) return { parameter: p.certificates.list[0].param, agreement };
  if (p.grade.effectiveGrade === 'medium' && p.cipherlistParam && /@SECLEVEL=/i.test(p.cipherlistValue)) return { parameter: p.cipherlistParam, agreement };
  return { parameter: p.gradeParam, agreement };
}
