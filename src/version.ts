/** Kept in sync with package.json by test/meta.test.ts. */
export const TOOL_VERSION = '0.1.0';
export const TOOL_HOMEPAGE = 'https://github.com/postfix-tls-lint/postfix-tls-lint';
