// The default store: a directory with one key directory per environment,
//   <store-dir>/<env>/id_ecdsa and id_ecdsa.pub   (env = prod, test, dev, local)
// each switched atomically like the mounted directory (see key-dir.ts). The store directory is 0700.
import { join } from 'node:path';
import type { Env } from '../core/types';
import { mkdirDurable } from '../fs/atomic-write';
import { probeWritable } from '../fs/fs-guard';
import { KeyDir, type PemPair, type RawPair } from '../keys/key-dir';
import type { KeyStore } from './store';

export class FileStore implements KeyStore {
  readonly kind = 'file' as const;

  constructor(
    readonly dir: string,
    readonly display: string,
  ) {}

  keyDir(env: Env): KeyDir {
    return new KeyDir(join(this.dir, env), `${this.display}/${env}`);
  }

  describe(env: Env): string {
    return `file store ${this.display}/${env}`;
  }

  location(): string {
    return this.dir;
  }

  read(env: Env): RawPair {
    return this.keyDir(env).readRaw();
  }

  write(env: Env, pair: PemPair, label: string, now: Date): void {
    mkdirDurable(this.dir, 0o700);
    this.keyDir(env).install(pair, label, now);
  }

  preflightWrite(envs: readonly Env[]): void {
    probeWritable(this.dir, this.display);
    for (const env of envs) {
      const keyDir = this.keyDir(env);
      keyDir.inspect();
      probeWritable(keyDir.path, keyDir.display);
    }
  }
}
