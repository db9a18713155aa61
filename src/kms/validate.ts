/**
 * Request validation as the KMS API model does it (kms-semantics.md §3.1–3.2, §13.3).
 *
 * Each operation declares its members with the model's constraints; `validateRequest` checks
 * them all and throws one `ValidationException` listing every violation in AWS's wording:
 *
 *   1 validation error detected: Value '2000' at 'numberOfBytes' failed to satisfy constraint:
 *   Member must have value less than or equal to 1024
 *
 * Member names in messages are camelCase, as AWS prints them. Values of sensitive members
 * (blobs, policies) are never echoed. Unknown members are ignored, as AWS JSON services do.
 * Service-level rules (7–30 day window, KeySpec vs NumberOfBytes, ...) live in the operations.
 */
import { isWellFormedUnicode } from './crypto';
import { kmsError } from './errors';

/** One member's model constraints. */
export type MemberSpec =
  | { type: 'string'; required?: boolean; min?: number; max?: number; pattern?: RegExp }
  | { type: 'enum'; required?: boolean; values: readonly string[] }
  | { type: 'integer'; required?: boolean; min?: number; max?: number }
  | { type: 'boolean'; required?: boolean }
  | { type: 'blob'; required?: boolean; min?: number; max?: number }
  | { type: 'stringMap'; required?: boolean }
  | { type: 'stringList'; required?: boolean; minItems?: number; maxItems?: number; itemMin?: number; itemMax?: number }
  | { type: 'tagList'; required?: boolean };

export type RequestSpec = Readonly<Record<string, MemberSpec>>;

/** AWS prints member names with a lowercase first letter. */
export function memberLabel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return `'${String(v)}'`;
  return '';
}

function at(name: string, value: unknown, constraint: string, showValue = true): string {
  const shown = showValue ? describeValue(value) : '';
  return `Value ${shown ? shown + ' ' : ''}at '${memberLabel(name)}' failed to satisfy constraint: Member must ${constraint}`;
}

function checkMember(name: string, spec: MemberSpec, v: unknown, out: string[]): void {
  if (v === undefined || v === null) {
    if (spec.required) out.push(`Value null at '${memberLabel(name)}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  switch (spec.type) {
    case 'string': {
      if (typeof v !== 'string') return void out.push(at(name, v, 'be a string', false));
      const long = v.length > 256;
      if (spec.min !== undefined && v.length < spec.min)
        out.push(at(name, v, `have length greater than or equal to ${spec.min}`, !long));
      if (spec.max !== undefined && v.length > spec.max)
        out.push(at(name, v, `have length less than or equal to ${spec.max}`, !long));
      if (spec.pattern && !spec.pattern.test(v))
        out.push(at(name, v, `satisfy regular expression pattern: ${spec.pattern.source}`, !long));
      return;
    }
    case 'enum':
      if (typeof v !== 'string' || !spec.values.includes(v))
        out.push(at(name, v, `satisfy enum value set: [${spec.values.join(', ')}]`));
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return void out.push(at(name, v, 'be an integer', false));
      if (spec.min !== undefined && v < spec.min) out.push(at(name, v, `have value greater than or equal to ${spec.min}`));
      if (spec.max !== undefined && v > spec.max) out.push(at(name, v, `have value less than or equal to ${spec.max}`));
      return;
    case 'boolean':
      if (typeof v !== 'boolean') out.push(at(name, v, 'be a boolean', false));
      return;
    case 'blob':
      if (!(v instanceof Uint8Array)) return void out.push(at(name, v, 'be a blob', false));
      if (spec.min !== undefined && v.length < spec.min)
        out.push(at(name, v, `have length greater than or equal to ${spec.min}`, false));
      if (spec.max !== undefined && v.length > spec.max)
        out.push(at(name, v, `have length less than or equal to ${spec.max}`, false));
      return;
    case 'stringMap':
      if (typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array)
        return void out.push(at(name, v, 'be a map of strings to strings', false));
      for (const [k, val] of Object.entries(v)) {
        if (typeof val !== 'string') return void out.push(at(name, v, 'be a map of strings to strings', false));
        // A lone surrogate has no UTF-8 form: it would encode like U+FFFD and collide (§3.3).
        if (!isWellFormedUnicode(k) || !isWellFormedUnicode(val))
          return void out.push(at(name, v, 'contain only well-formed Unicode strings', false));
      }
      return;
    case 'stringList': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
        return void out.push(at(name, v, 'be a list of strings', false));
      if (spec.minItems !== undefined && v.length < spec.minItems)
        out.push(at(name, v, `have length greater than or equal to ${spec.minItems}`, false));
      if (spec.maxItems !== undefined && v.length > spec.maxItems)
        out.push(at(name, v, `have length less than or equal to ${spec.maxItems}`, false));
      v.forEach((item: string, i) => {
        if (spec.itemMin !== undefined && item.length < spec.itemMin)
          out.push(at(`${name}.${i + 1}.member`, item, `have length greater than or equal to ${spec.itemMin}`));
        if (spec.itemMax !== undefined && item.length > spec.itemMax)
          out.push(at(`${name}.${i + 1}.member`, item, `have length less than or equal to ${spec.itemMax}`, false));
      });
      return;
    }
    case 'tagList': {
      if (!Array.isArray(v)) return void out.push(at(name, v, 'be a list of tags', false));
      v.forEach((tag: unknown, i) => {
        const base = `${name}.${i + 1}.member`;
        if (typeof tag !== 'object' || tag === null) return void out.push(at(base, tag, 'be a tag', false));
        const t = tag as Record<string, unknown>;
        checkMember(`${base}.tagKey`, { type: 'string', required: true, min: 1, max: 128 }, t.TagKey, out);
        checkMember(`${base}.tagValue`, { type: 'string', required: true, min: 0, max: 256 }, t.TagValue, out);
      });
      return;
    }
  }
}

/** Checks `req` against `spec`; throws ValidationException listing every violation. */
export function validateRequest(req: Readonly<Record<string, unknown>>, spec: RequestSpec): void {
  const errors: string[] = [];
  for (const [name, member] of Object.entries(spec)) checkMember(name, member, req[name], errors);
  if (errors.length > 0) {
    const n = errors.length;
    throw kmsError(
      'ValidationException',
      `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`,
    );
  }
}

/** A service-level validation failure (outside the model's constraints), AWS-worded by the caller. */
export function validationError(message: string): never {
  throw kmsError('ValidationException', message);
}

// Shared member specs (§3.2).
export const KEY_ID: MemberSpec = { type: 'string', required: true, min: 1, max: 2048 };
export const OPTIONAL_KEY_ID: MemberSpec = { type: 'string', min: 1, max: 2048 };
export const GRANT_TOKENS: MemberSpec = { type: 'stringList', maxItems: 10, itemMin: 1, itemMax: 8192 };
export const ENCRYPTION_CONTEXT: MemberSpec = { type: 'stringMap' };
export const CIPHERTEXT: MemberSpec = { type: 'blob', required: true, min: 1, max: 6144 };
export const LIMIT: MemberSpec = { type: 'integer', min: 1, max: 1000 };
export const MARKER: MemberSpec = { type: 'string', min: 1, max: 1024, pattern: /^[\u0020-\u00FF]*$/ };
export const DRY_RUN: MemberSpec = { type: 'boolean' };
export const ALIAS_NAME: MemberSpec = { type: 'string', required: true, min: 1, max: 256, pattern: /^[a-zA-Z0-9:/_-]+$/ };
export const NUMBER_OF_BYTES: MemberSpec = { type: 'integer', min: 1, max: 1024 };
export const ENCRYPTION_ALGORITHM: MemberSpec = {
  type: 'enum',
  values: ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'],
};
