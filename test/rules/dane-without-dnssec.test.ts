import rule from '../../rules/dane-without-dnssec.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN_DEFAULT } from '../support/debian.js';


runRuleCases(rule, {
  valid: [
    { name: "Debian's default TLS block", code: DEBIAN_DEFAULT },
    { name: 'the documented DANE setup', code: 'smtp_dns_support_level = dnssec\nsmtp_host_lookup = dns\nsmtp_tls_security_level = dane\n' },
    { name: 'dnssec is case-insensitive', code: 'smtp_dns_support_level = DNSSEC\nsmtp_tls_security_level = dane-only\n' },
    { name: 'host lookup with dns and native', code: 'smtp_dns_support_level = dnssec\nsmtp_host_lookup = native, dns\nsmtp_tls_security_level = dane\n' },
    { name: 'an invalid support level is another finding', code: 'smtp_dns_support_level = dnsec\nsmtp_tls_security_level = dane\n' },
    { name: 'no outbound SMTP', code: 'default_transport = error\nsmtp_tls_security_level = dane\n' },
  ],
  invalid: [
    {
      name: 'dane without DNSSEC degrades to may',
      code: 'smtp_tls_security_level = dane\n',
      errors: [{ messageId: 'noDnssec', line: 1, severity: 'warning', parameter: 'smtp_tls_security_level', data: { dnsSetting: 'smtp_dns_support_level = (empty) (default)' }, includes: 'dane configured with dnssec lookups disabled', fixKind: 'safe' }],
      output: 'smtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n',
    },
    {
      name: 'dane-only without DNSSEC defers everything; the existing line is changed, CRLF kept',
      code: 'smtp_dns_support_level = enabled\r\nsmtp_tls_security_level = dane-only\r\n',
      errors: [{ messageId: 'noDnssec', line: 2, severity: 'error', data: { dnsSetting: 'smtp_dns_support_level = enabled (line 1)' }, includes: 'client TLS configuration problem' }],
      output: 'smtp_dns_support_level = dnssec\r\nsmtp_tls_security_level = dane-only\r\n',
    },
    {
      name: 'missing final newline',
      code: 'myhostname = mx.example.com\nsmtp_tls_security_level = dane',
      errors: [{ messageId: 'noDnssec', line: 2 }],
      output: 'myhostname = mx.example.com\nsmtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec',
    },
    {
      name: 'DNS turned off: no automatic fix',
      code: 'smtp_dns_support_level = disabled\nsmtp_tls_security_level = dane\n',
      errors: [{ messageId: 'dnsDisabled', line: 2, data: { dnsSetting: 'smtp_dns_support_level = disabled' }, fixKind: null }],
      output: null,
    },
    {
      name: 'legacy disable_dns_lookups = yes',
      code: 'disable_dns_lookups = yes\nsmtp_tls_security_level = dane\n',
      errors: [{ messageId: 'dnsDisabled', line: 2, data: { dnsSetting: 'disable_dns_lookups = yes' } }],
      output: null,
    },
    {
      name: 'smtp_host_lookup without dns',
      code: 'smtp_dns_support_level = dnssec\nsmtp_host_lookup = native\nsmtp_tls_security_level = dane\n',
      errors: [{ messageId: 'noDnsHostLookup', line: 3, data: { hostLookup: 'smtp_host_lookup = native (line 2)' }, fixKind: null }],
      output: null,
    },
    {
      name: 'LMTP client at dane',
      code: 'lmtp_tls_security_level = dane\n',
      errors: [{ messageId: 'noDnssec', line: 1, parameter: 'lmtp_tls_security_level', data: { prefix: 'lmtp' } }],
      output: 'lmtp_tls_security_level = dane\nlmtp_dns_support_level = dnssec\n',
    },
  ],
});
