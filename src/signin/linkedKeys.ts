import { t } from '../l10n';
import type { MementoLike } from '../store/types';
import { SignInError } from './errors';

/**
 * Which public key each application link held when a sign-in through it last worked, per site and
 * consumer key (fingerprints only: public, kept in globalState). Jira keeps the link after Sign
 * Out, so a later sign-in that generates a new key pair for the same consumer key meets
 * signature_invalid because the link still holds the old key: this memory names that cause first.
 */
const LINKED_KEYS_KEY = 'jira.oauth1.linkedKeys';
const MAX_ENTRIES = 50;

type LinkedKeys = Record<string, string>;

const entry = (baseUrl: string, consumerKey: string) => `${baseUrl.replace(/\/+$/, '').toLowerCase()} ${consumerKey}`;

function read(memento: MementoLike): LinkedKeys {
  const v = memento.get<unknown>(LINKED_KEYS_KEY);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as LinkedKeys) : {};
}

/** After a sign-in through the link worked: the link holds this key. */
export async function rememberLinkedKey(memento: MementoLike, baseUrl: string, consumerKey: string, fingerprint: string): Promise<void> {
  const all = read(memento);
  delete all[entry(baseUrl, consumerKey)];
  const kept = Object.entries(all).slice(-(MAX_ENTRIES - 1));
  await memento.update(LINKED_KEYS_KEY, Object.fromEntries([...kept, [entry(baseUrl, consumerKey), fingerprint]]));
}

/** The key the link held when it last worked, if that is not the key being used now. */
export function otherLinkedKey(memento: MementoLike, baseUrl: string, consumerKey: string, fingerprint: string): string | undefined {
  const known = read(memento)[entry(baseUrl, consumerKey)];
  return known && known !== fingerprint ? known : undefined;
}

/** signature_invalid where the link is known to hold another key: say that first, and what to do. */
export function keyMismatch(baseUrl: string, consumerKey: string, linked: string, current: string, cause: unknown): SignInError {
  const err = new SignInError(
    'key_mismatch',
    t(
      'Jira rejected the signature: the application link for consumer key "{0}" most likely still holds the public key of your earlier sign-in ({1}), not the new key pair ({2}). Jira keeps the link after Sign Out. Copy the new public key into the link\'s incoming authentication and try again, or sign in with another consumer key.',
      consumerKey,
      linked,
      current,
    ),
    cause,
  );
  err.baseUrl = baseUrl;
  return err;
}
