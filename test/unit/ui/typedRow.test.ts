import assert = require('node:assert/strict');
import { acceptedValue, withTypedRow } from '../../../src/ui/typedRow';

// The window makes the first visible row active whenever the list changes: the typed row must be
// that row. Enter must never be lost, even when the row it names has no value.
describe('ui/typedRow: the typed row of a quick pick (the site pick\'s "Use this URL")', () => {
  const site = { value: 'https://jira.example.com' };
  const separator = {};
  const other = { value: 'other' };
  const typed = { value: 'http://127.0.0.1:8080/jira' };

  it('puts the typed row first, before the rows it was given (which keep their order)', () => {
    const rows = [site, separator, other];
    assert.deepEqual(withTypedRow(rows, typed), [typed, site, separator, other]);
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
