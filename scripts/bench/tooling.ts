// Benchmark (not a test): wall time of the bundled spacetimedb-tooling, process start included, beside
// the equivalent OpenSSL command pipeline, run side by side in one invocation.
//
//   pnpm bench:tooling [--runs N]
//
// Each case runs N times (default 15), alternating tool and pipeline so load changes hit both alike;
// the median is reported with min and max. The pipelines do by hand what the guide's manual steps do:
// check the PEM headers, the curve, that the pair matches, the fingerprint, line endings, the key's mode,
// the token's ES256 signature (raw r||s converted to DER), its claims and the payload alphabet; and for
// re-signing: refresh iat, sign with openssl dgst, convert the DER signature back to r||s and put the
// token into cli.toml through a temporary file. They cannot compute the BLAKE3 identity (openssl has no
// BLAKE3), and they make no backup and no fsync, which the tool does.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { computeIdentity } from '../../tooling/token/identity';
import { buildTooling } from '../build-tooling';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Math.max(3, Number.parseInt(values.runs ?? '15', 10) || 15);

// The scripts write @{ for bash's ${ so that the template literal leaves them alone.
const VERIFY_PIPELINE = String.raw`set -euo pipefail
priv=mounted/id_ecdsa; pub=mounted/id_ecdsa.pub; cli=cli.toml
b64d() { local x=$1; case $(( @{#x} % 4 )) in 2) x="$x==";; 3) x="$x=";; esac; printf '%s' "$x" | basenc --base64url -d; }
int_der() { local v=$1; while [[ @{#v} -gt 2 && @{v:0:2} == 00 ]]; do v=@{v:2}; done; (( 16#@{v:0:2} >= 128 )) && v=00$v; printf '02%02x%s' $(( @{#v} / 2 )) "$v"; }
head -n1 "$priv" | grep -qx -- '-----BEGIN PRIVATE KEY-----'
head -n1 "$pub" | grep -qx -- '-----BEGIN PUBLIC KEY-----'
openssl pkey -in "$priv" -noout -text | grep -q 'ASN1 OID: prime256v1'
[ "$(openssl pkey -in "$priv" -pubout)" = "$(openssl pkey -pubin -in "$pub")" ]
openssl pkey -pubin -in "$pub" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1 >/dev/null
! grep -q $'\r' "$priv" "$pub"
[ "$(stat -c %a "$priv")" = 600 ]
token=$(sed -n 's/^spacetimedb_token = "\(.*\)"$/\1/p' "$cli")
h=@{token%%.*}; rest=@{token#*.}; p=@{rest%%.*}; s=@{rest#*.}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%s' "$h.$p" > "$tmp/input"
sig=$(b64d "$s" | xxd -p -c 64)
r=$(int_der "@{sig:0:64}"); q=$(int_der "@{sig:64:64}")
printf '30%02x%s%s' $(( (@{#r} + @{#q}) / 2 )) "$r" "$q" | xxd -r -p > "$tmp/sig.der"
openssl dgst -sha256 -verify "$pub" -signature "$tmp/sig.der" "$tmp/input" >/dev/null
claims=$(b64d "$p")
grep -q '"iss":"' <<<"$claims"; grep -q '"sub":"' <<<"$claims"; grep -Eq '"iat":[0-9]+' <<<"$claims"
case "$p" in *[-_]*) exit 1;; esac
`.replaceAll('@{', '${');

const RESIGN_PIPELINE = String.raw`set -euo pipefail
priv=mounted/id_ecdsa; cli=cli.toml
b64d() { local x=$1; case $(( @{#x} % 4 )) in 2) x="$x==";; 3) x="$x=";; esac; printf '%s' "$x" | basenc --base64url -d; }
b64e() { basenc --base64url | tr -d '=\n'; }
token=$(sed -n 's/^spacetimedb_token = "\(.*\)"$/\1/p' "$cli")
rest=@{token#*.}; p=@{rest%%.*}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
payload=$(b64d "$p" | sed -E "s/\"iat\":[0-9]+/\"iat\":$(date +%s)/")
h64=$(printf '%s' '{"typ":"JWT","alg":"ES256"}' | b64e)
p64=$(printf '%s' "$payload" | b64e)
printf '%s' "$h64.$p64" > "$tmp/input"
openssl dgst -sha256 -sign "$priv" -out "$tmp/sig.der" "$tmp/input"
ints=$(openssl asn1parse -inform DER -in "$tmp/sig.der" | awk -F: '/INTEGER/ { print $NF }')
r=$(sed -n 1p <<<"$ints"); s=$(sed -n 2p <<<"$ints")
r=$(printf '%64s' "$r" | tr ' ' 0); s=$(printf '%64s' "$s" | tr ' ' 0)
sig=$(printf '%s%s' "$r" "$s" | xxd -r -p | b64e)
sed "s|$token|$h64.$p64.$sig|" "$cli" > "$cli.tmp" && mv "$cli.tmp" "$cli"
`.replaceAll('@{', '${');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function timed(cwd: string, command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'stdb-bench-'));
try {
  mkdirSync(join(dir, 'mounted'));
  const openssl = (args: string[]): void => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
  };
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'mounted/id_ecdsa']);
  openssl(['pkey', '-in', 'mounted/id_ecdsa', '-pubout', '-out', 'mounted/id_ecdsa.pub']);
  spawnSync('chmod', ['600', join(dir, 'mounted/id_ecdsa')]);
  const sub = '7d1e5c2a-4b3f-4e8a-9c0d-1f2e3a4b5c6d';
  const claims = { hex_identity: computeIdentity('localhost', sub), sub, iss: 'localhost', aud: ['spacetimedb'], iat: Math.floor(Date.now() / 1000), exp: null };
  const input = `${Buffer.from('{"typ":"JWT","alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), { key: createPrivateKey(readFileSync(join(dir, 'mounted/id_ecdsa'))), dsaEncoding: 'ieee-p1363' });
  writeFileSync(join(dir, 'cli.toml'), `default_server = "local"\nspacetimedb_token = "${input}.${signature.toString('base64url')}"\n\n[[server_configs]]\nnickname = "local"\nhost = "127.0.0.1:3000"\nprotocol = "http"\n`);
  writeFileSync(join(dir, 'verify.sh'), VERIFY_PIPELINE);
  writeFileSync(join(dir, 'resign.sh'), RESIGN_PIPELINE);

  const bundle = await buildTooling({ outfile: join(dir, 'spacetimedb-tooling.mjs') });
  const bun = fileURLToPath(new URL('../../node_modules/.bin/bun', import.meta.url));
  const flags = ['--mounted-keys-dir', 'mounted', '--publisher-cli-toml-path', 'cli.toml', '--store-dir', 'store', '--backup-dir', 'backups'];
  const cases: { label: string; command: string; args: string[] }[] = [
    { label: 'verify   bundle (node)     ', command: process.execPath, args: [bundle, '--verify-only', ...flags] },
    { label: 'verify   openssl pipeline  ', command: 'bash', args: ['verify.sh'] },
    { label: 'resign   bundle (node)     ', command: process.execPath, args: [bundle, '--resign-token-only', '--yes', ...flags] },
    { label: 'resign   openssl pipeline  ', command: 'bash', args: ['resign.sh'] },
    { label: 'verify   bundle (bun)      ', command: bun, args: [bundle, '--verify-only', ...flags] },
    { label: 'resign   bundle (bun)      ', command: bun, args: [bundle, '--resign-token-only', '--yes', ...flags] },
  ];
  // Warm-up (page cache), and a check that every command works on this workspace.
  for (const c of cases) timed(dir, c.command, c.args);
  timed(dir, process.execPath, [bundle, '--verify-only', ...flags]);
  const samples = cases.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) cases.forEach((c, n) => samples[n]?.push(timed(dir, c.command, c.args)));

  const opensslVersion = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`spacetimedb-tooling benchmark: wall time including process start, median of ${runs} runs (min-max)`);
  console.log(`node ${process.version}, ${opensslVersion}, ${process.platform}/${process.arch}`);
  const medians = samples.map(median);
  cases.forEach((c, n) => {
    const s = samples[n] as number[];
    console.log(`  ${c.label} ${(medians[n] as number).toFixed(1).padStart(7)} ms   (${Math.min(...s).toFixed(1)}-${Math.max(...s).toFixed(1)})`);
  });
  const ratio = (a: number, b: number): string => `${((medians[a] as number) / (medians[b] as number)).toFixed(2)}x`;
  console.log(`  verify: tool/openssl = ${ratio(0, 1)} with node, ${ratio(4, 1)} with bun`);
  console.log(`  resign: tool/openssl = ${ratio(2, 3)} with node, ${ratio(5, 3)} with bun (below 1.00x: the tool is faster)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
