/**
 * Builders for text edits on master.cf entries, in the file's own style:
 * a changed -o keeps its form; a new -o goes on a continuation line of its
 * own ("  -o name=value"), the way the stock master.cf writes them, or in
 * the long form "-o { name = value }" when the value has blanks (3.0+).
 */
import type { MasterCfFile, ServiceNode } from '../parser/master-cf.js';
import type { Edit } from '../engine/types.js';

function option(name: string, value: string): string {
  return /[\s{}]/.test(value) || value === '' ? `-o { ${name} = ${value} }` : `-o ${name}=${value}`;
}

/** Give `name` the value `value` in this entry: change its last -o, or add one. */
export function setServiceOverride(master: MasterCfFile, service: ServiceNode, name: string, value: string): Edit {
  const existing = service.overrides.filter((o) => o.name === name).pop();
  if (existing) {
    if (existing.form === 'long' || !/[\s{}]/.test(value)) return { range: existing.valueRange, text: value };
    return { range: [existing.nameRange[0], existing.valueRange[1]], text: `{ ${name} = ${value} }` };
  }
  // Daemon options end at the first non-option argument: a new one goes before it.
  if (service.optionsEnd < service.args.length) {
    const before = service.args[service.optionsEnd].range[0];
    return { range: [before, before], text: `${option(name, value)} ` };
  }
  const last = service.args.length > 0 ? service.args[service.args.length - 1] : service.fields.command;
  const at = last.range[1];
  return { range: [at, at], text: `${master.eol}  ${option(name, value)}` };
}

/** Remove one -o option (and the blanks before it, so a continuation line goes away whole). */
export function removeServiceOverride(master: MasterCfFile, range: readonly [number, number]): Edit {
  let start = range[0];
  while (start > 0 && (master.text[start - 1] === ' ' || master.text[start - 1] === '\t')) start--;
  if (start > 0 && master.text[start - 1] === '\n') {
    start--;
    if (start > 0 && master.text[start - 1] === '\r') start--;
  }
  return { range: [start, range[1]], text: '' };
}
