import type { Core } from '../coreLoader';
import type { OAuthProblemKind, OAuthProblemRow } from '../core';
import { localize } from '../l10n';

// The table is core's (src/core/oauthProblems.ts: kind, message and advice per oauth_problem code);
// a JiraError carries its code's kind. The sign-in acts on the kind and shows the row's advice in
// the user's language, reading the table through the loaded core (dist/core.js, not a copy).

export function oauthProblemOf(err: unknown): string | undefined {
  const p = (err as { oauthProblem?: unknown })?.oauthProblem;
  return typeof p === 'string' ? p : undefined;
}

/** The kind of the error's oauth_problem; undefined for other errors and codes not in the table. */
export function problemKind(err: unknown): OAuthProblemKind | undefined {
  return (err as { oauthProblemKind?: OAuthProblemKind })?.oauthProblemKind;
}

/** The link is missing or does not match our key: back to the application-link step. */
export function isApplinkProblem(err: unknown): boolean {
  return problemKind(err) === 'applicationLink';
}

/** The row of the error's oauth_problem; undefined for other errors and codes not in the table. */
export function problemRow(core: Pick<Core, 'oauthProblemRow'>, err: unknown): OAuthProblemRow | undefined {
  return problemKind(err) ? core.oauthProblemRow(oauthProblemOf(err)) : undefined;
}

/**
 * What the sign-in says when it goes on after a row's code (a new page, or the box again); without
 * a row, that Jira no longer accepts the authorization (a code refused too often).
 */
export function adviceOf(core: Pick<Core, 'NO_LONGER_ACCEPTED'>, row: OAuthProblemRow | undefined): string {
  return localize(row?.advice ?? core.NO_LONGER_ACCEPTED);
}
