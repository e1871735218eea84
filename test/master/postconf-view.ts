/**
 * Test helper: renders our parse the way `postconf -M` and `postconf -P` print
 * master.cf (postconf's normalisation of daemon options, column layout, sorted
 * per-service parameters), so the outputs can be compared line by line.
 */
import { argumentValue, extractBraces, splitNameValue, type MasterCfFile, type ServiceNode } from '../../src/parser/master-cf.js';
import { foldWhitespace } from '../../src/parser/main-cf.js';

const BLANKS = /[ \t\r\n]/;

function normalizeOptionValue(raw: string): string {
  if (!raw.startsWith('{')) return raw;
  const x = extractBraces(raw);
  const inner = raw.slice(x.start, x.end);
  const nv = splitNameValue(inner);
  return nv.ok ? `${inner.slice(nv.nameStart, nv.nameEnd)}=${inner.slice(nv.valueStart, nv.valueEnd)}` : inner;
}

/** The argv postconf holds after pcf_normalize_daemon_args(). */
export function postconfArgv(s: ServiceNode): string[] {
  const f = s.fields;
  const out = [f.service, f.type, f.private, f.unprivileged, f.chroot, f.wakeup, f.maxproc, f.command].map((t) => t.text);
  let i = 0;
  for (; i < s.args.length; i++) {
    const t = s.args[i].text;
    if (!t.startsWith('-') || t === '--') break;
    const oAt = t.indexOf('o', 1);
    if (oAt === -1) {
      out.push(t);
      continue;
    }
    if (oAt > 1) out.push(t.slice(0, oAt));
    if (oAt + 1 < t.length) out.push('-o', normalizeOptionValue(t.slice(oAt + 1)));
    else if (i + 1 < s.args.length) out.push('-o', normalizeOptionValue(s.args[++i].text));
    else out.push('-o');
  }
  for (; i < s.args.length; i++) {
    const t = s.args[i].text;
    out.push(t.startsWith('{') ? argumentValue(t) : t);
  }
  return out;
}

const COLUMNS = [0, 11, 17, 25, 33, 41, 49, 57];

/** One `postconf -M` line (without folding). */
export function postconfMLine(s: ServiceNode): string {
  const argv = postconfArgv(s);
  let line = '';
  for (let k = 0; k < 8; k++) {
    if (line.length > 0) {
      do line += ' ';
      while (line.length < COLUMNS[k]);
    }
    line += argv[k];
  }
  let inOptions = true;
  for (let k = 8; k < argv.length; k++) {
    const arg = argv[k];
    let aval: string | undefined;
    let parens = false;
    if (inOptions) {
      if (!arg.startsWith('-') || arg === '--') inOptions = false;
      else if (arg[1] === 'o' && k + 1 < argv.length) {
        aval = argv[k + 1];
        parens = BLANKS.test(aval);
      }
    } else parens = BLANKS.test(arg);
    line += ' ';
    line += !inOptions && parens ? `{${arg}}` : arg;
    if (aval !== undefined) {
      line += ' ' + (parens ? `{${aval}}` : aval);
      k++;
    }
  }
  return line;
}

export function postconfM(file: MasterCfFile): string[] {
  return file.services.map(postconfMLine);
}

/** `postconf -P`: one shared dictionary per name/type, printed sorted for every entry. */
export function postconfP(file: MasterCfFile): string[] {
  const dicts = new Map<string, Map<string, string>>();
  for (const s of file.services) {
    const key = `${s.name}/${s.type}`;
    const d = dicts.get(key) ?? new Map<string, string>();
    for (const o of s.overrides) d.set(o.name, o.value);
    if (d.size > 0) dicts.set(key, d);
  }
  const out: string[] = [];
  for (const s of file.services) {
    const key = `${s.name}/${s.type}`;
    const d = dicts.get(key);
    if (!d) continue;
    for (const name of [...d.keys()].sort()) out.push(foldWhitespace(`${key}/${name} = ${d.get(name)}`));
  }
  return out;
}
