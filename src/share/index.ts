/** Public surface of src/share (see README.md): share links, export files, the envelope. */
export {
  SHARE_ENCODING,
  SHARE_LIMITS,
  SHARE_REFUSALS,
  SANDBOX_FILE_SUFFIX,
  SANDBOX_FILE_TYPE,
  decodeShare,
  encodeFragment,
  encodeShare,
  exportSandboxFile,
  importSandboxFile,
  readShareFragment,
  shareLink,
  type DecodeOptions,
  type EncodeResult,
  type ShareLimits,
  type ShareRefusal,
  type ShareResult,
} from './codec';
export {
  ENVELOPE_MIGRATIONS,
  FORMAT_VERSION,
  MIN_FORMAT_VERSION,
  SHARE_FORMAT,
  validateEnvelope,
  type EntryCheck,
  type ShareEnvelope,
  type ShareLesson,
} from './envelope';
export { CURRENT_SEM, checkLogEntry, firstEntryWithInputs, withoutInputs } from './logEntry';
