/**
 * Just enough of master.cf to know which services are active (not commented
 * out) and which command each runs. The lossless master.cf parser comes later.
 */
import { isPostfixSpace } from '../util/text.js';

export interface MasterService {
  readonly name: string;
  readonly type: string;
  readonly command: string;
  readonly line: number;
}

export function listMasterServices(text: string): MasterService[] {
  const services: MasterService[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length === 0 || isPostfixSpace(l.charCodeAt(0)) || l.charCodeAt(0) === 0x23) continue;
    // Join continuation lines (leading whitespace) the way master(8) does.
    let logical = l;
    for (let j = i + 1; j < lines.length; j++) {
      const n = lines[j];
      if (n.length > 0 && isPostfixSpace(n.charCodeAt(0)) && n.trim() !== '' && !n.trim().startsWith('#')) logical += ' ' + n;
      else if (n.trim() === '' || n.trim().startsWith('#')) continue;
      else break;
    }
    const fields = logical.trim().split(/[ \t\r\n\f\v]+/);
    if (fields.length < 8) continue;
    services.push({ name: fields[0], type: fields[1], command: fields[7], line: i + 1 });
  }
  return services;
}

export function hasActiveTlsproxy(text: string, serviceName = 'tlsproxy'): boolean {
  return listMasterServices(text).some((s) => s.command === 'tlsproxy' || (s.name === serviceName && s.type === 'unix'));
}
