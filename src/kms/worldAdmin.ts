/**
 * Editing the sandbox's IAM world: accounts, users, roles and inline identity policies
 * (issue 3). IAM's side of the sandbox, so no KMS trail records; each edit is validated, then
 * committed atomically through the same serialized path as KMS calls, with its call log entry
 * (issue 6). A refused edit changes nothing and is not logged.
 */
import type { WorldAdmin } from './api';
import { kmsError } from './errors';
import { isAccountId, type AccountId } from './ids';
import type { IdentityPolicyRecord, PrincipalRecord, ServiceResourceRecord } from './model';
import { validateServiceResourceRecord } from './store/schema/serviceResource';
import { parsePolicyDocument } from './policy/policyDocument';
import type { WorldEdit } from './log';
import type { RandomStream, Repository } from './ports';
import { UnitOfWork } from './unitOfWork';
import { principalArn } from './world';

const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const ACCESS_KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export interface WorldAdminDeps {
  readonly repo: Repository;
  readonly serialize: <T>(work: () => Promise<T>) => Promise<T>;
  /** Commits a unit of work with the edit's log entry (advancing the call counter) and notifies subscribers. */
  readonly commitWorld: (tx: UnitOfWork, edit: WorldEdit) => Promise<void>;
  /** The random stream of the next commit. */
  readonly randomFor: () => RandomStream;
}

/** A fresh access key id `AKIA` + 16 base32 characters, unique in the sandbox. */
function newAccessKeyId(tx: UnitOfWork, random: RandomStream): string {
  for (;;) {
    const id = 'AKIA' + Array.from(random.bytes(16), (b) => ACCESS_KEY_CHARS[b & 31]).join('');
    if (!tx.list('principal').some((p) => p.accessKeyId === id)) return id;
  }
}

export function createWorldAdmin(deps: WorldAdminDeps): WorldAdmin {
  const { repo, serialize, commitWorld } = deps;
  return {
    createAccount: (accountId, name) =>
      serialize(async () => {
        if (!isAccountId(accountId)) throw kmsError('ValidationException', `Account id '${accountId}' must be 12 digits.`);
        const tx = new UnitOfWork(repo);
        if (tx.get('account', accountId)) throw kmsError('AlreadyExistsException', `Account ${accountId} already exists.`);
        tx.put({ typeName: 'account', id: accountId as AccountId, name: name.slice(0, 64) || accountId });
        const root: PrincipalRecord = {
          typeName: 'principal',
          id: principalArn(accountId, 'root', 'root'),
          accountId: accountId as AccountId,
          kind: 'root',
          name: 'root',
          accessKeyId: newAccessKeyId(tx, deps.randomFor()),
        };
        tx.put(root);
        await commitWorld(tx, { op: 'createAccount', accountId, name });
      }),
    createPrincipal: ({ accountId, kind, name }) =>
      serialize(async () => {
        const tx = new UnitOfWork(repo);
        if (!tx.get('account', accountId)) throw kmsError('NotFoundException', `Account ${accountId} does not exist in this sandbox.`);
        if (kind !== 'user' && kind !== 'role') throw kmsError('ValidationException', `A principal is a user or a role, not '${String(kind)}'.`);
        if (!IAM_NAME.test(name)) throw kmsError('ValidationException', `'${name}' is not a valid IAM ${kind} name (1–64 of letters, digits and +=,.@_-).`);
        const arn = principalArn(accountId, kind, name);
        if (tx.get('principal', arn)) throw kmsError('AlreadyExistsException', `${arn} already exists.`);
        const accessKeyId = newAccessKeyId(tx, deps.randomFor());
        tx.put({ typeName: 'principal', id: arn, accountId: accountId as AccountId, kind, name, accessKeyId });
        await commitWorld(tx, { op: 'createPrincipal', accountId, kind, name });
        return { arn, accessKeyId };
      }),
    putIdentityPolicy: (arn, policyName, document) =>
      serialize(async () => {
        const tx = new UnitOfWork(repo);
        const principal = tx.get('principal', arn);
        if (!principal) throw kmsError('NotFoundException', `Principal ${arn} does not exist in this sandbox.`);
        if (principal.kind === 'root') {
          throw kmsError('ValidationException', 'An account root has every permission of its own account; it takes no identity policy.');
        }
        if (!POLICY_NAME.test(policyName)) throw kmsError('ValidationException', `'${policyName}' is not a valid policy name.`);
        const parsed = parsePolicyDocument(document, 'identity');
        if (!parsed.ok) throw kmsError('MalformedPolicyDocumentException', parsed.reason);
        const record: IdentityPolicyRecord = { typeName: 'identityPolicy', id: `${arn}#${policyName}`, principalArn: arn, policyName, document };
        tx.put(record);
        await commitWorld(tx, { op: 'putIdentityPolicy', principalArn: arn, policyName, document });
      }),
    putServiceResource: (input) =>
      serialize(async () => {
        const record = { ...input, typeName: 'serviceResource' } as ServiceResourceRecord;
        const checked = validateServiceResourceRecord(record);
        if (!checked.ok) throw kmsError('ValidationException', `The resource is not valid: ${checked.detail ?? checked.reason}.`);
        if (!repo.get('account', record.accountId)) throw kmsError('NotFoundException', `Account ${record.accountId} does not exist in this sandbox.`);
        const tx = new UnitOfWork(repo);
        tx.put(record);
        const { typeName: _t, ...logged } = record;
        await commitWorld(tx, { op: 'putServiceResource', record: logged });
      }),
    deleteServiceResource: (id) =>
      serialize(async () => {
        const tx = new UnitOfWork(repo);
        if (!tx.get('serviceResource', id)) throw kmsError('NotFoundException', `Resource ${id} does not exist in this sandbox.`);
        tx.delete('serviceResource', id);
        await commitWorld(tx, { op: 'deleteServiceResource', id });
      }),
    getServiceResource: (id) => repo.get('serviceResource', id),
    listServiceResources(filter = {}) {
      return repo
        .list('serviceResource')
        .filter((r) => (filter.service === undefined || r.service === filter.service) && (filter.kind === undefined || r.kind === filter.kind))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    principalForAccessKey(accessKeyId) {
      const p = repo.list('principal').find((r) => r.accessKeyId === accessKeyId);
      return p ? { arn: p.id, accountId: p.accountId } : null;
    },
    listPrincipals() {
      return repo
        .list('principal')
        .map((p) => ({ arn: p.id, accountId: p.accountId, kind: p.kind, name: p.name, accessKeyId: p.accessKeyId }))
        .sort((a, b) => (a.accountId === b.accountId ? (a.arn < b.arn ? -1 : 1) : a.accountId < b.accountId ? -1 : 1));
    },
    deleteIdentityPolicy: (arn, policyName) =>
      serialize(async () => {
        const tx = new UnitOfWork(repo);
        const id = `${arn}#${policyName}`;
        if (!tx.get('identityPolicy', id)) throw kmsError('NotFoundException', `Policy ${policyName} of ${arn} does not exist.`);
        tx.delete('identityPolicy', id);
        await commitWorld(tx, { op: 'deleteIdentityPolicy', principalArn: arn, policyName });
      }),
  };
}
