/**
 * The shell examples of a Markdown page, and the check of a command's output against the
 * output the page shows (pure; used by test/docs-examples.test.ts).
 *
 * An example is a ```sh block; its shown output is a ```text block that follows it with
 * nothing but blank lines between. An output is checked line by line, in order, with lines
 * allowed in between (so a page may leave lines out); blank lines and lines that are only `…`
 * are skipped. Within a line, `…` stands for anything, times and numbers of three or more
 * digits or with a fraction (counts, ids, latencies, p-values) for any number, runs of
 * spaces for any spaces and runs of `─` for any run (table widths follow their content).
 * Short integers (weights, versions) must match as shown.
 */
export interface Example {
  /** where it is: `file:line` of the block's first line */
  where: string;
  code: string;
  /** the output the page shows for it, if any */
  output?: string;
}

const FENCE = /^```(\w*)\s*$/;

/** Every ```sh block of `text` (optionally only those under the heading `section`). */
export function shellExamples(text: string, file: string, section?: string): Example[] {
  const lines = text.split('\n');
  let from = 0;
  let to = lines.length;
  if (section) {
    from = lines.findIndex((l) => l.trim() === section);
    if (from < 0) throw new Error(`${file} has no heading "${section}"`);
    const level = /^#+/.exec(section)![0];
    const next = lines.findIndex((l, i) => i > from && new RegExp(`^#{1,${level.length}} `).test(l));
    to = next < 0 ? lines.length : next;
  }
  const blocks: Array<{ lang: string; start: number; end: number; body: string }> = [];
  for (let i = from; i < to; i++) {
    const m = FENCE.exec(lines[i]);
    if (!m) continue;
    const start = i;
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j])) j++;
    blocks.push({ lang: m[1], start, end: j, body: lines.slice(i + 1, j).join('\n') });
    i = j;
  }
  const out: Example[] = [];
  blocks.forEach((b, k) => {
    if (b.lang !== 'sh') return;
    const next = blocks[k + 1];
    const adjacent = next && next.lang === 'text' && lines.slice(b.end + 1, next.start).every((l) => l.trim() === '');
    out.push({ where: `${file}:${b.start + 1}`, code: b.body, ...(adjacent ? { output: next.body } : {}) });
  });
  return out;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const TOKENS = /(…)|(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)|(-?\d*\.\d+(?:e[+-]?\d+)?|-?\d+e[+-]?\d+|\d{3,})|(─+)|(\s+)/g;
const NUMBER = '-?\\d*\\.?\\d+(?:e[+-]?\\d+)?';

/** The pattern an actual (trimmed) output line must match for one shown line. */
export function linePattern(shown: string): RegExp {
  const s = shown.trim();
  let src = '';
  let last = 0;
  for (const m of s.matchAll(TOKENS)) {
    src += esc(s.slice(last, m.index));
    if (m[1]) src += '.*?';
    else if (m[2]) src += '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?';
    else if (m[3]) src += NUMBER;
    else if (m[4]) src += '─+';
    else src += '\\s+';
    last = m.index! + m[0].length;
  }
  src += esc(s.slice(last));
  return new RegExp(`^${src}$`);
}

/** The shown lines the actual output does not have, in order (empty when it matches). */
export function missingLines(shown: string, actual: string): string[] {
  const got = actual.split('\n').map((l) => l.trim());
  const missing: string[] = [];
  let at = 0;
  for (const line of shown.split('\n')) {
    if (line.trim() === '' || line.trim() === '…') continue;
    const re = linePattern(line);
    const i = got.findIndex((g, k) => k >= at && re.test(g));
    if (i < 0) missing.push(line);
    else at = i + 1;
  }
  return missing;
}

/** Default demo ports in a page, moved to a demo started with --port-base `base`. */
export function movePorts(text: string, base: number): string {
  const moved: Record<string, number> = { '8080': base, '8081': base + 1, '9100': base + 2, '9001': base + 10, '9002': base + 11, '9003': base + 12 };
  return text.replace(/\b(localhost|127\.0\.0\.1):(8080|8081|9100|9001|9002|9003)\b/g, (_m, host: string, port: string) => `${host}:${moved[port]}`);
}
