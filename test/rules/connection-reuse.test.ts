import rule from '../../rules/connection-reuse.js';
import { runRuleCases } from '../support/rule-tester.js';
import { DEBIAN_TLS_BLOCK as DEBIAN_DEFAULT } from '../support/debian.js';


const NO_PROXY = { path: '/etc/postfix/master.cf', tlsproxyActive: false };
const WITH_PROXY = { path: '/etc/postfix/master.cf', tlsproxyActive: true };

runRuleCases(rule, {
  valid: [
    { name: "Debian's default TLS block", code: DEBIAN_DEFAULT, masterCf: NO_PROXY },
    { name: 'reuse off', code: 'smtp_tls_security_level = may\nsmtp_tls_connection_reuse = no\n', masterCf: NO_PROXY },
    { name: 'no TLS at all: tlsproxy is never contacted', code: 'smtp_tls_security_level = none\nsmtp_tls_connection_reuse = yes\n', masterCf: NO_PROXY },
    { name: 'no outbound SMTP', code: 'default_transport = error\nsmtp_tls_security_level = may\nsmtp_tls_connection_reuse = yes\n', masterCf: NO_PROXY },
  ],
  invalid: [
    {
      name: 'tlsproxy missing from master.cf: every TLS delivery fails',
      code: 'smtp_tls_security_level = may\nsmtp_tls_connection_reuse = yes\n',
      masterCf: NO_PROXY,
      errors: [{ messageId: 'noTlsproxy', line: 2, severity: 'error', parameter: 'smtp_tls_connection_reuse', data: { masterCf: '/etc/postfix/master.cf', service: 'tlsproxy' }, includes: 'tlsproxy unix - - n - 0 tlsproxy' }],
      output: null,
    },
    {
      name: 'a renamed tlsproxy service',
      code: 'tlsproxy_service_name = tlsp\nsmtp_tls_security_level = encrypt\nsmtp_tls_connection_reuse = yes\n',
      masterCf: NO_PROXY,
      errors: [{ messageId: 'noTlsproxy', line: 3, data: { service: 'tlsp' }, includes: 'private/tlsp service' }],
      output: null,
    },
    {
      name: 'level none but a policy table can turn TLS on',
      code: 'smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_connection_reuse = yes\n',
      masterCf: NO_PROXY,
      errors: [{ messageId: 'noTlsproxy', line: 2 }],
      output: null,
    },
    {
      name: 'tlsproxy active: a hint about per-destination opt-out',
      code: 'smtp_tls_security_level = may\nsmtp_tls_connection_reuse = yes\n',
      masterCf: WITH_PROXY,
      errors: [{ messageId: 'enabled', line: 2, severity: 'info', data: { masterNote: '', attributeNote: '' }, includes: 'connection_reuse=no' }],
      output: null,
    },
    {
      name: 'master.cf unknown: reminds about the tlsproxy line',
      code: 'smtp_tls_security_level = may\nsmtp_tls_connection_reuse = yes\n',
      errors: [{ messageId: 'enabled', line: 2, severity: 'info', includes: 'tlsproxy unix - - n - 0 tlsproxy' }],
      output: null,
    },
    {
      name: '3.4 before 3.4.14 rejects the connection_reuse policy attribute',
      code: 'smtp_tls_security_level = may\nsmtp_tls_connection_reuse = yes\n',
      version: '3.4.13',
      masterCf: WITH_PROXY,
      errors: [{ messageId: 'enabled', includes: '3.4.14' }],
      output: null,
    },
    {
      name: 'before Postfix 3.4 the parameter does not exist',
      code: 'smtp_tls_security_level = may\nsmtp_tls_connection_reuse = yes\n',
      version: '3.3',
      masterCf: WITH_PROXY,
      errors: [{ messageId: 'unsupported', line: 2, severity: 'error', data: { version: '3.3' } }],
      output: null,
    },
    {
      name: 'LMTP twin',
      code: 'lmtp_tls_security_level = may\nlmtp_tls_connection_reuse = yes\n',
      masterCf: NO_PROXY,
      errors: [{ messageId: 'noTlsproxy', line: 2, parameter: 'lmtp_tls_connection_reuse' }],
      output: null,
    },
  ],
});
