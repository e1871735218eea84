/**
 * Entry of the V8 startup snapshot (bundled to CommonJS by scripts/snapshot.mjs, then run once
 * with `node --build-snapshot`). It loads the CLI, lints one typical main.cf so that the rules,
 * the parameter catalogue, the cipher tables and the shipped peer profiles are loaded and warm,
 * forgets every fact of the build machine (host name, interfaces, postconf's answer, file
 * contents), and names `run` as the snapshot's main function: a run from the blob starts there,
 * with the user's arguments at process.argv.slice(1) and its own env, cwd, clock and streams.
 */
import { startupSnapshot } from 'node:v8';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, run } from '../dist/src/cli/main.js';
import { forgetMachineFacts } from '../dist/src/cli/forget-machine-facts.js';

// A client and server TLS block as most sites have it (no files opened: --files off).
const WARM_UP_MAIN_CF = `smtpd_tls_cert_file = /etc/ssl/certs/mail.pem
smtpd_tls_key_file = /etc/ssl/private/mail.key
smtpd_tls_security_level = may
smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1
smtpd_tls_loglevel = 1
smtp_tls_CApath = /etc/ssl/certs
smtp_tls_security_level = may
smtp_tls_loglevel = 1
smtp_tls_session_cache_database = btree:\${data_directory}/smtp_scache
myhostname = mail.example.com
mydestination = $myhostname, localhost
mynetworks = 127.0.0.0/8 [::1]/128
`;

async function warmUp() {
  const cwd = mkdtempSync(join(tmpdir(), 'postfix-tls-lint-snapshot-'));
  try {
    const io = {
      stdout: () => true,
      stderr: () => true,
      readStdin: () => Buffer.from(WARM_UP_MAIN_CF),
      stdinStream: () => { throw new Error('no stdin stream in the snapshot warm-up'); },
      stdoutIsTty: false,
      stdinIsTty: false,
      readLine: () => null,
      env: { POSTFIX_TLS_LINT_NO_POSTCONF: '1' },
      cwd,
    };
    await main(['--files', 'off', '--hostname', 'snapshot.invalid', '-'], io);
    await main(['--files', 'off', '--hostname', 'snapshot.invalid', '-f', 'json', '-'], io);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  forgetMachineFacts();
}

warmUp().then(() => {
  startupSnapshot.setDeserializeMainFunction(() => {
    run(process.argv.slice(1));
  });
});
