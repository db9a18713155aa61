/**
 * The key-zoo part of the benchmark (issue 7, "Tests and benchmark"): Sign and Verify operations
 * per second, per key spec, through `service.call` (validation, authorization, state checks, the
 * trail record and the commit included), next to the raw rate of the same primitive in the same
 * run (`src/kms/crypto/keys` sign/verify, i.e. WebCrypto for RSA RAW and @noble/curves or
 * @noble/post-quantum for the rest) on the same key.
 *
 * One fresh in-memory sandbox per spec (fixed clock, seeded DRBG); a 32-byte RAW message; each
 * round takes one sample of raw then service for Sign, then for Verify (interleaved, as core.ts
 * does), `samples` rounds of ≥ `sampleMs` each; the figure is the median, with min–max. The
 * overhead (raw ÷ service) has no target: the issue asks for the figures side by side.
 */
import { createKmsService, type KmsService, type Repository } from '../src/kms';
import { createSeededRandom } from '../src/kms/crypto';
import type { AsymmetricKeySpec, SigningAlgorithm } from '../src/kms/crypto/keys/index';
import { CALLER, freshPorts, opsPerSecond, type BenchHost, type Stat } from './core';

/** The specs measured, each with one signing algorithm (RSA: PSS with SHA-256, the common choice). */
export const SIGNING_CASES: readonly { spec: AsymmetricKeySpec; algorithm: SigningAlgorithm }[] = [
  { spec: 'ECC_NIST_P256', algorithm: 'ECDSA_SHA_256' },
  { spec: 'ECC_NIST_P384', algorithm: 'ECDSA_SHA_384' },
  { spec: 'ECC_NIST_P521', algorithm: 'ECDSA_SHA_512' },
  { spec: 'ECC_SECG_P256K1', algorithm: 'ECDSA_SHA_256' },
  { spec: 'ECC_NIST_EDWARDS25519', algorithm: 'ED25519_SHA_512' },
  { spec: 'RSA_2048', algorithm: 'RSASSA_PSS_SHA_256' },
  { spec: 'RSA_3072', algorithm: 'RSASSA_PSS_SHA_256' },
  { spec: 'RSA_4096', algorithm: 'RSASSA_PSS_SHA_256' },
  { spec: 'ML_DSA_44', algorithm: 'ML_DSA_SHAKE_256' },
  { spec: 'ML_DSA_65', algorithm: 'ML_DSA_SHAKE_256' },
  { spec: 'ML_DSA_87', algorithm: 'ML_DSA_SHAKE_256' },
];

/** One spec's figures (ops/s). */
export interface SigningRow {
  readonly spec: AsymmetricKeySpec;
  readonly algorithm: SigningAlgorithm;
  readonly rawSign: Stat;
  readonly serviceSign: Stat;
  readonly rawVerify: Stat;
  readonly serviceVerify: Stat;
}

/** What the signing part measured (null with a note when it could not run). */
export interface SigningResult {
  readonly rows: readonly SigningRow[];
  readonly notes: readonly string[];
}

const MESSAGE = new Uint8Array(32).fill(0x5a);


/** A fresh in-memory sandbox with core.ts's ports (fixed clock, seeded DRBG, the environment's backend). */
async function freshService(): Promise<{ service: KmsService; repository: Repository }> {
  const ports = freshPorts();
  return { service: await createKmsService(ports), repository: ports.repository };
}

/** Sign and Verify per spec, service vs raw. */
export async function benchSigning(host: BenchHost, opts: { samples: number; sampleMs: number; stat: (s: number[]) => Stat }): Promise<SigningResult> {
  const keys = await import('../src/kms/crypto/keys/index');
  const rows: SigningRow[] = [];
  const notes: string[] = [];
  for (const { spec, algorithm } of SIGNING_CASES) {
    host.log(`signing: ${spec}`);
    const { service, repository } = await freshService();
    let keyId: string;
    try {
      const created = await service.call('CreateKey', { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }, CALLER);
      keyId = (created.KeyMetadata as { Arn: string }).Arn;
    } catch (e) {
      notes.push(`${spec}: CreateKey failed (${e instanceof Error ? e.name : String(e)}); not measured`);
      continue;
    }
    // The raw side signs with the key's own material, read from the sandbox's records (the bench
    // sits outside the layers, like a test) and verifies with the key's GetPublicKey answer.
    const pub = (await service.call('GetPublicKey', { KeyId: keyId }, CALLER)).PublicKey as Uint8Array;
    const material = repository.list('material').find((r) => r.keyArn === keyId)?.material;
    if (!material) throw new Error(`no material for ${keyId}`);
    const signRequest = { KeyId: keyId, Message: MESSAGE, SigningAlgorithm: algorithm, MessageType: 'RAW' };
    const signature = (await service.call('Sign', signRequest, CALLER)).Signature as Uint8Array;
    const verifyRequest = { ...signRequest, Signature: signature };
    const rnd = createSeededRandom(new Uint8Array(32).fill(3)).stream(0);
    const s = { rawSign: [] as number[], serviceSign: [] as number[], rawVerify: [] as number[], serviceVerify: [] as number[] };
    // Warm-up: one short pass of each.
    await opsPerSecond(() => keys.sign(spec, material, algorithm, MESSAGE, 'RAW', rnd), opts.sampleMs / 4);
    await opsPerSecond(() => service.call('Sign', signRequest, CALLER), opts.sampleMs / 4);
    for (let i = 0; i < opts.samples; i++) {
      s.rawSign.push(await opsPerSecond(() => keys.sign(spec, material, algorithm, MESSAGE, 'RAW', rnd), opts.sampleMs));
      s.serviceSign.push(await opsPerSecond(() => service.call('Sign', signRequest, CALLER), opts.sampleMs));
      s.rawVerify.push(await opsPerSecond(() => keys.verify(spec, pub, algorithm, MESSAGE, 'RAW', signature), opts.sampleMs));
      s.serviceVerify.push(await opsPerSecond(() => service.call('Verify', verifyRequest, CALLER), opts.sampleMs));
      await host.gc();
    }
    rows.push({ spec, algorithm, rawSign: opts.stat(s.rawSign), serviceSign: opts.stat(s.serviceSign), rawVerify: opts.stat(s.rawVerify), serviceVerify: opts.stat(s.serviceVerify) });
  }
  return { rows, notes };
}

