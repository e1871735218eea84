/** Report paths for CI formats: relative to the working directory, "/" separated. */
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Relative "/"-separated path, or null when the file is outside cwd (or is stdin without a name). */
export function relativeReportPath(file: string, cwd: string): string | null {
  if (file === '-' || file === '<stdin>') return null;
  const rel = relative(cwd, resolve(cwd, file));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** What to print for a file in annotations and XML: the relative path when there is one. */
export function displayPath(file: string, cwd: string): string {
  return relativeReportPath(file, cwd) ?? file;
}
