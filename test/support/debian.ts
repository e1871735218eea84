/** The TLS block of the main.cf that Debian 12's postfix package generates: realistic input no rule may fire on. */
export const DEBIAN_TLS_BLOCK = [
  '# TLS parameters',
  'smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem',
  'smtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key',
  'smtpd_tls_security_level=may',
  '',
  'smtp_tls_CApath=/etc/ssl/certs',
  'smtp_tls_security_level=may',
  'smtp_tls_session_cache_database = btree:${data_directory}/smtp_scache',
  '',
].join('\n');
