// A byte-level secret scanner for what a test run leaves on disk (VS Code user data, logs,
// SQLite state databases, Chromium LevelDB stores). Used by test/e2e/zz-secret-scan.e2e.ts and
// proven able to find planted secrets by test/unit/security/scan.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A secret value to look for, with a label that says where it came from (never the value itself). */
export interface Needle {
  label: string;
  value: string;
}

export interface Finding {
  file: string;
  label: string;
  /** How it was found: utf8, utf16le (V8/Chromium two-byte strings), percent-encoded, or a pattern name. */
  form: string;
  offset: number;
}

/**
 * Values shorter than this are not searched: 6-character verification codes or the password
 * "admin" occur by chance in hundreds of megabytes of binary files and in ordinary text.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * Private key material found by its shape, whoever made the key (keys generated inside the
 * extension are never seen by the test): a PEM private key header followed by a body, or the
 * DER prefix of a base64 PKCS#8 RSA private key (`...IBADANBgkqhkiG9w0BAQEFAASC...`, version 0 +
 * rsaEncryption OID) or PKCS#1 RSA private key (`MII...IBAAKC...`, version 0 + modulus).
 */
export const PRIVATE_KEY_PATTERNS: Array<{ name: string; re: RegExp }> = [
  { name: 'PEM private key', re: /-----BEGIN (?:RSA |ENCRYPTED |EC )?PRIVATE KEY-----\s*(?:\\[rn])*\s*[A-Za-z0-9+/]{16}/g },
  { name: 'PKCS#8 RSA private key (base64 DER)', re: /IBADANBgkqhkiG9w0BAQEFAASC[A-Za-z0-9+/]{16}/g },
  { name: 'PKCS#1 RSA private key (base64 DER)', re: /MII[A-Za-z0-9+/]{3}IBAAKC[AB][A-Za-z0-9+/]{16}/g },
];

/** Every regular file under the roots (recursively), minus paths that match `exclude`. */
export function listFiles(roots: string[], exclude: RegExp[] = []): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (exclude.some((re) => re.test(p))) return;
    let st;
    try {
      st = statSync(p);
    } catch {
      return; // removed while walking (a lock file, a journal)
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) walk(join(p, name));
    } else if (st.isFile()) out.push(p);
  };
  for (const r of roots) walk(r);
  return out.sort();
}

function forms(value: string): Array<[string, Buffer]> {
  const f: Array<[string, Buffer]> = [
    ['utf8', Buffer.from(value, 'utf8')],
    ['utf16le', Buffer.from(value, 'utf16le')],
  ];
  const enc = encodeURIComponent(value);
  if (enc !== value) f.push(['percent-encoded', Buffer.from(enc, 'utf8')]);
  return f;
}

/** Searches every file for every needle (in each form) and for private key material. */
export function scanFiles(files: string[], needles: Needle[], base = '/'): Finding[] {
  const usable = needles.filter((n) => n.value.length >= MIN_SECRET_LENGTH);
  const prepared = usable.map((n) => ({ n, forms: forms(n.value) }));
  const findings: Finding[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch {
      continue;
    }
    for (const { n, forms: fs } of prepared) {
      for (const [form, bytes] of fs) {
        const at = buf.indexOf(bytes);
        if (at !== -1) findings.push({ file: relative(base, file), label: n.label, form, offset: at });
      }
    }
    const text = buf.toString('latin1');
    for (const p of PRIVATE_KEY_PATTERNS) {
      p.re.lastIndex = 0;
      const m = p.re.exec(text);
      if (m) findings.push({ file: relative(base, file), label: 'private key', form: p.name, offset: m.index });
    }
  }
  return findings;
}

/** One line per finding, without the secret (only its label). */
export function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.file} @${f.offset}: ${f.label} (${f.form})`).join('\n');
}

/** String values under keys that name a secret (token, secret, password, pat...), recursively. */
export function secretsInOptions(label: string, value: unknown, path = ''): Needle[] {
  const out: Needle[] = [];
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      if (typeof v === 'string' && /token|secret|password|passphrase|pat$|privateKey/i.test(k)) out.push({ label: `${label} ${p}`, value: v });
      else if (/^pats$/i.test(k) && v && typeof v === 'object') {
        for (const pat of Object.keys(v)) out.push({ label: `${label} ${p} (personal access token)`, value: pat });
      } else out.push(...secretsInOptions(label, v, p));
    }
  }
  return out;
}
