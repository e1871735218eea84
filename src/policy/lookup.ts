/**
 * Which policy entry smtp(8) uses for a next hop (smtp_tls_policy.c,
 * tls_policy_lookup): the full next hop first ("example.com", "[mx.example.com]",
 * "[10.0.0.1]:587", "example.com:2525" are all literal keys); only a plain
 * hostname is then retried with its parent domains written ".parent"
 * (".example.com", ".com"), whatever parent_domain_matches_subdomains says.
 * For each key every table is searched in order before the next key; keys
 * are case-insensitive (tables fold them to lower case).
 */
import { foldKey } from './source-table.js';
import { isValidHostname } from './entry.js';

/** The keys tried for a next hop, in order. */
export function lookupKeys(destination: string): string[] {
  const dest = destination.trim();
  if (!isValidHostname(dest.replace(/\.$/, ''))) return [foldKey(dest)];
  const keys = [foldKey(dest)];
  for (let i = dest.indexOf('.', 1); i !== -1; i = dest.indexOf('.', i + 1)) keys.push(foldKey(dest.slice(i)));
  return keys;
}

export type DestinationForm = 'domain' | 'parent-domain' | 'bracketed' | 'host-port' | 'wildcard' | 'other';

/** The kind of next hop a table key stands for. */
export function destinationForm(key: string, matchesAll = false): DestinationForm {
  if (matchesAll) return 'wildcard';
  if (key.startsWith('[')) return /^\[[^\]]+\](:[^:]+)?$/.test(key) ? 'bracketed' : 'other';
  if (key.startsWith('.') && isValidHostname(key.slice(1))) return 'parent-domain';
  if (isValidHostname(key)) return 'domain';
  if (/^[^:\s]+:[A-Za-z0-9]+$/.test(key)) return 'host-port';
  return 'other';
}

/** The host part of a key, for certificate name checks and posttls-finger ("[mx.x]:587" -> "mx.x"). */
export function nexthopHost(key: string): string {
  const m = /^\[([^\]]+)\]/.exec(key);
  if (m) return m[1];
  return key.replace(/^\./, '').replace(/:[^:]*$/, '');
}

export interface Keyed {
  readonly foldedKey: string;
  readonly effective: boolean;
  readonly matchesAll?: boolean;
}

/** The first matching entry for a destination over tables in order, with the key that matched. */
export function lookupPolicy<T extends Keyed>(tables: readonly (readonly T[])[], destination: string): { entry: T; key: string; tableIndex: number } | null {
  for (const key of lookupKeys(destination)) {
    for (let i = 0; i < tables.length; i++) {
      // static: tables answer every key.
      const hit = tables[i].find((e) => e.effective && (e.matchesAll === true || e.foldedKey === key));
      if (hit) return { entry: hit, key, tableIndex: i };
    }
  }
  return null;
}
