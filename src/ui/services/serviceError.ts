/**
 * A simulated service's error as the Services tab shows it (issue 8): the service's own error
 * (`AccessDenied`, `KMS.DisabledException`, `InvalidVolume.NotFound`) and, when a KMS call behind
 * it failed, what KMS said — "Amazon S3 said AccessDenied because KMS said AccessDeniedException: …".
 */

/** The KMS calls a service error carries (S3 attaches them to its ServiceError), or none. */
export function kmsCallsOfError(e: unknown): readonly { operation: string; requestId?: string; error?: { name: string; message: string } }[] {
  const calls = typeof e === 'object' && e !== null ? (e as { kmsCalls?: unknown }).kmsCalls : undefined;
  return Array.isArray(calls) ? calls.filter((c): c is { operation: string } => typeof c === 'object' && c !== null && typeof (c as { operation?: unknown }).operation === 'string') : [];
}

/** The "because KMS said …" sentence of a service error, or null when no KMS error is behind it. */
export function kmsCauseText(e: unknown, serviceLabel: string): string | null {
  if (typeof e !== 'object' || e === null) return null;
  const { name, kmsError } = e as { name?: unknown; kmsError?: { name?: unknown; message?: unknown } };
  if (!kmsError || typeof kmsError.name !== 'string') return null;
  const message = typeof kmsError.message === 'string' && kmsError.message !== '' ? `: ${kmsError.message}` : '';
  return `${serviceLabel} said ${typeof name === 'string' ? name : 'an error'} because KMS said ${kmsError.name}${message}`;
}
