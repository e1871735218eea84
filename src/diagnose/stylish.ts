/**
 * `diagnose` for people: incidents grouped by host (outbound peers, then
 * inbound clients), each with its count, the cause in words, what happened to
 * the mail, the setting, the fix and the live check; colours as in lint.
 */
import { kleurProxy } from '../formatters/stylish.js';
import { CAUSE_WORDS, type DiagnoseOutput, type Incident } from './types.js';

const DELIVERY_WORDS: Readonly<Record<Incident['delivery'], string>> = {
  deferred: 'mail deferred',
  plaintext: 'mail went in plaintext',
  bounced: 'mail bounced',
  rejected: 'refused',
  tls: 'later delivered over TLS',
  unknown: 'outcome not in the log',
};

function hostLabel(i: Incident): string {
  const name = i.hostname ?? (i.address ? '' : 'unknown host');
  const addr = i.address ? `[${i.address}]` : '';
  return `${name}${addr}${i.port !== null ? `:${i.port}` : ''}`;
}

function when(i: Incident): string {
  if (!i.first) return '';
  const f = i.first.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
  const l = (i.last ?? i.first).replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
  if (f === l) return `${f} UTC`;
  // Same day: the end as a time only.
  return `${f} – ${l.slice(0, 10) === f.slice(0, 10) ? l.slice(11) : l} UTC`;
}

export function formatDiagnoseStylish(out: DiagnoseOutput, color: boolean): string {
  const k = new kleurProxy(color);
  const groups = new Map<string, Incident[]>();
  for (const i of out.incidents) {
    const key = `${i.direction === 'outbound' ? 'to' : 'from'} ${hostLabel(i)}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  }
  let text = '';
  for (const [key, list] of groups) {
    const total = list.reduce((n, i) => n + i.count, 0);
    text += `${k.underline(key)}  ${k.dim(`${total} failure${total === 1 ? '' : 's'}`)}\n`;
    for (const i of list) {
      const bad = i.delivery === 'deferred' || i.delivery === 'bounced' || i.delivery === 'rejected';
      const mark = bad ? k.red('✖') : k.yellow('⚠');
      text += `  ${mark} ${k.bold(`${i.count}×`)} ${CAUSE_WORDS[i.cause]}  ${k.dim(i.cause)}\n`;
      text += `    ${k.dim(`${i.service}; ${DELIVERY_WORDS[i.delivery]}${when(i) ? `; ${when(i)}` : ''}`)}\n`;
      // The first sentence of the explanation is the cause in words, already on the line above.
      const words = CAUSE_WORDS[i.cause];
      const lead = `${words.charAt(0).toUpperCase()}${words.slice(1)}. `;
      text += `    ${i.explanation.startsWith(lead) ? i.explanation.slice(lead.length) : i.explanation}\n`;
      if (i.parameter) text += `    ${k.cyan('setting:')} ${i.parameter}${i.file ? ` (${i.file}${i.line ? `:${i.line}` : ''})` : ''}\n`;
      text += `    ${k.green('fix:')} ${i.fix}\n`;
      text += `    ${k.dim(`confirm: ${i.confirm}`)}\n`;
      for (const e of i.evidence) text += `    ${k.dim(`| ${e}`)}\n`;
    }
    text += '\n';
  }
  const s = out.summary;
  const seen = `outbound: ${s.outbound.tls} TLS, ${s.outbound.plaintext} plaintext, ${s.outbound.deferred} deferred, ${s.outbound.bounced} bounced; inbound: ${s.inbound.tls} TLS sessions, ${s.inbound.plaintext} plaintext`;
  if (out.incidents.length === 0) {
    return `${text}${k.green('✔')} no TLS incidents in ${s.consideredLines} log lines (${seen})\n`;
  }
  const hosts = groups.size;
  const line = `✖ ${s.incidents} TLS incident${s.incidents === 1 ? '' : 's'} (${s.occurrences} failure${s.occurrences === 1 ? '' : 's'}) with ${hosts} host${hosts === 1 ? '' : 's'}`;
  text += `${k.red(k.bold(line))}\n  ${seen}; ${s.consideredLines} log lines read${s.truncated ? '; too many distinct incidents: list truncated' : ''}\n`;
  return text;
}
