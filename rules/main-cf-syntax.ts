import { defineRule } from '../src/engine/types.js';

/** Lines Postfix cannot read: reported from the parser's diagnostics. */
export default defineRule({
  meta: {
    id: 'main-cf-syntax',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'Every logical line of main.cf must have the form "name = value".',
    why: 'postconf and every Postfix daemon stop with a fatal error on a line without "=" or without a name, so no mail flows until it is fixed. A line that starts with whitespace where nothing precedes it is skipped with a warning, and a NUL byte cuts the line short.',
    parameters: [],
    fixable: false,
    messages: {
      fatal: '{{detail}}',
      skipped: '{{detail}}',
    },
    references: [
      { title: 'postconf(5): configuration file syntax', url: 'https://www.postfix.org/postconf.5.html' },
      { title: 'Postfix BASIC_CONFIGURATION_README: Postfix configuration files', url: 'https://www.postfix.org/BASIC_CONFIGURATION_README.html#syntax' },
    ],
  },
  check({ model, report }) {
    for (const d of model.file.diagnostics) {
      report({
        messageId: d.severity === 'error' ? 'fatal' : 'skipped',
        data: { detail: d.message },
        parameter: null,
        range: d.range,
        severity: d.severity,
      });
    }
  },
});
