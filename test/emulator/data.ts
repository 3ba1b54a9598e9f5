// Deterministic issue data: the same issueCount always yields the same issues, generated from
// each issue's index with a seeded PRNG, kept as compact records and turned into Jira's JSON only
// when a response needs it (10,000 issues cost a few MB).
import type { User } from './state';

export interface Project { id: string; key: string; name: string; components: string[] }
export interface Status { id: string; name: string; order: number; category: StatusCategory }
export interface StatusCategory { id: number; key: string; colorName: string; name: string }
export interface IssueType { id: string; name: string; avatarId: number; description: string }
export interface Priority { id: string; name: string; weight: number; icon: string }
export interface Sprint { id: number; name: string; state: 'CLOSED' | 'ACTIVE' | 'FUTURE'; start: string; end: string; complete?: string }

export interface CommentRecord { id: string; author: string; body: string; created: number; updated: number }

export interface IssueRecord {
  index: number;
  id: string;
  key: string;
  number: number;
  project: Project;
  summary: string;
  description: string | null;
  type: IssueType;
  status: Status;
  priority: Priority;
  assignee: string | null;
  reporter: string;
  created: number;
  updated: number;
  resolutiondate: number | null;
  /** Set by a transition to a done status (workflow.ts); generated resolved issues are Done. */
  resolution?: { id: string; name: string; description: string };
  duedate: string | null;
  labels: string[];
  components: string[];
  storyPoints: number | null;
  sprint: Sprint | null;
  team: string | null;
  comments: CommentRecord[];
}

export const PROJECTS: Project[] = [
  { id: '10000', key: 'DEMO', name: 'Demo Project', components: ['Backend', 'Frontend', 'API', 'Documentation'] },
  { id: '10001', key: 'OPS', name: 'Operations', components: ['Infrastructure', 'Monitoring'] },
  { id: '10002', key: 'WEB', name: 'Website', components: ['Content', 'Design'] },
];

export const STATUS_CATEGORIES: StatusCategory[] = [
  { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  { id: 3, key: 'done', colorName: 'green', name: 'Done' },
];

export const STATUSES: Status[] = [
  { id: '10000', name: 'To Do', order: 0, category: STATUS_CATEGORIES[0] },
  { id: '3', name: 'In Progress', order: 1, category: STATUS_CATEGORIES[1] },
  { id: '10001', name: 'Done', order: 2, category: STATUS_CATEGORIES[2] },
];

export const ISSUE_TYPES: IssueType[] = [
  { id: '10004', name: 'Bug', avatarId: 10303, description: 'A problem which impairs or prevents the functions of the product.' },
  { id: '10001', name: 'Story', avatarId: 10315, description: 'A user story.' },
  { id: '10002', name: 'Task', avatarId: 10318, description: 'A task that needs to be done.' },
];

export const PRIORITIES: Priority[] = [
  { id: '1', name: 'Highest', weight: 5, icon: 'highest' },
  { id: '2', name: 'High', weight: 4, icon: 'high' },
  { id: '3', name: 'Medium', weight: 3, icon: 'medium' },
  { id: '4', name: 'Low', weight: 2, icon: 'low' },
  { id: '5', name: 'Lowest', weight: 1, icon: 'lowest' },
];

export const RESOLUTION_DONE = { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' };

export const SPRINTS: Sprint[] = [
  { id: 1, name: 'DEMO Sprint 1', state: 'CLOSED', start: '2024-01-01T09:00:00.000Z', end: '2024-01-15T09:00:00.000Z', complete: '2024-01-15T10:00:00.000Z' },
  { id: 2, name: 'DEMO Sprint 2', state: 'CLOSED', start: '2024-01-15T09:00:00.000Z', end: '2024-01-29T09:00:00.000Z', complete: '2024-01-29T10:00:00.000Z' },
  { id: 3, name: 'DEMO Sprint 3', state: 'ACTIVE', start: '2024-01-29T09:00:00.000Z', end: '2024-02-12T09:00:00.000Z' },
  { id: 4, name: 'DEMO Sprint 4', state: 'FUTURE', start: '2024-02-12T09:00:00.000Z', end: '2024-02-26T09:00:00.000Z' },
];

export const LABELS = ['backend', 'frontend', 'oauth', 'performance', 'security', 'ux', 'tech-debt'];
export const TEAMS = ['Platform', 'Mobile', 'Web Experience'];

const VERBS = ['Fix', 'Add', 'Improve', 'Refactor', 'Investigate', 'Update', 'Remove', 'Document', 'Test', 'Speed up'];
const OBJECTS = ['login timeout', 'search paging', 'OAuth token refresh', 'issue list rendering', 'comment editor',
  'dashboard gadget', 'REST client retries', 'keyboard shortcuts', 'dark theme colours', 'notification settings',
  'CSV export', 'attachment upload', 'sprint board', 'avatar cache', 'webhook delivery', 'audit log'];
const CONTEXTS = ['on the dashboard', 'in the issue view', 'for Data Center', 'after the upgrade', 'on slow networks',
  'in Firefox', 'for new users', 'in the admin console', 'behind a proxy', 'with large projects'];
const COMMENT_PHRASES = ['I can reproduce this on the latest build.', 'Looks good to me, merging.',
  'Could you attach the logs?', 'This is blocked by the proxy configuration.', 'Moved to the next sprint.',
  'Fixed in the attached pull request.', 'Please verify on staging.'];

/** Jira's timestamp format: 2024-05-01T10:00:00.000+0000 (always UTC here). */
export function jiraDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Jira's rendered date format: 01/May/24 10:00 AM. */
export function renderedDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${pad(d.getUTCFullYear() % 100)} ${h12}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** A small seeded random generator (mulberry32): the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, items: T[]): T {
  return items[Math.floor(rnd() * items.length)];
}

function weighted<T>(rnd: () => number, items: Array<[T, number]>): T {
  let x = rnd();
  for (const [v, w] of items) { if (x < w) return v; x -= w; }
  return items[items.length - 1][0];
}

const HOUR = 3600_000;
const BASE_TIME = Date.UTC(2023, 0, 2, 9, 0, 0);

/** Where the issue with global index i lives: 3 of every 5 issues are DEMO, 1 OPS, 1 WEB. */
function placement(i: number): { project: Project; number: number } {
  const q = Math.floor(i / 5);
  const r = i % 5;
  if (r < 3) return { project: PROJECTS[0], number: q * 3 + r + 1 };
  return { project: PROJECTS[r - 2], number: q + 1 };
}

function indexOfKey(projectKey: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) return -1;
  if (projectKey === 'DEMO') return Math.floor((n - 1) / 3) * 5 + ((n - 1) % 3);
  if (projectKey === 'OPS') return (n - 1) * 5 + 3;
  if (projectKey === 'WEB') return (n - 1) * 5 + 4;
  return -1;
}

// Field ids and their display names (the `names` expansion), in Jira's usual order.
export const FIELD_NAMES: Record<string, string> = {
  summary: 'Summary',
  issuetype: 'Issue Type',
  status: 'Status',
  priority: 'Priority',
  assignee: 'Assignee',
  reporter: 'Reporter',
  creator: 'Creator',
  project: 'Project',
  created: 'Created',
  updated: 'Updated',
  resolution: 'Resolution',
  resolutiondate: 'Resolved',
  duedate: 'Due Date',
  labels: 'Labels',
  components: 'Component/s',
  fixVersions: 'Fix Version/s',
  versions: 'Affects Version/s',
  description: 'Description',
  environment: 'Environment',
  watches: 'Watchers',
  votes: 'Votes',
  customfield_10010: 'Story Points',
  customfield_10020: 'Sprint',
  customfield_10030: 'Team',
  comment: 'Comment',
};
/** What a search returns by default (*navigable): everything but the comment. */
export const NAVIGABLE_FIELDS = Object.keys(FIELD_NAMES).filter((f) => f !== 'comment');
export const ALL_FIELDS = Object.keys(FIELD_NAMES);

/**
 * Jira's `fields` parameter: a comma list of field ids, `*all`, `*navigable`, and `-id` to leave
 * one out. Unknown ids are ignored. Empty -> the endpoint's default.
 */
export function selectFields(spec: string | string[] | undefined, dflt: '*all' | '*navigable'): string[] {
  const tokens = (Array.isArray(spec) ? spec : (spec ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
  const list = tokens.length ? tokens : [dflt];
  const chosen = new Set<string>();
  if (list.every((t) => t.startsWith('-'))) for (const f of dflt === '*all' ? ALL_FIELDS : NAVIGABLE_FIELDS) chosen.add(f);
  for (const t of list) {
    if (t === '*all') ALL_FIELDS.forEach((f) => chosen.add(f));
    else if (t === '*navigable') NAVIGABLE_FIELDS.forEach((f) => chosen.add(f));
    else if (t.startsWith('-')) chosen.delete(t.slice(1));
    else if (t in FIELD_NAMES) chosen.add(t);
  }
  return ALL_FIELDS.filter((f) => chosen.has(f));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

/** A small subset of Jira wiki markup -> HTML, for renderedFields. */
export function renderWiki(text: string): string {
  const blocks = text.replace(/\r\n/g, '\n').split(/\n{2,}/);
  return blocks.map((block) => {
    const code = /^\{code(?::[^}]*)?\}\n?([\s\S]*?)\n?\{code\}$/.exec(block.trim());
    if (code) return `<div class="code panel"><div class="codeContent panelContent"><pre class="code-java">${escapeHtml(code[1])}</pre></div></div>`;
    const lines = block.split('\n');
    if (lines.every((l) => /^\* /.test(l))) return `<ul>\n${lines.map((l) => `\t<li>${inline(l.slice(2))}</li>`).join('\n')}\n</ul>`;
    const h = /^h([1-6])\. (.*)$/.exec(block);
    if (h) return `<h${h[1]}><a name="${escapeHtml(h[2].replace(/\W+/g, ''))}"></a>${inline(h[2])}</h${h[1]}>`;
    return `<p>${lines.map(inline).join('<br/>\n')}</p>`;
  }).join('\n\n');
}

function inline(s: string): string {
  return escapeHtml(s)
    .replace(/\{\{(.+?)\}\}/g, '<tt>$1</tt>')
    .replace(/(^|\W)\*(\S(?:.*?\S)?)\*(?=\W|$)/g, '$1<b>$2</b>')
    .replace(/(^|\W)_(\S(?:.*?\S)?)_(?=\W|$)/g, '$1<em>$2</em>');
}

export class IssueData {
  private cache: IssueRecord[] | undefined;
  private nextCommentId = 900000;

  /**
   * accountIdOf: Cloud mode's account ids (users then also carry `accountId` and
   * `accountType`; the emulator keeps `name` and `key`, which Cloud no longer sends, for sign-in).
   */
  constructor(readonly count: number, readonly users: User[], private readonly baseUrl: () => string, private readonly accountIdOf?: (name: string) => string) {
    if (!Number.isInteger(count) || count < 0) throw new Error(`issueCount must be a non-negative integer, got ${count}`);
    if (users.length === 0) throw new Error('at least one user is needed');
  }

  records(): IssueRecord[] {
    if (!this.cache) {
      this.cache = [];
      for (let i = 0; i < this.count; i++) this.cache.push(this.generate(i));
    }
    return this.cache;
  }

  /** By key (case-insensitive, like Jira) or numeric id. */
  find(idOrKey: string): IssueRecord | undefined {
    let i = -1;
    const m = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/.exec(idOrKey.trim());
    if (m) i = indexOfKey(m[1].toUpperCase(), Number(m[2]));
    else if (/^\d+$/.test(idOrKey.trim())) i = Number(idOrKey) - 10000;
    return i >= 0 && i < this.count ? this.records()[i] : undefined;
  }

  private generate(i: number): IssueRecord {
    const rnd = mulberry32(Math.imul(i + 1, 2654435761) ^ 0x5bd1e995);
    const { project, number } = placement(i);
    const [main, second] = [this.users[0].name, this.users[1 % this.users.length].name];
    const status = weighted(rnd, [[STATUSES[0], 0.4], [STATUSES[1], 0.3], [STATUSES[2], 0.3]]);
    const type = weighted(rnd, [[ISSUE_TYPES[0], 0.3], [ISSUE_TYPES[1], 0.4], [ISSUE_TYPES[2], 0.3]]);
    const priority = weighted(rnd, [[PRIORITIES[2], 0.4], [PRIORITIES[1], 0.2], [PRIORITIES[3], 0.2], [PRIORITIES[0], 0.1], [PRIORITIES[4], 0.1]]);
    const assignee = weighted<string | null>(rnd, [[main, 0.6], [second, 0.2], [null, 0.2]]);
    const reporter = weighted(rnd, [[main, 0.8], [second, 0.2]]);
    const created = BASE_TIME + i * 2 * HOUR + Math.floor(rnd() * 90) * 60_000;
    let updated = created + Math.floor(rnd() * 20 * 24) * HOUR + Math.floor(rnd() * 3600) * 1000;
    const summary = `${pick(rnd, VERBS)} ${pick(rnd, OBJECTS)} ${pick(rnd, CONTEXTS)}`;
    const labels = LABELS.filter(() => rnd() < 0.15);
    const components = project.components.filter(() => rnd() < 0.3);
    const description = rnd() < 0.2 ? null
      : `The *${summary.toLowerCase()}* needs attention.\n\nSteps to reproduce:\n\n* open ${project.name}\n* go to {{${project.key}-${number}}}\n* observe the problem\n\nExpected: it _just works_.`;
    const storyPoints = type.name === 'Story' ? pick(rnd, [1, 2, 3, 5, 8, 13]) : type.name === 'Task' && rnd() < 0.5 ? pick(rnd, [1, 2, 3]) : null;
    let sprint: Sprint | null = null;
    const sr = rnd();
    if (project.key === 'DEMO') {
      if (status.name === 'Done') sprint = sr < 0.4 ? SPRINTS[0] : sr < 0.8 ? SPRINTS[1] : null;
      else sprint = sr < 0.5 ? SPRINTS[2] : sr < 0.75 ? SPRINTS[3] : null;
    }
    const team = weighted<string | null>(rnd, [[TEAMS[0], 0.3], [TEAMS[1], 0.2], [TEAMS[2], 0.2], [null, 0.3]]);
    const duedate = rnd() < 0.15 ? new Date(created + 30 * 24 * HOUR).toISOString().slice(0, 10) : null;
    const nComments = weighted(rnd, [[0, 0.5], [1, 0.3], [2, 0.2]]);
    const comments: CommentRecord[] = [];
    for (let j = 0; j < nComments; j++) {
      const t = created + (j + 1) * 5 * HOUR;
      comments.push({ id: String(10000 + i * 3 + j), author: j % 2 === 0 ? second : main, body: pick(rnd, COMMENT_PHRASES), created: t, updated: t });
      updated = Math.max(updated, t);
    }
    return {
      index: i, id: String(10000 + i), key: `${project.key}-${number}`, number, project, summary, description, type, status,
      priority, assignee, reporter, created, updated, resolutiondate: status.name === 'Done' ? updated : null, duedate,
      labels, components, storyPoints, sprint, team, comments,
    };
  }

  addComment(rec: IssueRecord, author: string, body: string, now: number): CommentRecord {
    const c: CommentRecord = { id: String(this.nextCommentId++), author, body, created: now, updated: now };
    rec.comments.push(c);
    rec.updated = Math.max(rec.updated, now);
    return c;
  }

  // ---- JSON ------------------------------------------------------------------------------

  userJson(name: string | null): unknown {
    if (name === null) return null;
    const u = this.users.find((x) => x.name === name);
    if (!u) return null;
    const base = this.baseUrl();
    const avatar = (size: string) => `${base}/secure/useravatar?${size ? `size=${size}&` : ''}ownerId=${encodeURIComponent(u.key)}&avatarId=10341`;
    return {
      self: `${base}/rest/api/2/user?username=${encodeURIComponent(u.name)}`,
      name: u.name,
      key: u.key,
      emailAddress: u.emailAddress,
      avatarUrls: { '48x48': avatar(''), '24x24': avatar('small'), '16x16': avatar('xsmall'), '32x32': avatar('medium') },
      displayName: u.displayName,
      active: true,
      timeZone: u.timeZone,
      ...(this.accountIdOf ? { accountId: this.accountIdOf(u.name), accountType: 'atlassian' } : {}),
    };
  }

  projectJson(p: Project): unknown {
    const base = this.baseUrl();
    const av = (size: string) => `${base}/secure/projectavatar?${size ? `size=${size}&` : ''}pid=${p.id}&avatarId=10324`;
    return {
      self: `${base}/rest/api/2/project/${p.id}`, id: p.id, key: p.key, name: p.name, projectTypeKey: 'software',
      avatarUrls: { '48x48': av(''), '24x24': av('small'), '16x16': av('xsmall'), '32x32': av('medium') },
    };
  }

  statusJson(s: Status): unknown {
    const base = this.baseUrl();
    return {
      self: `${base}/rest/api/2/status/${s.id}`, description: '', iconUrl: `${base}/`, name: s.name, id: s.id,
      statusCategory: { self: `${base}/rest/api/2/statuscategory/${s.category.id}`, id: s.category.id, key: s.category.key, colorName: s.category.colorName, name: s.category.name },
    };
  }

  commentJson(rec: IssueRecord, c: CommentRecord, rendered = false): unknown {
    return {
      self: `${this.baseUrl()}/rest/api/2/issue/${rec.id}/comment/${c.id}`,
      id: c.id,
      author: this.userJson(c.author),
      body: rendered ? renderWiki(c.body) : c.body,
      updateAuthor: this.userJson(c.author),
      created: rendered ? renderedDate(c.created) : jiraDate(c.created),
      updated: rendered ? renderedDate(c.updated) : jiraDate(c.updated),
    };
  }

  commentsJson(rec: IssueRecord, rendered = false): { comments: unknown[]; maxResults: number; total: number; startAt: number } {
    return { comments: rec.comments.map((c) => this.commentJson(rec, c, rendered)), maxResults: rec.comments.length, total: rec.comments.length, startAt: 0 };
  }

  private sprintString(s: Sprint): string {
    const hash = (0x1a2b3c00 + s.id).toString(16);
    return `com.atlassian.greenhopper.service.sprint.Sprint@${hash}[id=${s.id},rapidViewId=1,state=${s.state},name=${s.name},`
      + `startDate=${s.start},endDate=${s.end},completeDate=${s.complete ?? '<null>'},activatedDate=${s.state === 'FUTURE' ? '<null>' : s.start},`
      + `sequence=${s.id},goal=<null>,autoStartStop=false,synced=false]`;
  }

  fieldValue(rec: IssueRecord, field: string): unknown {
    const base = this.baseUrl();
    switch (field) {
      case 'summary': return rec.summary;
      case 'issuetype': return {
        self: `${base}/rest/api/2/issuetype/${rec.type.id}`, id: rec.type.id, description: rec.type.description,
        iconUrl: `${base}/secure/viewavatar?size=xsmall&avatarId=${rec.type.avatarId}&avatarType=issuetype`,
        name: rec.type.name, subtask: false, avatarId: rec.type.avatarId,
      };
      case 'status': return this.statusJson(rec.status);
      case 'priority': return { self: `${base}/rest/api/2/priority/${rec.priority.id}`, iconUrl: `${base}/images/icons/priorities/${rec.priority.icon}.svg`, name: rec.priority.name, id: rec.priority.id };
      case 'assignee': return this.userJson(rec.assignee);
      case 'reporter': return this.userJson(rec.reporter);
      case 'creator': return this.userJson(rec.reporter);
      case 'project': return this.projectJson(rec.project);
      case 'created': return jiraDate(rec.created);
      case 'updated': return jiraDate(rec.updated);
      case 'resolution': {
        const r = rec.resolution ?? RESOLUTION_DONE;
        return rec.resolutiondate === null ? null : { self: `${base}/rest/api/2/resolution/${r.id}`, ...r };
      }
      case 'resolutiondate': return rec.resolutiondate === null ? null : jiraDate(rec.resolutiondate);
      case 'duedate': return rec.duedate;
      case 'labels': return [...rec.labels];
      case 'components': return rec.components.map((name) => {
        const id = String(10100 + PROJECTS.indexOf(rec.project) * 10 + rec.project.components.indexOf(name));
        return { self: `${base}/rest/api/2/component/${id}`, id, name };
      });
      case 'fixVersions': return [];
      case 'versions': return [];
      case 'description': return rec.description;
      case 'environment': return null;
      case 'watches': return { self: `${base}/rest/api/2/issue/${rec.key}/watchers`, watchCount: rec.index % 3, isWatching: false };
      case 'votes': return { self: `${base}/rest/api/2/issue/${rec.key}/votes`, votes: 0, hasVoted: false };
      case 'customfield_10010': return rec.storyPoints;
      case 'customfield_10020': return rec.sprint ? [this.sprintString(rec.sprint)] : null;
      case 'customfield_10030': return rec.team;
      case 'comment': return this.commentsJson(rec);
      default: return undefined;
    }
  }

  renderedFieldValue(rec: IssueRecord, field: string): unknown {
    switch (field) {
      case 'description': return rec.description === null ? null : renderWiki(rec.description);
      case 'comment': return this.commentsJson(rec, true);
      case 'created': return renderedDate(rec.created);
      case 'updated': return renderedDate(rec.updated);
      case 'resolutiondate': return rec.resolutiondate === null ? null : renderedDate(rec.resolutiondate);
      case 'environment': return '';
      default: return null;
    }
  }

  issueJson(rec: IssueRecord, fields: string[], expand: Set<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: rec.id,
      self: `${this.baseUrl()}/rest/api/2/issue/${rec.id}`,
      key: rec.key,
    };
    const f: Record<string, unknown> = {};
    for (const id of fields) f[id] = this.fieldValue(rec, id);
    out.fields = f;
    if (expand.has('renderedFields')) {
      const r: Record<string, unknown> = {};
      for (const id of fields) r[id] = this.renderedFieldValue(rec, id);
      out.renderedFields = r;
    }
    if (expand.has('names')) out.names = namesFor(fields);
    return out;
  }
}

export function namesFor(fields: string[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const f of fields) names[f] = FIELD_NAMES[f];
  return names;
}
