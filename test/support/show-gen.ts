/**
 * Random but reproducible main.cf files full of the syntax corners that make
 * `postconf -n` output hard to predict: CRLF, comments and blank lines inside
 * continuations, indented `name = value` lines that join the previous value,
 * '#' after values, duplicates, every $name form and conditional, relational
 * tests, undefined names, user-defined parameters (used and unused), raw,
 * legacy and not-yet-existing parameter names, Latin-1 and UTF-8 bytes, and
 * references to non-TLS parameters whose defaults postconf computes or takes
 * from the build ($config_directory, ${data_directory}, $myhostname, $mail_name,
 * ${queue_directory?...}, $process_name, myhostname/mydomain set or not).
 *
 * Clean files avoid what makes postconf stop (macro syntax errors, loops):
 * references only point "forward" in a fixed order of names, so there are no
 * cycles. Broken files add one deliberate fatal problem.
 */
import type { Prng } from './prng.js';

/**
 * Names the generator may set, in reference order: a value may only refer to
 * names after its own in this list (no cycles). Known TLS parameters whose
 * values postconf prints without validating them, legacy and raw names, a
 * catalogue name that only exists from 3.9 on, user-defined names, and last
 * the two names the computed host defaults read (so their values can refer
 * only to names that do not lead back to them).
 */
export const SETTABLE = [
  'smtp_tls_security_level',
  'smtpd_tls_security_level',
  'smtp_tls_policy_maps',
  'smtp_tls_mandatory_ciphers',
  'smtp_tls_exclude_ciphers',
  'smtp_tls_protocols',
  'smtp_tls_mandatory_protocols',
  'smtpd_tls_protocols',
  'smtpd_tls_mandatory_protocols',
  'lmtp_tls_CAfile', // its default is $smtp_tls_CAfile, so it must come before it
  'smtp_tls_CAfile',
  'smtp_tls_cert_file',
  'smtp_tls_key_file',
  'smtpd_tls_cert_file',
  'smtpd_tls_key_file',
  'smtpd_tls_CAfile',
  'tls_high_cipherlist',
  'relayhost',
  'virtual_maps',
  'tlsproxy_client_level',
  'luser_relay',
  'smtpd_reject_footer',
  'smtp_tls_enable_rpk',
  'u0',
  'u1',
  'u2',
  'u3',
  'u4',
  'u5',
  'u6',
  'u7',
  'myhostname',
  'mydomain',
] as const;

/** SETTABLE names whose values the computed myhostname/mydomain defaults read. */
const HOST_OWNERS: ReadonlySet<string> = new Set(['myhostname', 'mydomain']);
/**
 * Known names the generator never sets, whose 3.7 defaults lead to no SETTABLE name: TLS ones, and
 * non-TLS ones postconf takes from the build or the command line (directories, mail_name,
 * mail_version, process_name, config_directory = the -c directory, ${data_directory}/prng_exch).
 */
export const CONSTANT_DEFAULTS = [
  'smtp_tls_loglevel', 'smtpd_tls_loglevel', 'smtp_tls_fingerprint_digest', 'tls_medium_cipherlist', 'smtp_tls_ciphers',
  'config_directory', 'data_directory', 'queue_directory', 'daemon_directory', 'meta_directory', 'shlib_directory',
  'html_directory', 'mail_name', 'mail_version', 'process_name', 'default_database_type', 'tls_random_exchange_name',
];
/** Known names never set whose defaults derive from the host name ($myhostname, $mydomain, interfaces). */
export const HOST_DERIVED = ['myorigin', 'mydestination', 'smtp_helo_name', 'smtpd_banner', 'mynetworks'];
/** Never set anywhere: "undefined parameter". */
export const UNDEFINED = ['nd_alpha', 'nd_beta'];

const WORDS = [
  'may',
  'encrypt',
  'dane',
  'none',
  'secure',
  'verify',
  'high',
  'medium',
  '!SSLv2,',
  '!SSLv3',
  '>=TLSv1.2',
  '<=TLSv1.3',
  'TLSv1.2',
  'aNULL,',
  'MD5',
  'hash:/etc/postfix/tls_policy',
  'lmdb:/etc/postfix/x',
  '/etc/ssl/certs/ca.pem',
  '[mail.example.com]:587',
  'x',
  '0',
  '1',
  '10',
  '01',
  '3.6',
  ',',
  '=',
  '<',
  '!',
  '-',
  'a=b',
  'caf\xe9',
  'caf\xc3\xa9',
  '\xe2\x82\xac',
  '\xff\xfe',
  '$$',
  '$${literal}',
  'x$$y',
];
const LEVELS = ['0', '1', '2', '3.6', '3.7', '3.10', '3.6.1'];
const RELOPS = ['==', '!=', '<', '<=', '>', '>='];

export interface GeneratedFile {
  /** File content as a binary string. */
  text: string;
  /** Names the file sets. */
  names: string[];
  /** Whether a deliberate fatal problem was added. */
  broken: boolean;
}

class Gen {
  constructor(
    readonly rng: Prng,
    /** Index in SETTABLE of the parameter whose value is being generated. */
    readonly owner: number,
  ) {}

  /** A name this value may refer to without creating a cycle. */
  refName(): string {
    const r = this.rng;
    const later = SETTABLE.slice(this.owner + 1);
    if (later.length > 0 && r.chance(0.6)) return r.pick(later);
    if (!HOST_OWNERS.has(SETTABLE[this.owner]) && r.chance(0.25)) return r.pick(HOST_DERIVED);
    return r.chance(0.6) ? r.pick(CONSTANT_DEFAULTS) : r.pick(UNDEFINED);
  }

  ref(): string {
    const n = this.refName();
    switch (this.rng.int(5)) {
      case 0:
        return `$${n}`;
      case 1:
        return `\${${n}}`;
      case 2:
        return `$(${n})`;
      case 3:
        return `\${ ${n} }`;
      default:
        return `$${n}`;
    }
  }

  word(): string {
    return this.rng.pick(WORDS);
  }

  /** Text inside {...}: words, references and nested expressions, balanced braces. */
  branch(depth: number): string {
    const parts: string[] = [];
    const n = this.rng.int(3);
    for (let i = 0; i < n; i++) parts.push(this.atom(depth + 1));
    return parts.join(this.rng.pick([' ', '', '  ', '\t']));
  }

  /** Bare operand text after ? or : (no braces): no '}' or ':' allowed. */
  bare(): string {
    return this.rng.pick(['yes', 'no', 'x', '1', 'TLSv1.2', 'may']);
  }

  conditional(depth: number): string {
    const r = this.rng;
    const n = this.refName();
    switch (r.int(6)) {
      case 0:
        return `\${${n}?${this.bare()}}`;
      case 1:
        return `\${${n}:${this.bare()}}`;
      case 2:
        return `\${${n}?{${this.branch(depth)}}}`;
      case 3:
        return `\${${n}:{${this.branch(depth)}}}`;
      case 4:
        return `\${${n}?{${this.branch(depth)}}:{${this.branch(depth)}}}`;
      default:
        return `\${${n} ? {${this.branch(depth)}} : ${this.bare()}}`;
    }
  }

  relational(depth: number): string {
    const r = this.rng;
    const tail = () =>
      r.pick([
        () => ` ? {${this.branch(depth)}} : {${this.branch(depth)}}`,
        () => `?{${this.branch(depth)}}`,
        () => ` :{${this.branch(depth)}}`,
        () => '',
      ])();
    if (r.chance(0.35)) {
      const left = r.chance(0.5) ? '$compatibility_level' : r.pick(LEVELS);
      return `\${{${left}} ${r.pick(RELOPS)}level {${r.pick(LEVELS)}}${tail()}}`;
    }
    const operand = () => (r.chance(0.5) ? this.ref() : r.pick(['1', '10', '01', 'abc', 'x', '', '3.6', ...LEVELS]));
    return `\${{${operand()}} ${r.pick(RELOPS)} {${operand()}}${tail()}}`;
  }

  atom(depth: number): string {
    const r = this.rng;
    const k = r.int(10);
    if (depth < 3 && k === 0) return this.conditional(depth);
    if (depth < 3 && k === 1) return this.relational(depth);
    if (k <= 4) return this.ref();
    return this.word();
  }
}

/** Whitespace that joins two tokens of a value: plain, or a continuation (maybe with comments). */
function joiner(rng: Prng): string {
  if (rng.chance(0.6)) return rng.pick([' ', '  ', '\t', ' \t ']);
  return rng.pick([
    '\n  ',
    '\n\t',
    '\n    ',
    '\n# a comment line inside the value\n  ',
    '\n\n\t',
    '\n   # indented comment\n ',
    '\n \n  ',
    ' \n  ',
  ]);
}

/** Tokens are joined only between top-level atoms, so expressions stay intact. */
function value(rng: Prng, owner: number): string {
  const g = new Gen(rng, owner);
  if (rng.chance(0.08)) return '';
  const n = 1 + rng.int(4);
  let out = '';
  for (let i = 0; i < n; i++) out += (i ? joiner(rng) : '') + g.atom(0);
  return out;
}

function separator(rng: Prng): string {
  return rng.pick([' = ', '=', ' =', '= ', '\t=\t', '  =  ', ' =\t']);
}

/** One fatal problem postconf stops on. */
function fatalProblem(rng: Prng): string {
  return rng.pick([
    'smtp_tls_CAfile = ${u0\n', // truncated reference in a built-in parameter's value
    'smtp_tls_security_level = ${u0?{may}x}\n', // ':' expected
    'relayhost = ${{1} = {2}}\n', // bad relational operator
    'smtp_tls_protocols = ${{1} < {99999999999999999999} ? {x}}\n', // number out of range
    'smtpd_tls_cert_file = $u6\nu6 = $u7\nu7 = $u6\n', // loop reached from a built-in parameter
    'this line has no equals sign\n',
    '= value without a name\n',
    'smtp_tls_loglevel = ${{3.x} <level {3.6} ? {1}}\n', // malformed compatibility level
  ]);
}

export function generateMainCf(rng: Prng, broken = false): GeneratedFile {
  const lines: string[] = [];
  const names: string[] = [];
  if (rng.chance(0.2)) lines.push('# generated main.cf with caf\xe9 and caf\xc3\xa9 in a comment\n');
  const count = 2 + rng.int(12);
  for (let i = 0; i < count; i++) {
    const owner = rng.int(SETTABLE.length);
    const name = SETTABLE[owner];
    names.push(name);
    let line = `${name}${separator(rng)}${value(rng, owner)}`;
    if (rng.chance(0.1)) line += ` # not a comment: ${rng.pick(['may', 'x'])}`;
    // An indented `name = value` is a continuation of this value, not a new parameter.
    if (rng.chance(0.08)) line += `\n  ${rng.pick(SETTABLE)} = ${rng.pick(WORDS)}`;
    if (rng.chance(0.15)) line += rng.pick([' ', '\t', '  \t']);
    lines.push(line + '\n');
    if (rng.chance(0.15)) lines.push(rng.pick(['\n', '# comment\n', '#\n', '   \n', '  # indented comment\n', '#name = value\n']));
  }
  // compatibility_level takes part in <level tests; only valid levels here.
  if (rng.chance(0.25)) lines.push(`compatibility_level = ${rng.pick(['0', '1', '2', '3.6', '3.7'])}\n`);
  // Last, so no later duplicate overrides it.
  if (broken) lines.push(fatalProblem(rng));
  let text = lines.join('');
  if (rng.chance(0.15)) text = text.replace(/\n/g, '\r\n');
  else if (rng.chance(0.1)) text = text.replace(/\n/g, () => (rng.chance(0.5) ? '\r\n' : '\n'));
  if (rng.chance(0.1)) text = text.replace(/\r?\n$/, '');
  return { text, names, broken };
}

/** Parameter names to ask for: set, unset with defaults, undefined, unknown, and repeats. */
export function queryNames(rng: Prng, file: GeneratedFile): string[] {
  const pool = [...file.names, ...SETTABLE, ...CONSTANT_DEFAULTS, ...HOST_DERIVED, ...UNDEFINED, 'no_such_parameter'];
  const n = 1 + rng.int(4);
  return Array.from({ length: n }, () => rng.pick(pool));
}
