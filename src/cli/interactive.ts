/** `--fix --interactive`: show each fix as a hunk with its finding and ask. */
import type { CliIo } from './io.js';
import type { Finding } from '../engine/types.js';
import { applyFixes } from '../fixer/apply-edits.js';
import { unifiedDiff } from '../fixer/unified-diff.js';
import { displayText } from '../util/text.js';
import { fixTarget } from '../fixer/fix-loop.js';

/** `pathOf` names the file a fix edits as the diff shows it (main.cf, master.cf or a policy table). */
export function makeInteractiveAcceptor(io: CliIo, pathOf: (file: string) => string): (finding: Finding, text: string) => boolean {
  let mode: 'ask' | 'all' | 'quit' = 'ask';
  return (finding, text) => {
    if (mode === 'all') return true;
    if (mode === 'quit') return false;
    const after = applyFixes(text, [finding]).output;
    const path = pathOf(fixTarget(finding));
    const label = finding.fix!.kind === 'interop' ? ' [interop: lowers security for interoperability]' : '';
    io.stderr(`\n${finding.file}:${finding.line}:${finding.column}  ${finding.severity}  ${displayText(finding.message)}  (${finding.ruleId})\n`);
    io.stderr(`fix${label}: ${displayText(finding.fix!.description)}\n`);
    io.stderr(displayText(unifiedDiff({ path, before: text, after })));
    for (;;) {
      io.stderr('Apply this fix? [y]es / [n]o / [a]ll remaining / [q]uit: ');
      const answer = io.readLine?.() ?? null;
      if (answer === null) {
        mode = 'quit';
        return false;
      }
      switch (answer.trim().toLowerCase()) {
        case 'y':
        case 'yes':
          return true;
        case 'n':
        case 'no':
          return false;
        case 'a':
        case 'all':
          mode = 'all';
          return true;
        case 'q':
        case 'quit':
          mode = 'quit';
          return false;
        default:
          io.stderr('Please answer y, n, a or q.\n');
      }
    }
  };
}
