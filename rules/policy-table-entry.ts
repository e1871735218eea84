import { defineRule } from '../src/engine/types.js';

/**
 * Problems in TLS policy tables themselves. The tables are separate files, so
 * these findings are made by the whole-configuration linter
 * (src/engine/lint-config.ts), which parses the tables; over a lone main.cf
 * model this rule has nothing to look at.
 */
export default defineRule({
  meta: {
    id: 'policy-table-entry',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'Every entry of a TLS policy table (smtp_tls_policy_maps, smtp_tls_per_site) must be one smtp(8) accepts, and every table must be readable.',
    why: 'smtp(8) checks a policy entry only when it delivers to that destination. An unknown attribute, an empty or repeated one, an attribute not valid at the level, a comma inside protocols= or a "#" comment after the value makes the entry invalid: Postfix logs a warning and defers every message for that destination with 4.7.5 "client TLS configuration problem", at every level, until the entry is fixed. A table that cannot be opened (missing, stale or malformed) is not fatal since Postfix 2.9: smtp(8) logs it as unavailable and defers every delivery that consults it. postmap silently skips lines without a value and keeps only the first of duplicate keys.',
    parameters: ['smtp_tls_policy_maps', 'lmtp_tls_policy_maps', 'smtp_tls_per_site', 'lmtp_tls_per_site'],
    fixable: false,
    summaries: {
      missing: '{{param}}: cannot read {{path}} here, so its entries are not checked',
      invalid: 'policy for "{{key}}" is invalid: {{problem}}',
    },
    messages: {
      invalid: 'policy for "{{key}}" is invalid: {{problem}}. smtp(8) logs "{{table}}, next-hop destination \\"{{key}}\\": {{problem}}" and defers every message for this destination with 4.7.5 "client TLS configuration problem"',
      ignored: 'policy for "{{key}}" is "none": smtp(8) ignores {{attributes}} with a warning ("ignoring attribute ... with TLS disabled")',
      tableLine: '{{table}}: {{problem}}',
      missing: '{{param}}: cannot read {{path}} on this machine, the source of {{spec}} looked up beside the linted main.cf ({{reason}}), so its entries are not checked. {{effect}}',
      relative: '{{param}}: {{spec}} is a relative path: postmap resolves it against the current directory, but smtp(8) runs in queue_directory ({{queueDirectory}}) and opens {{queueDirectory}}/{{name}}. Use an absolute path (e.g. {{suggested}})',
      malformed: '{{param}}: "{{spec}}" is not a type:name table; Postfix cannot open it, logs it as unavailable, and every delivery that consults it is deferred',
    },
    references: [
      { title: 'postconf(5): smtp_tls_policy_maps', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_policy_maps' },
      { title: 'TLS_README: TLS policy table', url: 'https://www.postfix.org/TLS_README.html#client_tls_policy' },
      { title: 'postmap(1): input file format', url: 'https://www.postfix.org/postmap.1.html' },
      { title: 'Postfix source src/smtp/smtp_tls_policy.c: tls_policy_lookup_one() rejects the entry and defers with "client TLS configuration problem"' },
    ],
  },
  check() {
    // Tables are parsed and checked by the whole-configuration linter (see the comment above).
  },
});
