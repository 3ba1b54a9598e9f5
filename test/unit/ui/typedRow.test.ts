import assert = require('node:assert/strict');
import { acceptedValue, withTypedRow } from '../../../src/ui/typedRow';

// VS Code names the chosen row by its place in the list, and the window may send a place from the
// list it showed before the typed row arrived: an Enter must neither be lost nor land elsewhere.
describe('ui/typedRow: the typed row of a quick pick (the site pick\'s "Use this URL")', () => {
  const site = { value: 'https://jira.example.com' };
  const separator = {};
  const other = { value: 'other' };
  const typed = { value: 'http://127.0.0.1:8080/jira' };

  it('adds the typed row last, so that every other row keeps its place', () => {
    const rows = [site, separator, other];
    const shown = withTypedRow(rows, typed);
    assert.deepEqual(shown, [site, separator, other, typed]);
    rows.forEach((r, i) => assert.equal(shown[i], r));
    assert.deepEqual(withTypedRow(rows, undefined), rows);
    assert.notEqual(withTypedRow(rows, undefined), rows, 'a new list, never the caller\'s');
  });

  it('Enter takes the selected row, else the active row', () => {
    assert.equal(acceptedValue([site], [other], typed), site.value);
    assert.equal(acceptedValue([], [other], typed), other.value);
  });

  it('Enter on a place that names no row with a value (a separator, a place the list lost) takes the typed row', () => {
    assert.equal(acceptedValue([separator], [separator], typed), typed.value);
    assert.equal(acceptedValue([], [], typed), typed.value);
  });

  it('with nothing typed and nothing chosen, Enter chooses nothing (the pick stays open)', () => {
    assert.equal(acceptedValue([], [separator], undefined), undefined);
  });
});
