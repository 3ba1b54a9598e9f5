// A JQL subset: a tokenizer + recursive-descent parser producing an AST, and a compiler that
// validates the AST against the data (unknown fields, values and issue keys are errors, as in
// Jira) and turns it into a filter and a sort order.
//
// Supported: AND / OR / NOT (also && || !), parentheses, = != ~ !~ > >= < <= IN, NOT IN, IS,
// IS NOT, EMPTY / NULL, single- or double-quoted strings, functions currentUser(), now(),
// startOfDay(), endOfDay(), openSprints(), closedSprints(), futureSprints(), ORDER BY f [ASC|DESC], ...
// Keywords and field names are case-insensitive.
import { IssueData, IssueRecord, ISSUE_TYPES, PRIORITIES, PROJECTS, RESOLUTION_DONE, SPRINTS, STATUSES, STATUS_CATEGORIES } from './data';
import type { User } from './state';

/** A 400 answer: Jira puts the message in errorMessages. */
export class JqlError extends Error {}

function syntaxError(detail: string, pos?: number): JqlError {
  return new JqlError(`Error in the JQL Query: ${detail}${pos === undefined ? '' : ` (line 1, character ${pos + 1})`}`);
}

// ---------------------------------------------------------------------------------------------
// Tokens

type TokKind = 'word' | 'string' | 'op' | '(' | ')' | ',' | 'eof';
interface Token { kind: TokKind; text: string; pos: number }

const OPS = ['!=', '!~', '>=', '<=', '=', '~', '>', '<'];
const RESERVED = new Set(['+', ';', '?', '*', '/', '%', '^', '$', '#', '[', ']', '{', '}']);

export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ kind: c, text: c, pos: i }); i++; continue; }
    if (input.startsWith('&&', i)) { out.push({ kind: 'word', text: 'AND', pos: i }); i += 2; continue; }
    if (input.startsWith('||', i)) { out.push({ kind: 'word', text: 'OR', pos: i }); i += 2; continue; }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) { out.push({ kind: 'op', text: op, pos: i }); i += op.length; continue; }
    if (c === '!') { out.push({ kind: 'word', text: 'NOT', pos: i }); i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      for (; j < input.length && input[j] !== c; j++) {
        if (input[j] === '\\' && j + 1 < input.length) {
          const n = input[++j];
          if (n === 'n') s += '\n';
          else if (n === 't') s += '\t';
          else if (n === 'r') s += '\r';
          else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(input.slice(j + 1, j + 5))) { s += String.fromCharCode(parseInt(input.slice(j + 1, j + 5), 16)); j += 4; }
          else s += n;
        } else s += input[j];
      }
      if (j >= input.length) throw syntaxError(`The quoted string '${input.slice(i + 1)}' has not been completed.`, i);
      out.push({ kind: 'string', text: s, pos: i });
      i = j + 1;
      continue;
    }
    const cf = /^cf\[\d+\]/i.exec(input.slice(i));
    if (cf) { out.push({ kind: 'word', text: cf[0], pos: i }); i += cf[0].length; continue; }
    if (RESERVED.has(c) || c === '&' || c === '|') {
      throw syntaxError(`The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`, i);
    }
    let j = i;
    while (j < input.length && /[A-Za-z0-9_\-.@:\u00C0-\uFFFF]/.test(input[j])) j++;
    if (j === i) throw syntaxError(`The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`, i);
    out.push({ kind: 'word', text: input.slice(i, j), pos: i });
    i = j;
  }
  out.push({ kind: 'eof', text: '', pos: input.length });
  return out;
}

// ---------------------------------------------------------------------------------------------
// AST

export type Operand =
  | { kind: 'value'; value: string; pos: number }
  | { kind: 'function'; name: string; args: string[]; pos: number }
  | { kind: 'empty'; pos: number }
  | { kind: 'list'; items: Operand[]; pos: number };

export type Operator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not';

export type Expr =
  | { type: 'clause'; field: string; op: Operator; operand: Operand; pos: number }
  | { type: 'and' | 'or'; items: Expr[] }
  | { type: 'not'; expr: Expr };

export interface SortItem { field: string; dir?: 'ASC' | 'DESC'; pos: number }
export interface JqlQuery { where: Expr | null; orderBy: SortItem[] }

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);

function isKw(t: Token, kw: string): boolean {
  return t.kind === 'word' && t.text.toLowerCase() === kw;
}

function describe(t: Token): string {
  return t.kind === 'eof' ? 'the end of the query' : `'${t.text}'`;
}

export function parseJql(input: string): JqlQuery {
  const toks = tokenize(input);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];

  function orExpr(): Expr {
    const items = [andExpr()];
    while (isKw(peek(), 'or')) { next(); items.push(andExpr()); }
    return items.length === 1 ? items[0] : { type: 'or', items };
  }
  function andExpr(): Expr {
    const items = [notExpr()];
    while (isKw(peek(), 'and')) { next(); items.push(notExpr()); }
    return items.length === 1 ? items[0] : { type: 'and', items };
  }
  function notExpr(): Expr {
    const t = peek();
    if (isKw(t, 'not')) { next(); return { type: 'not', expr: notExpr() }; }
    if (t.kind === '(') {
      next();
      const e = orExpr();
      const close = next();
      if (close.kind !== ')') throw syntaxError(`Expecting ')' but got ${describe(close)}.`, close.pos);
      return e;
    }
    return clause();
  }
  function fieldName(): Token {
    const t = next();
    if (t.kind === 'eof') throw syntaxError('Expecting a field name at the end of the query.');
    if ((t.kind !== 'word' && t.kind !== 'string') || (t.kind === 'word' && KEYWORDS.has(t.text.toLowerCase()))) {
      throw syntaxError(`Expecting a field name but got ${describe(t)}. You must surround ${describe(t)} in quotation marks to use it as a field name.`, t.pos);
    }
    return t;
  }
  function operator(): Operator {
    const t = next();
    if (t.kind === 'op') return t.text as Operator;
    if (isKw(t, 'in')) return 'in';
    if (isKw(t, 'not') && isKw(peek(), 'in')) { next(); return 'not in'; }
    if (isKw(t, 'is')) {
      if (isKw(peek(), 'not')) { next(); return 'is not'; }
      return 'is';
    }
    throw syntaxError(`Expecting operator but got ${describe(t)}. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.`, t.pos);
  }
  function operand(inList = false): Operand {
    const t = next();
    if (t.kind === 'string') return { kind: 'value', value: t.text, pos: t.pos };
    if (t.kind === '(' && !inList) {
      const items: Operand[] = [operand(true)];
      for (;;) {
        const s = next();
        if (s.kind === ')') break;
        if (s.kind !== ',') throw syntaxError(`Expecting ',' or ')' but got ${describe(s)}.`, s.pos);
        items.push(operand(true));
      }
      return { kind: 'list', items, pos: t.pos };
    }
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      if (lower === 'empty' || lower === 'null') return { kind: 'empty', pos: t.pos };
      if (KEYWORDS.has(lower)) {
        throw syntaxError(`Expecting either a value, list or function but got ${describe(t)}. You must surround ${describe(t)} in quotation marks to use it as a value.`, t.pos);
      }
      if (peek().kind === '(') {
        next();
        const args: string[] = [];
        if (peek().kind !== ')') {
          for (;;) {
            const a = next();
            if (a.kind !== 'word' && a.kind !== 'string') throw syntaxError(`Expecting a function argument but got ${describe(a)}.`, a.pos);
            args.push(a.text);
            const s = next();
            if (s.kind === ')') break;
            if (s.kind !== ',') throw syntaxError(`Expecting ',' or ')' but got ${describe(s)}.`, s.pos);
          }
        } else next();
        return { kind: 'function', name: t.text, args, pos: t.pos };
      }
      return { kind: 'value', value: t.text, pos: t.pos };
    }
    if (t.kind === 'eof') throw syntaxError('Expecting either a value, list or function before the end of the query.');
    throw syntaxError(`Expecting either a value, list or function but got ${describe(t)}.`, t.pos);
  }
  function clause(): Expr {
    const f = fieldName();
    const op = operator();
    const operandPos = peek().pos;
    const o = operand();
    if ((op === 'in' || op === 'not in') && o.kind !== 'list' && o.kind !== 'function') {
      throw syntaxError(`Expecting a list or function after '${op.toUpperCase()}' but got ${describe(toks[p - 1])}.`, operandPos);
    }
    if ((op === 'is' || op === 'is not') && o.kind !== 'empty') {
      throw syntaxError(`Expecting 'EMPTY' or 'NULL' after '${op.toUpperCase()}' but got ${describe(toks[p - 1])}.`, operandPos);
    }
    return { type: 'clause', field: f.text, op, operand: o, pos: f.pos };
  }

  let where: Expr | null = null;
  if (peek().kind !== 'eof' && !isKw(peek(), 'order')) where = orExpr();
  const orderBy: SortItem[] = [];
  if (isKw(peek(), 'order')) {
    next();
    const by = next();
    if (!isKw(by, 'by')) throw syntaxError(`Expecting 'BY' but got ${describe(by)}.`, by.pos);
    for (;;) {
      const f = fieldName();
      let dir: 'ASC' | 'DESC' | undefined;
      if (isKw(peek(), 'asc') || isKw(peek(), 'desc')) dir = next().text.toUpperCase() as 'ASC' | 'DESC';
      orderBy.push({ field: f.text, dir, pos: f.pos });
      if (peek().kind !== ',') break;
      next();
    }
  }
  const t = peek();
  if (t.kind !== 'eof') {
    if (where && orderBy.length === 0) throw syntaxError(`Expecting either 'OR' or 'AND' but got ${describe(t)}.`, t.pos);
    throw syntaxError(`Expecting end of the query but got ${describe(t)}.`, t.pos);
  }
  return { where, orderBy };
}

// ---------------------------------------------------------------------------------------------
// Compilation against the data

export interface JqlContext {
  data: IssueData;
  users: Map<string, User>;
  currentUser?: string;
  /** Emulator clock, ms. */
  now: number;
}

type Pred = (r: IssueRecord) => boolean;
type Kind = 'project' | 'key' | 'status' | 'statusCategory' | 'issuetype' | 'priority' | 'resolution' | 'user'
  | 'text' | 'labels' | 'component' | 'date' | 'number' | 'sprint' | 'team';

interface FieldDef {
  name: string;
  kind: Kind;
  ops: Operator[];
  /** Accessor for user/date/number/text fields. */
  get?: (r: IssueRecord) => unknown;
  sort?: (r: IssueRecord) => number | string | null;
}

const EQ: Operator[] = ['=', '!=', 'in', 'not in'];
const EQ_EMPTY: Operator[] = [...EQ, 'is', 'is not'];
const CMP: Operator[] = ['=', '!=', '>', '>=', '<', '<=', 'is', 'is not'];
const TEXT: Operator[] = ['~', '!~', 'is', 'is not'];

function textOf(r: IssueRecord, which: 'summary' | 'description' | 'comment' | 'text'): string {
  if (which === 'summary') return r.summary;
  if (which === 'description') return r.description ?? '';
  if (which === 'comment') return r.comments.map((c) => c.body).join('\n');
  return [r.summary, r.description ?? '', ...r.comments.map((c) => c.body)].join('\n');
}

const FIELDS: Record<string, FieldDef> = {};
function def(names: string[], d: Omit<FieldDef, 'name'>): void {
  for (const n of names) FIELDS[n.toLowerCase()] = { name: names[0], ...d };
}
def(['project'], { kind: 'project', ops: EQ, sort: (r) => r.project.key });
def(['id'], { kind: 'key', ops: [...EQ, '>', '>=', '<', '<='], sort: (r) => r.index });
def(['key', 'issuekey', 'issue'], { kind: 'key', ops: [...EQ, '>', '>=', '<', '<='], sort: (r) => `${r.project.key}-${String(r.number).padStart(10, '0')}` });
def(['status'], { kind: 'status', ops: EQ, sort: (r) => r.status.order });
def(['statusCategory', 'category'], { kind: 'statusCategory', ops: EQ, sort: (r) => r.status.order });
def(['issuetype', 'type'], { kind: 'issuetype', ops: EQ, sort: (r) => r.type.name });
def(['priority'], { kind: 'priority', ops: EQ, sort: (r) => r.priority.weight });
def(['resolution'], { kind: 'resolution', ops: EQ_EMPTY, sort: (r) => (r.resolutiondate === null ? null : RESOLUTION_DONE.name) });
def(['assignee'], { kind: 'user', ops: EQ_EMPTY, get: (r) => r.assignee });
def(['reporter'], { kind: 'user', ops: EQ_EMPTY, get: (r) => r.reporter });
def(['creator'], { kind: 'user', ops: EQ_EMPTY, get: (r) => r.reporter });
def(['summary'], { kind: 'text', ops: ['~', '!~'], get: (r) => textOf(r, 'summary'), sort: (r) => r.summary.toLowerCase() });
def(['description'], { kind: 'text', ops: TEXT, get: (r) => textOf(r, 'description') });
def(['comment'], { kind: 'text', ops: ['~', '!~'], get: (r) => textOf(r, 'comment') });
def(['text'], { kind: 'text', ops: ['~', '!~'], get: (r) => textOf(r, 'text') });
def(['labels', 'label'], { kind: 'labels', ops: EQ_EMPTY });
def(['component', 'components'], { kind: 'component', ops: EQ_EMPTY });
def(['created', 'createdDate'], { kind: 'date', ops: CMP, get: (r) => r.created, sort: (r) => r.created });
def(['updated', 'updatedDate'], { kind: 'date', ops: CMP, get: (r) => r.updated, sort: (r) => r.updated });
def(['resolved', 'resolutiondate', 'resolutionDate'], { kind: 'date', ops: CMP, get: (r) => r.resolutiondate, sort: (r) => r.resolutiondate });
def(['due', 'duedate', 'dueDate'], { kind: 'date', ops: CMP, get: (r) => (r.duedate ? Date.parse(`${r.duedate}T00:00:00Z`) : null), sort: (r) => (r.duedate ? Date.parse(`${r.duedate}T00:00:00Z`) : null) });
def(['Story Points', 'customfield_10010', 'cf[10010]'], { kind: 'number', ops: [...CMP, 'in', 'not in'], get: (r) => r.storyPoints, sort: (r) => r.storyPoints });
def(['Sprint', 'customfield_10020', 'cf[10020]'], { kind: 'sprint', ops: EQ_EMPTY, sort: (r) => r.sprint?.id ?? null });
def(['Team', 'customfield_10030', 'cf[10030]'], { kind: 'team', ops: EQ_EMPTY, sort: (r) => r.team });
// Orderable but not searchable.
const SORT_ONLY: Record<string, (r: IssueRecord) => number | string | null> = {
  rank: (r) => r.index,
};

function fieldDef(name: string): FieldDef {
  const d = FIELDS[name.toLowerCase()];
  if (!d) throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
  return d;
}

function operandValues(o: Operand): Operand[] {
  return o.kind === 'list' ? o.items : [o];
}

function notExist(value: string, field: string): JqlError {
  return new JqlError(`The value '${value}' does not exist for the field '${field}'.`);
}

function fnName(o: Operand): string {
  return o.kind === 'function' ? o.name.toLowerCase() : '';
}

function unknownFunction(o: Operand & { kind: 'function' }): JqlError {
  return new JqlError(`Unable to find JQL function '${o.name}(${o.args.join(', ')})'.`);
}

function functionNotForField(o: Operand & { kind: 'function' }, field: string): JqlError {
  return new JqlError(`The function '${o.name}' is not supported by the '${field}' field.`);
}

/** Parses a JQL date: yyyy-MM-dd, yyyy/MM/dd (optionally with " HH:mm"), or a period like -5d, "4w 2d". */
function parseDate(value: string, field: string, now: number): number {
  const abs = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim());
  if (abs) {
    const [y, mo, d, h, mi] = [abs[1], abs[2], abs[3], abs[4] ?? '0', abs[5] ?? '0'].map(Number);
    const t = Date.UTC(y, mo - 1, d, h, mi);
    const check = new Date(t);
    if (check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) return t;
  }
  const rel = value.trim();
  if (/^[+-]?\s*(\d+\s*[wdhm]\s*)+$/.test(rel)) {
    const sign = rel.startsWith('-') ? -1 : 1;
    const unit: Record<string, number> = { w: 7 * 86400_000, d: 86400_000, h: 3600_000, m: 60_000 };
    let delta = 0;
    for (const m of rel.matchAll(/(\d+)\s*([wdhm])/g)) delta += Number(m[1]) * unit[m[2]];
    return now + sign * delta;
  }
  throw new JqlError(`Date value '${value}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
}

function dateFunction(o: Operand & { kind: 'function' }, field: string, now: number): number {
  const startOfDay = (t: number) => { const d = new Date(t); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); };
  const offset = o.args[0] ? parseDate(o.args[0], field, 0) : 0;
  switch (o.name.toLowerCase()) {
    case 'now': return now;
    case 'startofday': return startOfDay(now) + offset;
    case 'endofday': return startOfDay(now) + 86400_000 - 1 + offset;
    default: throw unknownFunction(o);
  }
}

const STEM = /(ing|ed|es|s)$/;
function stem(w: string): string {
  return w.length > 4 ? w.replace(STEM, '') : w;
}
function words(s: string): string[] {
  return s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Jira-like text matching: every term must occur as a word (light stemming); "term*" is a prefix; "\"a b\"" a phrase. */
function textMatcher(query: string): (text: string) => boolean {
  const phrases: string[] = [];
  const rest = query.replace(/"([^"]*)"/g, (_m, ph: string) => { phrases.push(words(ph).join(' ')); return ' '; });
  const terms = rest.split(/\s+/).map((t) => t.trim().toLowerCase()).filter(Boolean).map((t) => t.replace(/[^\p{L}\p{N}*?]/gu, '')).filter(Boolean);
  return (text: string) => {
    const ws = words(text);
    const joined = ` ${ws.join(' ')} `;
    if (!phrases.every((ph) => joined.includes(` ${ph} `))) return false;
    return terms.every((t) => {
      if (t.endsWith('*')) { const pre = t.slice(0, -1).replace(/\?/g, ''); return ws.some((w) => w.startsWith(pre)); }
      if (t.includes('?')) { const re = new RegExp(`^${t.replace(/\?/g, '.')}$`, 'u'); return ws.some((w) => re.test(w)); }
      const st = stem(t);
      return ws.some((w) => w === t || stem(w) === st);
    });
  };
}

export interface CompiledJql {
  filter: Pred;
  compare: (a: IssueRecord, b: IssueRecord) => number;
}

export function compileJql(q: JqlQuery, ctx: JqlContext): CompiledJql {
  const filter = q.where ? compileExpr(q.where, ctx) : () => true;
  const sorters: Array<{ get: (r: IssueRecord) => number | string | null; dir: number }> = [];
  for (const s of q.orderBy) {
    const lower = s.field.toLowerCase();
    let get: ((r: IssueRecord) => number | string | null) | undefined = SORT_ONLY[lower];
    if (!get) {
      const d = fieldDef(s.field);
      if (d.kind === 'user') {
        const acc = d.get as (r: IssueRecord) => string | null;
        get = (r) => { const u = acc(r); return u === null ? null : (ctx.users.get(u)?.displayName ?? u).toLowerCase(); };
      } else if (d.kind === 'labels' || d.kind === 'component' || (d.kind === 'text' && !d.sort)) {
        throw new JqlError(`Field '${s.field}' does not support sorting.`);
      } else get = d.sort;
      if (!get) throw new JqlError(`Field '${s.field}' does not support sorting.`);
    }
    sorters.push({ get, dir: s.dir === 'DESC' ? -1 : 1 });
  }
  // Without ORDER BY (and as the final tie-break) the newest issue comes first.
  const compare = (a: IssueRecord, b: IssueRecord): number => {
    for (const { get, dir } of sorters) {
      const x = get(a);
      const y = get(b);
      if (x === y) continue;
      // Empty values sort after everything else in ascending order (and first in descending).
      if (x === null) return dir;
      if (y === null) return -dir;
      return (x < y ? -1 : 1) * dir;
    }
    return b.index - a.index;
  };
  return { filter, compare };
}

function compileExpr(e: Expr, ctx: JqlContext): Pred {
  if (e.type === 'clause') return compileClause(e, ctx);
  if (e.type === 'not') { const p = compileExpr(e.expr, ctx); return (r) => !p(r); }
  const ps = e.items.map((x) => compileExpr(x, ctx));
  return e.type === 'and' ? (r) => ps.every((p) => p(r)) : (r) => ps.some((p) => p(r));
}

/** Builds a predicate for "field op operand" from a resolver turning one operand into a value set. */
function setClause<T>(
  op: Operator, operand: Operand, field: string,
  resolve: (o: Operand) => T[], getAll: (r: IssueRecord) => T[],
): Pred {
  if (op === 'is' || op === 'is not') {
    const want = op === 'is';
    return (r) => (getAll(r).length === 0) === want;
  }
  const wanted = new Set<T>();
  for (const o of operandValues(operand)) {
    if (o.kind === 'empty') { (wanted as Set<T | null>).add(null); continue; }
    for (const v of resolve(o)) wanted.add(v);
  }
  const matchEmpty = (wanted as Set<T | null>).has(null);
  const positive = op === '=' || op === 'in';
  if (op !== '=' && op !== '!=' && op !== 'in' && op !== 'not in') throw new JqlError(`The operator '${op}' is not supported by the '${field}' field.`);
  return (r) => {
    const vals = getAll(r);
    if (vals.length === 0) return positive ? matchEmpty : false;
    const hit = vals.some((v) => wanted.has(v));
    return positive ? hit : !hit;
  };
}

function compileClause(c: Expr & { type: 'clause' }, ctx: JqlContext): Pred {
  const d = fieldDef(c.field);
  if (!d.ops.includes(c.op)) throw new JqlError(`The operator '${c.op}' is not supported by the '${c.field}' field.`);
  const { op, operand } = c;
  const field = c.field;
  const byName = <T extends { name: string; id: string }>(items: T[], what: string) => (o: Operand): T[] => {
    if (o.kind === 'function') throw unknownFunctionOr(o, field);
    const v = (o as { value: string }).value.toLowerCase();
    const hit = items.filter((x) => x.name.toLowerCase() === v || x.id === v);
    if (hit.length === 0) throw notExist((o as { value: string }).value, what);
    return hit;
  };
  switch (d.kind) {
    case 'project':
      return setClause(op, operand, field, (o) => {
        if (o.kind === 'function') throw unknownFunctionOr(o, field);
        const v = (o as { value: string }).value.toLowerCase();
        const hit = PROJECTS.filter((p) => p.key.toLowerCase() === v || p.name.toLowerCase() === v || p.id === v);
        if (!hit.length) throw notExist((o as { value: string }).value, 'project');
        return hit.map((p) => p.key);
      }, (r) => [r.project.key]);
    case 'status': return setClause(op, operand, field, byName(STATUSES, 'status'), (r) => [r.status]);
    case 'issuetype': return setClause(op, operand, field, byName(ISSUE_TYPES, 'issuetype'), (r) => [r.type]);
    case 'priority': return setClause(op, operand, field, byName(PRIORITIES, 'priority'), (r) => [r.priority]);
    case 'statusCategory':
      return setClause(op, operand, field, (o) => {
        if (o.kind === 'function') throw unknownFunctionOr(o, field);
        const v = (o as { value: string }).value.toLowerCase();
        const hit = STATUS_CATEGORIES.filter((s) => s.name.toLowerCase() === v || s.key === v || String(s.id) === v);
        if (!hit.length) throw notExist((o as { value: string }).value, 'statusCategory');
        return hit;
      }, (r) => [r.status.category]);
    case 'resolution':
      return setClause(op, operand, field, (o) => {
        if (o.kind === 'function') throw unknownFunctionOr(o, field);
        const v = (o as { value: string }).value.toLowerCase();
        if (v === 'unresolved') return [null as unknown as string];
        if (v === RESOLUTION_DONE.name.toLowerCase() || v === RESOLUTION_DONE.id) return [RESOLUTION_DONE.name];
        throw notExist((o as { value: string }).value, 'resolution');
      }, (r) => (r.resolutiondate === null ? [] : [RESOLUTION_DONE.name]));
    case 'user': {
      const get = d.get as (r: IssueRecord) => string | null;
      return setClause(op, operand, field, (o) => {
        if (o.kind === 'function') {
          if (fnName(o) !== 'currentuser') throw unknownFunctionOr(o, field);
          if (!ctx.currentUser) return [];
          return [ctx.currentUser];
        }
        const v = (o as { value: string }).value;
        const lower = v.toLowerCase();
        const u = [...ctx.users.values()].find((x) => x.name.toLowerCase() === lower || x.key.toLowerCase() === lower || x.emailAddress.toLowerCase() === lower);
        if (!u) throw notExist(v, field);
        return [u.name];
      }, (r) => { const u = get(r); return u === null ? [] : [u]; });
    }
    case 'labels':
      return setClause(op, operand, field, (o) => {
        if (o.kind === 'function') throw unknownFunctionOr(o, field);
        return [(o as { value: string }).value];
      }, (r) => r.labels);
    case 'component':
      return setClause(op, operand, field, (o) => {
        if (o.kind === 'function') throw unknownFunctionOr(o, field);
        const v = (o as { value: string }).value.toLowerCase();
        const names = PROJECTS.flatMap((p) => p.components).filter((n) => n.toLowerCase() === v);
        if (!names.length) throw notExist((o as { value: string }).value, 'component');
        return names;
      }, (r) => r.components);
    case 'team':
      return setClause(op, operand, field, (o) => {
        if (o.kind === 'function') throw unknownFunctionOr(o, field);
        return [(o as { value: string }).value.toLowerCase()];
      }, (r) => (r.team === null ? [] : [r.team.toLowerCase()]));
    case 'sprint':
      return setClause(op, operand, field, (o) => {
        if (o.kind === 'function') {
          const state = { opensprints: 'ACTIVE', closedsprints: 'CLOSED', futuresprints: 'FUTURE' }[fnName(o)];
          if (!state) throw unknownFunctionOr(o, field);
          return SPRINTS.filter((s) => s.state === state).map((s) => s.id);
        }
        const v = (o as { value: string }).value.toLowerCase();
        const hit = SPRINTS.filter((s) => String(s.id) === v || s.name.toLowerCase() === v);
        if (!hit.length) throw notExist((o as { value: string }).value, 'Sprint');
        return hit.map((s) => s.id);
      }, (r) => (r.sprint ? [r.sprint.id] : []));
    case 'key': return keyClause(c, ctx);
    case 'text': {
      const get = d.get as (r: IssueRecord) => string;
      if (op === 'is' || op === 'is not') { const want = op === 'is'; return (r) => (get(r) === '') === want; }
      if (operand.kind !== 'value') throw new JqlError(`The operator '${op}' is not supported by the '${field}' field with this value.`);
      const m = textMatcher(operand.value);
      return op === '~' ? (r) => m(get(r)) : (r) => !m(get(r));
    }
    case 'date': {
      const get = d.get as (r: IssueRecord) => number | null;
      return compareClause(c, get, (o) => {
        if (o.kind === 'function') return dateFunction(o, field, ctx.now);
        return parseDate((o as { value: string }).value, field, ctx.now);
      });
    }
    case 'number': {
      const get = d.get as (r: IssueRecord) => number | null;
      if (op === 'in' || op === 'not in') {
        return setClause(op, operand, field, (o) => {
          const n = Number((o as { value: string }).value);
          if (o.kind !== 'value' || !Number.isFinite(n)) throw notExist(o.kind === 'value' ? o.value : '?', field);
          return [n];
        }, (r) => { const v = get(r); return v === null ? [] : [v]; });
      }
      return compareClause(c, get, (o) => {
        const n = Number((o as { value: string }).value);
        if (o.kind !== 'value' || !Number.isFinite(n)) throw notExist(o.kind === 'value' ? o.value : '?', field);
        return n;
      });
    }
  }
}

function unknownFunctionOr(o: Operand & { kind: 'function' }, field: string): JqlError {
  const known = ['currentuser', 'now', 'startofday', 'endofday', 'opensprints', 'closedsprints', 'futuresprints'];
  return known.includes(o.name.toLowerCase()) ? functionNotForField(o, field) : unknownFunction(o);
}

function compareClause(c: Expr & { type: 'clause' }, get: (r: IssueRecord) => number | null, value: (o: Operand) => number): Pred {
  const { op, operand } = c;
  if (op === 'is' || op === 'is not') { const want = op === 'is'; return (r) => (get(r) === null) === want; }
  if (operand.kind === 'empty') {
    if (op === '=') return (r) => get(r) === null;
    if (op === '!=') return (r) => get(r) !== null;
    throw new JqlError(`The operator '${op}' is not supported with EMPTY for the '${c.field}' field.`);
  }
  if (operand.kind === 'list') throw new JqlError(`The operator '${op}' does not support a list for the '${c.field}' field.`);
  const v = value(operand);
  const test: Record<string, (x: number) => boolean> = {
    '=': (x) => x === v, '!=': (x) => x !== v, '>': (x) => x > v, '>=': (x) => x >= v, '<': (x) => x < v, '<=': (x) => x <= v,
  };
  const t = test[op];
  return (r) => { const x = get(r); return x !== null && t(x); };
}

function keyClause(c: Expr & { type: 'clause' }, ctx: JqlContext): Pred {
  const resolve = (o: Operand): IssueRecord => {
    if (o.kind !== 'value') throw new JqlError(`The operator '${c.op}' is not supported by the '${c.field}' field with this value.`);
    const rec = ctx.data.find(o.value);
    if (!rec) {
      if (/^\d+$/.test(o.value)) throw new JqlError(`An issue with id '${o.value}' does not exist for field '${c.field}'.`);
      throw new JqlError(`An issue with key '${o.value}' does not exist for field '${c.field}'.`);
    }
    return rec;
  };
  const { op, operand } = c;
  if (op === '=' || op === '!=' || op === 'in' || op === 'not in') {
    if (operand.kind === 'function') throw unknownFunctionOr(operand, c.field);
    const ids = new Set(operandValues(operand).map(resolve).map((r) => r.index));
    const positive = op === '=' || op === 'in';
    return (r) => ids.has(r.index) === positive;
  }
  const ref = resolve(operand);
  const test: Record<string, (n: number) => boolean> = {
    '>': (n) => n > ref.number, '>=': (n) => n >= ref.number, '<': (n) => n < ref.number, '<=': (n) => n <= ref.number,
  };
  const t = test[op];
  return (r) => r.project === ref.project && t(r.number);
}
