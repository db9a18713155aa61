/**
 * Gzip through the platform's CompressionStream / DecompressionStream (Node ≥ 18 and every
 * current browser; no dependency), with a cap on the decompressed size that is enforced while
 * streaming, so a decompression bomb is stopped after `maxBytes`, never inflated in full.
 *
 * `gunzipCapped` also pins the container down to what `gzipBytes` writes, so every platform reads
 * the same bytes the same way: a gzip header with no flags and a zero mtime (RFC 1952 §2.3), and a
 * trailer whose ISIZE equals the decompressed length (Node accepts several concatenated members,
 * browsers do not; this check makes both refuse them).
 */

/** Gzip of `data`. */
export async function gzipBytes(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export type GunzipResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: 'decompress-failed' | 'too-large-decompressed'; readonly message: string };

const HEADER_LENGTH = 10;
const TRAILER_LENGTH = 8;

/** Gunzip of `data`, refusing more than `maxBytes` of output. Never throws. */
export async function gunzipCapped(data: Uint8Array, maxBytes: number): Promise<GunzipResult> {
  const refuse = (message: string): GunzipResult => ({ ok: false, reason: 'decompress-failed', message });
  if (data.length < HEADER_LENGTH + TRAILER_LENGTH) return refuse('The compressed data is too short to be gzip.');
  if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 0x08) return refuse('The compressed data is not gzip.');
  if (data[3] !== 0 || data[4] !== 0 || data[5] !== 0 || data[6] !== 0 || data[7] !== 0) {
    return refuse('The gzip header carries fields that share links never use.');
  }
  const t = data.length - 4;
  // ISIZE (RFC 1952 §2.3.1) is only compared after inflating: a truncated payload ends in other bytes.
  const isize = (data[t]! | (data[t + 1]! << 8) | (data[t + 2]! << 16) | (data[t + 3]! << 24)) >>> 0;

  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return tooLarge(maxBytes);
      }
      chunks.push(value);
    }
    if (total >>> 0 !== isize) return refuse('The gzip data has more than one member or a wrong length.');
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return { ok: true, bytes: out };
  } catch (e) {
    // The error message may quote nothing secret, but keep only its name for a stable text.
    await reader?.cancel().catch(() => undefined);
    return refuse(`The compressed data is damaged or truncated (${e instanceof Error ? e.name : typeof e}).`);
  }
}

function tooLarge(maxBytes: number): GunzipResult {
  return {
    ok: false,
    reason: 'too-large-decompressed',
    message: `The data unpacks to more than ${maxBytes.toLocaleString('en-US')} bytes, the most a sandbox may take.`,
  };
}
