// Signing keypairs: what SpacetimeDB accepts (PKCS#8 P-256 private key with the public key embedded,
// SPKI public key), telling every other shape apart with a fix, and generating new pairs.
// Works on bytes only; reading the files is the caller's job.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { DerError, OID_EC_PUBLIC_KEY, summarisePkcs8 } from './der';
import { ToolError } from '../core/errors';
import { fingerprintOfPublicKey } from './fingerprint';
import { hasLegacyEncryptionHeader, normalisePem, scanPem } from './pem';

const P256 = 'prime256v1';
const GENERATE_HINT = 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out id_ecdsa';

const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
};

function curveLabel(curve: string | undefined): string {
  if (!curve) return 'unknown curve';
  return CURVE_NAMES[curve] ? `${CURVE_NAMES[curve]} (${curve})` : curve;
}

export type PrivateKeyFormat =
  | 'pkcs8'
  | 'pkcs8-without-public-key'
  | 'sec1'
  | 'encrypted'
  | 'rsa'
  | 'other'
  | 'no-pem'
  | 'damaged'
  | 'not-a-private-key';

export interface PrivateKeyAnalysis {
  file: string;
  format: PrivateKeyFormat;
  /** One line naming the file, the problem and the fix; undefined when the format is right. */
  formatProblem: string | undefined;
  /** The key, when Node could load it at all (also for SEC1 or a wrong curve). */
  key: KeyObject | undefined;
  keyType: string | undefined;
  curve: string | undefined;
}

export interface PublicKeyAnalysis {
  file: string;
  formatProblem: string | undefined;
  key: KeyObject | undefined;
  keyType: string | undefined;
  curve: string | undefined;
}

function describeKeyType(keyType: string | undefined, curve: string | undefined): string {
  if (keyType === 'ec') return `EC key on ${curveLabel(curve)}`;
  if (keyType === 'rsa' || keyType === 'rsa-pss') return 'RSA key';
  return `${keyType ?? 'unknown'} key`;
}

export function analysePrivateKey(bytes: Uint8Array, file: string): PrivateKeyAnalysis {
  const text = Buffer.from(bytes).toString('utf8');
  const result: PrivateKeyAnalysis = { file, format: 'no-pem', formatProblem: undefined, key: undefined, keyType: undefined, curve: undefined };
  const fail = (format: PrivateKeyFormat, problem: string): PrivateKeyAnalysis => {
    result.format = format;
    result.formatProblem = `${file}: ${problem}`;
    return result;
  };
  const scan = scanPem(text);
  const tryLoad = (): void => {
    try {
      const key = createPrivateKey({ key: text, format: 'pem' });
      result.key = key;
      result.keyType = key.asymmetricKeyType;
      result.curve = key.asymmetricKeyDetails?.namedCurve;
    } catch {
      // Not loadable without a passphrase, or damaged: the format problem says why.
    }
  };
  if (scan.damaged) return fail('damaged', `${scan.damaged}. Restore the file from its source or a backup.`);
  const labels = scan.blocks.map((block) => block.label);
  if (labels.length === 0) {
    return fail('no-pem', 'no PEM block found (not a PEM key file, or empty). Point the flag at the PKCS#8 PEM file that begins with -----BEGIN PRIVATE KEY-----.');
  }
  if (labels.includes('ENCRYPTED PRIVATE KEY') || hasLegacyEncryptionHeader(text)) {
    return fail(
      'encrypted',
      `passphrase-encrypted private key; SpacetimeDB cannot load it. Decrypt it into PKCS#8: openssl pkcs8 -topk8 -nocrypt -in ${file} -out ${file}.pkcs8 (asks for the passphrase), then replace the file.`,
    );
  }
  if (labels.includes('EC PRIVATE KEY')) {
    tryLoad();
    return fail(
      'sec1',
      `SEC1 "EC PRIVATE KEY" format (what openssl ecparam -genkey writes); SpacetimeDB accepts only PKCS#8. Convert it: openssl pkcs8 -topk8 -nocrypt -in ${file} -out ${file}.pkcs8, then replace the file.`,
    );
  }
  if (labels.includes('RSA PRIVATE KEY')) {
    tryLoad();
    return fail('rsa', `RSA private key; SpacetimeDB signs with ES256 and needs an EC P-256 key. Generate one: ${GENERATE_HINT}`);
  }
  if (labels.includes('OPENSSH PRIVATE KEY')) {
    return fail('other', `OpenSSH private key format; SpacetimeDB needs a PKCS#8 EC P-256 key. Generate one: ${GENERATE_HINT}`);
  }
  const pkcs8 = scan.blocks.filter((block) => block.label === 'PRIVATE KEY');
  if (pkcs8.length === 0) {
    return fail('not-a-private-key', `holds "${labels.join('", "')}", not a private key. Point the flag at the PKCS#8 private key (-----BEGIN PRIVATE KEY-----).`);
  }
  if (pkcs8.length > 1 || scan.blocks.length > 1) {
    return fail('other', `holds ${scan.blocks.length} PEM blocks; a key file must hold exactly one PKCS#8 private key.`);
  }
  tryLoad();
  if (!result.key) {
    return fail('damaged', 'the PKCS#8 block does not decode as a key (damaged file?). Restore the file from its source or a backup.');
  }
  if (result.keyType !== 'ec') {
    return fail(result.keyType === 'rsa' ? 'rsa' : 'other', `${describeKeyType(result.keyType, result.curve)}; SpacetimeDB signs with ES256 and needs an EC P-256 key. Generate one: ${GENERATE_HINT}`);
  }
  let summary;
  try {
    summary = summarisePkcs8((pkcs8[0] as { der: Uint8Array }).der);
  } catch (error) {
    return fail('damaged', `the PKCS#8 structure is malformed (${error instanceof DerError ? error.message : 'unreadable'}).`);
  }
  if (summary.algorithmOid !== OID_EC_PUBLIC_KEY) {
    return fail('other', `PKCS#8 key of algorithm ${summary.algorithmOid}; SpacetimeDB needs an EC P-256 key. Generate one: ${GENERATE_HINT}`);
  }
  if (!summary.embeddedPublicPoint) {
    return fail(
      'pkcs8-without-public-key',
      `PKCS#8 key without the embedded public key; SpacetimeDB refuses it at start-up. Rewrite it with the public key included: openssl ec -in ${file} | openssl pkcs8 -topk8 -nocrypt -out ${file}.full, then replace the file.`,
    );
  }
  const derivedPoint = createPublicKey(result.key).export({ format: 'jwk' });
  const embedded = Buffer.from(summary.embeddedPublicPoint);
  const expected = Buffer.concat([Buffer.from([4]), Buffer.from(derivedPoint.x ?? '', 'base64url'), Buffer.from(derivedPoint.y ?? '', 'base64url')]);
  if (!embedded.equals(expected)) {
    return fail('pkcs8-without-public-key', `the public key embedded in this PKCS#8 key does not belong to its private scalar (corrupted key). Generate a new one: ${GENERATE_HINT}`);
  }
  result.format = 'pkcs8';
  return result;
}

export function analysePublicKey(bytes: Uint8Array, file: string): PublicKeyAnalysis {
  const text = Buffer.from(bytes).toString('utf8');
  const result: PublicKeyAnalysis = { file, formatProblem: undefined, key: undefined, keyType: undefined, curve: undefined };
  const fail = (problem: string): PublicKeyAnalysis => {
    result.formatProblem = `${file}: ${problem}`;
    return result;
  };
  const scan = scanPem(text);
  if (scan.damaged) return fail(`${scan.damaged}. Restore the file, or derive it again: openssl pkey -in id_ecdsa -pubout -out id_ecdsa.pub`);
  const labels = scan.blocks.map((block) => block.label);
  if (labels.length === 0) {
    return fail('no PEM block found (not a PEM key file, or empty). Derive it from the private key: openssl pkey -in id_ecdsa -pubout -out id_ecdsa.pub');
  }
  if (labels.some((label) => label.includes('PRIVATE KEY'))) {
    return fail('holds a private key; the public key file must hold only the SPKI public key: openssl pkey -in id_ecdsa -pubout -out id_ecdsa.pub');
  }
  if (labels.includes('RSA PUBLIC KEY')) return fail('PKCS#1 RSA public key; SpacetimeDB needs an SPKI EC P-256 public key.');
  if (labels.includes('CERTIFICATE')) return fail('holds a certificate, not a bare SPKI public key: openssl x509 -in FILE -pubkey -noout > id_ecdsa.pub');
  if (labels.length !== 1 || labels[0] !== 'PUBLIC KEY') {
    return fail(`holds "${labels.join('", "')}"; expected exactly one SPKI block (-----BEGIN PUBLIC KEY-----).`);
  }
  try {
    const key = createPublicKey({ key: text, format: 'pem' });
    result.key = key;
    result.keyType = key.asymmetricKeyType;
    result.curve = key.asymmetricKeyDetails?.namedCurve;
  } catch {
    return fail('the SPKI block does not decode as a public key (damaged file?). Derive it again: openssl pkey -in id_ecdsa -pubout -out id_ecdsa.pub');
  }
  return result;
}

/** The problem with a key's type or curve, or undefined for EC P-256. */
export function curveProblem(file: string, keyType: string | undefined, curve: string | undefined): string | undefined {
  if (keyType === 'ec' && curve === P256) return undefined;
  return `${file}: ${describeKeyType(keyType, curve)}; SpacetimeDB's ES256 needs P-256 (prime256v1). Generate a new pair: ${GENERATE_HINT}`;
}

function spkiDer(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** True when the public key belongs to the private key. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  return spkiDer(createPublicKey(privateKey)).equals(spkiDer(publicKey));
}

/** A P-256 private key in the format SpacetimeDB loads (PKCS#8, public key embedded), or a ToolError naming the file. */
export function loadPrivateKey(bytes: Uint8Array, file: string): KeyObject {
  return usableKey(analysePrivateKey(bytes, file), file, 'bad-private-key');
}

/** A P-256 SPKI public key, or a ToolError naming the file. */
export function loadPublicKey(bytes: Uint8Array, file: string): KeyObject {
  return usableKey(analysePublicKey(bytes, file), file, 'bad-public-key');
}

/** The analysed key when its form and curve are right, else the ToolError with the first problem. */
function usableKey(
  analysis: ReturnType<typeof analysePrivateKey> | ReturnType<typeof analysePublicKey>,
  file: string,
  code: 'bad-private-key' | 'bad-public-key',
): KeyObject {
  if (analysis.formatProblem) throw new ToolError(code, analysis.formatProblem);
  const curve = curveProblem(file, analysis.keyType, analysis.curve);
  if (curve || !analysis.key) throw new ToolError(code, curve ?? `${file}: unreadable key`);
  return analysis.key;
}

/** The ToolError for a public key that does not belong to its private key. */
export function mismatchedPair(privateName: string, publicName: string): ToolError {
  return new ToolError(
    'mismatched-pair',
    `${publicName}: does not belong to ${privateName} (different keys); the server would start and then reject every token it signs. Derive it again: openssl pkey -in ${privateName} -pubout -out ${publicName}`,
  );
}

/** A validated pair, as the PEM bytes to write and the loaded keys. */
export class Keypair {
  private constructor(
    readonly privatePem: Buffer,
    readonly publicPem: Buffer,
    readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
    readonly fingerprint: string,
  ) {}

  /** A fresh P-256 pair, exported as PKCS#8 (with the public key embedded) and SPKI PEM. */
  static generate(): Keypair {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privatePem = Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const publicPem = Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }) as string);
    return new Keypair(privatePem, publicPem, privateKey, publicKey, fingerprintOfPublicKey(publicKey));
  }

  /**
   * Validates a pair and returns it, or throws a ToolError naming the file and the problem:
   * format, curve, then whether the two halves belong together.
   */
  static parse(privateBytes: Uint8Array, publicBytes: Uint8Array, privateName: string, publicName: string): Keypair {
    const privateKey = loadPrivateKey(privateBytes, privateName);
    const publicKey = loadPublicKey(publicBytes, publicName);
    if (!keysMatch(privateKey, publicKey)) throw mismatchedPair(privateName, publicName);
    return new Keypair(Buffer.from(privateBytes), Buffer.from(publicBytes), privateKey, publicKey, fingerprintOfPublicKey(publicKey));
  }

  /** The same pair with LF line endings and one final newline in both files. */
  normalised(): Keypair {
    const privatePem = Buffer.from(normalisePem(this.privatePem.toString('utf8')));
    const publicPem = Buffer.from(normalisePem(this.publicPem.toString('utf8')));
    return new Keypair(privatePem, publicPem, this.privateKey, this.publicKey, this.fingerprint);
  }
}
