import { errorMessage, t } from '../l10n';
import type { StepInfo } from '../ui/prompter';
import type { SignInDeps } from './deps';
import { abortable, answered } from './errors';

/** A key pair of an application link: the private key for SecretStorage, the public key for Jira. */
export interface KeyMaterial {
  privateKeyPem: string;
  publicKeyPem: string;
  fingerprint: string;
}

/** Consumer keys are free text in Jira; keep them copy-paste safe. */
export function validateConsumerKey(v: string): string | undefined {
  const s = v.trim();
  if (!s) return t('Enter a consumer key (any unique name, e.g. vscode-jira).');
  if (/\s/.test(s)) return t('The consumer key cannot contain spaces.');
  if (s.length > 200) return t('The consumer key is too long (at most 200 characters).');
  return undefined;
}

/** Generates an RSA key pair off the main thread, with a cancellable progress notification. */
export async function generateKey(deps: SignInDeps): Promise<KeyMaterial> {
  const core = await deps.core();
  const bits = deps.settings().keySize;
  const pair = await deps.prompter.progress(t('Generating an RSA {0}-bit key pair...', bits), (signal) =>
    abortable(core.generateKeyPair({ modulusLength: bits }), signal),
  );
  deps.log.info(`generated an RSA ${bits}-bit key pair`);
  return { ...pair, fingerprint: core.keyFingerprint(pair.publicKeyPem) };
}

/**
 * Reads a private key (PKCS#1, PKCS#8, encrypted PKCS#8), asking for the passphrase when needed,
 * and returns it as unencrypted PKCS#8 (for SecretStorage) with its public key.
 */
export async function importPem(deps: SignInDeps, pem: string, passphrase?: string, title = t('Jira: Import Private Key')): Promise<KeyMaterial> {
  const core = await deps.core();
  let message: string | undefined;
  for (;;) {
    try {
      const key = core.loadPrivateKey(pem, { passphrase });
      const privateKeyPem = String(key.export({ type: 'pkcs8', format: 'pem' }));
      const publicKeyPem = core.derivePublicKeyPem(key);
      return { privateKeyPem, publicKeyPem, fingerprint: core.keyFingerprint(publicKeyPem) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'passphrase_required' && code !== 'wrong_passphrase') throw err;
      if (code === 'wrong_passphrase') message = errorMessage(err);
      passphrase = answered(
        await deps.prompter.input({
          title,
          password: true,
          prompt: t('This private key is encrypted. Enter its passphrase (it is used once to read the key and not stored).'),
          validationMessage: message,
          validate: (v) => (v ? undefined : t('Enter the passphrase.')),
        }),
      );
    }
  }
}

/** Lets the user pick a private key file and reads it (the file is not copied anywhere). */
export async function importKeyFile(deps: SignInDeps, title: string): Promise<KeyMaterial> {
  const file = answered(
    await deps.prompter.openFile({
      title: t('Choose the private key of the application link (PEM)'),
      filters: { [t('Private keys')]: ['pem', 'key', 'txt'], [t('All files')]: ['*'] },
    }),
  );
  deps.log.info(`importing a private key from ${file.name}`);
  return importPem(deps, file.content, undefined, title);
}

export async function askConsumerKey(deps: SignInDeps, title: string, steps: StepInfo, value: string): Promise<string> {
  return answered(
    await deps.prompter.input({
      title,
      steps,
      prompt: t('Consumer key for the application link in Jira. Keep the proposal or enter the key of an existing link.'),
      value,
      validate: validateConsumerKey,
    }),
  ).trim();
}
