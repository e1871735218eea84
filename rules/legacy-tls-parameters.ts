import { defineRule, type Edit, type Fix, type RuleContext } from '../src/engine/types.js';
import type { ConfigModel } from '../src/model/config.js';
import type { ParamNode } from '../src/parser/main-cf.js';
import { legacyClientLevel, legacyServerLevel, parseBoolean } from '../src/model/values/index.js';
import { versionAtLeast } from '../src/model/version.js';
import { describeSetting } from '../src/engine/helpers.js';
import { removeParam, replaceValue } from '../src/fixer/edits.js';

interface Family {
  readonly prefix: 'smtp' | 'lmtp' | 'smtpd';
  readonly levelParam: string;
  /** The obsolete yes/no knobs the level replaces, in the order Postfix consults them. */
  readonly booleans: readonly string[];
  readonly perSite?: string;
  readonly policyMaps?: string;
}

const clientFamily = (p: 'smtp' | 'lmtp'): Family => ({
  prefix: p,
  levelParam: `${p}_tls_security_level`,
  booleans: [`${p}_use_tls`, `${p}_enforce_tls`, `${p}_tls_enforce_peername`],
  perSite: `${p}_tls_per_site`,
  policyMaps: `${p}_tls_policy_maps`,
});

const FAMILIES: readonly Family[] = [
  clientFamily('smtp'),
  clientFamily('lmtp'),
  { prefix: 'smtpd', levelParam: 'smtpd_tls_security_level', booleans: ['smtpd_use_tls', 'smtpd_enforce_tls'] },
];

/** Postfix release whose postconf first warns about the name. */
function warnsSince(name: string): string {
  return name.endsWith('_tls_enforce_peername') ? '3.11' : '3.9';
}

function deprecationNote(model: ConfigModel, name: string): string {
  const since = warnsSince(name);
  return versionAtLeast(model.version, since)
    ? `postconf warns that it will be removed (Postfix ${since} and later).`
    : `Postfix ${since} and later warn that it will be removed.`;
}

/** Like describeSetting, but with the expanded value: the 3.11 default is an expression. */
function describeLevel(model: ConfigModel, name: string): string {
  const r = model.resolve(name);
  const where = r?.node ? ` (line ${r.node.line})` : r?.source === 'default' ? ' (default)' : '';
  return `${name} = ${model.value(name)}${where}`;
}

function yes(model: ConfigModel, name: string): boolean {
  return parseBoolean(model.value(name)).value === true;
}

/** The level the obsolete booleans add up to, and which of them decide it (for the message). */
function equivalentLevel(model: ConfigModel, f: Family): { level: string; because: string } {
  const [use, enforce, peername] = f.booleans;
  if (f.prefix === 'smtpd') {
    const level = legacyServerLevel({ useTls: yes(model, use), enforceTls: yes(model, enforce) });
    return { level, because: describeSetting(model, level === 'encrypt' ? enforce : use) };
  }
  const enforcePeername = model.value(peername) === '' ? true : yes(model, peername);
  const level = legacyClientLevel({ useTls: yes(model, use), enforceTls: yes(model, enforce), enforcePeername });
  const because = yes(model, enforce) ? `${describeSetting(model, enforce)} with ${describeSetting(model, peername)}` : describeSetting(model, use);
  return { level, because };
}

export default defineRule({
  meta: {
    id: 'legacy-tls-parameters',
    category: 'deprecation',
    defaultSeverity: 'warning',
    description: 'Obsolete TLS switches (smtp_use_tls, smtp_enforce_tls, smtp_tls_enforce_peername, smtp_tls_per_site, smtpd_use_tls, smtpd_enforce_tls and their lmtp_ twins) should be replaced by security levels and policy tables.',
    why: 'The yes/no switches predate TLS security levels (Postfix 2.3). They only count while *_tls_security_level is empty, so next to a level they are silently ignored and mislead readers, and alone they hide which level is really in force (smtp_enforce_tls = yes means "verify", not "encrypt"). postconf warns about them from Postfix 3.9 (smtp_tls_enforce_peername from 3.11) and they are scheduled for removal.',
    parameters: [
      'smtp_use_tls', 'smtp_enforce_tls', 'smtp_tls_enforce_peername', 'smtp_tls_per_site', 'smtp_tls_security_level', 'smtp_tls_policy_maps',
      'lmtp_use_tls', 'lmtp_enforce_tls', 'lmtp_tls_enforce_peername', 'lmtp_tls_per_site', 'lmtp_tls_security_level', 'lmtp_tls_policy_maps',
      'smtpd_use_tls', 'smtpd_enforce_tls', 'smtpd_tls_security_level',
    ],
    fixable: true,
    messages: {
      ignored: '{{name}} = {{value}} is obsolete and ignored: {{levelSetting}} decides the TLS level. {{deprecation}} Remove the line',
      replace:
        '{{name}} = {{value}} is obsolete: with {{levelParam}} empty, {{because}} gives level "{{level}}". {{deprecation}} Write {{levelParam}} = {{level}} instead',
      perSite:
        '{{name}} is obsolete: {{deprecation}} Move its entries to {{policyMaps}} (NONE -> none, MAY -> may, MUST_NOPEERMATCH -> encrypt, MUST -> verify); note that the policy table is looked up by next-hop destination only, not also by server host name',
      perSiteIgnored:
        '{{name}} is obsolete and ignored because {{policyMaps}} is set (the client logs "{{name}} ignored when {{policyMaps}} is not empty"). {{deprecation}} Remove the line once its entries are in {{policyMaps}}',
    },
    references: [
      { title: 'postconf(5): smtp_use_tls, smtp_enforce_tls, smtp_tls_enforce_peername, smtp_tls_per_site', url: 'https://www.postfix.org/postconf.5.html#smtp_use_tls' },
      { title: 'TLS_LEGACY_README: Postfix legacy TLS support', url: 'https://www.postfix.org/TLS_LEGACY_README.html' },
      { title: 'DEPRECATION_README: deprecated TLS features (3.9: *_use_tls, *_enforce_tls, *_per_site; 3.11: *_tls_enforce_peername)', url: 'https://www.postfix.org/DEPRECATION_README.html' },
      { title: 'TLS_README: TLS policy table', url: 'https://www.postfix.org/TLS_README.html#client_tls_policy' },
    ],
  },
  check({ model, report }) {
    for (const f of FAMILIES) {
      checkBooleans(model, f, report);
      if (f.perSite && f.policyMaps) checkPerSite(model, f.perSite, f.policyMaps, report);
    }
  },
});

type Report = RuleContext['report'];

function checkBooleans(model: ConfigModel, f: Family, report: Report): void {
  const present = f.booleans.filter((n) => model.definitions.has(n));
  if (present.length === 0) return;
  const levelValue = model.value(f.levelParam);
  if (levelValue !== '') {
    // The level wins; the switches are dead text.
    for (const name of present) {
      const defs = model.definitions.get(name)!;
      const node = defs[defs.length - 1];
      report({
        messageId: 'ignored',
        data: { name, value: node.value, levelSetting: describeLevel(model, f.levelParam), deprecation: deprecationNote(model, name) },
        parameter: name,
        node,
        related: defs.slice(0, -1).map((d) => ({ node: d, message: 'also ignored (shadowed by a later line)' })),
        fix: { kind: 'safe', description: `remove the ignored ${name} line${defs.length > 1 ? 's' : ''}`, edits: defs.map(removeParam) },
      });
    }
    return;
  }
  // A bad boolean is fatal for the daemon and another rule's finding; no equivalent level exists then.
  if (present.some((n) => !parseBoolean(model.value(n)).ok)) return;
  const { level, because } = equivalentLevel(model, f);
  const legacyDefs = present.flatMap((n) => model.definitions.get(n)!).sort((a, b) => a.range[0] - b.range[0]);
  const fix = replacementFix(model, f, level, legacyDefs);
  const fixOwner = legacyDefs[0].name;
  for (const name of present) {
    const defs = model.definitions.get(name)!;
    const node = defs[defs.length - 1];
    report({
      messageId: 'replace',
      data: { name, value: node.value, levelParam: f.levelParam, level, because, deprecation: deprecationNote(model, name) },
      parameter: name,
      node,
      related: defs.slice(0, -1).map((d) => ({ node: d, message: 'shadowed by a later line' })),
      // One fix rewrites the whole family; it rides on the finding for the first line it touches.
      fix: name === fixOwner ? fix : null,
    });
  }
}

/** Rename the first obsolete line to the level parameter (or fill an empty level line) and drop the rest. */
function replacementFix(model: ConfigModel, f: Family, level: string, legacyDefs: readonly ParamNode[]): Fix {
  const emptyLevelLine = model.definition(f.levelParam);
  const edits: Edit[] = [];
  let toRemove: readonly ParamNode[];
  if (emptyLevelLine) {
    edits.push(replaceValue(model.file, emptyLevelLine, level));
    toRemove = legacyDefs;
  } else {
    const first = legacyDefs[0];
    // Renaming in place keeps the line's position, spacing, line ending and any missing final newline.
    edits.push({ range: first.nameRange, text: f.levelParam }, replaceValue(model.file, first, level));
    toRemove = legacyDefs.slice(1);
  }
  edits.push(...toRemove.map(removeParam));
  const names = [...new Set(legacyDefs.map((d) => d.name))].join(', ');
  return { kind: 'safe', description: `replace ${names} with ${f.levelParam} = ${level} (same effective level)`, edits };
}

function checkPerSite(model: ConfigModel, name: string, policyMaps: string, report: Report): void {
  const node = model.definition(name);
  if (!node || model.value(name).trim() === '') return;
  const ignored = model.value(policyMaps).trim() !== '';
  report({
    messageId: ignored ? 'perSiteIgnored' : 'perSite',
    data: { name, policyMaps, deprecation: deprecationNote(model, name) },
    parameter: name,
    node,
  });
}
