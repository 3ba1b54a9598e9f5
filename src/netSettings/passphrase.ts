// Client certificate files -> a usable ClientCertificate. The passphrase of an encrypted key or
// PKCS#12 file lives in SecretStorage only (never in settings): asked for once with a password
// box, stored after it worked, asked again (with the reason) when it is wrong. Nothing is stored
// for a passphrase that did not open the file.
import type { ClientCertificate } from '../core';
import { verbatim } from '../core/messages';
import { t } from '../l10n';
import type { SecretStorageLike } from '../store/types';
import type { ClientCertificateFiles, NetCore } from './config';

export const PASSPHRASE_SECRET_PREFIX = 'jira.clientCertificate.passphrase:';

/** The SecretStorage key of a site's client certificate passphrase (per site and file). */
export function passphraseKey(site: string, files: ClientCertificateFiles): string {
  return `${PASSPHRASE_SECRET_PREFIX}${site.trim().replace(/\/+$/, '').toLowerCase()}|${files.pfx ?? files.key ?? ''}`;
}

export interface PassphraseDeps {
  core: NetCore;
  secrets: SecretStorageLike;
  readFile(path: string): Promise<Buffer>;
  /** Password input box; undefined when the user cancels. `retry` = the previous one was wrong. */
  ask(request: { site: string; file: string; retry: boolean }): Promise<string | undefined>;
}

const MAX_ASKS = 5;
const queues = new Map<string, Promise<unknown>>();

/** One unlock at a time per certificate: parallel requests do not open several password boxes. */
function serialise<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  queues.set(key, next.catch(() => undefined));
  return next;
}

async function read(deps: PassphraseDeps, path: string, what: string): Promise<Buffer> {
  const { JiraError } = deps.core;
  try {
    return await deps.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    throw new JiraError('config', verbatim(t('Cannot read the client certificate {0} {1} ({2}). Fix the path in the setting "jira.network.clientCertificates".', what, path, code ?? String(e))), {
      systemCode: code,
    });
  }
}

/**
 * The last certificate that opened, per passphrase key: requests with the same file contents and
 * the same stored passphrase reuse it without checking it again (a tls.createSecureContext each).
 * Anything else (a changed file, a passphrase changed or removed in SecretStorage) goes through
 * the full check below, exactly as the first time.
 */
interface Unlocked {
  files: Array<Buffer | undefined>;
  cert: ClientCertificate;
}
const unlocked = new Map<string, Unlocked>();

function sameFiles(a: Array<Buffer | undefined>, b: Array<Buffer | undefined>): boolean {
  return a.length === b.length && a.every((x, i) => (x === undefined ? b[i] === undefined : b[i] !== undefined && x.equals(b[i] as Buffer)));
}

export function unlockClientCertificate(site: string, files: ClientCertificateFiles, deps: PassphraseDeps): Promise<ClientCertificate> {
  const key = passphraseKey(site, files);
  const { JiraError, checkClientCertificate } = deps.core;
  return serialise(key, async () => {
    const cert: ClientCertificate = files.pfx
      ? { pfx: await read(deps, files.pfx, 'pfx') }
      : {
          cert: files.cert ? await read(deps, files.cert, 'cert') : undefined,
          key: files.key ? await read(deps, files.key, 'key') : undefined,
        };
    cert.source = files.pfx ?? [files.cert, files.key].filter(Boolean).join(', ');
    const contents = [cert.pfx, cert.cert as Buffer | undefined, cert.key as Buffer | undefined];
    const last = unlocked.get(key);
    if (last && sameFiles(last.files, contents)) {
      if (last.cert.passphrase === undefined) return last.cert;
      if ((await deps.secrets.get(key)) === last.cert.passphrase) return last.cert;
    }
    unlocked.delete(key);
    const opened = (c: ClientCertificate): ClientCertificate => {
      unlocked.set(key, { files: contents, cert: c });
      return c;
    };
    if (checkClientCertificate(cert) === 'ok') return opened(cert);
    const file = files.pfx ?? files.key ?? '';
    const stored = await deps.secrets.get(key);
    if (stored !== undefined) {
      if (checkClientCertificate({ ...cert, passphrase: stored }) === 'ok') return opened({ ...cert, passphrase: stored });
      // The file changed or the stored one is stale: forget it, ask again.
      await deps.secrets.delete(key);
    }
    let retry = stored !== undefined;
    for (let i = 0; i < MAX_ASKS; i++) {
      const passphrase = await deps.ask({ site, file, retry });
      if (passphrase === undefined) {
        throw new JiraError('aborted', verbatim(t('The passphrase of the client certificate {0} was not entered; requests to {1} need it.', file, site)));
      }
      if (checkClientCertificate({ ...cert, passphrase }) === 'ok') {
        await deps.secrets.store(key, passphrase);
        return opened({ ...cert, passphrase });
      }
      retry = true;
    }
    throw new JiraError('config', verbatim(t('The passphrase of the client certificate {0} was wrong {1} times. Check it, or export the certificate again.', file, String(MAX_ASKS))));
  });
}
