/** How a setting reads in messages: its value and where it comes from. */
import type { ConfigModel } from './config.js';

/** "smtp_tls_protocols = >=TLSv1.2 (line 12)" or "(default: >=TLSv1)". */
export function describeSetting(model: ConfigModel, name: string): string {
  const r = model.resolve(name);
  if (!r) return `${name} (not in this Postfix version)`;
  if (r.source === 'file' && r.node) return `${name} = ${r.raw} (line ${r.node.line})`;
  if (r.source === 'override') return `${name} = ${r.raw}`;
  return `${name} = ${r.raw === '' ? '(empty)' : r.raw} (default)`;
}

/**
 * Stands for the server in a live check when main.cf does not name it: a shell form that runs as printed once
 * MX_HOST is set and otherwise stops with a message saying what to set (not a real host a copied command would
 * connect to).
 */
export const UNKNOWN_SERVER_HOST = '"${MX_HOST:?set MX_HOST to the name or address of the server this configuration runs on}"';

/**
 * The host name to put in a live check of this server: myhostname when main.cf (or an override) sets it,
 * else UNKNOWN_SERVER_HOST. The default derives from the machine the linter runs on, which in a config
 * repository or CI job is not the mail server.
 */
export function probeHost(model: ConfigModel): string {
  const r = model.resolve('myhostname');
  const value = r && r.source !== 'default' ? model.value('myhostname') : '';
  return value || UNKNOWN_SERVER_HOST;
}
