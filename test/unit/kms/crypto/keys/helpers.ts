/** Shared helpers of the crypto/keys tests: hex, a deterministic `random`, node key objects. */
import { sha256 } from '@noble/hashes/sha2.js';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Expands "aa*20" to 20 bytes of 0xaa; plain hex otherwise. */
export function hexOrRepeat(s: string): Uint8Array {
  const m = /^([0-9a-f]{2})\*(\d+)$/.exec(s);
  return m ? new Uint8Array(Number(m[2])).fill(parseInt(m[1] as string, 16)) : hex(s);
}

/** A deterministic random: SHA-256(label || counter) blocks. Same label → same bytes. */
export function testRandom(label = 'test'): { bytes(n: number): Uint8Array } {
  let counter = 0;
  const prefix = new TextEncoder().encode(label);
  return {
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let at = 0; at < n; at += 32) {
        const block = sha256(new Uint8Array([...prefix, ...new TextEncoder().encode(String(counter++))]));
        out.set(block.subarray(0, Math.min(32, n - at)), at);
      }
      return out;
    },
  };
}

export const nodePublic = (spki: Uint8Array): KeyObject => createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
export const nodePrivate = (pkcs8: Uint8Array): KeyObject => createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });

/** Flips bit `bit` of a copy of `b`. */
export function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(b);
  const i = Math.floor(bit / 8) % out.length;
  out[i] = (out[i] as number) ^ (1 << (bit % 8));
  return out;
}
