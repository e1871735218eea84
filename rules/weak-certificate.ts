import { defineRule } from '../src/engine/types.js';
import { loadedChains, presentedBy, siteOf } from '../src/engine/file-rules.js';
import { analyzeChain } from '../src/certs/chain.js';
import { certName } from '../src/certs/objects.js';
import { certificateWeaknesses, whoRejects } from '../src/certs/weakness.js';

export default defineRule({
  meta: {
    id: 'weak-certificate',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'Certificates Postfix presents need RSA keys of at least 2048 bits, EC keys of at least 256 bits, and SHA-256 (or better) signatures.',
    why: 'OpenSSL 3 verifies certificates at a security level: from level 1 (its default) SHA-1 and MD5 signatures fail ("CA signature digest algorithm too weak") and RSA keys below 1024 bits fail; from level 2 (the default on Debian and Ubuntu) RSA keys below 2048 bits fail ("key too weak"). Senders that verify (MTA-STS, DANE-TA, mail clients) therefore refuse such a certificate while opportunistic senders use it. Curves below P-256 are worse: OpenSSL 3 clients offer no signature algorithm for them, so the handshake fails outright.',
    parameters: ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'smtpd_tls_dcert_file', 'smtp_tls_chain_files', 'smtp_tls_cert_file', 'tls_server_sni_maps'],
    fixable: false,
    messages: {
      key: '{{what}} {{cert}} in {{path}} ({{by}}) has a weak {{weakness}}. {{rejects}}; issue a new certificate with an RSA 2048-bit (or larger) or ECDSA P-256 key',
      signature: '{{what}} {{cert}} in {{path}} ({{by}}) carries a weak {{weakness}}. {{rejects}}; have it reissued with a SHA-256 signature',
    },
    references: [
      { title: 'OpenSSL SSL_CTX_set_security_level(3): what each security level forbids', url: 'https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/' },
      { title: 'OpenSSL 3.0 CHANGES: SHA-1 and MD5 signatures are not allowed at security level 1 and above', url: 'https://github.com/openssl/openssl/blob/openssl-3.0/CHANGES.md' },
      { title: 'Debian wiki / Ubuntu Server docs: OpenSSL CipherString = DEFAULT@SECLEVEL=2 by default' },
      { title: 'Checked with openssl s_server / s_client at @SECLEVEL=1 and 2: test/certs/openssl-seclevel.test.ts' },
    ],
  },
  check() {
    // The files are checked by checkFiles (src/engine/lint-files.ts).
  },
  checkFiles(ctx) {
    for (const { use, chain } of loadedChains(ctx)) {
      const site = siteOf(use, chain.leaf.file);
      // The leaf and the intermediates on its path; a root's own signature is never checked.
      for (const c of analyzeChain(chain).path) {
        const intermediate = c !== chain.leaf;
        const what = intermediate ? 'The intermediate certificate' : 'The certificate';
        const by = intermediate ? `sent by ${presentedBy(use).replace(/^presented by /, '')} with ${certName(chain.leaf.cert)}` : presentedBy(use);
        for (const w of certificateWeaknesses(c.cert, !c.cert.selfSigned)) {
          const signature = w.claim.id.endsWith('signature');
          ctx.report({
            messageId: signature ? 'signature' : 'key',
            data: { what, by, cert: certName(c.cert), path: c.file, weakness: w.what, rejects: whoRejects(w.claim).replace(/^./, (x) => x.toUpperCase()) },
            site,
            related: [{ path: c.file, block: c.block, message: `${certName(c.cert)}: ${w.what}` }],
          });
        }
      }
    }
  },
});
