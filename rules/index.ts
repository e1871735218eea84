/** Every rule, in an explicit list (no directory scanning). Order = documentation order. */
import type { Rule } from '../src/engine/types.js';
import mainCfSyntax from './main-cf-syntax.js';
import tlsOffOutbound from './tls-off-outbound.js';
import peerHandshakeFailure from './peer-handshake-failure.js';
import globalMandatoryTls from './global-mandatory-tls.js';
import encryptWithoutAuthentication from './encrypt-without-authentication.js';
import verifyWithoutTrustAnchors from './verify-without-trust-anchors.js';
import daneWithoutDnssec from './dane-without-dnssec.js';
import legacyTlsParameters from './legacy-tls-parameters.js';
import connectionReuse from './connection-reuse.js';
import tlsLoglevelZero from './tls-loglevel-zero.js';
import weakCipherGrade from './weak-cipher-grade.js';
import validCipherGrade from './valid-cipher-grade.js';
import opportunisticHighGrade from './opportunistic-high-grade.js';
import unknownCipherExclusion from './unknown-cipher-exclusion.js';
import costlyCipherExclusion from './costly-cipher-exclusion.js';
import cipherlistSeclevel from './cipherlist-seclevel.js';
import unknownTlsParameter from './unknown-tls-parameter.js';
import commentAfterValue from './comment-after-value.js';
import duplicateParameter from './duplicate-parameter.js';
import validProtocolList from './valid-protocol-list.js';
import obsoleteProtocols from './obsolete-protocols.js';
import noUsableProtocol from './no-usable-protocol.js';
import opportunisticProtocolFloor from './opportunistic-protocol-floor.js';
import protocolsWrongKnob from './protocols-wrong-knob.js';
import cipherGradeWrongKnob from './cipher-grade-wrong-knob.js';
import mandatoryProtocolsAllowTls1 from './mandatory-protocols-allow-tls1.js';
import policyTableEntry from './policy-table-entry.js';
import policyTableUnread from './policy-table-unread.js';
import smtpdMandatoryTlsMx from './smtpd-mandatory-tls-mx.js';
import smtpdAuthBeforeStarttls from './smtpd-auth-before-starttls.js';
import smtpdNoStarttls from './smtpd-no-starttls.js';
import submissionWithoutMandatoryTls from './submission-without-mandatory-tls.js';
import smtpdTlsWithoutCertificate from './smtpd-tls-without-certificate.js';
import smtpdProtocolFloor from './smtpd-protocol-floor.js';
import smtpdCipherGrade from './smtpd-cipher-grade.js';
import smtpdCipherExclusion from './smtpd-cipher-exclusion.js';
import obsoleteTlsSettings from './obsolete-tls-settings.js';
import legacyTlsOverride from './legacy-tls-override.js';
import clientSaslPlaintext from './client-sasl-plaintext.js';
import templateExpansion from './template-expansion.js';
import certificateLoadFailure from './certificate-load-failure.js';
import certificateValidity from './certificate-validity.js';
import certificateChain from './certificate-chain.js';
import weakCertificate from './weak-certificate.js';
import certificateNameMismatch from './certificate-name-mismatch.js';
import selfSignedCertificate from './self-signed-certificate.js';
import caFileWithoutCa from './ca-file-without-ca.js';
import privateKeyPermissions from './private-key-permissions.js';

export const allRules: readonly Rule[] = [mainCfSyntax, tlsOffOutbound, peerHandshakeFailure, globalMandatoryTls, encryptWithoutAuthentication, verifyWithoutTrustAnchors, daneWithoutDnssec, legacyTlsParameters, connectionReuse, tlsLoglevelZero, weakCipherGrade, validCipherGrade, opportunisticHighGrade, unknownCipherExclusion, costlyCipherExclusion, cipherlistSeclevel, unknownTlsParameter, commentAfterValue, duplicateParameter, validProtocolList, obsoleteProtocols, noUsableProtocol, opportunisticProtocolFloor, protocolsWrongKnob, cipherGradeWrongKnob, mandatoryProtocolsAllowTls1, policyTableEntry, policyTableUnread, smtpdMandatoryTlsMx, smtpdAuthBeforeStarttls, smtpdNoStarttls, submissionWithoutMandatoryTls, smtpdTlsWithoutCertificate, smtpdProtocolFloor, smtpdCipherGrade, smtpdCipherExclusion, obsoleteTlsSettings, legacyTlsOverride, clientSaslPlaintext, templateExpansion, certificateLoadFailure, certificateValidity, certificateChain, weakCertificate, certificateNameMismatch, selfSignedCertificate, caFileWithoutCa, privateKeyPermissions];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
