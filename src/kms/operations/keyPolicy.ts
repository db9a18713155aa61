/**
 * GetKeyPolicy, PutKeyPolicy, ListKeyPolicies (§2.2, §6.1): one policy per key, named
 * `default`, stored verbatim. Documents are validated by the policy grammar; the lockout safety
 * check and evaluation arrive with issue 3.
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import type { KeyRecord, PolicyRecord } from '../model';
import { decideFor } from '../authorization';
import { defaultKeyPolicy, MAX_POLICY_BYTES, parsePolicyDocument, policyByteLength, unknownPrincipals, type PolicyDocument } from '../policy/policyDocument';
import { KEY_ID, LIMIT, MARKER, validateRequest } from '../validate';
import type { OpContext } from '../context';
import { useManagedKey } from './common';

const POLICY_NAME = { type: 'string', min: 1, max: 128, pattern: /^[\w]+$/ } as const;
const POLICY_TEXT = { type: 'string', required: true, min: 1, max: 131072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ } as const;

/** Checks a policy document's size and grammar as PutKeyPolicy/CreateKey do; returns its AST. */
export function validatePolicyText(text: string): PolicyDocument {
  if (policyByteLength(text) > MAX_POLICY_BYTES) {
    throw kmsError('LimitExceededException', `The key policy is ${policyByteLength(text)} bytes; the maximum key policy size is ${MAX_POLICY_BYTES} bytes.`);
  }
  const parsed = parsePolicyDocument(text, 'key');
  if (!parsed.ok) throw kmsError('MalformedPolicyDocumentException', parsed.reason);
  return parsed.value;
}

/**
 * The checks KMS makes before a new key policy takes effect (§6.4): every principal must exist,
 * and unless `bypass`, the caller must still be allowed to call PutKeyPolicy under the new policy
 * (the lockout safety check). `key` is the key the policy is for (new or existing).
 */
export function checkNewKeyPolicy(ctx: OpContext, key: KeyRecord, doc: PolicyDocument, bypass: boolean): void {
  const unknown = unknownPrincipals(doc, (arn) => ctx.tx.get('principal', arn) !== undefined);
  if (unknown.length > 0) {
    throw kmsError('MalformedPolicyDocumentException', 'Policy contains a statement with one or more invalid principals.', { principals: unknown });
  }
  if (bypass) return;
  const after = decideFor(ctx, {
    operation: 'PutKeyPolicy',
    action: 'kms:PutKeyPolicy',
    target: key,
    keyPolicyOverride: doc,
    ignoreGrants: true,
  });
  if (after.decision !== 'Allow') {
    throw kmsError('MalformedPolicyDocumentException', 'The new key policy will not allow you to update the key policy in the future.', {
      reason: after.reason,
    });
  }
}

/** Stores a key's policy (the default policy when `text` is undefined). */
export function putPolicy(ctx: OpContext, key: KeyRecord, text: string | undefined): void {
  const record: PolicyRecord = {
    typeName: 'policy',
    id: `${key.id}/default`,
    keyArn: key.id,
    policyName: 'default',
    document: text ?? defaultKeyPolicy(key.accountId),
  };
  ctx.tx.put(record);
}

function checkPolicyName(name: unknown): void {
  if (name !== undefined && name !== 'default') throw kmsError('NotFoundException', `No such policy exists: ${String(name)}`);
}

export const getKeyPolicy: Operation = {
  name: 'GetKeyPolicy',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, PolicyName: POLICY_NAME });
    const key = useManagedKey(ctx, req.KeyId as string);
    checkPolicyName(req.PolicyName);
    const policy = ctx.tx.get('policy', `${key.id}/default`);
    return { Policy: policy?.document ?? defaultKeyPolicy(key.accountId), PolicyName: 'default' };
  },
};

export const putKeyPolicy: Operation = {
  name: 'PutKeyPolicy',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      PolicyName: POLICY_NAME,
      Policy: POLICY_TEXT,
      BypassPolicyLockoutSafetyCheck: { type: 'boolean' },
    });
    const bypass = req.BypassPolicyLockoutSafetyCheck === true;
    const key = useManagedKey(ctx, req.KeyId as string, {
      conditions: { 'kms:bypasspolicylockoutsafetycheck': [String(bypass)] },
    });
    checkPolicyName(req.PolicyName);
    const doc = validatePolicyText(req.Policy as string);
    checkNewKeyPolicy(ctx, key, doc, bypass);
    putPolicy(ctx, key, req.Policy as string);
    return {};
  },
};

export const listKeyPolicies: Operation = {
  name: 'ListKeyPolicies',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, Limit: LIMIT, Marker: MARKER });
    useManagedKey(ctx, req.KeyId as string);
    if (req.Marker !== undefined) {
      throw kmsError('InvalidMarkerException', 'The request was rejected because the marker that specifies where pagination should next begin is not valid.');
    }
    return { PolicyNames: ['default'], Truncated: false };
  },
};
