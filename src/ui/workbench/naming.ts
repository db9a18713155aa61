/**
 * File names of the workbench's downloads: an envelope is saved as `<input name>.kmsenv`, and
 * decrypting `<name>.kmsenv` saves `<name>` again (`<name>.decrypted` when the envelope had
 * another name). Names are reduced to a safe base name (no folders, no control characters).
 */

/** Extension of saved envelopes. */
export const ENVELOPE_EXTENSION = '.kmsenv';

/** A base name safe to offer as a download name (path parts and control characters removed). */
export function safeFileName(name: string, fallback = 'data'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean === '' || clean === '.' || clean === '..' ? fallback : clean;
}

/** `report.pdf` → `report.pdf.kmsenv`; typed text (no file name) → `text.txt.kmsenv`. */
export function envelopeFileName(inputName: string | undefined): string {
  return `${safeFileName(inputName ?? '', 'text.txt')}${ENVELOPE_EXTENSION}`;
}

/** `report.pdf.kmsenv` → `report.pdf`; `blob.bin` → `blob.bin.decrypted`. */
export function decryptedFileName(envelopeName: string | undefined): string {
  const name = safeFileName(envelopeName ?? '', 'envelope.kmsenv');
  if (name.toLowerCase().endsWith(ENVELOPE_EXTENSION) && name.length > ENVELOPE_EXTENSION.length) {
    return name.slice(0, -ENVELOPE_EXTENSION.length);
  }
  return `${name}.decrypted`;
}
