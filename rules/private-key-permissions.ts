import { defineRule } from '../src/engine/types.js';
import type { FileRuleContext } from '../src/engine/file-rules.js';
import type { FileFacts, FileOwner } from '../src/certs/file-facts.js';
import { pemObjects } from '../src/certs/objects.js';
import type { CredentialsUse, FileSite } from '../src/model/tls-files.js';

/** Certificate stores whose tools own and protect the keys (certbot, dehydrated, acme.sh, ...). */
const STORES = ['/etc/letsencrypt/', '/usr/local/etc/letsencrypt/', '/var/lib/letsencrypt/', '/etc/dehydrated/', '/var/lib/dehydrated/', '/etc/acme.sh/', '/root/.acme.sh/', '/var/lib/acme/', '/etc/ssl/acme/'];

/** Groups made to share private keys with trusted services (Debian's ssl-cert), and root's own group. */
const KEY_GROUPS = new Set(['ssl-cert', 'root']);

type Stated = { facts: FileFacts; stat: FileOwner; ancestors: readonly FileOwner[]; realpath: string };

function stated(f: FileFacts | undefined): Stated | null {
  if (!f) return null;
  if (f.kind === 'file') return { facts: f, stat: f.stat, ancestors: f.ancestors, realpath: f.realpath };
  if (f.kind === 'unreadable' && f.stat && f.realpath) return { facts: f, stat: f.stat, ancestors: f.ancestors ?? [], realpath: f.realpath };
  return null;
}

/** The files of a set that hold its private keys: key files, and chain files with a key in them. */
function keyFiles(ctx: FileRuleContext, use: CredentialsUse): string[] {
  const out = new Set<string>();
  for (const s of use.sources) {
    if (s.kind === 'pair') {
      if (s.keyFile !== '') out.add(s.keyFile);
      continue;
    }
    for (const file of s.files) {
      const f = ctx.read(file);
      // A chain file this run cannot read may well hold a key; its mode says who else can.
      if ((f?.kind === 'file' && pemObjects(f.bytes).objects.some((o) => o.kind === 'private-key' || o.kind === 'encrypted-key')) || f?.kind === 'unreadable') out.add(file);
    }
  }
  return [...out];
}

/** Who besides the owner can read the file: its mode, and every directory above it letting them through. */
function readableBy(s: Stated): { others: boolean; group: boolean } {
  const others = (s.stat.mode & 0o004) !== 0 && s.ancestors.every((d) => (d.mode & 0o001) !== 0);
  const group = (s.stat.mode & 0o040) !== 0 && s.ancestors.every((d) => (d.gid === s.stat.gid && (d.mode & 0o010) !== 0) || (d.mode & 0o001) !== 0);
  return { others, group };
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

export default defineRule({
  meta: {
    id: 'private-key-permissions',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'Private key files must be readable by root only: not by the file\'s group or by others, and owned by root.',
    why: 'Postfix reads its private keys as root when a daemon starts, before it drops privileges, so the key files need no other reader. A key that the group or every local user can read (or that belongs to another user, such as the postfix account the daemons run as) lets anyone who gets that far impersonate the server and decrypt recorded sessions that did not use forward secrecy. Keys that a certificate tool (certbot, acme.sh, dehydrated) manages in its own store are that tool\'s business.',
    parameters: ['smtpd_tls_chain_files', 'smtpd_tls_key_file', 'smtpd_tls_eckey_file', 'smtpd_tls_dkey_file', 'smtp_tls_chain_files', 'smtp_tls_key_file', 'tls_server_sni_maps'],
    fixable: false,
    messages: {
      others: 'The private key file {{path}} can be read by every local user (mode {{mode}}). Anyone on the host can copy the key and impersonate this server; run "chmod 600 {{path}}" (Postfix reads it as root)',
      group: 'The private key file {{path}} can be read by group {{group}} (mode {{mode}}). Every member of that group can copy the key and impersonate this server; run "chmod 600 {{path}}" (Postfix reads it as root)',
      owner: 'The private key file {{path}} belongs to {{owner}}, not root. That account can read (and replace) the key; Postfix reads it as root, so run "chown root {{path}}"',
    },
    references: [
      { title: 'TLS_README: Server-side certificate and private key configuration (the key must be readable by root only)', url: 'https://www.postfix.org/TLS_README.html#server_cert_key' },
      { title: 'postconf(5): smtpd_tls_key_file', url: 'https://www.postfix.org/postconf.5.html#smtpd_tls_key_file' },
      { title: 'Debian ssl-cert package: the ssl-cert group for services that read private keys', url: 'https://packages.debian.org/stable/ssl-cert' },
    ],
  },
  check() {
    // The files are checked by checkFiles (src/engine/lint-files.ts).
  },
  checkFiles(ctx) {
    const done = new Set<string>();
    for (const use of ctx.uses) {
      if (use.kind !== 'credentials') continue;
      for (const path of keyFiles(ctx, use)) {
        if (done.has(path)) continue;
        done.add(path);
        const s = stated(ctx.read(path));
        if (!s) continue;
        const site: FileSite = use.sites.get(path) ?? [...use.sites.values()][0];
        const related = [{ path, message: `mode ${octal(s.stat.mode)}, owner ${s.stat.user ?? s.stat.uid}, group ${s.stat.group ?? s.stat.gid}` }];
        const data = { path, mode: octal(s.stat.mode) };
        const who = readableBy(s);
        if (who.others) ctx.report({ messageId: 'others', data, site, related });
        else if (who.group && !KEY_GROUPS.has(s.stat.group ?? '') && s.stat.gid !== 0) ctx.report({ messageId: 'group', data: { ...data, group: s.stat.group ?? String(s.stat.gid) }, site, related });
        const managed = s.facts.links.length > 0 && STORES.some((p) => s.realpath.startsWith(p));
        if (s.stat.uid !== 0 && !managed) ctx.report({ messageId: 'owner', data: { ...data, owner: s.stat.user ? `${s.stat.user} (uid ${s.stat.uid})` : `uid ${s.stat.uid}` }, site, related });
      }
    }
  },
});
