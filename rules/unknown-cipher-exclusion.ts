import { defineRule } from '../src/engine/types.js';
import type { ParamNode } from '../src/parser/main-cf.js';
import type { MainCfFile } from '../src/parser/main-cf.js';
import { editDistanceWithin } from '../src/engine/helpers.js';
import { parseExclusionList, q } from '../src/model/values/index.js';
import { ALIAS_PATTERNS } from '../src/ciphers/aliases.js';
import { KNOWN_ALIASES, LEGACY_SUITE_ROWS, TLS13_SUITE_ROWS } from '../src/ciphers/suite-table.js';
import { HISTORIC_SUITE_NAMES } from '../src/ciphers/historic-names.js';
import { keyExchangeFamily, looksLikeSuiteName } from '../src/ciphers/suite-names.js';

const PARAMS = ['smtp', 'lmtp', 'smtpd'].flatMap((p) => [`${p}_tls_exclude_ciphers`, `${p}_tls_mandatory_exclude_ciphers`]);

/**
 * Names OpenSSL 3 no longer knows but whose ciphers are gone anyway, so excluding them
 * is harmless (and common in published configurations and in Postfix's own 3.8 defaults).
 */
const OBSOLETE_HARMLESS = [
  'EXPORT', 'EXP', 'EXPORT40', 'EXPORT56', 'SSLv2', 'RC5', 'kDH', 'kDHr', 'kDHd', 'aDH', 'kECDH', 'kECDHr', 'kECDHe', 'aECDH',
  'ECCdraft', 'kFZA', 'aFZA', 'eFZA', 'FZA', 'kKRB5', 'aKRB5', 'KRB5', 'eGOST', 'GOST2012', 'kGOST', 'aGOST01', 'DES', 'RC2', 'IDEA', 'SEED', 'RC4',
];

let knownNames: Set<string> | undefined;
/** Aliases and suite names OpenSSL knows, plus real names of suites OpenSSL 3 no longer builds (harmless to exclude). */
function known(): Set<string> {
  knownNames ??= new Set([...KNOWN_ALIASES, ...ALIAS_PATTERNS.keys(), ...LEGACY_SUITE_ROWS.map((r) => r[0]), ...OBSOLETE_HARMLESS, ...HISTORIC_SUITE_NAMES]);
  return knownNames;
}

let byStdName: Map<string, string> | undefined;
function openSslNameOf(std: string): string | undefined {
  byStdName ??= new Map(LEGACY_SUITE_ROWS.map((r) => [r[1], r[0]]));
  return byStdName.get(std);
}

function isTls13Suite(name: string): boolean {
  return TLS13_SUITE_ROWS.some((r) => r[0] === name);
}

/**
 * Closest known name, when it is close enough to be a plausible typo. Never a name the list
 * already has, and for a suite name never one with another key exchange or authentication
 * (a typo of ECDHE-RSA-... is not a DHE-RSA-... suite).
 */
function suggestion(word: string, present: ReadonlySet<string>): string | undefined {
  const max = word.length <= 5 ? 2 : MAX_DISTANCE;
  const suite = looksLikeSuiteName(word);
  const family = suite ? keyExchangeFamily(word) : null;
  const lower = word.toLowerCase();
  const wordChars = charSet(lower);
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidatesNearLength(lower.length)) {
    // The length difference bounds the distance from below: skip what cannot come close enough.
    if (Math.abs(c.lower.length - lower.length) > max || present.has(c.name)) continue;
    if (family !== null && c.family !== family) continue;
    // Each character one string has and the other lacks costs an edit: a cheap bound before the real distance.
    if (bitCount(wordChars.letters & ~c.chars.letters) + bitCount(wordChars.others & ~c.chars.others) >= bestD) continue;
    if (bitCount(c.chars.letters & ~wordChars.letters) + bitCount(c.chars.others & ~wordChars.others) >= bestD) continue;
    const d = editDistanceWithin(lower, c.lower, bestD - 1);
    if (d < bestD) [best, bestD] = [c.name, d];
  }
  return best;
}

/**
 * suggestion() per parsed list (parseExclusionList shares the result for a value, and `present` is made from
 * it): the fix loop lints a long list of unknown names again, and the second pass reuses the answers.
 */
const suggestionsByList = new WeakMap<object, Map<string, string | undefined>>();

function suggestionFor(list: object, word: string, present: ReadonlySet<string>): string | undefined {
  let known = suggestionsByList.get(list);
  if (!known) suggestionsByList.set(list, (known = new Map()));
  if (known.has(word)) return known.get(word);
  const s = suggestion(word, present);
  known.set(word, s);
  return s;
}

/** The characters of a lowercased name as bit sets: a-z exactly, everything else folded into 32 buckets. */
interface CharSet {
  readonly letters: number;
  readonly others: number;
}

function charSet(lower: string): CharSet {
  let letters = 0;
  let others = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) letters |= 1 << (c - 0x61);
    else others |= 1 << (c & 31);
  }
  return { letters, others };
}

function bitCount(n: number): number {
  let count = 0;
  for (let v = n >>> 0; v !== 0; v &= v - 1) count++;
  return count;
}

interface Candidate {
  readonly name: string;
  readonly lower: string;
  readonly chars: CharSet;
  /** Key exchange family of a suite name; undefined for a name that is not one (never equal to a family). */
  readonly family: string | null | undefined;
}

let candidates: Candidate[] | undefined;
/** known() without the harmless obsolete names, each with what suggestion() compares (computed once, not per token). */
function suggestionCandidates(): Candidate[] {
  candidates ??= [...known()]
    .filter((c) => !(OBSOLETE_HARMLESS.includes(c) && !KNOWN_ALIASES.includes(c)))
    .map((c) => ({ name: c, lower: c.toLowerCase(), chars: charSet(c.toLowerCase()), family: looksLikeSuiteName(c) ? keyExchangeFamily(c) : undefined }));
  return candidates;
}

/** The widest length difference suggestion() accepts. */
const MAX_DISTANCE = 3;
const byLength: Candidate[][] = [];

/** The candidates whose length is within MAX_DISTANCE of `length`, in suggestionCandidates() order (ties go to the first). */
function candidatesNearLength(length: number): readonly Candidate[] {
  let near = byLength[length];
  if (!near) {
    near = suggestionCandidates().filter((c) => Math.abs(c.lower.length - length) <= MAX_DISTANCE);
    if (length < 256) byLength[length] = near;
  }
  return near;
}

/** The value with "!" stripped from the front of every exclusion token, as written in the file; null when not applicable. */
function strippedBangs(file: MainCfFile, node: ParamNode): string | null {
  if (node.innerSkippedLines.length > 0) return null;
  const text = file.text.slice(node.valueRange[0], node.valueRange[1]);
  const cleaned = text.replace(/(^|[\s,:])!+(?=[^\s,:!])/g, '$1');
  return cleaned === text ? null : cleaned;
}

export default defineRule({
  meta: {
    id: 'unknown-cipher-exclusion',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'Cipher exclusion lists should name ciphers and cipher classes OpenSSL knows, without "!", "+", "-" or "@" prefixes.',
    why: 'Postfix turns each token of *_tls_exclude_ciphers into ":!token" on the OpenSSL cipher list. OpenSSL silently ignores names it does not know (a typo, wrong case, an IANA suite name), so the cipher the administrator meant to remove stays enabled. A token that already starts with "!" (or "+", "-", "@") is worse: Postfix rejects the list and every TLS session that uses it fails.',
    parameters: PARAMS,
    fixable: true,
    summaries: {
      prefix: '{{param}}: {{token}} starts with "{{char}}", so Postfix rejects the whole list',
      unknown: '{{param}}: OpenSSL does not know {{token}}, so nothing is excluded',
      stdName: '{{param}}: {{token}} is an IANA name, so nothing is excluded',
      'tls13': '{{param}}: {{token}} is a TLS 1.3 suite; exclusion lists do not govern those',
    },
    messages: {
      prefix: '{{param}}: {{token}} starts with "{{char}}": exclusion lists take bare names (Postfix adds the "!" itself) and rejects this one with "invalid unary \'!+-@\' in cipher exclusion", so every TLS session that uses the list fails; {{advice}}',
      unknown: '{{param}}: OpenSSL does not know the cipher name {{token}} and silently ignores it, so nothing is excluded{{suggestion}}',
      stdName: '{{param}}: {{token}} is an IANA suite name; OpenSSL cipher lists only match OpenSSL names, so nothing is excluded; write "{{openssl}}"',
      tls13: '{{param}}: {{token}} is a TLS 1.3 suite; cipher lists do not govern TLS 1.3 suites, so the exclusion does nothing (TLS 1.3 suites come from the OpenSSL configuration)',
      syntax: '{{param}}: {{detail}}',
    },
    references: [
      { title: 'postconf(5): smtp_tls_exclude_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtp_tls_exclude_ciphers' },
      { title: 'postconf(5): smtpd_tls_exclude_ciphers', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_exclude_ciphers' },
      { title: 'openssl-ciphers(1): cipher list format and cipher strings', url: 'https://docs.openssl.org/3.0/man1/openssl-ciphers/' },
      { title: 'Postfix src/tls/tls_misc.c tls_set_ciphers(): "invalid unary \'!+-@\' in cipher exclusion"' },
    ],
  },
  check({ model, facts, report }) {
    for (const param of PARAMS) {
      const node = model.definition(param);
      if (!node) continue;
      const list = parseExclusionList(model.value(param));
      const bang = strippedBangs(model.file, node);
      let fixOffered = false;
      for (const d of list.diagnostics) {
        if (d.code === 'exclusion-unary') {
          const token = d.token ?? '';
          const fix =
            token.startsWith('!') && bang !== null && !fixOffered
              ? { kind: 'safe' as const, description: `remove the "!" prefixes in ${param}`, edits: [{ range: node.valueRange, text: bang }] }
              : undefined;
          if (fix) fixOffered = true;
          report({
            messageId: 'prefix',
            data: {
              param,
              token: q(token),
              char: token[0],
              advice: token.startsWith('!')
                ? `write ${q(token.replace(/^!+/, ''))} to keep the intended exclusion`
                : 'remove the token (an exclusion list can only remove ciphers, not add or reorder them)',
            },
            parameter: param,
            node,
            severity: 'error',
            ...(fix ? { fix } : {}),
          });
        } else {
          report({ messageId: 'syntax', data: { param, detail: d.message }, parameter: param, node, severity: d.severity });
        }
      }
      const flagged = new Set(list.diagnostics.map((d) => d.token));
      const present = new Set<string>();
      for (const t of list.tokens) {
        if (!t.text.includes('+')) present.add(t.text);
        else for (const part of t.text.split('+')) present.add(part);
      }
      // Tokens already seen to name only known ciphers: a long list repeats a few names, checked once each.
      const quiet = new Set<string>();
      for (const t of list.tokens) {
        if (flagged.has(t.text) || quiet.has(t.text)) continue;
        let allKnown = true;
        for (const part of t.text.includes('+') ? t.text.split('+') : [t.text]) {
          if (part === '') continue;
          const isKnown = known().has(part) && !(part === 'CBC' && facts.opensslVersion < 3);
          if (isKnown) continue;
          allKnown = false;
          const openssl = openSslNameOf(part);
          if (openssl) {
            report({ messageId: 'stdName', data: { param, token: q(part), openssl }, parameter: param, node });
            continue;
          }
          if (isTls13Suite(part)) {
            report({ messageId: 'tls13', data: { param, token: q(part) }, parameter: param, node });
            continue;
          }
          let hint: string;
          if (/^(SSLv\d|TLSv1(\.\d)?)$/i.test(part)) {
            hint = `; cipher lists select suites, not protocol versions: restrict protocols with ${param.replace(/(mandatory_)?exclude_ciphers$/, '$1protocols')}`;
          } else if (part === 'CBC') {
            hint = '; the CBC class exists only from OpenSSL 3.0';
          } else {
            const s = suggestionFor(list, part, present);
            const caseOnly = s !== undefined && s.toLowerCase() === part.toLowerCase();
            hint = s ? `; did you mean "${s}"?${caseOnly ? ' (OpenSSL names are case-sensitive)' : ''}` : '';
          }
          report({ messageId: 'unknown', data: { param, token: q(part), suggestion: hint }, parameter: param, node });
        }
        if (allKnown) quiet.add(t.text);
      }
    }
  },
});
