import { defineRule } from '../src/engine/types.js';
import { removeParam } from '../src/fixer/edits.js';
import { q } from '../src/model/values/index.js';

export default defineRule({
  meta: {
    id: 'duplicate-parameter',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'Each parameter should be defined only once in main.cf.',
    why: 'When main.cf sets a name twice, Postfix keeps only the last definition. An administrator who edits the first one (or a tool that appends a new line) sees no effect, and a reader cannot tell which value is in force. postconf warns "overriding earlier entry" only when the values differ.',
    parameters: [],
    fixable: true,
    messages: {
      differs: '{{name}} is defined {{count}} times; only the last one, line {{line}} ({{value}}), is used and the earlier {{lines}} {{have}} no effect (postconf: "overriding earlier entry"). Remove the earlier definitions',
      same: '{{name}} is defined {{count}} times with the same value {{value}}; the copies on {{lines}} are redundant. Remove them',
    },
    references: [
      { title: 'postconf(5): syntax (the last definition of a parameter wins)', url: 'https://www.postfix.org/postconf.5.html' },
      { title: 'Postfix src/util/dict.c: "overriding earlier entry" warning' },
    ],
  },
  check({ model, report }) {
    for (const [name, defs] of model.definitions) {
      if (defs.length < 2) continue;
      const winner = defs[defs.length - 1];
      const shadowed = defs.slice(0, -1);
      // Compared as written (whitespace included), like postconf's "overriding earlier entry" check.
      const allSame = shadowed.every((d) => d.rawValue === winner.rawValue);
      report({
        messageId: allSame ? 'same' : 'differs',
        data: { name, count: defs.length, line: winner.line, value: q(winner.value), lines: `line${shadowed.length > 1 ? 's' : ''} ${shadowed.map((d) => d.line).join(', ')}`, have: shadowed.length > 1 ? 'have' : 'has' },
        parameter: name,
        node: winner,
        related: shadowed.map((d) => ({ node: d, message: `shadowed: ${name} = ${q(d.value)} (overridden by line ${winner.line})` })),
        severity: allSame ? 'info' : 'warning',
        fix: {
          kind: 'safe',
          description: `remove the earlier definition${shadowed.length > 1 ? 's' : ''} of ${name}`,
          edits: shadowed.map((d) => removeParam(d)),
        },
      });
    }
  },
});
