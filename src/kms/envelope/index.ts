/**
 * Public surface of `src/kms/envelope`: envelope encryption of payloads of any size with a data
 * key from GenerateDataKey (kms-semantics.md §12.2). See README.md.
 */
export { encryptEnvelope, decryptEnvelope, decryptEnvelopeFrames } from './envelope';
export type { DataKeyKms, EnvelopeInput, EnvelopeProgress, EncryptEnvelopeOptions, DecryptEnvelopeOptions } from './envelope';
export {
  encodeEnvelope,
  encodeEnvelopeParts,
  decodeEnvelope,
  encodeEnvelopeHeader,
  envelopeProblem,
  frameCount,
  frameAad,
  frameIv,
  DEFAULT_FRAME_SIZE,
  MAX_FRAME_SIZE,
  MESSAGE_ID_LENGTH,
  ENVELOPE_FORMAT,
  ENVELOPE_VERSION,
  ENVELOPE_ALGORITHM,
} from './format';
export type { Envelope, EnvelopeHeaderFields, EnvelopeDecodeFailure, DecodeEnvelopeResult } from './format';
