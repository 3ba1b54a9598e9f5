// The rows of docs/troubleshooting.md's tables, which the matrix tests (matrix.test.ts: sign-in,
// writes.test.ts: working on issues) check one by one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'troubleshooting.md');

/** Rows of the doc's tables whose test id starts with `prefix` (M: sign-in, W: working on issues): id -> fragments of "What you see" (separated by " … " in the doc). */
export function docRows(prefix = 'M', text = readFileSync(DOC, 'utf8')): Map<string, { situation: string; seen: string[]; todo: string }> {
  const rows = new Map<string, { situation: string; seen: string[]; todo: string }>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6) continue;
    const id = new RegExp(`^\`?(${prefix}\\d{2})\`?$`).exec(cells[4])?.[1];
    if (!id) continue;
    const seen = cells[2]
      .split(/\s*…\s*/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (rows.has(id)) throw new Error(`${id} appears twice in docs/troubleshooting.md`);
    rows.set(id, { situation: cells[1], seen, todo: cells[3] });
  }
  return rows;
}
