/**
 * Where mail for a recipient domain goes by transport_maps (transport(5)):
 * the next hop smtp(8) looks up in the TLS policy table. Only file-based
 * tables (the CLI reads their source text) are consulted; lookups go domain,
 * then ".parent" domains, then "*". Pure.
 */
import { foldKey, parseSourceTable, type TableEntry } from '../policy/source-table.js';

export interface TransportRoute {
  /** master.cf service, e.g. "smtp" or "relay" ("" = default_transport's). */
  readonly transport: string;
  /** The next hop ("" = the recipient domain). */
  readonly nexthop: string;
}

export class TransportTables {
  private readonly tables: (readonly TableEntry[])[];

  constructor(texts: readonly string[]) {
    this.tables = texts.map((t) => parseSourceTable(t).entries.filter((e) => e.effective));
  }

  route(domain: string): TransportRoute | null {
    const d = foldKey(domain.replace(/\.$/, ''));
    const keys = [d];
    for (let i = d.indexOf('.'); i !== -1; i = d.indexOf('.', i + 1)) keys.push(d.slice(i));
    keys.push('*');
    for (const key of keys) {
      for (const t of this.tables) {
        const e = t.find((x) => x.foldedKey === key);
        if (!e) continue;
        const v = e.value.trim();
        const colon = v.indexOf(':');
        return colon < 0 ? { transport: v, nexthop: '' } : { transport: v.slice(0, colon), nexthop: v.slice(colon + 1) };
      }
    }
    return null;
  }
}
