#!/usr/bin/env node
// Generates src/model/catalogue/all-parameters.ts: every parameter that `postconf -d` knows, with
// its postconf type and default, for every Postfix patch release from 2.11.0 to the newest 3.11.
// The product never runs this; it reads the generated table.
//
// Two steps, so the (large) inputs stay outside the repository:
//
//   node scripts/gen-all-params.mjs collect --tree DIR --release 3.7.11 --build tls --out DUMPS
//     DIR is an already built Postfix source tree (this script neither fetches nor builds
//     Postfix). Records, as DUMPS/3.7.11.json:
//       - `DIR/src/postconf/postconf -c EMPTY -d` (names and defaults, empty main.cf and master.cf);
//       - each name's postconf type, from the tables the build generates in src/postconf
//         (bool_table.h, int_table.h, str_table.h, time_table.h, raw_table.h, nint_table.h,
//         nbool_table.h, long_table.h, str_fn_table.h, install_table.h), VAR_* macros mapped
//         to names through the `#define VAR_x "name"` lines of the source;
//       - the legacy names (pcf_legacy_str_table) and the read-only ad-hoc names
//         (process_name, process_id, service_name) of postconf_builtin.c;
//       - with --proto, "available in Postfix X.Y and later" from proto/postconf.proto.
//     --build says how the tree was built: "tls" (as Debian does) or "notls" (libraries without
//     TLS because that release's TLS code does not compile against OpenSSL 3; postconf_builtin.c,
//     which holds the default tables, compiled with the TLS flags so that defaults that depend on
//     USE_TLS and OPENSSL_VERSION_NUMBER are those of a TLS build).
//
//   node scripts/gen-all-params.mjs interpolate --between DUMPS/3.7.10.json DUMPS/3.7.14.json \
//       --release 3.7.12 --release-date 20240612 --out DUMPS
//     For a patch release that was not built because the builds of the releases before and after it
//     print the same table (apart from mail_version and mail_release_date): that table, with the
//     release's own mail_version and mail_release_date (MAIL_RELEASE_DATE of its
//     src/global/mail_version.h). Refuses when the two tables differ.
//
//   node scripts/gen-all-params.mjs generate DUMPS
//     Turns every DUMPS/*.json into spans (a value is stored once per run of releases that share it)
//     and writes the TypeScript module.
//
// Build-dependent defaults are normalised to Debian's build (see NORMALISED below and the notes in
// the generated file). Defaults that postconf computes at run time (myhostname, mydomain, mynetworks,
// process_id, process_name) are recorded as computed, not with the build host's values.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const OUT_FILE = join(here, '..', 'src', 'model', 'catalogue', 'all-parameters.ts');

/** Table header -> postconf type. install_table.h holds config_directory and debugger_command (plain strings). */
const TABLES = {
  'time_table.h': 'time',
  'bool_table.h': 'bool',
  'int_table.h': 'int',
  'str_table.h': 'str',
  'install_table.h': 'str',
  'str_fn_table.h': 'str-fn',
  'raw_table.h': 'raw',
  'nint_table.h': 'nint',
  'nbool_table.h': 'nbool',
  'long_table.h': 'long',
};

/**
 * Defaults that depend on how Postfix was built, normalised to Debian's build (flags from
 * /etc/postfix/makedefs.out of Debian 12's postfix 3.7.11: shared=yes, dynamicmaps=yes, Berkeley DB,
 * OpenSSL 3.0, ICU, NIS). Values the scratch build already prints as Debian does are listed in
 * BUILD_NOTES only.
 */
const NORMALISED = {
  // makedefs prints "no" unless shared=yes; Debian builds shared libraries into /usr/lib/postfix.
  shlib_directory: '/usr/lib/postfix',
};

/** Where other builds differ from the Debian values in the table (documentation, copied into the output). */
const BUILD_NOTES = {
  daemon_directory: 'Debian /usr/lib/postfix/sbin; upstream default /usr/libexec/postfix',
  shlib_directory: 'Debian /usr/lib/postfix (shared=yes); "no" in builds without shared libraries',
  meta_directory: 'Debian and upstream /etc/postfix (the compiled-in config_directory)',
  html_directory: 'Debian /usr/share/doc/postfix/html; upstream default "no"',
  readme_directory: 'Debian /usr/share/doc/postfix; upstream default "no"',
  manpage_directory: 'Debian /usr/share/man; upstream default /usr/local/man',
  command_directory: 'Debian and upstream /usr/sbin; other packagers may differ',
  queue_directory: 'Debian and upstream /var/spool/postfix',
  data_directory: 'Debian and upstream /var/lib/postfix',
  sendmail_path: 'Debian and upstream /usr/sbin/sendmail',
  newaliases_path: 'Debian and upstream /usr/bin/newaliases',
  mailq_path: 'Debian and upstream /usr/bin/mailq',
  default_database_type: 'hash (Berkeley DB, as Debian 12); builds without Berkeley DB default to cdb or lmdb',
  alias_maps: 'hash:/etc/aliases, nis:mail.aliases with NIS support (Debian 12 build); hash:/etc/aliases without',
  tls_eecdh_auto_curves: 'as built against OpenSSL 3.0 (Debian 12); 3.11 built against OpenSSL >= 3.5 prints other groups',
  smtputf8_enable: 'as built with ICU (EAI support); builds with -DNO_EAI default to no',
};

/** Types whose default postconf computes at run time: the table stores "", not the build host's value. */
const COMPUTED_TYPES = new Set(['str-fn', 'adhoc']);

function fail(message) {
  console.error(`gen-all-params: ${message}`);
  process.exit(2);
}

function option(args, name, required = true) {
  const i = args.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= args.length) {
    if (required) fail(`missing --${name}`);
    return undefined;
  }
  return args[i + 1];
}

// ------------------------------------------------------------------ collect

/** `postconf -d` against an empty configuration: name -> default text. */
function postconfDefaults(postconf) {
  const dir = mkdtempSync(join(tmpdir(), 'gen-all-params-'));
  try {
    writeFileSync(join(dir, 'main.cf'), '');
    writeFileSync(join(dir, 'master.cf'), '');
    // Postfix waits about a second on files modified within the last second.
    const past = new Date(Date.now() - 60_000);
    for (const f of ['main.cf', 'master.cf']) utimesSync(join(dir, f), past, past);
    const out = execFileSync(postconf, ['-c', dir, '-d'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
    const defaults = {};
    for (const line of out.split('\n')) {
      if (!line) continue;
      const i = line.indexOf(' = ');
      if (i < 0) defaults[line.replace(/ =$/, '')] = '';
      else defaults[line.slice(0, i)] = line.slice(i + 3);
    }
    return defaults;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * VAR_x -> "name" from the `#define VAR_x ...` lines of the source tree. A definition is a
 * sequence of string literals and other VAR_ macros ("address_verify_" VAR_SND_DEF_XPORT_MAPS).
 */
function varNames(tree) {
  const raw = new Map();
  for (const sub of readdirSync(join(tree, 'src'))) {
    const dir = join(tree, 'src', sub);
    let entries;
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of entries) {
      if (!/\.[ch]$/.test(f)) continue;
      const text = readFileSync(join(dir, f), 'latin1').replace(/\\\n/g, ' ');
      for (const m of text.matchAll(/^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)[ \t]+(.*)$/gm)) {
        const body = m[2].replace(/\/\*.*?(\*\/|$)/g, '').trim();
        const tokens = [...body.matchAll(/"([^"]*)"|([A-Za-z_][A-Za-z0-9_]*)|(\S)/g)];
        if (tokens.length === 0 || tokens.some((t) => t[3] !== undefined)) continue;
        const list = tokens.map((t) => (t[1] !== undefined ? { text: t[1] } : { ref: t[2] }));
        const old = raw.get(m[1]);
        if (old !== undefined && JSON.stringify(old) !== JSON.stringify(list) && m[1].startsWith("VAR_")) console.warn(`warning: ${m[1]} has two definitions; using the last`);
        raw.set(m[1], list);
      }
    }
  }
  const resolved = new Map();
  const resolve = (name, depth = 0) => {
    if (resolved.has(name)) return resolved.get(name);
    const list = raw.get(name);
    if (!list || depth > 20) return undefined;
    let out = '';
    for (const t of list) {
      const part = t.text ?? resolve(t.ref, depth + 1);
      if (part === undefined) return undefined;
      out += part;
    }
    resolved.set(name, out);
    return out;
  };
  for (const name of raw.keys()) resolve(name);
  return resolved;
}

function collect(args) {
  const tree = option(args, 'tree');
  const release = option(args, 'release');
  const build = option(args, 'build');
  const out = option(args, 'out');
  const tag = option(args, 'tag', false) ?? `v${release}`;
  if (!/^\d+\.\d+\.\d+$/.test(release)) fail(`--release must be X.Y.Z, not ${release}`);
  if (build !== 'tls' && build !== 'notls') fail('--build must be tls or notls');
  const postconf = join(tree, 'src', 'postconf', 'postconf');
  if (!existsSync(postconf)) fail(`${postconf} not found: build the tree first`);

  const defaults = postconfDefaults(postconf);
  // A x.y.0 release calls itself "x.y".
  if (defaults.mail_version !== release && defaults.mail_version !== release.replace(/\.0$/, '')) fail(`${postconf} reports mail_version ${defaults.mail_version}, not ${release}`);
  const vars = varNames(tree);
  const types = {};
  for (const [header, type] of Object.entries(TABLES)) {
    const path = join(tree, 'src', 'postconf', header);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'latin1').split('\n')) {
      const m = /^\s*(VAR_[A-Za-z0-9_]+)\s*,/.exec(line);
      if (!m) continue;
      const name = vars.get(m[1]);
      if (name === undefined) fail(`${header}: no #define for ${m[1]}`);
      types[name] = type;
    }
  }
  const builtin = readFileSync(join(tree, 'src', 'postconf', 'postconf_builtin.c'), 'latin1');
  const legacy = [];
  const legacyTable = /pcf_legacy_str_table\[\]\s*=\s*\{([\s\S]*?)\n\s*0,?\s*\n?\s*\};/.exec(builtin);
  if (legacyTable) {
    for (const m of legacyTable[1].matchAll(/\{\s*(?:"([^"]+)"|(VAR_[A-Za-z0-9_]+))\s*,/g)) legacy.push(m[1] ?? vars.get(m[2]));
  }
  for (const m of builtin.matchAll(/pcf_adhoc_\w+\s*=\s*\{\s*(VAR_[A-Za-z0-9_]+)\s*\}/g)) types[vars.get(m[1])] = 'adhoc';

  for (const name of Object.keys(defaults)) if (!types[name]) fail(`${release}: no type for ${name}`);
  for (const name of Object.keys(types)) if (!(name in defaults)) fail(`${release}: ${name} is in a table but not in postconf -d`);

  let since;
  const proto = join(tree, 'proto', 'postconf.proto');
  if (args.includes('--proto') && existsSync(proto)) since = protoSince(readFileSync(proto, 'latin1'));

  mkdirSync(out, { recursive: true });
  const dump = { release, tag, build, defaults, types, legacy, ...(since ? { since } : {}) };
  writeFileSync(join(out, `${release}.json`), JSON.stringify(dump, null, 1) + '\n');
  console.log(`${release}: ${Object.keys(defaults).length} parameters, ${legacy.length} legacy (${build} build of ${tag})`);
}

/**
 * name -> "X.Y" from "This feature is available in Postfix X.Y and later" (or "&ge; X.Y.Z", or a
 * list of backport releases, oldest first): the first such sentence of each entry.
 */
function protoSince(text) {
  const since = {};
  for (const entry of text.split(/^%PARAM\s+/m).slice(1)) {
    const name = /^(\S+)/.exec(entry)?.[1];
    const m = /available in Postfix\s+(?:version\s+)?(?:&ge;\s*)?(\d+\.\d+(?:\.\d+)?)/i.exec(entry.replace(/\s+/g, ' '));
    if (name && m) since[name] = m[1];
  }
  return since;
}

// ------------------------------------------------------------------ interpolate

/** Names whose value differs in every release or every run. */
const PER_RELEASE = new Set(['mail_version', 'mail_release_date', 'process_id']);

function sameTable(a, b) {
  const names = new Set([...Object.keys(a.defaults), ...Object.keys(b.defaults)]);
  for (const n of names) {
    if (PER_RELEASE.has(n)) continue;
    if (a.defaults[n] !== b.defaults[n] || a.types[n] !== b.types[n]) return false;
  }
  return JSON.stringify(a.legacy) === JSON.stringify(b.legacy);
}

function interpolate(args) {
  const i = args.indexOf('--between');
  if (i < 0 || i + 2 >= args.length) fail('missing --between LOWER.json UPPER.json');
  const [lower, upper] = [args[i + 1], args[i + 2]].map((f) => JSON.parse(readFileSync(f, 'latin1')));
  const release = option(args, 'release');
  const date = option(args, 'release-date');
  const out = option(args, 'out');
  if (!/^\d{8}$/.test(date)) fail(`--release-date must be YYYYMMDD, not ${date}`);
  if (!(compareReleases(lower.release, release) < 0 && compareReleases(release, upper.release) < 0)) fail(`${release} is not between ${lower.release} and ${upper.release}`);
  if (!sameTable(lower, upper)) fail(`${lower.release} and ${upper.release} differ: build ${release} instead`);
  const dump = {
    ...lower,
    release,
    tag: `v${release}`,
    build: `between ${lower.release} and ${upper.release}`,
    defaults: { ...lower.defaults, mail_version: release.replace(/\.0$/, ''), mail_release_date: date },
  };
  delete dump.since;
  writeFileSync(join(out, `${release}.json`), JSON.stringify(dump, null, 1) + '\n');
  console.log(`${release}: as ${lower.release} and ${upper.release} (not built)`);
}

// ------------------------------------------------------------------ generate

function compareReleases(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

const TYPE_CODES = ['str', 'bool', 'int', 'time', 'raw', 'nint', 'nbool', 'long', 'str-fn', 'adhoc', 'legacy'];

function generate(args) {
  const dumpsDir = args[0];
  if (!dumpsDir) fail('usage: gen-all-params.mjs generate DUMPS');
  const dumps = readdirSync(dumpsDir)
    .filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dumpsDir, f), 'latin1')))
    .sort((a, b) => compareReleases(a.release, b.release));
  if (dumps.length === 0) fail(`no dumps in ${dumpsDir}`);
  const releases = dumps.map((d) => d.release);

  // Per name, per release: [type, value] or undefined (absent).
  const values = [];
  const valueIndex = new Map();
  const intern = (v) => {
    let i = valueIndex.get(v);
    if (i === undefined) {
      i = values.length;
      values.push(v);
      valueIndex.set(v, i);
    }
    return i;
  };
  const names = new Set();
  for (const d of dumps) {
    for (const n of Object.keys(d.defaults)) names.add(n);
    for (const n of d.legacy) names.add(n);
  }
  const params = {};
  for (const name of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const spans = [];
    let last = '';
    dumps.forEach((d, r) => {
      let cell;
      if (name in d.defaults) {
        const type = d.types[name];
        let value = COMPUTED_TYPES.has(type) ? '' : d.defaults[name];
        if (name in NORMALISED) value = NORMALISED[name];
        cell = `${TYPE_CODES.indexOf(type)}:${intern(value)}`;
        if (TYPE_CODES.indexOf(type) < 0) fail(`unknown type ${type}`);
      } else if (d.legacy.includes(name)) {
        cell = `${TYPE_CODES.indexOf('legacy')}:${intern('')}`;
      } else {
        cell = '-';
      }
      if (cell !== last) {
        spans.push(r, cell === '-' ? -1 : Number(cell.split(':')[0]), cell === '-' ? -1 : Number(cell.split(':')[1]));
        last = cell;
      }
    });
    params[name] = spans;
  }
  const newest = dumps[dumps.length - 1];
  const since = newest.since ?? {};

  // Provenance per release line.
  const lines = new Map();
  for (const d of dumps) {
    const line = d.release.split('.').slice(0, 2).join('.');
    const l = lines.get(line) ?? { first: d.release, last: d.release, builds: new Set() };
    l.last = d.release;
    l.builds.add(d.build);
    lines.set(line, l);
  }
  const provenance = [...lines].map(([line, l]) => {
    const built = dumps.filter((d) => d.release.startsWith(`${line}.`) && (d.build === 'tls' || d.build === 'notls'));
    const tls = built.filter((d) => d.build === 'tls').map((d) => d.release.split('.')[2]);
    const notls = built.filter((d) => d.build === 'notls').map((d) => d.release.split('.')[2]);
    const between = dumps.filter((d) => d.release.startsWith(`${line}.`) && d.build.startsWith('between')).map((d) => d.release.split('.')[2]);
    const parts = [];
    if (tls.length) parts.push(`TLS builds of .${tls.join(' .')}`);
    if (notls.length) parts.push(`builds without TLS libraries (default tables compiled with the TLS headers) of .${notls.join(' .')}`);
    if (between.length) parts.push(`not built, same table as the builds around them: .${between.join(' .')}`);
    return `${line} (${l.first} .. ${l.last}): ${parts.join('; ')}`;
  });

  // Names that are raw, legacy, read-only or computed somewhere: the runtime builds its per-release sets from these alone.
  const specialTypes = new Set(['raw', 'legacy', 'adhoc', 'str-fn'].map((t) => TYPE_CODES.indexOf(t)));
  const special = Object.keys(params).filter((n) => params[n].some((v, i) => i % 3 === 1 && specialTypes.has(v)));
  const data = { releases, types: TYPE_CODES, values, params, special };
  const json = JSON.stringify(data);
  const sinceJson = JSON.stringify(since);
  const text = `// GENERATED by scripts/gen-all-params.mjs from real builds of Postfix. Do not edit.
//
// Every parameter \`postconf -d\` knows, with its postconf type and default text, for every patch
// release from ${releases[0]} to ${releases[releases.length - 1]} (${releases.length} releases), stored as spans of releases.
// Where each release's table came from: postconf -d (empty main.cf and master.cf) of a build of
// the public Postfix source mirror's tag vX.Y.Z with Debian 12's build flags; a patch release
// between two builds with the same table (mail_version and mail_release_date aside) was not built
// and has that table with its own mail_version and mail_release_date (from its mail_version.h):
${provenance.map((p) => `//   ${p}`).join('\n')}
// No release's table comes from documents only; \`since\` (for parameters older than ${releases[0]}) is
// "available in Postfix X.Y and later" from proto/postconf.proto of ${newest.release}.
//
// Build-dependent defaults are those of Debian's build; other builds differ:
${Object.entries(BUILD_NOTES).map(([n, note]) => `//   ${n}: ${note}`).join('\n')}
// Computed at run time (types str-fn and adhoc: myhostname, mydomain, mynetworks, process_name,
// process_id, and service_name before 3.8), stored as "" (see src/model/environment.ts).
//
// Layout: releases[i] is a release; params[name] is a flat list of spans [release index, type
// index, value index] (type or value -1: the name does not exist from that release on), each span
// running until the next one; types[] are postconf's tables (str-fn: computed by a function,
// adhoc: read-only, legacy: a migration alias postconf knows but \`postconf -d\` does not list).

/** Build-dependent defaults and how other builds differ (name -> note). */
export const BUILD_NOTES: Readonly<Record<string, string>> = ${JSON.stringify(BUILD_NOTES, null, 2)};

/** The table as JSON text, parsed on first use (see release-table.ts). */
export const ALL_PARAMETERS_JSON = ${JSON.stringify(json)};

/** name -> the release postconf.5 says it is available from (consulted only for releases older than the table). */
export const DOCUMENTED_SINCE_JSON = ${JSON.stringify(sinceJson)};
`;
  writeFileSync(OUT_FILE, text);
  console.log(`wrote ${OUT_FILE}: ${names.size} names, ${releases.length} releases, ${values.length} distinct values, ${json.length} + ${sinceJson.length} bytes of JSON`);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'collect') collect(rest);
else if (command === 'interpolate') interpolate(rest);
else if (command === 'generate') generate(rest);
else fail(`usage: ${basename(process.argv[1])} collect --tree DIR --release X.Y.Z --build tls|notls --out DUMPS [--proto] | interpolate --between A.json B.json --release X.Y.Z --release-date YYYYMMDD --out DUMPS | generate DUMPS`);
