/**
 * Saves a Blob as a file: an object URL on a temporary `<a download>`, revoked right after the
 * browser has taken the download (the Blob itself stays with its workbench result).
 */

/** Offers `blob` as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; the URL is not needed past this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
