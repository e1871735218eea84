import { defineRule, type Edit } from '../src/engine/types.js';
import { clientLevel } from '../src/model/client-tls.js';
import { COMMA_SPACE, isMandatoryLevel, parseBoolean, splitTokens } from '../src/model/values/index.js';
import { setParam } from '../src/fixer/edits.js';
import { fingerCommand } from '../src/engine/helpers.js';
import { fingerTarget, outboundRouting } from '../src/model/routing.js';

/** Postfix's default when main.cf does not set it (postconf(5)). */
const DEFAULT_OPTIONS = 'noplaintext, noanonymous';

export default defineRule({
  meta: {
    id: 'client-sasl-plaintext',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'The SMTP client should not be able to send its SASL password in plaintext: keep noplaintext in smtp_sasl_security_options where TLS is not required.',
    why: 'smtp_sasl_security_options applies to sessions without TLS. At level may (or none, or a policy entry with may) a session runs without TLS whenever the server does not offer STARTTLS or an active attacker strips it; if the options drop noplaintext (a common copy of "smtp_sasl_security_options = noanonymous" from relay guides), Postfix then authenticates with PLAIN or LOGIN and the password crosses the network in the clear. SASL_README\'s pattern keeps noplaintext for unencrypted sessions and relaxes only smtp_sasl_tls_security_options, which applies once TLS is up; requiring TLS for the relay (encrypt) closes the gap as well.',
    parameters: ['smtp_sasl_auth_enable', 'smtp_sasl_security_options', 'smtp_sasl_tls_security_options', 'smtp_tls_security_level', 'smtp_use_tls', 'smtp_enforce_tls'],
    fixable: true,
    messages: {
      plaintext:
        'The SMTP client can send its SASL password in plaintext: smtp_sasl_auth_enable = yes at level {{level}} with smtp_sasl_security_options = {{options}}, which allows PLAIN and LOGIN without TLS. A session runs without TLS whenever the server offers no STARTTLS or an attacker strips it{{noTls}}. Keep noplaintext there (smtp_sasl_security_options = {{suggested}}) and relax only smtp_sasl_tls_security_options, or require TLS for the relay (smtp_tls_security_level = encrypt)',
    },
    references: [
      { title: 'postconf(5): smtp_sasl_security_options (default noplaintext, noanonymous) and smtp_sasl_tls_security_options', url: 'https://www.postfix.org/postconf.5.html#smtp_sasl_security_options' },
      { title: 'SASL_README: Postfix SMTP client: smtp_sasl_security_options = noanonymous, noplaintext with smtp_sasl_tls_security_options = noanonymous', url: 'https://www.postfix.org/SASL_README.html#client_sasl_sec' },
      { title: 'TLS_README: Opportunistic TLS (STARTTLS can be stripped by an active attacker)', url: 'https://www.postfix.org/TLS_README.html#client_tls_may' },
      { title: 'RFC 4954 section 4: no plaintext mechanisms without a confidentiality layer', url: 'https://www.rfc-editor.org/rfc/rfc4954#section-4' },
    ],
  },
  check({ model, report }) {
    if (parseBoolean(model.value('smtp_sasl_auth_enable')).value !== true) return;
    const { level, source } = clientLevel(model, 'smtp');
    if (level === null || isMandatoryLevel(level)) return;
    const written = model.resolve('smtp_sasl_security_options') !== undefined;
    const options = written ? model.value('smtp_sasl_security_options') : DEFAULT_OPTIONS;
    const tokens = splitTokens(options, COMMA_SPACE).map((t) => t.text.toLowerCase());
    if (tokens.includes('noplaintext')) return;
    const suggested = [...tokens, 'noplaintext'].join(', ');
    const edits: Edit[] = [setParam(model.file, 'smtp_sasl_security_options', suggested, model.definition('smtp_sasl_security_options'), ['smtp_sasl_auth_enable'])];
    // The TLS options default to the plain ones: pin them to the old value so authentication over TLS keeps working.
    const pinned = !model.isSet('smtp_sasl_tls_security_options');
    if (pinned) {
      edits.push(setParam(model.file, 'smtp_sasl_tls_security_options', tokens.join(', '), undefined, ['smtp_sasl_security_options', 'smtp_sasl_auth_enable']));
    }
    // At level none noplaintext alone leaves no mechanism that a PLAIN/LOGIN relay accepts: every AUTH would fail
    // and relay mail would be deferred. The smallest safe change that keeps it flowing is TLS where offered
    // (level may, as tls-off-outbound advises): SASL then runs under smtp_sasl_tls_security_options over TLS.
    const enableTls = level === 'none' && model.resolve('smtp_tls_security_level')?.source !== 'override';
    if (enableTls) edits.push(setParam(model.file, 'smtp_tls_security_level', 'may', model.definition('smtp_tls_security_level'), ['smtp_use_tls', 'smtp_enforce_tls']));
    const routing = outboundRouting(model);
    report({
      messageId: 'plaintext',
      data: {
        level,
        options: options === '' ? '(empty)' : options,
        noTls: level === 'none'
          ? `, and at level none that is every session. noplaintext alone would leave no mechanism a PLAIN/LOGIN server accepts, so ${routing.kind === 'smarthost' ? 'relay ' : ''}mail would be deferred until TLS is enabled${enableTls ? ': the fix also sets smtp_tls_security_level = may, so authentication runs over TLS where the server offers STARTTLS' : ''}`
          : '',
        suggested,
      },
      parameter: 'smtp_sasl_security_options',
      node: model.definition('smtp_sasl_security_options') ?? model.definition('smtp_sasl_auth_enable'),
      related: source.node ? [{ node: source.node, message: `level ${level} (TLS not required)` }] : [],
      severity: level === 'none' ? 'error' : 'warning',
      fix: {
        kind: 'safe',
        description: `set smtp_sasl_security_options = ${suggested}${pinned ? ` and smtp_sasl_tls_security_options = ${tokens.join(', ')}` : ''}${enableTls ? ' and smtp_tls_security_level = may (TLS where offered, so the relay still accepts the password)' : ''} (no plaintext passwords without TLS)`,
        edits,
      },
      // Without a relayhost the relays are per sender or per transport: say where to find the one to check.
      confirm: fingerCommand({
        level: 'may',
        target: routing.kind === 'smarthost' ? fingerTarget(routing.nexthop) : undefined,
        nexthopHint: model.value('sender_dependent_relayhost_maps').trim() !== '' ? 'a relay from sender_dependent_relayhost_maps, as [host]:port' : 'the relay this client authenticates to, as [host]:port',
      }),
    });
  },
});
