/**
 * A quick pick that offers the typed text as a row of its own (the site pick's "Use this URL").
 * Plain functions, no vscode import, so that the rules are tested in plain Node.
 *
 * VS Code tells the extension which row was chosen by its place in the list (the handle), and
 * the window may still send a place from the list it showed before the typed row arrived. Two
 * rules keep such an Enter from being lost or landing on another row.
 */

/** The rows with the typed row last: every other row keeps its place (VS Code still sorts the exact match first). */
export function withTypedRow<I>(rows: readonly I[], typed: I | undefined): I[] {
  return typed ? [...rows, typed] : [...rows];
}

/**
 * The value Enter chose: the selected row's, else the active row's, else, when neither names a row
 * with a value (a separator, or a place the list no longer has), the typed row's.
 */
export function acceptedValue<T>(
  selected: ReadonlyArray<{ value?: T }>,
  active: ReadonlyArray<{ value?: T }>,
  typed: { value?: T } | undefined,
): T | undefined {
  const row = [selected[0], active[0], typed].find((r) => r?.value !== undefined);
  return row?.value;
}
