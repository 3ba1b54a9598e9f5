/**
 * The issue-detail sanitiser on adversarial input (compiled to out/bench/sanitize.js; run by
 * bench/run.mjs --only sanitize). Each input is 1 MiB of one pattern that made the old sanitiser
 * quadratic (unterminated tags inside a dropped element, end tags that match nothing, deep nesting,
 * self-closing links, ...); sanitize_adversarial_ms is the slowest input's median time. It runs on
 * the extension host's thread, so the goal is 200 ms.
 *
 *   node out/bench/sanitize.js [--runs 5]
 */
import { MAX_SANITIZE_INPUT, sanitizeHtml } from '../src/views/detail/sanitize';
import { emitResult, msSince, note, round, summary } from './lib/stats';

const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1] || 5);
const MIB = 1 << 20;

/** `head` then `unit` repeated to 1 MiB, then `tail`. */
function fill(head: string, unit: string, tail = ''): string {
  return head + unit.repeat(Math.ceil((MIB - head.length - tail.length) / unit.length)) + tail;
}

const INPUTS: Record<string, string> = {
  svg_unterminated: fill('<svg>', '<svg '),
  unmatched_end_tags: fill('<b>'.repeat(MIB / 8), '</i>'),
  deep_nesting: fill('', '<div>'),
  self_closing_links: fill('', '<a href="https://evil.example/"/>x'),
  unterminated_script: fill('<script>', '</scrip'),
  open_comment: fill('<!--', '-'),
  table_cells: fill('<table>', '<td><tr>x'),
  attributes: fill('<a ', 'x=1 '),
  stray_lt: fill('', '< <a'),
  entities: fill('<p>', '&amp;&#x41;&'),
};

function main(): void {
  const results: Record<string, ReturnType<typeof summary>> = {};
  let worst = 0;
  for (const [name, html] of Object.entries(INPUTS)) {
    const ms: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = process.hrtime.bigint();
      sanitizeHtml(html, { baseUrl: 'https://jira.example.com' });
      ms.push(msSince(t0));
    }
    results[name] = summary(ms, 2);
    worst = Math.max(worst, results[name].median);
    note(`sanitize ${name}: ${(html.length / 1024).toFixed(0)} KiB, median ${results[name].median} ms`);
  }
  emitResult({ sanitize_adversarial_ms: round(worst, 1), input_chars: MIB, cap_chars: MAX_SANITIZE_INPUT, runs: RUNS, inputs: results });
}

main();
