/**
 * CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant (kms-semantics.md §7,
 * §2.1 notes, §3.2, §3.5; AWS API reference for each operation; guide "Creating grants",
 * "Retiring and revoking grants"). The grant rules themselves are pure, in `policy/grants.ts`.
 *
 * - CreateGrant: KeyId is a key id or key ARN (another account's key by ARN); exactly one grantee;
 *   operations must be grant operations the key's type supports; encryption context constraints
 *   (one kind, ≤ 8 pairs, values ≤ 384 chars) only on symmetric keys; principals must exist in
 *   the sandbox ("ARN does not refer to a valid principal"); `Name` makes retries idempotent (same
 *   name and parameters → the existing GrantId with a new token); 50,000 grants per customer
 *   managed key. A caller whose CreateGrant permission comes from a grant only may create grants
 *   within that grant (its operations, constraints at least as strict).
 * - RetireGrant is authorized by the grant, not by policies: its retiring principal, its grantee
 *   when it allows RetireGrant, or the account that created it.
 * - RevokeGrant and ListGrants need kms:RevokeGrant / kms:ListGrants from policies.
 * - ListRetirableGrants lists the grants, on keys of any account in this Region, whose retiring
 *   principal is the given principal of the caller's account.
 *
 * Error choices AWS does not document (*inferred*): a GrantId that is not 64 lowercase hex is
 * InvalidGrantIdException, a well-formed id that names no grant of the key is NotFoundException;
 * both constraint kinds at once is a ValidationException; ListRetirableGrants for a principal of
 * another account is AccessDeniedException. Service principals (GranteeServicePrincipal,
 * RetiringServicePrincipal) and the SourceArn constraint are not simulated, so CreateGrant answers
 * UnsupportedOperationException for them. `kms:GrantIsForAWSResource` is true when an integrated
 * AWS service calls for the principal (the simulated EBS attaching a volume: `caller.viaService`).
 */
import type { Operation } from './operation';

/** `kms:GrantIsForAWSResource` (§6.3): true only when an integrated AWS service makes the call for the principal. */
function grantIsForAwsResource(ctx: Pick<OpContext, 'caller'>): 'true' | 'false' {
  return ctx.caller.viaService ? 'true' : 'false';
}
import { callerDisplayArn, callerPrincipal } from '../authorization';
import { pageSize, paginate, resolveKey, type OpContext } from '../context';
import { kmsError } from '../errors';
import { assertOperationAllowed } from '../lifecycle/matrix';
import type { GrantRecord, KeyRecord } from '../model';
import {
  childGrantWithin,
  encodeGrantToken,
  GRANT_OPERATIONS,
  grantIdFromBytes,
  grantOperationsFor,
  isGrantIdFormat,
  isGrantOperation,
  parseGrantToken,
  retireRight,
  supportsGrantConstraints,
  type GrantConstraints,
} from '../policy/grants';
import type { AuthorizationDecision, ConditionContext } from '../policy/types';
import { DRY_RUN, ENCRYPTION_CONTEXT, GRANT_TOKENS, KEY_ID, LIMIT, MARKER, OPTIONAL_KEY_ID, validateRequest, validationError, type MemberSpec } from '../validate';
import { assertGrantTokens, authorizeIam, dryRunSucceeded, useKey } from './common';

/** Quota "Grants per KMS key" (§3.5); not applied to AWS managed keys. */
export const MAX_GRANTS_PER_KEY = 50_000;
/** Pairs per encryption context constraint, and characters per value (API reference, CreateGrant). */
export const MAX_CONSTRAINT_PAIRS = 8;
export const MAX_CONSTRAINT_VALUE_LENGTH = 384;
/** Opaque bytes in a grant token (AWS tokens run to a few hundred characters). */
const TOKEN_PAYLOAD_BYTES = 160;

// Member constraints (§3.2).
const PRINCIPAL: MemberSpec = { type: 'string', min: 1, max: 256, pattern: /^[\w+=,.@:/-]+$/ };
const GRANT_NAME: MemberSpec = { type: 'string', min: 1, max: 256, pattern: /^[a-zA-Z0-9:/_-]+$/ };
const GRANT_ID: MemberSpec = { type: 'string', min: 1, max: 128 };
const GRANT_TOKEN: MemberSpec = { type: 'string', min: 1, max: 8192 };


// ---------------------------------------------------------------------------------------------
// Request parsing

/** The Operations list: grant operations only (AWS's enum wording), duplicates dropped. */
function grantOperationList(value: unknown): string[] {
  const ops = value as string[];
  if (!ops.every(isGrantOperation)) {
    validationError(
      `1 validation error detected: Value '[${ops.join(', ')}]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`,
    );
  }
  return [...new Set(ops)];
}

/** Constraints → the record's shape; empty maps count as absent (one spelling of "none"). */
function parseConstraints(value: unknown): GrantConstraints {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    validationError("1 validation error detected: Value at 'constraints' failed to satisfy constraint: Member must be a structure");
  }
  const c = value as Record<string, unknown>;
  validateRequest(c, { EncryptionContextEquals: ENCRYPTION_CONTEXT, EncryptionContextSubset: ENCRYPTION_CONTEXT });
  if (c.SourceArn !== undefined) {
    throw kmsError('UnsupportedOperationException', 'The SourceArn grant constraint is not simulated: it limits grants to requests an AWS service makes, and no AWS service calls KMS in this sandbox.');
  }
  const nonEmpty = (m: unknown) => (m && Object.keys(m).length > 0 ? (m as Record<string, string>) : undefined);
  const equals = nonEmpty(c.EncryptionContextEquals);
  const subset = nonEmpty(c.EncryptionContextSubset);
  if (equals && subset) {
    validationError('A grant can have only one encryption context constraint: EncryptionContextEquals or EncryptionContextSubset, not both.');
  }
  const map = equals ?? subset;
  if (!map) return null;
  const kind = equals ? 'EncryptionContextEquals' : 'EncryptionContextSubset';
  if (Object.keys(map).length > MAX_CONSTRAINT_PAIRS) {
    validationError(`The ${kind} grant constraint can include at most ${MAX_CONSTRAINT_PAIRS} encryption context pairs.`);
  }
  if (Object.values(map).some((v) => v.length > MAX_CONSTRAINT_VALUE_LENGTH)) {
    validationError(`Each encryption context value in the ${kind} grant constraint can be at most ${MAX_CONSTRAINT_VALUE_LENGTH} characters.`);
  }
  return equals ? { encryptionContextEquals: { ...equals } } : { encryptionContextSubset: { ...map } };
}

/** Exactly one of `name` and `serviceName`; service principals are not simulated. */
function onePrincipal(req: Record<string, unknown>, name: string, serviceName: string, required: boolean): string | null {
  const arn = req[name] as string | undefined;
  const service = req[serviceName] as string | undefined;
  if (arn !== undefined && service !== undefined) validationError(`Specify ${name} or ${serviceName}, not both.`);
  if (service !== undefined) {
    throw kmsError('UnsupportedOperationException', `${serviceName} is not simulated: grants for AWS service principals need an AWS service to call KMS, and none does in this sandbox. Use ${name} with an IAM principal ARN.`);
  }
  if (arn === undefined && required) validationError(`Specify the grantee with ${name} (or ${serviceName}).`);
  return arn ?? null;
}

const PRINCIPAL_ARN =
  /^arn:aws:(?:iam::(\d{12}):(root|user\/[\w+=,.@-]+|role\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+)|sts::(\d{12}):(assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+))$/;

/** The account of a principal ARN of this sandbox, or InvalidArnException as AWS answers. */
function knownPrincipal(ctx: OpContext, arn: string): string {
  const m = PRINCIPAL_ARN.exec(arn);
  const account = m ? (m[1] ?? m[3])! : '';
  let known = false;
  if (m && ctx.tx.get('account', account)) {
    const what = (m[2] ?? m[4])!;
    if (what.startsWith('user/') || what.startsWith('role/')) known = !!ctx.tx.get('principal', arn);
    else if (what.startsWith('assumed-role/')) known = !!ctx.tx.get('principal', `arn:aws:iam::${account}:role/${m[5]!}`);
    else known = true; // the account root, or a federated user of an existing account
  }
  if (!known) throw kmsError('InvalidArnException', `ARN does not refer to a valid principal: ${arn}`);
  return account;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function grantsOf(ctx: OpContext, key: KeyRecord): GrantRecord[] {
  return ctx.tx.list('grant').filter((g) => g.keyArn === key.id);
}

/** Oldest first; grants made in the same millisecond in id order. */
function byCreation(a: GrantRecord, b: GrantRecord): number {
  return a.creationDate - b.creationDate || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A GrantListEntry (§2.1 notes). Name is "" when the grant has none, as ListGrants shows it. */
function entry(g: GrantRecord): Record<string, unknown> {
  const e: Record<string, unknown> = {
    KeyId: g.keyArn,
    GrantId: g.id,
    Name: g.name ?? '',
    CreationDate: new Date(g.creationDate),
    GranteePrincipal: g.granteePrincipal,
  };
  if (g.retiringPrincipal !== null) e.RetiringPrincipal = g.retiringPrincipal;
  e.IssuingAccount = g.issuingAccount;
  e.Operations = [...g.operations];
  if (g.constraints) {
    e.Constraints = {
      ...(g.constraints.encryptionContextEquals ? { EncryptionContextEquals: { ...g.constraints.encryptionContextEquals } } : {}),
      ...(g.constraints.encryptionContextSubset ? { EncryptionContextSubset: { ...g.constraints.encryptionContextSubset } } : {}),
    };
  }
  return e;
}

function sameConstraints(a: GrantConstraints, b: GrantConstraints): boolean {
  const same = (x?: Readonly<Record<string, string>>, y?: Readonly<Record<string, string>>) =>
    x === y || (!!x && !!y && Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v));
  return same(a?.encryptionContextEquals, b?.encryptionContextEquals) && same(a?.encryptionContextSubset, b?.encryptionContextSubset);
}

function sameOperations(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((op) => b.includes(op));
}

/** CreateGrant's condition keys (§6.3): the grant's operations, principals and constraint. */
function createGrantConditions(ctx: Pick<OpContext, 'caller'>, operations: readonly string[], grantee: string, retiring: string | null, constraints: GrantConstraints): ConditionContext {
  const c: Record<string, string[]> = {
    'kms:grantoperations': [...operations],
    'kms:granteeprincipal': [grantee],
    'kms:grantisforawsresource': [grantIsForAwsResource(ctx)],
  };
  if (retiring !== null) c['kms:retiringprincipal'] = [retiring];
  const map = constraints?.encryptionContextEquals ?? constraints?.encryptionContextSubset;
  if (map) {
    c['kms:grantconstrainttype'] = [constraints?.encryptionContextEquals ? 'EncryptionContextEquals' : 'EncryptionContextSubset'];
    c['kms:encryptioncontextkeys'] = Object.keys(map);
    for (const [k, v] of Object.entries(map)) c[`kms:encryptioncontext:${k.toLowerCase()}`] = [v];
  }
  return c;
}

/**
 * When only a grant allowed this CreateGrant, the new grant must stay within one of the grants
 * that allowed it (guide "Granting CreateGrant permission").
 */
function assertWithinParentGrant(ctx: OpContext, key: KeyRecord, child: { operations: readonly string[]; constraints: GrantConstraints }): void {
  const decision = ctx.decisions[ctx.decisions.length - 1];
  if (!decision || decision.decision !== 'Allow' || decision.allowedBy !== 'grant') return;
  const parents = decision.grants.filter((t) => t.applies).map((t) => ctx.tx.get('grant', t.grantId)).filter((g) => g !== undefined);
  const checks = parents.map((g) => childGrantWithin(g, child));
  if (checks.some((c) => c.ok)) return;
  throw kmsError(
    'AccessDeniedException',
    `User: ${callerDisplayArn(callerPrincipal(ctx))} is not authorized to perform: kms:CreateGrant on resource: ${key.id} because the grant that allows kms:CreateGrant only allows grants within it: ${checks.map((c) => c.explanation).join('; ')}`,
  );
}

/** The key-type rules of CreateGrant: supported operations, constraints on symmetric keys only. */
function assertSuitsKey(key: KeyRecord, operations: readonly string[], constraints: GrantConstraints): void {
  const supported = grantOperationsFor(key);
  const bad = operations.filter((op) => !supported.includes(op as (typeof supported)[number]));
  if (bad.length > 0) {
    validationError(
      `${bad.join(', ')} ${bad.length === 1 ? 'is not a valid grant operation' : 'are not valid grant operations'} for ${key.id}: a ${key.keySpec} key with KeyUsage ${key.keyUsage} supports ${supported.join(', ')}.`,
    );
  }
  if (constraints && !supportsGrantConstraints(key)) {
    validationError(`Encryption context grant constraints are not valid for ${key.id}: operations with ${key.keySpec} keys do not take an encryption context.`);
  }
}

function grantNotFound(grantId: string, key: KeyRecord | null): never {
  throw kmsError('NotFoundException', key ? `Grant ${grantId} does not exist on key ${key.id}.` : `Grant ${grantId} does not exist.`);
}

function assertGrantIdFormat(grantId: string): void {
  if (!isGrantIdFormat(grantId)) throw kmsError('InvalidGrantIdException', `Invalid grant ID: ${grantId} (a grant ID is 64 lowercase hexadecimal characters).`);
}

// ---------------------------------------------------------------------------------------------
// Operations

export const createGrant: Operation = {
  name: 'CreateGrant',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      GranteePrincipal: PRINCIPAL,
      GranteeServicePrincipal: PRINCIPAL,
      RetiringPrincipal: PRINCIPAL,
      RetiringServicePrincipal: PRINCIPAL,
      Operations: { type: 'stringList', required: true, minItems: 1 },
      Name: GRANT_NAME,
      GrantTokens: GRANT_TOKENS,
      DryRun: DRY_RUN,
    });
    const operations = grantOperationList(req.Operations);
    const constraints = parseConstraints(req.Constraints);
    const grantee = onePrincipal(req, 'GranteePrincipal', 'GranteeServicePrincipal', true)!;
    const retiring = onePrincipal(req, 'RetiringPrincipal', 'RetiringServicePrincipal', false);
    assertGrantTokens(req.GrantTokens as string[] | undefined);
    knownPrincipal(ctx, grantee);
    if (retiring !== null) knownPrincipal(ctx, retiring);

    const key = useKey(ctx, req.KeyId as string, 'idOrArn', { conditions: createGrantConditions(ctx, operations, grantee, retiring, constraints) });
    assertWithinParentGrant(ctx, key, { operations, constraints });
    assertSuitsKey(key, operations, constraints);

    const name = (req.Name as string | undefined) ?? null;
    const issuingAccount = `arn:aws:iam::${ctx.caller.accountId}:root`;
    const existing = grantsOf(ctx, key);
    // A retry with the same Name and parameters is recognized and creates nothing (guide "Creating grants").
    const retried =
      name === null
        ? undefined
        : existing.find(
            (g) =>
              g.name === name &&
              g.granteePrincipal === grantee &&
              g.retiringPrincipal === retiring &&
              g.issuingAccount === issuingAccount &&
              sameOperations(g.operations, operations) &&
              sameConstraints(g.constraints, constraints),
          );
    if (!retried && key.keyManager === 'CUSTOMER' && existing.length >= MAX_GRANTS_PER_KEY) {
      throw kmsError('LimitExceededException', `The request was rejected because ${key.id} already has the maximum of ${MAX_GRANTS_PER_KEY} grants (quota "Grants per KMS key").`);
    }
    if (req.DryRun === true) dryRunSucceeded();

    const grantId = retried?.id ?? grantIdFromBytes(ctx.random.bytes(32));
    // Every call returns a new token, even for an existing grant; all of a grant's tokens are interchangeable.
    const grantToken = encodeGrantToken(grantId, ctx.random.bytes(TOKEN_PAYLOAD_BYTES));
    if (!retried) {
      ctx.tx.put({
        typeName: 'grant',
        id: grantId,
        keyArn: key.id,
        name,
        granteePrincipal: grantee,
        retiringPrincipal: retiring,
        issuingAccount,
        operations,
        constraints,
        creationDate: ctx.now,
        grantToken,
      });
    }
    return { GrantToken: grantToken, GrantId: grantId };
  },
};

export const listGrants: Operation = {
  name: 'ListGrants',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      Limit: LIMIT,
      Marker: MARKER,
      GrantId: GRANT_ID,
      GranteePrincipal: PRINCIPAL,
      GranteeServicePrincipal: PRINCIPAL,
    });
    const key = useKey(ctx, req.KeyId as string, 'idOrArn', { conditions: { 'kms:grantisforawsresource': [grantIsForAwsResource(ctx)] } });
    const grantId = req.GrantId as string | undefined;
    if (grantId !== undefined) assertGrantIdFormat(grantId);
    const grantee = req.GranteePrincipal as string | undefined;
    const grants = grantsOf(ctx, key)
      .filter((g) => (grantId === undefined || g.id === grantId) && (grantee === undefined || g.granteePrincipal === grantee))
      // No grant has a service principal grantee in the sandbox.
      .filter(() => req.GranteeServicePrincipal === undefined)
      .sort(byCreation);
    const { page, ...rest } = paginate(grants, (g) => g.id, pageSize(req.Limit, 50, 100), req.Marker as string | undefined);
    return { Grants: page.map(entry), ...rest };
  },
};

export const listRetirableGrants: Operation = {
  name: 'ListRetirableGrants',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { Limit: LIMIT, Marker: MARKER, RetiringPrincipal: PRINCIPAL, RetiringServicePrincipal: PRINCIPAL });
    const arn = req.RetiringPrincipal as string | undefined;
    if (arn !== undefined && req.RetiringServicePrincipal !== undefined) validationError('Specify RetiringPrincipal or RetiringServicePrincipal, not both.');
    if (arn === undefined && req.RetiringServicePrincipal === undefined) {
      validationError("1 validation error detected: Value null at 'retiringPrincipal' failed to satisfy constraint: Member must not be null");
    }
    // kms:ListRetirableGrants is an IAM permission of the caller's account (no key resource).
    authorizeIam(ctx, '*');
    let grants: GrantRecord[] = [];
    if (arn !== undefined) {
      const account = knownPrincipal(ctx, arn);
      if (account !== ctx.caller.accountId) {
        throw kmsError(
          'AccessDeniedException',
          `User: ${callerDisplayArn(callerPrincipal(ctx))} is not authorized to perform: kms:ListRetirableGrants for ${arn} because ListRetirableGrants lists the grants of principals in the caller's own account`,
        );
      }
      const { region } = ctx.caller;
      grants = ctx.tx
        .list('grant')
        .filter((g) => g.retiringPrincipal === arn && g.keyArn.startsWith(`arn:aws:kms:${region}:`))
        .sort(byCreation);
    }
    const { page, ...rest } = paginate(grants, (g) => g.id, pageSize(req.Limit, 50, 100), req.Marker as string | undefined);
    return { Grants: page.map(entry), ...rest };
  },
};

export const retireGrant: Operation = {
  name: 'RetireGrant',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { GrantToken: GRANT_TOKEN, KeyId: OPTIONAL_KEY_ID, GrantId: GRANT_ID, DryRun: DRY_RUN });
    const token = req.GrantToken as string | undefined;
    const keyInput = req.KeyId as string | undefined;
    let grantId = req.GrantId as string | undefined;
    if (token !== undefined) {
      const parsed = parseGrantToken(token);
      if (!parsed) throw kmsError('InvalidGrantTokenException', 'The grant token is not valid.');
      if (grantId !== undefined && grantId !== parsed.grantId) validationError('The GrantId does not identify the grant that the GrantToken names.');
      grantId = parsed.grantId;
    } else if (keyInput === undefined || grantId === undefined) {
      validationError('Identify the grant to retire by its GrantToken, or by both KeyId and GrantId.');
    }
    let key: KeyRecord;
    let grant: GrantRecord | undefined;
    if (keyInput !== undefined) {
      key = resolveKey(ctx, keyInput, 'idOrArn');
      ctx.touch(key);
      assertGrantIdFormat(grantId!);
      grant = ctx.tx.get('grant', grantId!);
      if (!grant || grant.keyArn !== key.id) grantNotFound(grantId!, key);
    } else {
      grant = ctx.tx.get('grant', grantId!);
      if (!grant) grantNotFound(grantId!, null);
      key = resolveKey(ctx, grant.keyArn, 'idOrArn');
      ctx.touch(key);
    }
    authorizeRetire(ctx, key, grant);
    assertOperationAllowed('RetireGrant', key);
    if (req.DryRun === true) dryRunSucceeded();
    ctx.tx.delete('grant', grant.id);
    return {};
  },
};

const PRINCIPAL_TYPE = { root: 'Account', user: 'User', role: 'AssumedRole' } as const;

/**
 * RetireGrant's authorization: decided by the grant (policies cannot allow it, §7.3). The
 * decision is recorded with the call like every other, for the trail's "why" panel.
 */
function authorizeRetire(ctx: OpContext, key: KeyRecord, grant: GrantRecord): void {
  const principal = callerPrincipal(ctx);
  const right = retireRight(grant, principal.id);
  const allowed = right.by !== null;
  const decision: AuthorizationDecision = {
    decision: allowed ? 'Allow' : 'ImplicitDeny',
    allowedBy: allowed ? 'grant' : null,
    because: allowed ? '' : 'because the grant does not let the caller retire it',
    reason: right.summary,
    request: {
      action: 'kms:RetireGrant',
      resource: key.id,
      resourceAccount: key.accountId,
      principal: { arn: principal.id, accountId: principal.accountId, type: PRINCIPAL_TYPE[principal.kind] },
      context: {},
    },
    keyPolicy: null,
    identityPolicies: [],
    grants: [{ grantId: grant.id, name: grant.name, applies: allowed, summary: right.summary }],
  };
  ctx.decisions.push(decision);
  if (!allowed) {
    throw kmsError(
      'AccessDeniedException',
      `User: ${callerDisplayArn(principal)} is not authorized to perform: kms:RetireGrant on resource: ${key.id} ${decision.because}`,
      { reason: right.summary, decision: decision.decision },
    );
  }
}

export const revokeGrant: Operation = {
  name: 'RevokeGrant',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, GrantId: { ...GRANT_ID, required: true }, DryRun: DRY_RUN });
    const key = useKey(ctx, req.KeyId as string, 'idOrArn', { conditions: { 'kms:grantisforawsresource': [grantIsForAwsResource(ctx)] } });
    const grantId = req.GrantId as string;
    assertGrantIdFormat(grantId);
    const grant = ctx.tx.get('grant', grantId);
    if (!grant || grant.keyArn !== key.id) grantNotFound(grantId, key);
    if (req.DryRun === true) dryRunSucceeded();
    ctx.tx.delete('grant', grant.id);
    return {};
  },
};
