/**
 * Shared shapes of the template layer. A template (or a postconf script) is
 * turned into one or more "renderings": Postfix texts built from pieces, each
 * piece remembering where it comes from in the source file, whether it is
 * literal source text (editable by a fix) and which template branches lead to
 * it. Placeholders are slots whose text is chosen later (probe values).
 */

export type TemplateSyntax = 'jinja2' | 'erb' | 'epp' | 'go' | 'envsubst';
export const TEMPLATE_SYNTAXES: readonly TemplateSyntax[] = ['jinja2', 'erb', 'epp', 'go', 'envsubst'];

/** Which Postfix file a template renders. */
export type TemplateTarget = 'main' | 'master' | 'policy';

/** One step of a branch path: alternative `alt` of chain `chain` was taken. */
export interface PathStep {
  readonly chain: number;
  readonly alt: number;
  /** The condition under which this alternative is taken, for messages ("postfix_tls is defined"). */
  readonly when: string;
}

/** What an output tag is known to produce. */
export interface PlaceholderInfo {
  /** Short name for messages, e.g. "postfix_tls_level". */
  readonly label: string;
  /** The expression as written (whitespace folded). */
  readonly expr: string;
  /** A template default (`| default('may')`, `|| 'may'`): read as this value, with a note. */
  readonly fallback?: string;
  /** The output is one of these (`'yes' if x else 'no'`, `| ternary('yes','no')`). */
  readonly choices?: readonly string[];
  /** The output is exactly this text (`{{ '{{' }}`). */
  readonly literal?: string;
}

export interface SourceSpan {
  /** Path of the source file (as shown). */
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export type Piece =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly src: SourceSpan;
      /** text === the source bytes at src: a fix may edit it. */
      readonly literal: boolean;
      readonly path: readonly PathStep[];
    }
  | {
      readonly kind: 'slot';
      /** Unique per occurrence in the rendering. */
      readonly id: number;
      /** Same key = same value (the same expression used twice). */
      readonly key: string;
      readonly info: PlaceholderInfo;
      readonly src: SourceSpan;
      readonly path: readonly PathStep[];
      /** Inside a loop body (rendered once for any number of iterations). */
      readonly inLoop?: boolean;
    };

/** One possible configuration of a template: the pieces of each Postfix file it stands for. */
export interface Rendering {
  readonly main: readonly Piece[];
  readonly master?: readonly Piece[] | null;
  /** Chain id -> alternative taken (an alternative equal to the chain's length is the implicit empty else). */
  readonly choices: ReadonlyMap<number, number>;
  /** TLS policy table templates beside a main.cf template: used for a table main.cf names by the same file name. */
  readonly tables?: readonly RenderedTable[];
}

export interface RenderedTable {
  /** Shown path of the table template. */
  readonly path: string;
  /** The table's file name once deployed (tls_policy for tls_policy.j2). */
  readonly name: string;
  readonly pieces: readonly Piece[];
}

/** A chain of if/elif/else alternatives, for describing findings caused by what a branch leaves out. */
export interface ChainInfo {
  readonly id: number;
  /** Per alternative (the implicit empty else last, when there is no else): its condition and source range. */
  readonly alternatives: readonly { readonly when: string; readonly start: number; readonly end: number }[];
}

/** What the front-end made of a source file. */
export interface FrontEndResult {
  readonly renderings: readonly Rendering[];
  readonly chains: readonly ChainInfo[];
  /** Problems reading the template itself (unbalanced tags...): reported, never fatal. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  /** Postfix $name references the template engine or the shell replaces before Postfix sees them. */
  readonly expansions?: readonly Expansion[];
}

export interface Expansion {
  readonly by: 'shell' | 'envsubst';
  readonly src: SourceSpan;
  /** The reference as written ($myhostname, ${myhostname}). */
  readonly ref: string;
  readonly name: string;
  /** The parameter being set (shell), when known. */
  readonly param?: string;
  /** How the shell argument is quoted: "double-quoted" or "unquoted". */
  readonly quoting?: string;
}
