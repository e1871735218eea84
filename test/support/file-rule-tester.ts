/**
 * Case tables for the rules that check the files a configuration names
 * (Rule.checkFiles): main.cf (+ master.cf, tables) and the files as the CLI
 * would hand them over (an in-memory FileStore) in, findings (file, line,
 * message id, severity, related file) out, over lintConfig.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig } from '../../src/engine/lint-config.js';
import type { Finding, Rule } from '../../src/engine/types.js';
import type { FileCheckSettings } from '../../src/engine/file-rules.js';
import type { DirectoryEntry, FileFacts, FileOwner, FileStore, PathLink } from '../../src/certs/file-facts.js';
import type { TableSourceText } from '../../src/model/whole-config.js';
import { OPENSSL_MISSING, Pki } from './pki.js';
import { assertFinding, type ExpectedAt } from './expect-finding.js';

export interface MemoryFile {
  readonly content?: string | Uint8Array;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly user?: string;
  readonly group?: string;
  readonly links?: readonly PathLink[];
  readonly realpath?: string;
  readonly ancestors?: readonly FileOwner[];
  /** The path does not exist. */
  readonly missing?: boolean;
  /** This run cannot read it (stat facts kept). */
  readonly unreadable?: boolean;
  /** A directory with these entries (name -> content; undefined content = an entry not read). */
  readonly directory?: Readonly<Record<string, string | undefined>>;
}

const ROOT_DIR: FileOwner = { mode: 0o755, uid: 0, gid: 0, user: 'root', group: 'root' };

export function memoryStore(files: Readonly<Record<string, string | Uint8Array | MemoryFile>>): FileStore {
  const store = new Map<string, FileFacts>();
  for (const [path, spec] of Object.entries(files)) {
    const f: MemoryFile = typeof spec === 'string' || spec instanceof Uint8Array ? { content: spec } : spec;
    const base = { path, shown: path, links: f.links ?? [] };
    const stat: FileOwner = { mode: f.mode ?? 0o644, uid: f.uid ?? 0, gid: f.gid ?? 0, user: f.user ?? (f.uid ? `user${f.uid}` : 'root'), group: f.group ?? (f.gid ? `group${f.gid}` : 'root') };
    const realpath = f.realpath ?? path;
    const ancestors = f.ancestors ?? [ROOT_DIR, ROOT_DIR, ROOT_DIR];
    if (f.missing) store.set(path, { ...base, kind: 'missing', reason: '' });
    else if (f.unreadable) store.set(path, { ...base, kind: 'unreadable', reason: 'permission denied', stat, realpath, ancestors });
    else if (f.directory) {
      const entries: DirectoryEntry[] = Object.entries(f.directory).map(([name, text]) => ({ name, type: 'file', ...(text !== undefined ? { bytes: new Uint8Array(Buffer.from(text)) } : {}) }));
      store.set(path, { ...base, kind: 'directory', stat: { ...stat, mode: f.mode ?? 0o755 }, realpath, entries, truncated: false });
    } else {
      const bytes = typeof f.content === 'string' ? new Uint8Array(Buffer.from(f.content, 'latin1')) : (f.content ?? new Uint8Array());
      store.set(path, { ...base, kind: 'file', bytes, stat, realpath, ancestors });
    }
  }
  return store;
}

export interface FileCase {
  readonly name: string;
  readonly main: string;
  readonly master?: string;
  /** Table sources by absolute path (shown as given by `shown`, else the basename). */
  readonly tables?: Readonly<Record<string, string>>;
  /** The files, made from the test PKI. */
  readonly files: (pki: Pki) => Readonly<Record<string, string | Uint8Array | MemoryFile>>;
  readonly settings?: Partial<FileCheckSettings>;
  readonly version?: string;
}

export interface FileExpected extends ExpectedAt {
  /** The file the finding points at in `related` (the file field: main.cf, master.cf, or a table's shown name). */
  readonly related?: string;
}

export interface FileInvalidCase extends FileCase {
  readonly errors: readonly FileExpected[];
}

export function lintFilesCase(rules: readonly Rule[], c: FileCase, pki: Pki): readonly Finding[] {
  const tables = new Map<string, TableSourceText>();
  for (const [abs, text] of Object.entries(c.tables ?? {})) tables.set(abs, { path: abs.slice(abs.lastIndexOf('/') + 1), text });
  const settings: FileCheckSettings = { mode: 'auto', live: false, now: new Date(), expiryDays: 14, ...c.settings };
  return lintConfig(
    { main: { path: 'main.cf', text: c.main }, master: c.master === undefined ? null : { path: 'master.cf', text: c.master }, configDir: '/etc/postfix', tables, files: memoryStore(c.files(pki)) },
    { postfixVersion: c.version ?? '3.7.11', rules, files: settings },
  ).findings;
}

function show(found: readonly Finding[]): string {
  return JSON.stringify(found.map((f) => [f.file, f.line, f.messageId, f.severity, f.message, f.related.map((r) => `${r.file}:${r.line}`)]), null, 1);
}

export function runFileRuleCases(rule: Rule, cases: { valid: readonly FileCase[]; invalid: readonly FileInvalidCase[] }): void {
  const id = rule.meta.id;
  assert.ok(rule.checkFiles, `${id}: a file rule has checkFiles`);
  assert.ok(cases.valid.length > 0 && cases.invalid.length > 0, `${id}: needs valid and invalid cases`);
  let pki: Pki | null = null;
  const shared = () => (pki ??= new Pki());
  process.on('exit', () => pki?.dispose());
  for (const c of cases.valid) {
    test(`${id} valid: ${c.name}`, { skip: OPENSSL_MISSING }, () => {
      assert.deepEqual(lintFilesCase([rule], c, shared()).map((f) => `${f.file}:${f.line} ${f.messageId}: ${f.message}`), []);
    });
  }
  for (const c of cases.invalid) {
    test(`${id} invalid: ${c.name}`, { skip: OPENSSL_MISSING }, () => {
      const found = lintFilesCase([rule], c, shared());
      assert.equal(found.length, c.errors.length, `findings: ${show(found)}`);
      c.errors.forEach((e, k) => {
        const f = found[k];
        assertFinding(rule, f, e);
        if (e.related) assert.ok(f.related.some((r) => r.file === e.related), `related ${JSON.stringify(f.related)} should name ${e.related}`);
        // The summary stylish shows: the rule's own, or the message's first sentence, whole (not cut at a clause).
        if (rule.meta.summaries?.[e.messageId] === undefined) assert.ok(f.message.startsWith(`${f.summary}.`) && f.summary.length >= 20, `summary "${f.summary}" is not the first sentence of "${f.message}"`);
        else assert.ok(f.summary.length >= 20 && !f.summary.includes('{{'), `summary "${f.summary}"`);
      });
    });
  }
}
