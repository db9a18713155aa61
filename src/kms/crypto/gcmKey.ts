/**
 * AES-GCM (NIST SP 800-38D) for the small inputs of KMS calls, with the per-key work done once.
 *
 * `@noble/ciphers`' `gcm(key, iv, aad)` redoes everything for every message: the AES key
 * expansion, the hash subkey H = E_K(0^128) and a GHASH precompute table of a few hundred small
 * objects. For a 32-byte data key that setup is most of the cost (and most of the garbage). A
 * `GcmKey` keeps the expanded key, H and a flat GHASH table for the life of one key handle
 * (`nobleBackend`'s handle owns it), so a message pays only for its own blocks.
 *
 * The block cipher is noble's (`unsafe.expandKeyLE` / `unsafe.encryptBlock`); the GCM composition
 * (GCTR, GHASH, tag) is ours and follows SP 800-38D §6–7 for 96-bit IVs and 128-bit tags:
 *   J0 = IV || 0^31 || 1;  C = GCTR(inc32(J0), P);  S = GHASH_H(A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64);
 *   T = GCTR(J0, S) = E_K(J0) ⊕ S.
 * GHASH multiplies by H with a 4-bit table per nibble position (32 positions × 16 values, 8 KiB):
 * X·H is linear in X, so it is the XOR of (each nibble of X in place)·H. Decryption checks the
 * tag before producing any plaintext, as noble does.
 *
 * Outputs are byte-identical to noble's `gcm` and to WebCrypto (test/unit/kms/crypto: NIST
 * vectors, and random cross-checks against node:crypto).
 */
import { unsafe } from '@noble/ciphers/aes.js';

const BLOCK = 16;
/** 32 nibble positions × 16 nibble values × 4 words. */
const TABLE_WORDS = 32 * 16 * 4;

/** Big-endian u32 of `b` at `o` (bytes past the end read as 0: zero padding of a last partial block). */
function be32(b: Uint8Array, o: number, end: number): number {
  return (
    (((o < end ? b[o]! : 0) << 24) | ((o + 1 < end ? b[o + 1]! : 0) << 16) | ((o + 2 < end ? b[o + 2]! : 0) << 8) | (o + 3 < end ? b[o + 3]! : 0)) >>>
    0
  );
}

/**
 * The GHASH table of hash subkey `h`: entry (i, n) is the field element whose nibble i (0 = the
 * high nibble of byte 0, GCM's bit order) is n and all other bits are 0, multiplied by H.
 */
function ghashTable(h: Uint8Array): Uint32Array {
  // P[b] = x^b · H for b = 0..127 (bit b of a block, MSB of byte 0 first, is x^b):
  // multiplying by x is a right shift in GCM's reflected order, reduced by R = 0xE1 || 0^120.
  const p = new Uint32Array(128 * 4);
  let v0 = be32(h, 0, 16);
  let v1 = be32(h, 4, 16);
  let v2 = be32(h, 8, 16);
  let v3 = be32(h, 12, 16);
  for (let b = 0; b < 128; b++) {
    p[4 * b] = v0;
    p[4 * b + 1] = v1;
    p[4 * b + 2] = v2;
    p[4 * b + 3] = v3;
    const lsb = v3 & 1;
    v3 = ((v3 >>> 1) | (v2 << 31)) >>> 0;
    v2 = ((v2 >>> 1) | (v1 << 31)) >>> 0;
    v1 = ((v1 >>> 1) | (v0 << 31)) >>> 0;
    v0 = (v0 >>> 1) ^ (lsb ? 0xe1000000 : 0);
  }
  const t = new Uint32Array(TABLE_WORDS);
  for (let i = 0; i < 32; i++) {
    for (let n = 1; n < 16; n++) {
      const at = (i * 16 + n) * 4;
      for (let j = 0; j < 4; j++) {
        if ((n & (8 >>> j)) === 0) continue;
        const q = (4 * i + j) * 4;
        t[at] = t[at]! ^ p[q]!;
        t[at + 1] = t[at + 1]! ^ p[q + 1]!;
        t[at + 2] = t[at + 2]! ^ p[q + 2]!;
        t[at + 3] = t[at + 3]! ^ p[q + 3]!;
      }
    }
  }
  p.fill(0);
  return t;
}

/** The running GHASH value Y (four big-endian words) and the table it multiplies with. */
class Ghash {
  y0 = 0;
  y1 = 0;
  y2 = 0;
  y3 = 0;
  /** Scratch for Y ⊕ X. */
  private readonly w = new Uint32Array(4);
  constructor(private readonly t: Uint32Array) {}

  /** Y = (Y ⊕ X)·H for the block X = (x0, x1, x2, x3). */
  block(x0: number, x1: number, x2: number, x3: number): void {
    const t = this.t;
    const w = this.w;
    w[0] = this.y0 ^ x0;
    w[1] = this.y1 ^ x1;
    w[2] = this.y2 ^ x2;
    w[3] = this.y3 ^ x3;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    for (let k = 0; k < 4; k++) {
      const word = w[k]!;
      for (let q = 0; q < 8; q++) {
        const at = ((k * 8 + q) * 16 + ((word >>> (28 - 4 * q)) & 15)) * 4;
        z0 ^= t[at]!;
        z1 ^= t[at + 1]!;
        z2 ^= t[at + 2]!;
        z3 ^= t[at + 3]!;
      }
    }
    this.y0 = z0 >>> 0;
    this.y1 = z1 >>> 0;
    this.y2 = z2 >>> 0;
    this.y3 = z3 >>> 0;
  }

  /** Absorbs `data` as whole blocks, the last one zero-padded. */
  update(data: Uint8Array): void {
    const end = data.length;
    for (let o = 0; o < end; o += BLOCK) this.block(be32(data, o, end), be32(data, o + 4, end), be32(data, o + 8, end), be32(data, o + 12, end));
  }

  /** The length block [len(A)]64 || [len(C)]64, in bits. */
  lengths(aadBytes: number, dataBytes: number): void {
    const a = aadBytes * 8;
    const c = dataBytes * 8;
    this.block(Math.floor(a / 0x100000000) >>> 0, a >>> 0, Math.floor(c / 0x100000000) >>> 0, c >>> 0);
  }
}

/** One AES key's GCM state: expanded key and GHASH table, reused by every message under the key. */
export class GcmKey {
  readonly #xk: Uint32Array;
  readonly #table: Uint32Array;

  /** `raw` is a 16/24/32-byte AES key (validated by the caller); it is not kept. */
  constructor(raw: Uint8Array) {
    this.#xk = unsafe.expandKeyLE(raw);
    const h = unsafe.encryptBlock(this.#xk, new Uint8Array(BLOCK));
    this.#table = ghashTable(h);
    h.fill(0);
  }

  /** AES-GCM encryption with a 12-byte IV: returns ciphertext || 16-byte tag. */
  encrypt(iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    const n = plaintext.length;
    const out = new Uint8Array(n + BLOCK);
    const counter = new Uint8Array(BLOCK);
    this.#gctr(iv, counter, plaintext, out);
    this.#tag(counter, aad, out, n, out);
    return out;
  }

  /** AES-GCM decryption of ciphertext || tag with a 12-byte IV; null when the tag does not verify. */
  decrypt(iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | null {
    const n = sealed.length - BLOCK;
    const counter = new Uint8Array(BLOCK);
    counter.set(iv);
    const expected = new Uint8Array(BLOCK);
    this.#tag(counter, aad, sealed, n, expected, 0);
    let diff = 0;
    for (let i = 0; i < BLOCK; i++) diff |= expected[i]! ^ sealed[n + i]!;
    if (diff !== 0) return null;
    const out = new Uint8Array(n);
    this.#gctr(iv, counter, sealed.subarray(0, n), out);
    return out;
  }

  /** GCTR from inc32(J0) over `src` into `dst`; leaves `counter` = J0's IV part (for the tag). */
  #gctr(iv: Uint8Array, counter: Uint8Array, src: Uint8Array, dst: Uint8Array): void {
    const ks = new Uint8Array(BLOCK);
    counter.set(iv);
    let ctr = 2;
    for (let o = 0; o < src.length; o += BLOCK) {
      counter[12] = ctr >>> 24;
      counter[13] = (ctr >>> 16) & 0xff;
      counter[14] = (ctr >>> 8) & 0xff;
      counter[15] = ctr & 0xff;
      ks.set(counter);
      unsafe.encryptBlock(this.#xk, ks);
      const m = Math.min(BLOCK, src.length - o);
      for (let i = 0; i < m; i++) dst[o + i] = src[o + i]! ^ ks[i]!;
      ctr = (ctr + 1) >>> 0;
    }
    ks.fill(0);
  }

  /**
   * Writes T = E_K(J0) ⊕ GHASH(aad, data[0..n)) into `dst` at `at` (default: right after the data).
   * `counter` holds the IV in its first 12 bytes.
   */
  #tag(counter: Uint8Array, aad: Uint8Array, data: Uint8Array, n: number, dst: Uint8Array, at = n): void {
    const g = new Ghash(this.#table);
    g.update(aad);
    g.update(n === data.length ? data : data.subarray(0, n));
    g.lengths(aad.length, n);
    const mask = new Uint8Array(BLOCK);
    mask.set(counter.subarray(0, 12));
    mask[15] = 1;
    unsafe.encryptBlock(this.#xk, mask);
    const s = [g.y0, g.y1, g.y2, g.y3];
    for (let i = 0; i < BLOCK; i++) dst[at + i] = mask[i]! ^ ((s[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff);
    mask.fill(0);
  }
}
