import * as assert from 'node:assert/strict';
import type { IssueSummary } from '../../../src/core/search';
import { IssueList, IssueNode, ListHost } from '../../../src/views/model';

// An IssueNode keeps its shared fields in a pooled "traits" object derived from IssueSummary;
// these tests check that every summary field survives the trip, and that pooling never mixes two
// issues whose fields differ only slightly.
const host: ListHost = { session: async () => undefined, pageSize: () => 50, changed: () => undefined, busy: (w) => w };
const list = new IssueList(host, 'my', 'My Issues', 'x', 'my');

const full: IssueSummary = {
  key: 'PROJ-7', summary: 'A summary', status: 'In Progress', statusCategory: 'indeterminate', type: 'Bug',
  priority: 'Major', assignee: 'Alice', reporter: 'Bob', updated: Date.UTC(2024, 0, 2, 3, 4),
};

/** The IssueSummary fields of a node, read through its getters. */
function fieldsOf(n: IssueNode): IssueSummary {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(full)) out[k] = n[k as keyof IssueSummary];
  return out as unknown as IssueSummary;
}

describe('IssueNode keeps every IssueSummary field', () => {
  it('reads back each field it was given', () => {
    assert.deepEqual(fieldsOf(new IssueNode(list, full)), full);
  });

  it('keeps absent fields absent and apart from empty strings', () => {
    const bare: IssueSummary = { ...full, key: 'odd key', statusCategory: undefined, type: undefined, priority: undefined, assignee: undefined, reporter: undefined };
    const empty: IssueSummary = { ...bare, type: '', priority: '', assignee: '', reporter: '' };
    assert.deepEqual(fieldsOf(new IssueNode(list, bare)), bare);
    assert.deepEqual(fieldsOf(new IssueNode(list, empty)), empty);
  });

  it('does not let a pooled issue lend its fields to one that differs in a single field', () => {
    for (const field of ['status', 'statusCategory', 'type', 'priority', 'assignee', 'reporter'] as const) {
      new IssueNode(list, full);
      const other = { ...full, [field]: `other ${field}` };
      assert.deepEqual(fieldsOf(new IssueNode(list, other)), other, field);
    }
  });
});
