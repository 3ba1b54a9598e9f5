// SecretStorage for several processes on one machine: one file per key in a directory (written
// to a temporary file and renamed, so a reader never sees half a value). It fires no change
// events, the hardest case: a window only learns what another stored by reading it.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStorageLike } from '../../../src/store/types';

export class FileSecrets implements SecretStorageLike {
  readonly onDidChange = () => ({ dispose: () => undefined });

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(key: string): string {
    return join(this.dir, encodeURIComponent(key));
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return readFileSync(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
  }

  async store(key: string, value: string): Promise<void> {
    const tmp = `${this.file(key)}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, value);
    renameSync(tmp, this.file(key));
  }

  async delete(key: string): Promise<void> {
    rmSync(this.file(key), { force: true });
  }
}
