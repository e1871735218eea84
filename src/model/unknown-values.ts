/**
 * The values a parameter can take when a template leaves it unknown. A
 * verdict that changes across them depends on the unknown value, so the
 * template linter drops it: a rule then "says nothing" about a placeholder
 * without knowing about templates. Chosen per value type so that every
 * branch of a rule's decision is visited (each level, a weak and a strong
 * protocol list, each grade, yes and no, empty and set).
 */
import { defaultFor, getParameter } from './catalogue/index.js';
import { supportsProtocolRanges } from './values/index.js';

const CLIENT_LEVELS = ['', 'none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure'];
const SERVER_LEVELS = ['', 'none', 'may', 'encrypt'];

export function possibleValues(name: string, version: string): readonly string[] {
  const values = typedValues(name, version);
  const dflt = defaultFor(name, version);
  // The default is always one of them: a template may well render it.
  return dflt !== undefined && !values.includes(dflt) ? [...values, dflt] : values;
}

function typedValues(name: string, version: string): readonly string[] {
  const spec = getParameter(name);
  const dflt = defaultFor(name, version);
  switch (spec?.type) {
    case 'client-security-level':
      return CLIENT_LEVELS;
    case 'server-security-level':
      return SERVER_LEVELS;
    case 'protocols':
      return supportsProtocolRanges(version)
        ? ['', '!SSLv2, !SSLv3', '>=TLSv1.2', 'TLSv1', '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1']
        : ['', '!SSLv2, !SSLv3', '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1', 'TLSv1'];
    case 'cipher-grade':
      return ['high', 'medium', 'low', 'export', 'null'];
    case 'cipher-list':
      return ['DEFAULT', 'HIGH', 'ALL:+RC4'];
    case 'exclusion-list':
      return ['', 'aNULL', 'SHA1'];
    case 'boolean':
      return ['yes', 'no'];
    case 'loglevel':
      return ['0', '1', '2'];
    case 'enum':
      return spec.values && spec.values.length > 0 ? spec.values : [dflt ?? ''];
    case 'lookup-table':
      return ['', 'hash:/etc/postfix/unknown'];
    case 'time':
    case 'integer':
      return [dflt ?? '0'];
    default:
      break;
  }
  if (dflt === 'yes' || dflt === 'no' || /_enable$/.test(name)) return ['yes', 'no'];
  // A name the catalogue does not type: empty, and set to something.
  return ['', dflt ? dflt : 'unknown'];
}
