/** Template tag that strips the common indentation, so main.cf snippets stay readable in tests. */
export function dedent(strings: TemplateStringsArray, ...values: unknown[]): string {
  let raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  raw = raw.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n');
  const lines = raw.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(min, /^[ \t]*/.exec(l)![0].length))).join('\n');
}
