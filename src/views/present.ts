/**
 * How issues look in the tree: codicon ids, theme colour ids, labels and the Markdown tooltip.
 * Plain functions (no 'vscode' at run time): tree.ts turns them into TreeItems.
 */
import type { IssueSummary } from '../core/search';
import { t } from '../l10n';

/** Codicon for an issue type (Jira's standard types and common custom ones). */
export function typeIcon(type: string | undefined): string {
  const s = (type ?? '').toLowerCase();
  if (!s) return 'issues';
  if (s.includes('bug') || s.includes('defect') || s.includes('incident')) return 'bug';
  if (s.includes('epic')) return 'zap';
  if (s.includes('story')) return 'bookmark';
  if (s.includes('sub')) return 'list-tree';
  if (s.includes('feature')) return 'lightbulb';
  if (s.includes('improvement') || s.includes('enhancement')) return 'arrow-up';
  if (s.includes('question') || s.includes('support')) return 'question';
  if (s.includes('task')) return 'tasklist';
  return 'issues';
}

export type Severity = 'highest' | 'high' | 'medium' | 'low' | 'lowest' | undefined;

/** Jira's priority names (Server: Blocker..Trivial; Cloud: Highest..Lowest) on one scale. */
export function prioritySeverity(priority: string | undefined): Severity {
  const p = (priority ?? '').toLowerCase();
  if (!p) return undefined;
  if (p.includes('highest') || p.includes('blocker') || p.includes('critical') || p.includes('urgent')) return 'highest';
  if (p.includes('high') || p.includes('major')) return 'high';
  if (p.includes('medium') || p.includes('normal')) return 'medium';
  if (p.includes('lowest') || p.includes('trivial')) return 'lowest';
  if (p.includes('low') || p.includes('minor')) return 'low';
  return undefined;
}

/** Codicon for a priority. */
export function priorityIcon(priority: string | undefined): string {
  switch (prioritySeverity(priority)) {
    case 'highest': return 'chevron-up';
    case 'high': return 'arrow-up';
    case 'medium': return 'dash';
    case 'low': return 'arrow-down';
    case 'lowest': return 'chevron-down';
    default: return 'circle-small';
  }
}

/**
 * Theme colour of an issue's icon: red for the two highest priorities, the "done" green for
 * resolved ones, none otherwise (the theme's icon colour).
 */
export function iconColor(issue: Pick<IssueSummary, 'priority' | 'statusCategory'>): string | undefined {
  if (issue.statusCategory === 'done') return 'charts.green';
  switch (prioritySeverity(issue.priority)) {
    case 'highest': return 'charts.red';
    case 'high': return 'charts.orange';
    default: return undefined;
  }
}

/** Codicon for a status category (new / indeterminate / done). */
export function statusIcon(category: string | undefined): string {
  switch (category) {
    case 'done': return 'pass';
    case 'indeterminate': return 'circle-large-filled';
    case 'new': return 'circle-large-outline';
    default: return 'circle-outline';
  }
}

export function issueLabel(issue: Pick<IssueSummary, 'key' | 'summary'>): string {
  return issue.summary ? `${issue.key} ${issue.summary}` : issue.key;
}

/** Escapes Markdown (and HTML) special characters in user text. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

export function formatDate(ms: number, locale?: string): string {
  if (!Number.isFinite(ms)) return '';
  try {
    return new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return new Date(ms).toISOString();
  }
}

/**
 * The tooltip's Markdown (with `$(icon)` theme icons): key and summary, then type, status,
 * priority, assignee, reporter and updated.
 */
export function issueTooltip(issue: IssueSummary, opts: { url?: string; locale?: string } = {}): string {
  const lines: string[] = [];
  const key = opts.url ? `[${escapeMarkdown(issue.key)}](${opts.url})` : escapeMarkdown(issue.key);
  lines.push(`**${key}** ${escapeMarkdown(issue.summary)}`, '');
  const row = (icon: string, name: string, value: string | undefined) => {
    if (value) lines.push(`$(${icon}) ${name}: **${escapeMarkdown(value)}**  `);
  };
  row(typeIcon(issue.type), t('Type'), issue.type);
  row(statusIcon(issue.statusCategory), t('Status'), issue.status);
  row(priorityIcon(issue.priority), t('Priority'), issue.priority);
  row('account', t('Assignee'), issue.assignee ?? t('Unassigned'));
  row('person', t('Reporter'), issue.reporter);
  row('history', t('Updated'), formatDate(issue.updated, opts.locale));
  return lines.join('\n');
}

/** "50 of 10,000" / "50" / "". */
export function countText(loaded: number, total: number | undefined, more: boolean): string {
  const n = loaded.toLocaleString('en-US');
  if (total !== undefined) return t('{0} of {1}', n, total.toLocaleString('en-US'));
  return more ? `${n}+` : n;
}
