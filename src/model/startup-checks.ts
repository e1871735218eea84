/** What Postfix checks when any of its programs starts. */

/**
 * Parameters every Postfix program (postfix, sendmail, postqueue, postmap and every daemon) reads and checks
 * at start-up (global/mail_params.c): "value # comment" there is fatal for all of them, not only for the daemon
 * that uses the value. Found by running postmap with "NAME = DEFAULT # c" for every parameter of `postconf -d`
 * (Postfix 3.7); checked again by test/rules/comment-after-value-oracle.test.ts.
 */
export const FATAL_FOR_EVERY_PROGRAM: ReadonlySet<string> = new Set([
  'address_verify_negative_cache', 'backwards_bounce_logfile_compatibility', 'berkeley_db_create_buffer_size', 'berkeley_db_read_buffer_size',
  'compatibility_level', 'daemon_table_open_error_is_fatal', 'debug_peer_level', 'default_privs', 'default_process_limit', 'default_verp_delimiters',
  'delay_logging_resolution_limit', 'deliver_lock_attempts', 'disable_dns_lookups', 'disable_mime_input_processing', 'disable_mime_output_conversion',
  'dns_ncache_ttl_fix_enable', 'dont_remove', 'enable_idna2003_compatibility', 'enable_long_queue_ids', 'enable_original_recipient',
  'fault_injection_code', 'fork_attempts', 'hash_queue_depth', 'header_address_token_limit', 'header_size_limit', 'helpful_warnings',
  'inet_interfaces', 'inet_protocols', 'line_length_limit', 'lmdb_map_size', 'mail_owner', 'max_use', 'message_size_limit',
  'mime_boundary_length_limit', 'mime_nesting_limit', 'multi_instance_enable', 'mydomain', 'myhostname', 'mynetworks_style', 'myorigin',
  'owner_request_special', 'respectful_logging', 'send_cyrus_sasl_authzid', 'setgid_group', 'smtputf8_enable', 'soft_bounce',
  'strict_7bit_headers', 'strict_8bitmime', 'strict_8bitmime_body', 'strict_mime_encoding_domain', 'strict_smtputf8', 'syslog_facility', 'tcp_windowsize',
]);
