/**
 * Generators for the fuzz suite: main.cf-like and master.cf-like text built
 * from the pieces that matter to the parsers and rules (TLS names, levels,
 * protocol lists, cipher grades, $name references, continuation lines,
 * comments, CRLF, NUL and high bytes), plus raw binary strings.
 *
 * Every property runs with a fixed seed and a bounded number of runs, so the
 * suite is reproducible and fast; FUZZ_SEED and FUZZ_RUNS override them
 * (a failing run prints its seed and the shrunk counterexample).
 */
import fc from 'fast-check';

export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261129;
/** Scale factor for numRuns (FUZZ_RUNS=10 runs ten times as many cases). */
const SCALE = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;

export function params(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE))};
}

/** One byte as a binary-string char (latin1: any byte round-trips). */
export const byteChar = fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b));
/** Arbitrary binary strings. */
export const binaryString = (maxLength = 200) => fc.string({ unit: byteChar, maxLength });

export const TLS_NAMES = [
  'smtp_tls_security_level', 'smtpd_tls_security_level', 'lmtp_tls_security_level',
  'smtp_tls_protocols', 'smtp_tls_mandatory_protocols', 'smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols',
  'lmtp_tls_protocols', 'lmtp_tls_mandatory_protocols',
  'smtp_tls_ciphers', 'smtp_tls_mandatory_ciphers', 'smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers',
  'smtp_tls_exclude_ciphers', 'smtp_tls_mandatory_exclude_ciphers', 'smtpd_tls_exclude_ciphers',
  'tls_high_cipherlist', 'tls_medium_cipherlist', 'tls_low_cipherlist',
  'smtp_use_tls', 'smtp_enforce_tls', 'smtpd_use_tls', 'smtpd_enforce_tls', 'smtp_tls_enforce_peername',
  'smtp_tls_loglevel', 'smtpd_tls_loglevel', 'smtp_tls_CAfile', 'smtp_tls_CApath', 'tls_append_default_CA',
  'smtp_dns_support_level', 'smtp_tls_policy_maps', 'relayhost', 'smtp_tls_connection_reuse',
  'smtpd_tls_cert_file', 'smtpd_tls_key_file', 'smtpd_tls_auth_only', 'compatibility_level',
  'smtp_tls_seurity_level', 'smtpd_tls_cert', 'tlsproxy_enable', 'smtpd_restriction_classes',
  'myhostname', 'mydomain', 'my_param', 'ldap_users_server_host',
];

export const VALUE_WORDS = [
  'none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure', 'halfdane', 'MAY',
  '>=TLSv1.2', '<=TLSv1.3', '>=', '<=', '!SSLv2', '!SSLv3', '!TLSv1', '!TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSLv3', '0x0303', '>=0x303',
  'export', 'low', 'medium', 'high', 'null', 'HIGH', 'aNULL', 'eNULL', 'MD5', 'RC4', 'SHA1', 'kRSA', 'aRSA', 'CBC', '3DES',
  'DEFAULT', 'ALL:!aNULL', '@STRENGTH', '@SECLEVEL=0', 'EECDH+AESGCM', 'yes', 'no', '0', '1', '2', '4', '3.6', '2',
  '$myhostname', '${myhostname}', '$(mydomain)', '${a?b}', '${a:b}', '${x?{y}:{z}}', '${a == b ? {c} : {d}}', '$$', '$', '${', '}',
  '[relay.example.net]:587', 'example.com', 'hash:/etc/postfix/tls_policy', 'ldap:users', 'proxy:mysql:db',
  '/etc/ssl/certs', '#', '# not a comment', ';', ',', ':', '{', '}', '{ a = b }',
];

const sep = fc.constantFrom(' ', ', ', ',', ':', '\t', '  ');
export const valueText = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...VALUE_WORDS) }, { weight: 1, arbitrary: binaryString(8) }), { maxLength: 6 })
  .chain((words) => fc.array(sep, { minLength: words.length, maxLength: words.length }).map((seps) => words.map((w, i) => (i ? seps[i] : '') + w).join('')));

const name = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TLS_NAMES) }, { weight: 1, arbitrary: binaryString(12) });
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n');
const assign = fc.constantFrom(' = ', '=', ' =', '= ', '\t=\t', ' ');

/** One logical line of main.cf (possibly with continuation lines). */
export const mainCfLine = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(name, assign, valueText, eol).map(([n, a, v, e]) => `${n}${a}${v}${e}`) },
  { weight: 2, arbitrary: fc.tuple(name, valueText, valueText, eol).map(([n, v, w, e]) => `${n} = ${v}${e}    ${w}${e}`) },
  { weight: 1, arbitrary: fc.tuple(name, valueText, eol).map(([n, v, e]) => `${n} = ${v}${e}# inner comment${e}\t${v}${e}`) },
  { weight: 2, arbitrary: fc.tuple(binaryString(30), eol).map(([c, e]) => `#${c.replace(/[\r\n]/g, '')}${e}`) },
  { weight: 1, arbitrary: eol },
  { weight: 1, arbitrary: fc.tuple(valueText, eol).map(([v, e]) => ` ${v}${e}`) },
  { weight: 1, arbitrary: binaryString(40) },
);

/** main.cf-like text: lines from the generators above; sometimes a BOM or no final newline. */
export const mainCfText = fc
  .tuple(fc.array(mainCfLine, { maxLength: 25 }), fc.boolean(), fc.constantFrom(0, 0, 0, 1))
  .map(([lines, dropFinalNewline, bom]) => {
    let t = (bom ? '\xef\xbb\xbf' : '') + lines.join('');
    if (dropFinalNewline) t = t.replace(/\r?\n$/, '');
    return t;
  });

const masterField = fc.constantFrom('smtp', 'submission', 'relay', 'tlsproxy', 'inet', 'unix', 'unix-dgram', 'pass', 'fifo', '-', 'n', 'y', '0', '100', '1?', 'smtpd', 'lmtp', 'local', 'pipe', 'spawn', '127.0.0.1:25', '[::1]:25');
const masterOption = fc.oneof(
  fc.tuple(fc.constantFrom(...TLS_NAMES), valueText).map(([n, v]) => `-o ${n}=${v.replace(/[\s]/g, '')}`),
  fc.tuple(fc.constantFrom(...TLS_NAMES), valueText).map(([n, v]) => `-o { ${n} = ${v} }`),
  fc.constantFrom('-v', '-o', '-o smtpd_tls_wrappermode=yes', 'flags=Rq', 'argv=/usr/bin/foo ${recipient}', '{ -o a=b'),
);
/** master.cf-like text: service lines, -o continuation lines, comments, junk. */
export const masterCfText = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.tuple(fc.array(masterField, { minLength: 1, maxLength: 9 }), fc.array(masterOption, { maxLength: 3 }), eol).map(([f, o, e]) => f.join(' ') + o.map((x) => `${e}  ${x}`).join('') + e) },
      { weight: 1, arbitrary: fc.tuple(binaryString(30), eol).map(([c, e]) => `#${c}${e}`) },
      { weight: 1, arbitrary: binaryString(40) },
    ),
    { maxLength: 12 },
  )
  .map((lines) => lines.join(''));
