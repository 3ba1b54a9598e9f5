import { t } from '../l10n';
import { newId } from '../util/id';
import { siteLabel } from '../store/accounts';
import type { PendingRequestToken, PendingSignIn, SiteInfo } from '../store/types';
import type { SignInDeps } from './deps';
import { answered, cancelled, SignInError } from './errors';
import type { FlowContext } from './flows';
import { keptLinkKeys, keptPrivateKey } from './linkedKeys';
import { askConsumerKey, generateKey, importKeyFile, importPem, KeyMaterial, validateConsumerKey } from './oauth1Keys';

/** The state of an OAuth 1.0a sign-in while it runs (persisted in PendingStore when `persisted`). */
export interface Draft {
  meta: PendingSignIn;
  privateKeyPem: string;
  request?: PendingRequestToken;
  /** false for keys passed as arguments (tests, other extensions): nothing is written until success. */
  persisted: boolean;
}

/** Asks before a new sign-in replaces the pending one (its key pair would be lost). */
export async function confirmReplacePending(deps: SignInDeps, newSite: string): Promise<void> {
  const p = deps.pending.get();
  if (!p) return;
  const replace = t('Replace');
  const answer = await deps.prompter.notify(
    'warning',
    t('Replace the sign-in in progress for {0}?', siteLabel(p.site.baseUrl)),
    {
      modal: true,
      detail: t('Its key pair will be deleted, and an application link created with its public key (consumer key "{0}") will no longer work. The new sign-in is for {1}.', p.consumerKey, siteLabel(newSite)),
    },
    replace,
  );
  if (answer !== replace) throw cancelled();
}

/** A new pending OAuth 1.0a sign-in for this key. */
export function newPending(site: SiteInfo, consumerKey: string, key: KeyMaterial, source: PendingSignIn['keySource'], step: PendingSignIn['step']): PendingSignIn {
  const now = Date.now();
  return {
    id: newId(),
    method: 'oauth1',
    step,
    site,
    consumerKey,
    publicKeyPem: key.publicKeyPem,
    keyFingerprint: key.fingerprint,
    keySource: source,
    createdAt: now,
    updatedAt: now,
  };
}

/** Step 2: consumer key and key pair (generate, import, or reuse); starts the pending sign-in. */
export async function prepareDraft(ctx: FlowContext): Promise<Draft> {
  const { deps, site, args } = ctx;
  const pending = deps.pending.get();
  const samePending = pending && pending.site.baseUrl === site.baseUrl ? pending : undefined;
  // A link whose key pair was kept at Sign Out is proposed first: signing in through it again needs no change in Jira.
  const kept = keptLinkKeys(deps.memento, site.baseUrl);
  const proposal = samePending?.consumerKey ?? kept[0]?.consumerKey ?? deps.proposedConsumerKey();
  const consumerKey = args.consumerKey?.trim() || (await askConsumerKey(deps, t('{0}: consumer key', ctx.title), ctx.step('consumerKey'), proposal));
  const invalid = args.consumerKey ? validateConsumerKey(args.consumerKey) : undefined;
  if (invalid) throw new SignInError('invalid_argument', invalid);

  if (args.privateKeyPem) {
    // A key handed over by a caller: its application link exists; nothing is stored before success.
    const key = await importPem(deps, args.privateKeyPem, args.passphrase);
    return { meta: newPending(site, consumerKey, key, 'imported', 'authorize'), privateKeyPem: key.privateKeyPem, persisted: false };
  }

  type Choice = 'generate' | 'import' | 'pending' | 'kept' | `account:${string}`;
  const items: Array<{ label: string; description?: string; detail?: string; value: Choice }> = [];
  const keptLink = kept.find((k) => k.consumerKey === consumerKey);
  const keptPem = keptLink ? await keptPrivateKey(deps.accounts.secretStorage, deps.memento, site.baseUrl, consumerKey) : undefined;
  if (keptLink && keptPem) {
    items.push({
      label: `$(history) ${t('Reuse the Key Pair of the Application Link')}`,
      description: keptLink.fingerprint,
      detail: t('Kept when you signed out: the application link for consumer key "{0}" holds its public key, so nothing changes in Jira.', consumerKey),
      value: 'kept',
    });
  }
  const pendingSecrets = samePending && samePending.consumerKey === consumerKey ? await deps.pending.getSecrets() : undefined;
  if (samePending && pendingSecrets) {
    items.push({
      label: `$(history) ${t('Use the Key Pair Generated Earlier')}`,
      description: samePending.keyFingerprint,
      detail: t('Created {0} for consumer key "{1}".', new Date(samePending.createdAt).toLocaleString(), samePending.consumerKey),
      value: 'pending',
    });
  }
  for (const a of deps.accounts.list()) {
    if (a.method === 'oauth1' && a.site.baseUrl === site.baseUrl && a.consumerKey === consumerKey) {
      items.push({
        label: `$(account) ${t('Use the Key of {0}', a.displayName)}`,
        description: a.keyFingerprint,
        detail: t('The application link for consumer key "{0}" already works with this key.', consumerKey),
        value: `account:${a.id}`,
      });
    }
  }
  items.push(
    {
      label: `$(key) ${t('Generate a New Key Pair')}`,
      description: t('RSA {0}-bit', deps.settings().keySize),
      detail: t('The private key stays in VS Code\'s secret storage; you give Jira the public key.'),
      value: 'generate',
    },
    {
      label: `$(folder-opened) ${t('Import a Private Key File...')}`,
      description: 'PKCS#1 / PKCS#8',
      detail: t('For an existing application link. Encrypted keys are supported; the file is read once, not copied.'),
      value: 'import',
    },
  );
  const choice = answered(await deps.prompter.pick<Choice>({ title: t('{0}: key pair', ctx.title), steps: ctx.step('keyPair'), placeholder: t('Key pair for consumer key "{0}"', consumerKey), items }));

  if (choice === 'pending' && samePending && pendingSecrets) {
    return { meta: samePending, privateKeyPem: pendingSecrets.privateKeyPem, request: pendingSecrets.request, persisted: true };
  }
  await confirmReplacePending(deps, site.baseUrl);
  let key: KeyMaterial;
  let source: PendingSignIn['keySource'];
  let step: PendingSignIn['step'] = 'applink';
  if (choice === 'kept' && keptPem) {
    key = await importPem(deps, keptPem);
    source = 'link';
    step = 'authorize';
  } else if (choice.startsWith('account:')) {
    const auth = await deps.accounts.getAuth(choice.slice('account:'.length));
    if (!auth || auth.type !== 'oauth1') throw new SignInError('pending_lost', t('The key of that account is no longer in VS Code\'s secret storage.'));
    key = await importPem(deps, auth.privateKeyPem);
    source = 'account';
    step = 'authorize';
  } else {
    key = choice === 'generate' ? await generateKey(deps) : await importKeyFile(deps, ctx.title);
    source = choice === 'generate' ? 'generated' : 'imported';
  }
  const meta = newPending(site, consumerKey, key, source, step);
  await deps.pending.start(meta, key.privateKeyPem);
  deps.log.info(`sign-in to ${site.baseUrl} pending at step ${step} (consumer key ${consumerKey}, key ${key.fingerprint})`);
  return { meta, privateKeyPem: key.privateKeyPem, persisted: true };
}

/** The pending sign-in for this site, with its key; undefined when there is none. */
export async function loadDraft(deps: SignInDeps, site: SiteInfo): Promise<Draft | undefined> {
  const p = deps.pending.get();
  if (!p || p.site.baseUrl !== site.baseUrl) return undefined;
  const s = await deps.pending.getSecrets();
  if (!s) {
    await deps.pending.clear();
    throw new SignInError('pending_lost', t('The key pair of the sign-in to {0} is no longer in VS Code\'s secret storage (was the keychain reset?). Start the sign-in again.', siteLabel(site.baseUrl)));
  }
  return { meta: p, privateKeyPem: s.privateKeyPem, request: s.request, persisted: true };
}

export async function setStep(deps: SignInDeps, draft: Draft, step: PendingSignIn['step']): Promise<void> {
  draft.meta = { ...draft.meta, step, updatedAt: Date.now() };
  if (draft.persisted) await deps.pending.update({ step });
}

export async function setRequest(deps: SignInDeps, draft: Draft, request: PendingRequestToken | undefined): Promise<void> {
  draft.request = request;
  if (draft.persisted && deps.pending.get()?.id === draft.meta.id) await deps.pending.setRequestToken(request);
}
