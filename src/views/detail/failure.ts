/**
 * The words for a failed read or write of detail/work.ts: a WorkError's code in the user's
 * language, Jira's own errorMessages/errors, or, for a write whose connection was lost, that it
 * may have been applied. Plain TypeScript (no 'vscode'), so unit tests run it in Node.
 */
import { localize, t } from '../../l10n';
import { errorSummary, jiraErrorMessages } from '../../core/search';
import { WorkError } from '../../core/work';

/** Why a request failed, in the user's words around Jira's own. */
export function describeFailure(err: unknown, write: boolean): string {
  if (err instanceof WorkError) {
    switch (err.code) {
      case 'invalid_key': return t('"{0}" is not an issue key (PROJ-123).', String(err.args.value));
      case 'empty_comment': return t('The comment is empty: write something first.');
      case 'comment_too_long': return t('The comment has {0} characters; Jira takes at most {1}. Shorten it and send it again.', err.args.length, err.args.max);
      case 'invalid_transition': return t('Choose a transition.');
      case 'invalid_user': return t('Jira did not say who you are: sign in again.');
    }
  }
  const code = (err as { code?: unknown })?.code;
  if (write && (code === 'network' || code === 'timeout')) {
    return t('The connection was lost before Jira answered, so the change may or may not have been made. Check the issue before you try again.');
  }
  const jira = jiraErrorMessages(err);
  return jira.length ? jira.join(' ') : errorSummary(err, localize);
}

/** The sentence for a write Jira refused (or whose answer was lost), around describeFailure's words. */
export const refused = {
  transition: (key: string, to: string, detail: string): string => t('Jira did not move {0} to {1}: {2}', key, to, detail),
  assign: (key: string, who: string, detail: string): string => t('Jira did not assign {0} to {1}: {2}', key, who, detail),
  comment: (key: string, detail: string): string => t('Jira did not add your comment to {0}: {1} Your text is still in the comment box.', key, detail),
};
