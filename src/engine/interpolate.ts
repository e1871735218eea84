/**
 * Templates split once into literal text and placeholder names (a run makes a finding per template
 * use: 140,000 findings on one long line each interpolated a message and a summary with a regex).
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
/** Even indexes: literal text; odd indexes: [placeholder as written, its name]. */
type Parts = (string | readonly [whole: string, key: string])[];
const partsByTemplate = new Map<string, Parts>();

function partsOf(template: string): Parts {
  let parts = partsByTemplate.get(template);
  if (parts) return parts;
  parts = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, m.index), [m[0], m[1]]);
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  // Rule templates are a bounded set; anything else (hostile or generated) is not kept.
  if (partsByTemplate.size < 4096) partsByTemplate.set(template, parts);
  return parts;
}

/** Fill "{{name}}" placeholders; unknown placeholders stay visible so tests catch them. */
export function interpolate(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  const parts = partsOf(template);
  if (parts.length === 1) return template;
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else out += Object.prototype.hasOwnProperty.call(data, p[1]) ? String(data[p[1]]) : p[0];
  }
  return out;
}
