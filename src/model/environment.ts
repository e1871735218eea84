/**
 * What a Postfix program takes from the machine rather than from main.cf: the configuration
 * directory it was pointed at, the host name, the local interface addresses, its own name and
 * process id. The CLI reads these at the edge (os.hostname(), os.networkInterfaces(), the path
 * of the main.cf read); the model gets them as data. Defaults make a run reproducible.
 *
 * How postconf (3.7 postconf_builtin.c, checked against the installed 3.7.11) derives the
 * computed defaults, and how this module does it:
 *  - config_directory: `postconf -c DIR` enters config_directory = DIR before it reads main.cf,
 *    so a main.cf setting still wins; without -c it is the compiled-in /etc/postfix.
 *  - myhostname: the host name; when it has no dot, "." and the main.cf value of mydomain
 *    (expanded with main.cf values only) or "localdomain" are appended.
 *  - mydomain: the part after the first dot of myhostname (its main.cf value, expanded with
 *    main.cf values only, else the default above), or "localdomain" when there is no dot.
 *  - mynetworks: one network per local interface address selected by inet_interfaces and
 *    inet_protocols, IPv4 first, sized by mynetworks_style (host: the address; subnet: the
 *    interface's subnet; class: the IPv4 class A/B/C network, the subnet for IPv6).
 *  - process_name, process_id: the program's own (postconf prints "postconf" and its pid);
 *    a Postfix daemon sees its own name and pid instead.
 */

/** One address of a local network interface. */
export interface InterfaceAddress {
  readonly family: 'IPv4' | 'IPv6';
  readonly address: string;
  /** Prefix length of the interface's subnet (e.g. 24, 64). */
  readonly prefixLength: number;
}

export interface PostfixEnvironment {
  /** The directory of the main.cf read, as given (postconf -c DIR). Default: none (config_directory keeps its default). */
  readonly configDirectory?: string;
  /** The machine's host name (gethostname()). Default "localhost". */
  readonly hostname?: string;
  /** Local interface addresses, in the machine's order, or a function that reads them when first needed. Default: the loopback addresses. */
  readonly interfaces?: readonly InterfaceAddress[] | (() => readonly InterfaceAddress[] | undefined);
  /** Name of the program (process_name). Default "postconf". */
  readonly processName?: string;
  /** Its process id (process_id). Default 0. */
  readonly processId?: number;
}

export const DEFAULT_HOSTNAME = 'localhost';
const DEFAULT_DOMAIN = 'localdomain';
export const LOOPBACK_INTERFACES: readonly InterfaceAddress[] = Object.freeze([
  { family: 'IPv4', address: '127.0.0.1', prefixLength: 8 },
  { family: 'IPv6', address: '::1', prefixLength: 128 },
]);

/** Looks up a parameter value: defined (expanded) value, or undefined. */
type ExpandedLookup = (name: string) => string | undefined;

/** myhostname when main.cf does not set it. `fileMydomain` is main.cf's mydomain, expanded with main.cf values only. */
export function defaultMyhostname(env: PostfixEnvironment, fileMydomain: string | undefined): string {
  const host = env.hostname ?? DEFAULT_HOSTNAME;
  return host.includes('.') ? host : `${host}.${fileMydomain ?? DEFAULT_DOMAIN}`;
}

/** mydomain when main.cf does not set it, from myhostname (main.cf's, expanded with main.cf values only, else the default). */
export function defaultMydomain(myhostname: string): string {
  const dot = myhostname.indexOf('.');
  return dot < 0 ? DEFAULT_DOMAIN : myhostname.slice(dot + 1);
}

// ------------------------------------------------------------------ mynetworks

function ipv4Bytes(address: string): number[] | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** 16 bytes of an IPv6 address (with "::" and an embedded IPv4 tail), or null. */
function ipv6Bytes(address: string): number[] | null {
  const scope = address.indexOf('%');
  const text = scope < 0 ? address : address.slice(0, scope);
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = ipv4Bytes(piece);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function maskBytes(bytes: readonly number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - bits)) & 0xff);
  });
}

/** glibc inet_ntop() for IPv6: lower-case hex, the first longest run of two or more zero words as "::", IPv4 tails for mapped/compatible addresses. */
export function formatIpv6(bytes: readonly number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] << 8) | bytes[i + 1]);
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [bestBase, bestLen] = [i, j - i];
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // Embedded IPv4 (glibc): ::a.b.c.d and ::ffff:a.b.c.d.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
      break;
    }
    out += words[i].toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** The network an address belongs to under a mynetworks_style, as mynetworks prints it. */
function networkFor(a: InterfaceAddress, style: MynetworksStyle): string | null {
  if (a.family === 'IPv4') {
    const bytes = ipv4Bytes(a.address);
    if (!bytes) return null;
    let prefix = style === 'host' ? 32 : a.prefixLength;
    if (style === 'class') {
      // Class A/B/C/D by the first octet (class E makes Postfix stop; keep the subnet).
      if (bytes[0] < 128) prefix = 8;
      else if (bytes[0] < 192) prefix = 16;
      else if (bytes[0] < 224) prefix = 24;
      else if (bytes[0] < 240) prefix = 4;
    }
    return `${maskBytes(bytes, prefix).join('.')}/${prefix}`;
  }
  const bytes = ipv6Bytes(a.address);
  if (!bytes) return null;
  // IPv6 has no classes: class is subnet.
  const prefix = style === 'host' ? 128 : a.prefixLength;
  return `[${formatIpv6(maskBytes(bytes, prefix))}]/${prefix}`;
}

type MynetworksStyle = 'host' | 'subnet' | 'class';
const STYLES: readonly string[] = ['host', 'subnet', 'class'];
const PROTOCOLS: readonly string[] = ['all', 'ipv4', 'ipv6'];

/** Postfix's name_mask() split: commas and whitespace. */
function words(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/**
 * The computed mynetworks default, or the fatal error Postfix stops with. `lookup` gives the
 * expanded values of inet_interfaces, inet_protocols and mynetworks_style (main.cf or default).
 * Names are matched case-sensitively, as Postfix does. inet_interfaces other than "all" and
 * "loopback-only" selects the local addresses it lists literally, in its order (host names are
 * not resolved here); "all" lists IPv4 addresses before IPv6 ones, as getifaddrs() does.
 */
export function computeMynetworks(env: PostfixEnvironment, lookup: ExpandedLookup): { value: string } | { error: string } {
  const protocolsValue = lookup('inet_protocols') ?? 'all';
  const protocols = words(protocolsValue);
  for (const p of protocols) if (!PROTOCOLS.includes(p)) return { error: `unknown inet_protocols value "${p}" in "${protocolsValue}"` };
  const wantV4 = protocols.includes('all') || protocols.includes('ipv4');
  const wantV6 = protocols.includes('all') || protocols.includes('ipv6');
  // With every protocol disabled Postfix skips the setting.
  if (!wantV4 && !wantV6) return { value: '' };
  const styleValue = lookup('mynetworks_style') ?? 'subnet';
  const styles = words(styleValue);
  for (const st of styles) if (!STYLES.includes(st)) return { error: `unknown mynetworks mask style value "${st}" in "${styleValue}"` };
  if (new Set(styles).size !== 1) return { error: `bad mynetworks_style value: ${styleValue}; specify exactly one value` };
  const style = styles[0] as MynetworksStyle;

  const given = typeof env.interfaces === 'function' ? env.interfaces() : env.interfaces;
  const all = (given ?? LOOPBACK_INTERFACES).filter((a) => (a.family === 'IPv4' ? wantV4 : wantV6));
  const listed = words((lookup('inet_interfaces') ?? 'all').toLowerCase());
  let selected: InterfaceAddress[];
  if (listed.includes('all')) selected = [...all.filter((a) => a.family === 'IPv4'), ...all.filter((a) => a.family === 'IPv6')];
  else if (listed.includes('loopback-only')) selected = all.filter((a) => a.address === '127.0.0.1' || a.address === '::1');
  else selected = listed.flatMap((l) => all.filter((a) => a.address.toLowerCase() === l.replace(/^\[(.*)\]$/, '$1')));
  // Postfix keeps the first of repeated networks, and ends each with a space (seen where
  // $mynetworks is followed by more text: "$mynetworks,x" is "... [::1]/128 ,x").
  const nets: string[] = [];
  for (const a of selected) {
    const net = networkFor(a, style);
    if (net !== null && !nets.includes(net)) nets.push(net);
  }
  return { value: nets.map((n) => `${n} `).join('') };
}

/** computeMynetworks() without the error: "" where Postfix would stop. */
export function defaultMynetworks(env: PostfixEnvironment, lookup: ExpandedLookup): string {
  const r = computeMynetworks(env, lookup);
  return 'value' in r ? r.value : '';
}
