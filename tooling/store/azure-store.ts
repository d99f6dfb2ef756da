// Azure Key Vault through the az CLI: one vault per environment (kv-prod, kv-test, kv-dev, kv-local by
// default), each holding the secrets spacetimedb-jwt-private-key and spacetimedb-jwt-public-key.
//
// Reads:  az keyvault secret show --vault-name <vault> --name <secret> --output json
// Writes: az keyvault secret set --vault-name <vault> --name <secret> --file <tmp> --encoding utf-8 --output none
// A PEM never appears on a command line: writes go through a 0600 file in a private temporary
// directory that is removed afterwards. The vault has no transaction over two secrets; the rotation
// journal (backup.ts) lets the next run finish a pair that was interrupted between the two writes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../core/types';
import { crashPoint } from '../fs/crash-points';
import { ToolError } from '../core/errors';
import { writeNewFile } from '../fs/atomic-write';
import { MAX_BYTES } from '../fs/safe-read';
import type { PemPair, RawPair } from '../keys/key-dir';
import type { KeyStore } from './store';

const PRIVATE_SECRET = 'spacetimedb-jwt-private-key';
/** How long one az call may take, and how much it may print: a secret is a few hundred bytes. */
const AZ_TIMEOUT_MS = 120_000;
const AZ_MAX_OUTPUT = 1024 * 1024;
const PUBLIC_SECRET = 'spacetimedb-jwt-public-key';

export class AzureStore implements KeyStore {
  readonly kind = 'azure' as const;

  constructor(
    private readonly vaults: Record<Env, string>,
    private readonly env: Record<string, string | undefined>,
    private readonly log: (line: string) => void = () => {},
  ) {}

  describe(env: Env): string {
    return `Azure Key Vault ${this.vaults[env]}`;
  }

  location(env: Env): string {
    return this.vaults[env];
  }

  private az(args: string[]): { status: number; stdout: string; stderr: string } {
    this.log(`az ${args.join(' ')}`);
    const result = spawnSync('az', args, { env: this.env as NodeJS.ProcessEnv, encoding: 'utf8', maxBuffer: AZ_MAX_OUTPUT, timeout: AZ_TIMEOUT_MS, killSignal: 'SIGKILL' });
    if (result.error) {
      const code = (result.error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new ToolError('az-missing', 'az: not found on PATH. Install the Azure CLI and run az login, or use --store file.');
      }
      if (code === 'ETIMEDOUT') throw new ToolError('az-failed', `az ${args.slice(0, 7).join(' ')}: no answer within ${AZ_TIMEOUT_MS / 1000} s; check the network and az login.`);
      if (code === 'ENOBUFS') throw new ToolError('az-failed', `az ${args.slice(0, 7).join(' ')}: printed more than ${AZ_MAX_OUTPUT} bytes, far more than a key; check the vault and secret names.`);
      throw new ToolError('az-failed', `az ${args.slice(0, 3).join(' ')}: could not run (${result.error.message}).`);
    }
    return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  }

  private failure(args: string[], result: { status: number; stderr: string }): ToolError {
    const detail = result.stderr.split('\n').map((line) => line.trim()).find(Boolean) ?? 'no error text';
    return new ToolError(
      'az-failed',
      `az ${args.slice(0, 7).join(' ')}: failed with exit ${result.status} (${detail}). Check az login and your access to the vault.`,
    );
  }

  private readSecret(vault: string, name: string): Buffer | undefined {
    const args = ['keyvault', 'secret', 'show', '--vault-name', vault, '--name', name, '--output', 'json'];
    const result = this.az(args);
    if (result.status !== 0) {
      if (/SecretNotFound|\(NotFound\)|was not found/i.test(result.stderr)) return undefined;
      throw this.failure(args, result);
    }
    let value: unknown;
    try {
      value = (JSON.parse(result.stdout) as { value?: unknown }).value;
    } catch {
      throw new ToolError('az-failed', `az keyvault secret show --vault-name ${vault} --name ${name}: output is not JSON.`);
    }
    if (typeof value !== 'string') throw new ToolError('az-failed', `Azure Key Vault ${vault}: secret ${name} has no string value.`);
    if (value.length > MAX_BYTES.key) throw new ToolError('too-large', `Azure Key Vault ${vault}: secret ${name} holds ${value.length} characters, more than a key file can be; check the secret.`);
    return Buffer.from(value, 'utf8');
  }

  read(env: Env): RawPair {
    const vault = this.vaults[env];
    return { privatePem: this.readSecret(vault, PRIVATE_SECRET), publicPem: this.readSecret(vault, PUBLIC_SECRET) };
  }

  write(env: Env, pair: PemPair, label: string): void {
    const vault = this.vaults[env];
    const dir = mkdtempSync(join(tmpdir(), 'spacetimedb-tooling-az-'));
    try {
      for (const [name, pem, step] of [
        [PRIVATE_SECRET, pair.privatePem, 'private-set'],
        [PUBLIC_SECRET, pair.publicPem, 'public-set'],
      ] as const) {
        const file = join(dir, name);
        writeNewFile(file, pem, 0o600);
        const args = ['keyvault', 'secret', 'set', '--vault-name', vault, '--name', name, '--file', file, '--encoding', 'utf-8', '--output', 'none'];
        const result = this.az(args);
        if (result.status !== 0) throw this.failure(args, result);
        crashPoint(`${label}:${step}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  preflightWrite(): void {
    // Reading every affected vault before a write (for the backup) already proves access and login.
  }
}
