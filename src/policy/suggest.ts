/**
 * The per-destination alternative to weakening main.cf for one legacy peer:
 * a TLS policy entry for that destination with the smallest change that lets
 * the predicted handshake succeed (protocols=>=TLSv1, then exclude= with no
 * exclusions, then both, then also ciphers=medium), plus the edits that put
 * it in place: a changed or appended line in the existing policy table, or
 * (when there is none) "smtp_tls_policy_maps = texthash:$config_directory/tls_policy"
 * in main.cf and a new table file. Pure; used by `handshake --suggest/--diff/--fix`,
 * so such interop changes happen only when asked for, for a named destination.
 */
import type { WholeConfig } from '../model/whole-config.js';
import { policyForDestination } from '../model/whole-config.js';
import type { Edit, Fix } from '../engine/types.js';
import type { PeerProfile, Prediction } from '../interop/types.js';
import { restoringEntry } from '../interop/remedy.js';
import { clientLevel } from '../model/client-tls.js';
import { setParam } from '../fixer/edits.js';
import { foldKey } from './source-table.js';

export interface PolicySuggestion {
  readonly destination: string;
  /** The policy value, e.g. "may protocols=>=TLSv1". */
  readonly value: string;
  /** Predictions with the suggested entry, one per peer. */
  readonly predictions: readonly Prediction[];
  /** Edits to apply (each names its file); empty when the table cannot be edited here. */
  readonly fixes: readonly Fix[];
  readonly notes: readonly string[];
}

export interface SuggestOptions {
  /** Shown path for a new table file beside main.cf. */
  readonly newTablePath: string;
  /** Attribute sets to try after the level, instead of the default ones (diagnose: exclude=kEECDH:kEDH for legacy signatures). */
  readonly candidates?: readonly (readonly string[])[];
}

export function suggestPolicyEntry(config: WholeConfig, destination: string, peers: readonly PeerProfile[], opts: SuggestOptions): PolicySuggestion | null {
  const current = policyForDestination(config, destination);
  const base = config.model;
  const level = current?.policy.valid ? current.policy.level : clientLevel(base, 'smtp').level;
  if (!level || level === 'none') return null;
  const kept = current?.policy.valid ? current.policy.attributes.filter((a) => a.name !== 'protocols' && a.name !== 'exclude' && a.name !== 'ciphers').map((a) => current.entry.value.slice(a.span.start, a.span.end)) : [];
  const found = restoringEntry(base, level, peers, kept, opts.candidates);
  if (!found) return null;
  return { destination, value: found.value, predictions: found.predictions, ...placeEntry(config, destination, found.value, current, opts) };
}

function placeEntry(config: WholeConfig, destination: string, value: string, current: ReturnType<typeof policyForDestination>, opts: SuggestOptions): { fixes: Fix[]; notes: string[] } {
  const description = `TLS policy entry "${destination} ${value}"`;
  const key = foldKey(destination);
  if (current && current.entry.foldedKey === key && current.table.entryFile && current.table.ref.cls === 'source-file') {
    return { fixes: [{ kind: 'interop', description: `replace the ${description}`, edits: [{ range: current.entry.valueRange, text: value }], file: current.table.entryFile }], notes: postmapNote(current.table.ref.indexed, current.table.ref.type, current.table.ref.sourcePath) };
  }
  const table = config.tables.find((t) => t.prefix === 'smtp' && !t.service && t.ref.cls === 'source-file' && t.entryFile && t.readError === undefined);
  if (table && table.entryFile) {
    const text = config.texts.get(table.entryFile) ?? '';
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lead = text.length > 0 && !text.endsWith('\n') ? eol : '';
    const edit: Edit = { range: [text.length, text.length], text: `${lead}${destination}\t${value}${eol}` };
    const notes = postmapNote(table.ref.indexed, table.ref.type, table.ref.sourcePath);
    if (current) notes.push(`an exact entry takes precedence over the "${current.entry.key}" entry that matches now`);
    return { fixes: [{ kind: 'interop', description: `add the ${description}`, edits: [edit], file: table.entryFile }], notes };
  }
  if (config.model.value('smtp_tls_policy_maps').trim() !== '') {
    return { fixes: [], notes: [`smtp_tls_policy_maps has no table file this tool can edit: add "${destination} ${value}" to it by hand`] };
  }
  const mainEdit = setParam(config.main, 'smtp_tls_policy_maps', 'texthash:$config_directory/tls_policy', undefined, ['smtp_tls_security_level']);
  const header = '# TLS policy table (smtp_tls_policy_maps): destination  level  [attributes]\n';
  return {
    fixes: [
      { kind: 'interop', description: 'read per-destination TLS policies from texthash:$config_directory/tls_policy', edits: [mainEdit], file: config.main.path },
      { kind: 'interop', description: `create ${opts.newTablePath} with the ${description}`, edits: [{ range: [0, 0], text: `${header}${destination}\t${value}\n` }], file: opts.newTablePath },
    ],
    notes: ['texthash: is read when smtp(8) starts: run "postfix reload" after changing the table (with hash: instead, run "postmap hash:/etc/postfix/tls_policy" first)'],
  };
}

function postmapNote(indexed: boolean, type: string, path: string | undefined): string[] {
  return indexed ? [`then run "postmap ${type}:${path}" so smtp(8) sees the change`] : ['then run "postfix reload" (texthash: tables are read when smtp(8) starts)'];
}
