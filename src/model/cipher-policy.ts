/**
 * How Postfix turns a cipher grade and exclusion lists into the OpenSSL
 * cipher string it hands to SSL_set_cipher_list() (tls_misc.c
 * tls_set_ciphers): tls_<grade>_cipherlist, then ":!" + each token of each
 * exclusion list, then the automatic exclusion. The same for the SMTP
 * client and for smtpd; only the parameters differ.
 */
import type { ConfigModel } from './config.js';
import type { ParamNode } from '../parser/main-cf.js';
import { parseCipherGrade, parseExclusionList, type CipherGradeResult, type ValueToken } from './values/index.js';

export interface ExclusionSource {
  readonly param: string;
  readonly node?: ParamNode;
  readonly tokens: readonly ValueToken[];
}

export interface CipherPolicy {
  readonly gradeParam: string;
  readonly gradeValue: string;
  readonly grade: CipherGradeResult;
  /** tls_<grade>_cipherlist in use and its (expanded) value. */
  readonly cipherlistParam: string | null;
  readonly cipherlistValue: string;
  readonly exclusions: readonly ExclusionSource[];
  /** Appended after the exclusion lists (client: eNULL at encrypt, aNULL when verifying; server: aNULL when asking for client certificates). */
  readonly automaticExclusion: 'eNULL' | 'aNULL' | null;
  /** The OpenSSL cipher string Postfix uses (null when the grade is invalid). */
  readonly cipherString: string | null;
}

export interface CipherPolicyOptions {
  readonly gradeParam: string;
  /** Exclusion parameters in the order Postfix appends them. */
  readonly exclusionParams: readonly string[];
  readonly automaticExclusion: 'eNULL' | 'aNULL' | null;
  readonly role: 'client' | 'server';
}

/**
 * Every prediction and several rules ask a model for the same policy; with a long exclusion list
 * building it (the joined cipher string) is the cost, so it is built once per model and options.
 * (A recording view of the model used by the prediction memo is its own key, so its reads still happen.)
 */
const policiesByModel = new WeakMap<ConfigModel, Map<string, CipherPolicy>>();

export function cipherPolicy(model: ConfigModel, opts: CipherPolicyOptions): CipherPolicy {
  const key = `${opts.gradeParam}\0${opts.exclusionParams.join(' ')}\0${opts.automaticExclusion}\0${opts.role}`;
  let policies = policiesByModel.get(model);
  if (!policies) policiesByModel.set(model, (policies = new Map()));
  let policy = policies.get(key);
  if (!policy) policies.set(key, (policy = buildCipherPolicy(model, opts)));
  return policy;
}

function buildCipherPolicy(model: ConfigModel, opts: CipherPolicyOptions): CipherPolicy {
  const gradeValue = model.value(opts.gradeParam);
  const grade = parseCipherGrade(gradeValue, model.version, { role: opts.role });
  const exclusions: ExclusionSource[] = opts.exclusionParams.map((param) => ({
    param,
    node: model.definition(param),
    tokens: parseExclusionList(model.value(param)).tokens,
  }));
  const cipherlistParam = grade.effectiveGrade ? `tls_${grade.effectiveGrade}_cipherlist` : null;
  const cipherlistValue = cipherlistParam ? model.value(cipherlistParam) : '';
  let cipherString: string | null = null;
  if (cipherlistParam) {
    const parts = [cipherlistValue];
    for (const e of exclusions) if (e.tokens.length > 0) parts.push(exclusionKills(e.tokens));
    if (opts.automaticExclusion) parts.push('!' + opts.automaticExclusion);
    cipherString = parts.join(':');
  }
  return {
    gradeParam: opts.gradeParam,
    gradeValue,
    grade,
    cipherlistParam,
    cipherlistValue,
    exclusions,
    automaticExclusion: opts.automaticExclusion,
    cipherString,
  };
}

/**
 * "!a:!b:..." for one parsed exclusion list. Parsed lists are memoized per value (parseExclusionList), so
 * every model and "what if" variant that keeps a list shares its array: a long list is joined once, not
 * once per model.
 */
const killsByList = new WeakMap<readonly ValueToken[], string>();

export function exclusionKills(tokens: readonly ValueToken[]): string {
  let kills = killsByList.get(tokens);
  if (kills === undefined) {
    const parts: string[] = new Array<string>(tokens.length);
    for (let i = 0; i < tokens.length; i++) parts[i] = '!' + tokens[i].text;
    killsByList.set(tokens, (kills = parts.join(':')));
  }
  return kills;
}

/** The first exclusion token with a leading '!', '+', '-' or '@' (Postfix rejects the list), per list and once. */
const unaryByList = new WeakMap<readonly ValueToken[], ValueToken | null>();

export function firstUnaryExclusion(exclusions: readonly ExclusionSource[]): { readonly param: string; readonly token: ValueToken } | null {
  for (const e of exclusions) {
    let token = unaryByList.get(e.tokens);
    if (token === undefined) {
      token = e.tokens.find((t) => '!+-@'.includes(t.text[0])) ?? null;
      unaryByList.set(e.tokens, token);
    }
    if (token) return { param: e.param, token };
  }
  return null;
}
