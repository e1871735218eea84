/** What an OpenSSL suite name says about itself: whether it is a real name, and its key exchange and authentication. */
import { HISTORIC_SUITE_NAMES } from './historic-names.js';

let historic: ReadonlySet<string> | undefined;

/** A suite name some OpenSSL release has defined (whether or not this build has the suite). */
export function isHistoricSuiteName(name: string): boolean {
  historic ??= new Set(HISTORIC_SUITE_NAMES);
  return historic.has(name);
}

// Longest first. OpenSSL names carry no prefix for RSA key exchange (AES128-SHA, DES-CBC3-SHA).
const FAMILIES: readonly (readonly [string, string])[] = [
  ['ECDHE-ECDSA-', 'ECDHE-ECDSA'], ['ECDHE-RSA-', 'ECDHE-RSA'], ['ECDHE-PSK-', 'ECDHE-PSK'], ['ECDHE-', 'ECDHE-RSA'],
  ['ECDH-ECDSA-', 'ECDH-ECDSA'], ['ECDH-RSA-', 'ECDH-RSA'], ['AECDH-', 'AECDH'],
  ['DHE-RSA-', 'DHE-RSA'], ['DHE-DSS-', 'DHE-DSS'], ['DHE-PSK-', 'DHE-PSK'], ['EDH-RSA-', 'DHE-RSA'], ['EDH-DSS-', 'DHE-DSS'],
  ['DH-RSA-', 'DH-RSA'], ['DH-DSS-', 'DH-DSS'], ['ADH-', 'ADH'],
  ['RSA-PSK-', 'RSA-PSK'], ['PSK-', 'PSK'], ['SRP-RSA-', 'SRP-RSA'], ['SRP-DSS-', 'SRP-DSS'], ['SRP-', 'SRP'], ['KRB5-', 'KRB5'],
];

/** Key exchange and authentication as the name spells them ("ECDHE-RSA", "DHE-DSS", "RSA" for no prefix). */
export function keyExchangeFamily(name: string): string {
  const bare = name.replace(/^EXP(?:1024)?-/, '');
  for (const [prefix, family] of FAMILIES) if (bare.startsWith(prefix)) return family;
  return 'RSA';
}

/** Whether a word is shaped like a suite name (letters and digits joined by "-"), not a cipher class alias. */
export function looksLikeSuiteName(word: string): boolean {
  return /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$/.test(word);
}
