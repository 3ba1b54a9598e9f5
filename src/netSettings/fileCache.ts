// Files named in settings (jira.ca, client certificates) are needed by every request, but read
// again only when they changed: each read is an fs.stat, and the file is read when its identity
// (inode), size, modification or change time differ from the last read. An edited or replaced
// file therefore applies to the next request, and a deleted or unreadable one fails it (the stat
// error reaches the caller, which names the setting). No vscode import: unit tests pass a fake fs.
import { resolve } from 'path';
import { LruMap } from '../core/lru';

/** The parts of fs.promises used (tests pass fakes). */
export interface FileSystemLike {
  stat(path: string): Promise<{ mtimeMs: number; ctimeMs: number; size: number; ino: number }>;
  readFile(path: string): Promise<Buffer>;
}

interface Entry {
  signature: string;
  data: Buffer;
}

/** Bounded: a few CA files and certificates; the least recently read beyond this are forgotten. */
const MAX_FILES = 32;

/**
 * A readFile that returns the same Buffer while the file is unchanged (callers may key their own
 * caches on it: parsed certificates, checked client certificates). Callers must not modify it.
 */
export function cachedReader(fs: FileSystemLike, max = MAX_FILES): (path: string) => Promise<Buffer> {
  const files = new LruMap<string, Entry>(max);
  return async (path: string) => {
    const key = resolve(path);
    let st: Awaited<ReturnType<FileSystemLike['stat']>>;
    try {
      st = await fs.stat(key);
    } catch (e) {
      files.delete(key);
      throw e;
    }
    const signature = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    const hit = files.get(key);
    if (hit && hit.signature === signature) return hit.data;
    // Stat before read: if the file changes in between, the next stat differs and it is read again.
    let data: Buffer;
    try {
      data = await fs.readFile(key);
    } catch (e) {
      files.delete(key);
      throw e;
    }
    files.set(key, { signature, data });
    return data;
  };
}
