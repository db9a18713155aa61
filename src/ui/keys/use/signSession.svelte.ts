/**
 * The Sign/Verify panels' shared state: the message (typed, or a file's bytes), its MessageType,
 * the signing algorithm, and the signature as editable text (so a learner can tamper with it).
 */
import { formatBytes, parseBytes, type BytesResult, type InputFormat, type OutputFormat } from './bytes';
import { messageTypesFor, requiredLength, type MessageType, type SigningAlgorithm } from './signing';

export class SignSession {
  text = $state('');
  format = $state<InputFormat>('text');
  /** Bytes of a chosen file (may exceed 4096: then only its digest can be signed). */
  file = $state.raw<Uint8Array | null>(null);
  algorithm = $state<SigningAlgorithm>('ECDSA_SHA_256');
  messageType = $state<MessageType>('RAW');
  signatureText = $state('');
  signatureFormat = $state<OutputFormat>('base64');

  constructor(algorithms: readonly SigningAlgorithm[]) {
    this.algorithm = algorithms[0] ?? 'ECDSA_SHA_256';
    this.messageType = messageTypesFor(this.algorithm)[0] ?? 'RAW';
  }

  /** The Message to send, or why it cannot be sent (size, format, digest length). */
  readonly message: BytesResult = $derived.by(() => {
    const r: BytesResult = this.file ? (this.file.length > 4096 ? { ok: false, reason: `The file has ${this.file.length.toLocaleString('en-US')} bytes: KMS signs at most 4,096. Compute its digest and sign the DIGEST.` } : { ok: true, bytes: this.file }) : parseBytes(this.text, this.format);
    if (!r.ok) return r;
    const need = requiredLength(this.algorithm, this.messageType);
    if (need !== null && r.bytes.length !== need) return { ok: false, reason: `${this.messageType} with ${this.algorithm} needs exactly ${need} bytes; this is ${r.bytes.length}.` };
    return r;
  });

  /** The signature bytes in the text box, or null. */
  readonly signature: Uint8Array | null = $derived.by(() => {
    const r = parseBytes(this.signatureText, this.signatureFormat, 1 << 16);
    return r.ok ? r.bytes : null;
  });

  /** A new algorithm keeps the message type when it allows it. */
  chooseAlgorithm(alg: SigningAlgorithm): void {
    this.algorithm = alg;
    const types = messageTypesFor(alg);
    if (!types.includes(this.messageType)) this.messageType = types[0]!;
  }

  /** Shows the signature in the other encoding. */
  showSignatureAs(format: OutputFormat): void {
    const sig = this.signature;
    this.signatureFormat = format;
    if (sig) this.signatureText = formatBytes(sig, format);
  }

  /** Puts a digest in the message box (hex) and switches to DIGEST. */
  useDigest(digest: Uint8Array): void {
    this.file = null;
    this.format = 'hex';
    this.text = formatBytes(digest, 'hex');
    this.messageType = 'DIGEST';
  }
}
