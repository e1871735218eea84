import { defineRule } from '../src/engine/types.js';

/** Made by the template and script linter from what the front-ends see (src/engine/lint-rendered.ts). */
export default defineRule({
  meta: {
    id: 'template-expansion',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A Postfix $name reference in a template or postconf script must reach main.cf unexpanded, not be replaced by the template engine or the shell.',
    why: 'Postfix expands $myhostname, $mail_name or ${data_directory} when it reads main.cf. In a shell script, "postconf -e \\"smtpd_banner = $myhostname ESMTP\\"" lets the shell expand $myhostname first (to nothing, unless a shell variable of that name is set), so main.cf gets "smtpd_banner =  ESMTP". envsubst run without a variable list replaces every $name it sees, Postfix\'s own included. The setting then silently differs from what the file says.',
    parameters: [],
    fixable: false,
    messages: {
      shell: 'the shell expands {{ref}} inside this {{quoting}} argument before postconf sees it (to an empty string unless a shell variable {{name}} is set), so {{param}} does not get the Postfix reference; quote the argument with single quotes or write \\${{name}}',
      envsubst: 'envsubst replaces {{ref}} too (with the environment variable {{name}}, usually unset and so empty) unless it is run with a list of the variables to replace (envsubst \'$VAR1 $VAR2\'); Postfix would expand {{ref}} itself',
    },
    references: [
      { title: 'postconf(5): parameter expansion ($name, ${name})', url: 'https://www.postfix.org/postconf.5.html' },
      { title: 'POSIX Shell Command Language 2.2.3: Double-Quotes (parameter expansion inside double quotes)', url: 'https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_02_02_03' },
      { title: 'GNU gettext manual: envsubst invocation (SHELL-FORMAT restricts the variables substituted)', url: 'https://www.gnu.org/software/gettext/manual/html_node/envsubst-Invocation.html' },
    ],
  },
  check() {
    // Template and script sources are read by their front-ends (src/template, src/script).
  },
});
