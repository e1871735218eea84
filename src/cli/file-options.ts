/**
 * --files, --root, --now and --cert-expiry-days: how the lint command opens
 * and judges the certificate, key and CA files the configuration names.
 * Config repos and CI machines do not hold the real files, so by default
 * (auto) only the files that exist are checked, and a missing file counts
 * only for the live configuration (the directory `postconf -h
 * config_directory` names) or with --files on.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from './io.js';
import type { FileReading } from './inputs.js';
import type { FileCheckSettings, FilesMode } from '../engine/file-rules.js';
import { installedPostfix } from './installed-postfix.js';

export interface FileCommandOptions {
  files?: string;
  root?: string;
  now?: string;
  certExpiryDays?: string;
}

export const DEFAULT_CERT_EXPIRY_DAYS = 14;

/** ISO 8601 date or date-time ("2025-06-01", "2025-06-01T12:00:00Z"); a time without a zone is UTC. */
export function parseNow(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!m) return null;
  const zone = m[7] ?? 'Z';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  // Impossible calendar days (2025-02-30) would roll over silently.
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.getUTCMonth() === Number(m[2]) - 1 && day.getUTCDate() === Number(m[3]) ? d : null;
}

function realOrNull(p: string | undefined): string | null {
  if (!p) return null;
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/** The run's file settings, or a usage message. */
export function fileOptions(opts: FileCommandOptions, io: CliIo): { settings: FileCheckSettings; reading: FileReading } | string {
  const mode = (opts.files ?? 'auto') as FilesMode;
  if (!['auto', 'on', 'off'].includes(mode)) return `--files must be auto, on or off, not "${opts.files}"`;
  let now = new Date();
  if (opts.now !== undefined) {
    const d = parseNow(opts.now);
    if (!d) return `--now needs an ISO 8601 date or date-time (e.g. 2025-06-01 or 2025-06-01T12:00:00Z), not "${opts.now}"`;
    now = d;
  }
  let expiryDays = DEFAULT_CERT_EXPIRY_DAYS;
  if (opts.certExpiryDays !== undefined) {
    if (!/^\d+$/.test(opts.certExpiryDays.trim())) return `--cert-expiry-days needs a whole number of days, not "${opts.certExpiryDays}"`;
    expiryDays = Number(opts.certExpiryDays.trim());
  }
  let root: string | null = null;
  if (opts.root !== undefined) {
    root = resolve(io.cwd, opts.root);
    try {
      if (!statSync(root).isDirectory()) return `--root ${opts.root}: not a directory`;
    } catch {
      return `--root ${opts.root}: no such directory`;
    }
  }
  // Asked only when a missing file or table needs it: `postconf` costs a process spawn at start-up.
  let liveConfigDirectory: string | null | undefined;
  const reading: FileReading = {
    mode,
    root,
    get liveConfigDirectory() {
      liveConfigDirectory ??= mode === 'off' ? null : realOrNull(installedPostfix(io.env).configDirectory);
      return liveConfigDirectory;
    },
  };
  return { settings: { mode, live: false, now, expiryDays }, reading };
}
