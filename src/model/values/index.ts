/** Typed views of TLS parameter values, parsed the way Postfix parses them. */
export * from './types.js';
export * from './security-level.js';
export * from './protocols.js';
export * from './cipher-grade.js';
export * from './exclusion-list.js';
export * from './boolean.js';
export * from './loglevel.js';
export * from './time.js';
export * from './integer.js';
