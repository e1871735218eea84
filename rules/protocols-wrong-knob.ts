import { defineRule } from '../src/engine/types.js';
import { describeSetting } from '../src/engine/helpers.js';
import { insertParam } from '../src/fixer/edits.js';
import { PROTOCOL_WIRE_VERSION } from '../src/model/values/index.js';
import { floorValue, protocolLists, requestedFloor, type ProtocolList } from '../src/model/protocol-lists.js';

/** The list asks for a higher lowest version than `baseline` (the other knob at its default). */
function raisedAbove(list: ProtocolList, baseline: ProtocolList): boolean {
  const mine = requestedFloor(list.parsed);
  const base = requestedFloor(baseline.parsedDefault);
  return mine !== null && base !== null && PROTOCOL_WIRE_VERSION[mine] > PROTOCOL_WIRE_VERSION[base];
}

export default defineRule({
  meta: {
    id: 'protocols-wrong-knob',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A tightened TLS protocol list should be the one the configured security level actually reads.',
    why: 'Postfix keeps two protocol lists per daemon: the opportunistic one (smtp_tls_protocols, smtpd_tls_protocols) for level may, and the mandatory one (smtp_tls_mandatory_protocols, smtpd_tls_mandatory_protocols) for encrypt and stronger levels. Tightening the list the level does not read changes nothing, so the old protocols stay allowed while the configuration suggests otherwise.',
    parameters: [
      'smtp_tls_protocols',
      'smtp_tls_mandatory_protocols',
      'lmtp_tls_protocols',
      'lmtp_tls_mandatory_protocols',
      'smtpd_tls_protocols',
      'smtpd_tls_mandatory_protocols',
      'smtp_tls_security_level',
      'lmtp_tls_security_level',
      'smtpd_tls_security_level',
      'smtp_tls_policy_maps',
    ],
    fixable: true,
    summaries: {
      'client-mandatory': '{{setting}} has no effect: at level {{level}} the {{prefix}} client reads {{inForce}}',
      'client-dane-only': '{{setting}} has no effect: at level dane-only the {{prefix}} client reads {{inForce}}',
      'client-opportunistic': '{{setting}} has no effect: at level may the {{prefix}} client reads {{inForce}}',
      'server-encrypt': '{{setting}} has no effect: smtpd at level encrypt reads {{inForce}}',
      'override-unread': '{{param}} = {{value}} has no effect here: at level {{level}} {{side}} reads the other list',
    },
    messages: {
      'override-unread':
        '{{param}} = {{value}} has no effect here: at level {{level}} {{side}} reads {{inForceSetting}} instead, so this override changes nothing (it is not the list the protocols are negotiated with); {{advice}}',
      'client-mandatory':
        '{{setting}} has no effect: at level {{level}} the {{prefix}} client reads {{inForce}} instead, which is left at its default ({{inForceValue}}), so {{lowest}} stays allowed; set {{inForceParam}} = {{value}}',
      'client-dane-only':
        '{{setting}} has no effect: at level dane-only the {{prefix}} client reads {{inForce}} instead ({{inForceValue}}, default). The Postfix documentation advises keeping TLSv1 enabled for DANE peers, some of which still speak only TLS 1.0; if you do want the higher floor, set {{inForceParam}}',
      'client-opportunistic':
        '{{setting}} has no effect: at level may the {{prefix}} client reads {{inForce}} instead ({{inForceValue}}, default), and no TLS policy table selects a mandatory level. {{advice}}',
      'server-encrypt':
        '{{setting}} has no effect: with smtpd at level encrypt ({{levelSetting}}) smtpd reads {{inForce}} instead, which is left at its default ({{inForceValue}}), so {{lowest}} stays allowed; set {{inForceParam}} = {{value}}',
    },
    references: [
      { title: 'postconf(5): smtp_tls_mandatory_protocols', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_mandatory_protocols' },
      { title: 'postconf(5): smtp_tls_protocols', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_protocols' },
      { title: 'postconf(5): smtpd_tls_mandatory_protocols', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_protocols' },
      { title: 'TLS_README: Mandatory TLS encryption', url: 'https://www.postfix.org/TLS_README.html#client_tls_encrypt' },
      { title: 'Postfix source: smtp_tls_policy.c selects the mandatory lists above level may' },
    ],
  },
  check({ model, report }) {
    const lists = protocolLists(model);
    for (const prefix of ['smtp', 'lmtp', 'smtpd'] as const) {
      const opportunistic = lists.find((l) => l.prefix === prefix && !l.mandatory);
      const mandatory = lists.find((l) => l.prefix === prefix && l.mandatory);
      if (!opportunistic || !mandatory || opportunistic.level === null) continue;
      // A policy table can pick either list per destination: both may be in use.
      if (opportunistic.policyMaps) continue;
      const [inert, inForce] = mandatory.inForce && !opportunistic.inForce ? [opportunistic, mandatory] : opportunistic.inForce && !mandatory.inForce ? [mandatory, opportunistic] : [null, null];
      if (inert && inForce && inert.source === 'override') {
        // A master.cf -o that this service's level never reads: it changes nothing at all.
        const raised = inert.parsed.ok && raisedAbove(inert, inForce);
        const meant = inert.parsed.diagnostics.length === 0 ? inert.value : floorValue(requestedFloor(inert.parsed) ?? 'TLSv1', model.version);
        report({
          messageId: 'override-unread',
          data: {
            param: inert.param,
            value: inert.value === '' ? '(empty)' : inert.value,
            level: inert.level ?? '',
            side: prefix === 'smtpd' ? 'smtpd' : `the ${prefix} client`,
            inForceSetting: describeSetting(model, inForce.param),
            advice: raised ? `to require it, override ${inForce.param} instead (-o ${inForce.param}=${meant})` : 'remove the override',
          },
          parameter: inert.param,
          severity: 'warning',
        });
        continue;
      }
      if (!inert || !inForce || !inert.node || inForce.source !== 'default' || !inert.parsed.ok || !raisedAbove(inert, inForce)) continue;
      const level = inert.level ?? '';
      // Copy what the admin meant: the list itself when it is clean, else its lowest requested version as a floor
      // (">= TLSv1.2" and lists of names are traps of their own; valid-protocol-list reports them).
      const meant = inert.parsed.diagnostics.length === 0 ? inert.node.value : floorValue(requestedFloor(inert.parsed) ?? 'TLSv1', model.version);
      const common = {
        setting: describeSetting(model, inert.param),
        level,
        prefix,
        inForce: inForce.param,
        inForceParam: inForce.param,
        inForceValue: inForce.value === '' ? '(empty)' : inForce.value,
        value: meant,
        lowest: requestedFloor(inForce.parsed) ?? '',
      };
      const copy = {
        kind: 'safe' as const,
        description: `set ${inForce.param} = ${meant} (the list the level reads)`,
        edits: [insertParam(model.file, inForce.param, meant, inert.node)],
      };
      const related = inert.levelNode ? [{ node: inert.levelNode, message: `${inert.levelParam} selects ${inForce.param}` }] : [];
      if (prefix === 'smtpd') {
        // The reverse (smtpd at may, only the mandatory list tightened) is what a master.cf submission service with
        // "-o smtpd_tls_security_level=encrypt" needs, which this rule cannot see: not reported.
        if (!inert.mandatory) {
          report({ messageId: 'server-encrypt', data: { ...common, levelSetting: describeSetting(model, inert.levelParam) }, parameter: inert.param, node: inert.node, related, fix: copy });
        }
        continue;
      }
      if (!inert.mandatory) {
        if (level === 'dane-only') {
          report({ messageId: 'client-dane-only', data: common, parameter: inert.param, node: inert.node, related });
        } else {
          report({ messageId: 'client-mandatory', data: common, parameter: inert.param, node: inert.node, related, fix: copy });
        }
        continue;
      }
      // Level may, only the mandatory list tightened. Copying it is only harmless when it merely drops SSL:
      // a higher opportunistic floor sends TLS 1.0-only peers to plaintext (see opportunistic-protocol-floor).
      const floor = requestedFloor(inert.parsed);
      const harmless = floor !== null && PROTOCOL_WIRE_VERSION[floor] <= PROTOCOL_WIRE_VERSION.TLSv1;
      report({
        messageId: 'client-opportunistic',
        data: {
          ...common,
          advice: harmless
            ? `Set ${inForce.param} = ${meant} to drop the old protocols where they are actually negotiated`
            : `Raising ${inForce.param} to ${floor} instead would send mail to TLS 1.0-only peers in plaintext; to require ${floor}, make TLS mandatory for the destinations concerned in ${prefix}_tls_policy_maps (which then read ${inert.param})`,
        },
        parameter: inert.param,
        node: inert.node,
        related,
        fix: harmless ? copy : null,
      });
    }
  },
});
