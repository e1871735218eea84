/** `clients` subcommand: list the shipped client profiles (who connects to our smtpd). */
import type { CliIo } from './io.js';
import { EXIT_CLEAN } from './exit-codes.js';
import { DEFAULT_CLIENT_IDS, loadBuiltinClients } from '../interop/clients.js';

export interface ClientsOptions {
  format?: 'stylish' | 'json';
}

export function clientsCommand(io: CliIo, opts: ClientsOptions = {}): number {
  const clients = loadBuiltinClients();
  if (opts.format === 'json') {
    io.stdout(JSON.stringify(clients.map((c) => ({
      id: c.id,
      description: c.description,
      sendsTo: c.sendsTo,
      protocols: c.protocols,
      starttls: c.starttls,
      onTlsFailure: c.onTlsFailure,
      confidence: c.confidence,
      default: DEFAULT_CLIENT_IDS.includes(c.id),
    })), null, 2) + '\n');
    return EXIT_CLEAN;
  }
  const rows = clients.map((c) => [`${DEFAULT_CLIENT_IDS.includes(c.id) ? '*' : ' '} ${c.id}`, c.sendsTo, c.protocols.join(','), c.onTlsFailure, c.confidence, c.description]);
  const header = ['  ID', 'SENDS TO', 'PROTOCOLS', 'ON FAILURE', 'CONF.', 'DESCRIPTION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('');
  io.stdout([line(header), ...rows.map(line)].join('\n') +
    '\n\n* = in the default client set (used by handshake --inbound and the inbound rules when no client is named)\n');
  return EXIT_CLEAN;
}
