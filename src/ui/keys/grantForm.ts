/**
 * The create-grant form as data (kms-semantics.md §7): what the learner fills in → a CreateGrant
 * request in AWS shape, or the form's own validation messages. Only what a form can know is
 * checked here (a grantee, at least one operation, readable constraint pairs); everything AWS
 * decides (principal exists, operations the key supports, ≤ 8 pairs, permissions) is left to the
 * service, so its real error is shown.
 */
import type { FormResult } from './formResult';

export type ConstraintKind = 'none' | 'EncryptionContextSubset' | 'EncryptionContextEquals';

/** The form's fields, as typed. */
export interface GrantFormInput {
  readonly keyId: string;
  readonly granteePrincipal: string;
  readonly operations: readonly string[];
  readonly constraintKind: ConstraintKind;
  /** Encryption context pairs: `{"k":"v"}` JSON, or `k=v` per line / comma-separated. */
  readonly constraintText: string;
  readonly retiringPrincipal: string;
  readonly name: string;
}


/**
 * Parses encryption context pairs typed as a JSON object of strings or as `key=value` items
 * separated by new lines or commas. Returns the map, or a message saying what is wrong.
 */
export function parseContextPairs(text: string): { ok: true; value: Record<string, string> } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: {} };
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { ok: false, reason: 'Not valid JSON: write {"key":"value"} or key=value pairs.' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      return { ok: false, reason: 'The JSON must be an object whose values are strings, e.g. {"purpose":"orders"}.' };
    }
    return { ok: true, value: { ...(parsed as Record<string, string>) } };
  }
  const value: Record<string, string> = {};
  for (const item of trimmed.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { ok: false, reason: `"${item}" is not a key=value pair.` };
    const key = item.slice(0, eq).trim();
    if (Object.hasOwn(value, key)) return { ok: false, reason: `The key "${key}" appears twice.` };
    value[key] = item.slice(eq + 1).trim();
  }
  return { ok: true, value };
}

/** The CreateGrant request for the form, or the messages to show next to its fields. */
export function createGrantRequest(input: GrantFormInput): FormResult<Record<string, unknown>> {
  const errors: Record<string, string> = {};
  const grantee = input.granteePrincipal.trim();
  if (grantee === '') errors.granteePrincipal = 'Choose or type the grantee principal ARN.';
  if (input.operations.length === 0) errors.operations = 'Choose at least one operation the grant allows.';
  let constraints: Record<string, Record<string, string>> | undefined;
  if (input.constraintKind !== 'none') {
    const pairs = parseContextPairs(input.constraintText);
    if (!pairs.ok) errors.constraints = pairs.reason;
    else if (Object.keys(pairs.value).length === 0) errors.constraints = `Type at least one encryption context pair for ${input.constraintKind}, or choose no constraint.`;
    else constraints = { [input.constraintKind]: pairs.value };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const retiring = input.retiringPrincipal.trim();
  const name = input.name.trim();
  return {
    ok: true,
    value: {
      KeyId: input.keyId,
      GranteePrincipal: grantee,
      Operations: [...input.operations],
      ...(constraints ? { Constraints: constraints } : {}),
      ...(retiring !== '' ? { RetiringPrincipal: retiring } : {}),
      ...(name !== '' ? { Name: name } : {}),
    },
  };
}

/** A grant's constraint in one line: `EncryptionContextSubset: purpose=orders, tenant=a`. */
export function constraintSummary(constraints: {
  readonly EncryptionContextEquals?: Readonly<Record<string, string>>;
  readonly EncryptionContextSubset?: Readonly<Record<string, string>>;
} | null): string {
  if (!constraints) return 'none';
  const kind = constraints.EncryptionContextEquals ? 'EncryptionContextEquals' : 'EncryptionContextSubset';
  const map = constraints.EncryptionContextEquals ?? constraints.EncryptionContextSubset ?? {};
  return `${kind}: ${Object.entries(map).map(([k, v]) => `${k}=${v}`).join(', ')}`;
}
