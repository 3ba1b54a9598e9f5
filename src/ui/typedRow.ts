/**
 * A quick pick that offers the typed text as a row of its own (the site pick's "Use this URL").
 * Plain functions, no vscode import, so that the rules are tested in plain Node.
 */

/**
 * The rows with the typed row first. When the list changes, the window makes its first visible row
 * active by itself; the typed row must be that row, or the window and the extension disagree about
 * which row Enter takes (with the typed row last, Enter took "Enter Another Site URL..." in CI).
 */
export function withTypedRow<I>(rows: readonly I[], typed: I | undefined): I[] {
  return typed ? [typed, ...rows] : [...rows];
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
