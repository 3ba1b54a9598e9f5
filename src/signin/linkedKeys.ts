import { t } from '../l10n';
import type { MementoLike, SecretStorageLike } from '../store/types';
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

/** The consumer keys of this site's links that worked once (their keys are taken). */
export function linkedConsumerKeys(memento: MementoLike, baseUrl: string): string[] {
  const prefix = entry(baseUrl, '');
  return Object.keys(read(memento)).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
}

/** "vscode-jira-alice" -> "vscode-jira-alice-2" (then -3...), skipping the taken ones. */
export function nextConsumerKey(current: string, taken: readonly string[]): string {
  const stem = current.replace(/-\d+$/, '');
  for (let n = 2; ; n++) {
    const next = `${stem}-${n}`;
    if (next !== current && !taken.includes(next)) return next;
  }
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

/**
 * The key pair of an application link, kept after Sign Out: it is the link's credential (Jira still
 * holds its public key), not the account's. A later sign-in through the same link reuses it and
 * needs no change in Jira. The private key in SecretStorage, an index (no secrets) in globalState.
 */
const KEPT_INDEX_KEY = 'jira.oauth1.keptLinkKeys';
const KEPT_SECRET_PREFIX = 'jira.oauth1.linkKey.';

export interface KeptLinkKey {
  baseUrl: string;
  consumerKey: string;
  fingerprint: string;
  keptAt: number;
}

function readKept(memento: MementoLike): KeptLinkKey[] {
  const v = memento.get<unknown>(KEPT_INDEX_KEY);
  return Array.isArray(v) ? v.filter((k: KeptLinkKey) => k && typeof k.baseUrl === 'string' && typeof k.consumerKey === 'string' && typeof k.fingerprint === 'string') : [];
}

const secretKey = (baseUrl: string, consumerKey: string) => KEPT_SECRET_PREFIX + encodeURIComponent(entry(baseUrl, consumerKey));
const sameLink = (k: KeptLinkKey, baseUrl: string, consumerKey: string) => entry(k.baseUrl, k.consumerKey) === entry(baseUrl, consumerKey);

/** The links (of this site, or of every site) whose key pair is kept, the most recent first. */
export function keptLinkKeys(memento: MementoLike, baseUrl?: string): KeptLinkKey[] {
  return readKept(memento).filter((k) => baseUrl === undefined || entry(k.baseUrl, '') === entry(baseUrl, '')).sort((a, b) => b.keptAt - a.keptAt);
}

/** Keeps the key pair of a link (Sign Out): the private key first, then the index entry. */
export async function keepLinkKey(secrets: SecretStorageLike, memento: MementoLike, link: { baseUrl: string; consumerKey: string; fingerprint: string; privateKeyPem: string }): Promise<void> {
  await secrets.store(secretKey(link.baseUrl, link.consumerKey), JSON.stringify({ v: 1, privateKeyPem: link.privateKeyPem }));
  const others = readKept(memento).filter((k) => !sameLink(k, link.baseUrl, link.consumerKey)).slice(-(MAX_ENTRIES - 1));
  await memento.update(KEPT_INDEX_KEY, [...others, { baseUrl: link.baseUrl, consumerKey: link.consumerKey, fingerprint: link.fingerprint, keptAt: Date.now() }]);
}

/** The kept private key of a link; undefined when none is kept (or the secret is gone). */
export async function keptPrivateKey(secrets: SecretStorageLike, memento: MementoLike, baseUrl: string, consumerKey: string): Promise<string | undefined> {
  if (!readKept(memento).some((k) => sameLink(k, baseUrl, consumerKey))) return undefined;
  try {
    const v = JSON.parse((await secrets.get(secretKey(baseUrl, consumerKey))) ?? 'null') as { privateKeyPem?: unknown } | null;
    return typeof v?.privateKeyPem === 'string' ? v.privateKeyPem : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the kept key pair of a link (the index entry first, so nothing points at a missing key). */
export async function forgetLinkKey(secrets: SecretStorageLike, memento: MementoLike, baseUrl: string, consumerKey: string): Promise<void> {
  const all = readKept(memento);
  if (all.some((k) => sameLink(k, baseUrl, consumerKey))) await memento.update(KEPT_INDEX_KEY, all.filter((k) => !sameLink(k, baseUrl, consumerKey)));
  await secrets.delete(secretKey(baseUrl, consumerKey));
}
