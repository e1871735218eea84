/** Types shared by the rule engine, the rules and the formatters. */
import type { Range, Severity } from '../parser/types.js';
import type { ConfigModel } from '../model/config.js';
import type { ParamNode } from '../parser/main-cf.js';
import type { LintFacts } from './facts.js';
import type { FileRuleContext } from './file-rules.js';

export type { Range, Severity };
export type Category = 'security' | 'interop' | 'correctness' | 'deprecation';

export interface Reference {
  readonly title: string;
  readonly url?: string;
}

export interface RuleMeta {
  /** kebab-case, equal to the rule's file name. */
  readonly id: string;
  readonly category: Category;
  readonly defaultSeverity: Severity;
  /** One sentence: what the rule finds. */
  readonly description: string;
  /** Why it matters, one short paragraph (shown by `explain`). */
  readonly why: string;
  /** main.cf parameters the rule reads. */
  readonly parameters: readonly string[];
  readonly fixable: boolean;
  /** Message templates with {{placeholders}}, by id. */
  readonly messages: Readonly<Record<string, string>>;
  /** One-line summaries by message id (same placeholders); default: the message's first sentence (src/engine/summary.ts). */
  readonly summaries?: Readonly<Record<string, string>>;
  /** Evidence: Postfix docs sections, RFCs, vendor docs. */
  readonly references: readonly Reference[];
}

/** A text edit on one file: replace [range) of the original text with `text`. */
export interface Edit {
  readonly range: Range;
  readonly text: string;
}

/**
 * 'safe' fixes never lower security; 'interop' fixes trade security for
 * interoperability and are only applied when asked for.
 */
export type FixKind = 'safe' | 'interop';

export interface Fix {
  readonly kind: FixKind;
  /** What the fix does, in a few words ("set smtp_tls_security_level = may"). */
  readonly description: string;
  readonly edits: readonly Edit[];
  /** File the edits apply to; defaults to the file of the finding. */
  readonly file?: string;
}

export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface RelatedLocation extends Location {
  readonly message: string;
}

export interface Finding extends Location {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  readonly message: string;
  /** One sentence: what stylish prints on the finding's line (the full text is `message`). */
  readonly summary: string;
  /** The main.cf parameter the finding concerns, or null. */
  readonly parameter: string | null;
  readonly range: Range;
  readonly related: readonly RelatedLocation[];
  readonly fix?: Fix;
  /** A command that confirms the finding against a live peer, when there is one. */
  readonly confirm?: string;
}

export interface ReportDescriptor {
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string | number>>;
  /** The parameter concerned (null for file-level findings). */
  readonly parameter: string | null;
  /** Where: a definition, an explicit range, or (neither) the start of the file. */
  readonly node?: ParamNode;
  readonly range?: Range;
  readonly related?: readonly { readonly node?: ParamNode; readonly range?: Range; readonly message: string }[];
  readonly fix?: Fix | null;
  readonly confirm?: string;
  /** Overrides the rule's default severity for this finding (e.g. warning vs error by context). */
  readonly severity?: Severity;
}

export interface RuleContext {
  readonly model: ConfigModel;
  readonly facts: LintFacts;
  report(descriptor: ReportDescriptor): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(context: RuleContext): void;
  /** Checks of the files the configuration names (certificates, keys, CA files), run by lint-files.ts. */
  checkFiles?(context: FileRuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
