// Test workspaces for spacetimedb-tooling: a temporary directory laid out like an operator's checkout
// (mounted keys, a file store, cli.toml), keys made in-process, tokens signed independently of the tool.
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeIdentity } from '../../../tooling/token/identity';
import { run } from '../../../tooling/cli/cli';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

export interface Pem {
  privatePem: string;
  publicPem: string;
  privateKey: KeyObject;
}

export function newPair(): Pem {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateKey,
  };
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** Signs a JWT with Node's crypto directly (not through the tool), header exactly like the server's. */
export function mintToken(privateKeyPem: string, claims: Record<string, unknown>, headerJson = '{"typ":"JWT","alg":"ES256"}'): string {
  const input = `${b64url(headerJson)}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key: createPrivateKey(privateKeyPem), dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

export const SUB = '5c8b4e2a-7f3d-4a1b-9c6e-0d2f8a7b3e41';

export function serverClaims(sub = SUB, iss = 'localhost'): Record<string, unknown> {
  return { hex_identity: computeIdentity(iss, sub), sub, iss, aud: ['spacetimedb'], iat: 1767225600, exp: null };
}

export function cliTomlText(token: string): string {
  return readFileSync(join(FIXTURES, 'cli.toml.template'), 'utf8').replace('__TOKEN__', token);
}

export interface Workspace {
  dir: string;
  pair: Pem;
  token: string;
  path(rel: string): string;
  read(rel: string): string;
  write(rel: string, data: string | Buffer, mode?: number): void;
  /** Runs the tool in-process with this workspace as working directory. */
  tool(args: string[], env?: Record<string, string | undefined>): Promise<ToolResult>;
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parsed --json report; each test asserts the fields it reads
  json: any;
  marker: string;
}

/** The flags every test passes, so nothing depends on the defaults' location outside the workspace. */
export const PATH_FLAGS = ['--mounted-keys-dir', 'mounted', '--store-dir', 'store', '--backup-dir', 'backups', '--publisher-cli-toml-path', 'cli.toml'];

/** PATH_FLAGS, less --store-dir when the run uses the azure store (where it is a usage error). */
function flagsFor(args: string[]): string[] {
  if (!args.includes('azure')) return PATH_FLAGS;
  const at = PATH_FLAGS.indexOf('--store-dir');
  return [...PATH_FLAGS.slice(0, at), ...PATH_FLAGS.slice(at + 2)];
}

export async function runTool(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<ToolResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: dir,
    env: { ...process.env, ...env },
    now: () => new Date(),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see ToolResult.json
  let json: any;
  if (args.includes('--json')) json = JSON.parse(stdout);
  const lines = stdout.trimEnd().split('\n');
  return { code, stdout, stderr, json, marker: json ? json.marker : (lines[lines.length - 1] ?? '') };
}

/**
 * A workspace with the mounted keys as two plain files (as an operator makes them by hand),
 * cli.toml holding a server-style token signed by that pair, and no store yet.
 */
export function makeWorkspace(options: { pair?: Pem; token?: string; cliToml?: string } = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'stdb-tooling-'));
  const pair = options.pair ?? newPair();
  const token = options.token ?? mintToken(pair.privatePem, serverClaims());
  const ws: Workspace = {
    dir,
    pair,
    token,
    path: (rel) => join(dir, rel),
    read: (rel) => readFileSync(join(dir, rel), 'utf8'),
    write: (rel, data, mode) => {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), data);
      if (mode !== undefined) chmodSync(join(dir, rel), mode);
    },
    tool: (args, env) => runTool(dir, [...flagsFor(args), ...args], env),
  };
  ws.write('mounted/id_ecdsa', pair.privatePem, 0o600);
  ws.write('mounted/id_ecdsa.pub', pair.publicPem, 0o644);
  ws.write('cli.toml', options.cliToml ?? cliTomlText(token), 0o644);
  return ws;
}

export function removeWorkspace(ws: Workspace): void {
  rmSync(ws.dir, { recursive: true, force: true });
}

/** Every entry under dir: content hash and mode for files, target for links, mode for directories. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    const abs = join(dir, rel);
    const stat = lstatSync(abs);
    if (stat.isSymbolicLink()) out[rel] = `link ${readlinkSync(abs)}`;
    else if (stat.isDirectory()) {
      out[rel] = `dir ${(stat.mode & 0o7777).toString(8)}`;
      for (const name of readdirSync(abs).sort()) walk(rel ? `${rel}/${name}` : name);
    } else out[rel] = `file ${(stat.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
  };
  walk('');
  return out;
}

export function openssl(args: string[], input?: string | Buffer): { status: number; stdout: Buffer; stderr: string } {
  const result = spawnSync('openssl', args, { input });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr.toString() };
}
