/**
 * A minimal DER (X.690) encoder/decoder: just enough for SubjectPublicKeyInfo (RFC 5280 §4.1),
 * PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958), ECPrivateKey (RFC 5915),
 * RSAPrivateKey (RFC 8017 A.1.2), DigestInfo (RFC 8017 §9.2) and ECDSA-Sig-Value (RFC 3279).
 *
 * The decoder is strict where it matters for key material: definite lengths only, minimal length
 * encoding, no trailing bytes after the outer element. It throws `DerError`; callers turn that into
 * a `CryptoKeyError` with the right code. Only low tag numbers (< 31) are supported: none of the
 * structures above use high tags.
 */

/** Universal tags and the context-specific ones used here. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  /** [0] constructed (EXPLICIT), e.g. ECPrivateKey parameters. */
  CTX0: 0xa0,
  /** [1] constructed (EXPLICIT), e.g. ECPrivateKey publicKey. */
  CTX1: 0xa1,
  /** [0] primitive (IMPLICIT OCTET STRING), e.g. the ML-DSA/ML-KEM `seed` choice. */
  CTX0_PRIM: 0x80,
  /** [1] primitive (IMPLICIT BIT STRING), OneAsymmetricKey publicKey. */
  CTX1_PRIM: 0x81,
} as const;

export class DerError extends Error {
  override readonly name = 'DerError';
}

/** One decoded element: its tag, its content bytes (a view) and the bytes after it. */
export interface Der {
  readonly tag: number;
  readonly value: Uint8Array;
}

// ---------------------------------------------------------------- encoding

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** Encodes one TLV. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of content) total += c.length;
  const len = encodeLength(total);
  const out = new Uint8Array(1 + len.length + total);
  out[0] = tag;
  out.set(len, 1);
  let at = 1 + len.length;
  for (const c of content) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const seq = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...items);
export const octets = (b: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, b);
/** BIT STRING with 0 unused bits. */
export const bits = (b: Uint8Array): Uint8Array => tlv(TAG.BIT_STRING, Uint8Array.of(0), b);
export const derNull = (): Uint8Array => Uint8Array.of(TAG.NULL, 0);

/** INTEGER from a non-negative bigint (minimal two's complement). */
export function int(n: bigint | number): Uint8Array {
  let v = BigInt(n);
  if (v < 0n) throw new DerError('negative INTEGER not supported');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(TAG.INTEGER, Uint8Array.from(bytes));
}

/** OBJECT IDENTIFIER from dotted form ("1.2.840.10045.2.1"). */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((s) => BigInt(s));
  const [a, b, ...rest] = arcs as [bigint, bigint, ...bigint[]];
  const out: number[] = [];
  for (const arc of [a * 40n + b, ...rest]) {
    const group: number[] = [];
    let v = arc;
    do {
      group.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < group.length - 1; i++) group[i] = (group[i] as number) | 0x80;
    out.push(...group);
  }
  return tlv(TAG.OID, Uint8Array.from(out));
}

// ---------------------------------------------------------------- decoding

/** Reads one TLV at `at`; returns the element and the offset after it. */
export function readTlv(buf: Uint8Array, at = 0): { el: Der; next: number } {
  if (at + 2 > buf.length) throw new DerError('truncated DER element');
  const tag = buf[at] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers not supported');
  let len = buf[at + 1] as number;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported DER length');
    if (p + n > buf.length) throw new DerError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p + i] as number);
    if (len < 0x80 || (buf[p] as number) === 0) throw new DerError('non-minimal DER length');
    p += n;
  }
  if (p + len > buf.length) throw new DerError('truncated DER content');
  return { el: { tag, value: buf.subarray(p, p + len) }, next: p + len };
}

/** Decodes exactly one element spanning all of `buf`, with the expected tag. */
export function decodeOne(buf: Uint8Array, tag: number): Uint8Array {
  const { el, next } = readTlv(buf, 0);
  if (el.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, got 0x${el.tag.toString(16)}`);
  if (next !== buf.length) throw new DerError('trailing bytes after DER element');
  return el.value;
}

/** The children of a constructed element's content. */
export function children(content: Uint8Array): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < content.length; ) {
    const { el, next } = readTlv(content, at);
    out.push(el);
    at = next;
  }
  return out;
}

/** Children of a SEQUENCE that must span all of `buf`. */
export function sequence(buf: Uint8Array): Der[] {
  return children(decodeOne(buf, TAG.SEQUENCE));
}

/** Asserts `el` has `tag`, returns its content. */
export function expect(el: Der | undefined, tag: number, what: string): Uint8Array {
  if (el === undefined) throw new DerError(`${what}: missing`);
  if (el.tag !== tag) throw new DerError(`${what}: unexpected tag 0x${el.tag.toString(16)}`);
  return el.value;
}

/** Non-negative INTEGER content → bigint (rejects negative and non-minimal encodings). */
export function toBigInt(content: Uint8Array): bigint {
  if (content.length === 0) throw new DerError('empty INTEGER');
  if ((content[0] as number) & 0x80) throw new DerError('negative INTEGER');
  if (content.length > 1 && content[0] === 0 && !((content[1] as number) & 0x80)) {
    throw new DerError('non-minimal INTEGER');
  }
  let v = 0n;
  for (const b of content) v = (v << 8n) | BigInt(b);
  return v;
}

/** OBJECT IDENTIFIER content → dotted string. */
export function oidToString(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = 0; i < content.length; i++) {
    const b = content[i] as number;
    if (v === 0n && b === 0x80) throw new DerError('non-minimal OID arc');
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
    } else if (i === content.length - 1) throw new DerError('truncated OID');
  }
  const first = arcs[0] as bigint;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** BIT STRING content with 0 unused bits → the bytes. */
export function bitStringBytes(content: Uint8Array): Uint8Array {
  if (content.length === 0 || content[0] !== 0) throw new DerError('BIT STRING with unused bits');
  return content.subarray(1);
}

/** Big-endian fixed-width bytes of a non-negative bigint (throws when it does not fit). */
export function bigToBytes(n: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let v = n;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new DerError('integer too large');
  return out;
}

export function bytesToBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
