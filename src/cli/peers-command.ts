/** `peers` subcommand: list the shipped peer profiles. */
import type { CliIo } from './io.js';
import { EXIT_CLEAN } from './exit-codes.js';
import { DEFAULT_PEER_IDS, listPeers } from '../interop/peers.js';

export interface PeersOptions {
  format?: 'stylish' | 'json';
}

export function peersCommand(io: CliIo, opts: PeersOptions = {}): number {
  const peers = listPeers();
  if (opts.format === 'json') {
    io.stdout(JSON.stringify(peers.map((p) => ({
      id: p.id,
      description: p.description,
      protocols: p.protocols,
      confidence: p.confidence,
      default: DEFAULT_PEER_IDS.includes(p.id),
    })), null, 2) + '\n');
    return EXIT_CLEAN;
  }
  const idWidth = Math.max(...peers.map((p) => p.id.length)) + 2;
  const protoCell = (p: (typeof peers)[number]) => (p.starttls ? p.protocols.join(',') : 'no STARTTLS');
  const protoWidth = Math.max(...peers.map((p) => protoCell(p).length)) + 2;
  const lines = peers.map((p) =>
    `${DEFAULT_PEER_IDS.includes(p.id) ? '*' : ' '} ${p.id.padEnd(idWidth)}${protoCell(p).padEnd(protoWidth)}${p.confidence.padEnd(8)}${p.description}`);
  io.stdout(`  ${'ID'.padEnd(idWidth)}${'PROTOCOLS'.padEnd(protoWidth)}${'CONF.'.padEnd(8)}DESCRIPTION\n` + lines.join('\n') +
    '\n\n* = in the default peer set (used when no --peer is given)\n');
  return EXIT_CLEAN;
}
