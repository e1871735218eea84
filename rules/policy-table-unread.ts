import { defineRule } from '../src/engine/types.js';

/** Made by the whole-configuration linter, which resolves the tables (src/engine/lint-config.ts). */
export default defineRule({
  meta: {
    id: 'policy-table-unread',
    category: 'correctness',
    defaultSeverity: 'info',
    description: 'TLS policy tables this tool cannot read (ldap, mysql, pgsql, pcre, regexp, socketmap, proxy, ...) are named, so nobody assumes their entries were checked.',
    why: 'Only file-based tables (hash, btree, lmdb, cdb, texthash, from their postmap source file) and inline: and static: tables are read and linted entry by entry. Entries served by a database, a regular-expression file or a socketmap server are not checked: an invalid one still defers mail for its destination. Check them with "postmap -q DESTINATION type:table" and the same rules by hand.',
    parameters: ['smtp_tls_policy_maps', 'lmtp_tls_policy_maps', 'smtp_tls_per_site', 'lmtp_tls_per_site'],
    fixable: false,
    summaries: {
      unread: '{{param}}: {{spec}} is not read by this tool, so its entries are not checked',
    },
    messages: {
      unread: '{{param}}: {{spec}} is a {{type}}: table, which this tool does not read; its policy entries are not checked (check them with "postmap -q DESTINATION {{spec}}")',
    },
    references: [
      { title: 'DATABASE_README: Postfix lookup table types', url: 'https://www.postfix.org/DATABASE_README.html' },
      { title: 'postconf(5): smtp_tls_policy_maps', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_policy_maps' },
    ],
  },
  check() {
    // Tables are resolved by the whole-configuration linter.
  },
});
