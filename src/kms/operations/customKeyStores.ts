/**
 * The custom key store operations (kms-semantics.md §1.1, §1.2, §1.5 footnotes 11–13, §2):
 * CreateCustomKeyStore, ConnectCustomKeyStore, DisconnectCustomKeyStore, DescribeCustomKeyStores,
 * UpdateCustomKeyStore, DeleteCustomKeyStore, and `keyStoreForNewKey` (CreateKey in a store).
 *
 * Simulated, with no network and no HSM:
 * - An AWS_CLOUDHSM "cluster" is just an id matching AWS's pattern; every such id exists and is
 *   active. The `kmsuser` password (KeyStorePassword) is validated (7–32 characters) and then
 *   dropped: no record, trail record or error message ever holds it. It is a secret request
 *   member (log.ts), so only the owner's own call log keeps it, for replay.
 * - An EXTERNAL_KEY_STORE proxy is its configuration (endpoint, path, connectivity, VPC endpoint
 *   service, access key id), stored and shown by DescribeCustomKeyStores; the raw secret access
 *   key is validated and dropped like the password.
 * - Simulator convention (outage teaching, no AWS counterpart): a proxy endpoint whose host is in
 *   the `.invalid` top-level domain (RFC 6761 reserves it: it never resolves) is unreachable.
 *   CreateCustomKeyStore/UpdateCustomKeyStore with a public endpoint there answer
 *   XksProxyUriUnreachableException (AWS checks a public endpoint at once); ConnectCustomKeyStore
 *   "succeeds" and the store ends FAILED with ConnectionErrorCode XKS_PROXY_NOT_REACHABLE, as AWS
 *   reports a failed connection (the call returns before the connection attempt ends).
 *
 * Connection states: a new store is DISCONNECTED; Connect makes it CONNECTED at once (AWS passes
 * through CONNECTING for minutes; the sandbox has no such delay). Disconnect makes every key of
 * the store `Unavailable` with `stateAfter` = its state before (keys pending deletion stay so,
 * footnote 13); Connect restores `stateAfter` (EnableKey/DisableKey while Unavailable change only
 * `stateAfter`, footnote 12, enableDisableKey.ts). Crypto on an Unavailable key is the matrix's
 * KMSInvalidStateException "<arn> is unavailable." (footnote 11).
 *
 * Permissions: every operation here is IAM-only (`kms:<Operation>` on Resource "*"); none works
 * across accounts. Error messages without a recorded AWS original are worded after the API
 * reference's description of the error.
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import { bytesToHex } from '../crypto';
import { isPlaceholder } from '../log';
import { nextKeyState } from '../lifecycle/keyStateMachine';
import type { CustomKeyStoreRecord, CustomKeyStoreType, JsonValue, KeyRecord, KeyState } from '../model';
import { pageSize, paginate, type OpContext } from '../context';
import { LIMIT, MARKER, validateRequest, validationError, type RequestSpec } from '../validate';
import { authorizeIam } from './common';

/** Custom key stores per account and Region (§11 quotas: 10). */
export const CUSTOM_KEY_STORE_LIMIT = 10;

const STORE_ID = { type: 'string', min: 1, max: 64 } as const;
const STORE_NAME = { type: 'string', min: 1, max: 256 } as const;
/** CloudHsmClusterId: the API model's length and AWS's cluster id pattern. */
const CLUSTER_ID = { type: 'string', min: 19, max: 24, pattern: /^cluster-[2-7a-zA-Z]{11,16}$/ } as const;
const URI_ENDPOINT = { type: 'string', min: 10, max: 128, pattern: /^https:\/\/[.:a-zA-Z0-9-]+$/ } as const;
const URI_PATH = { type: 'string', min: 10, max: 128, pattern: /^(\/[a-zA-Z0-9/_-]+\/kms\/xks\/v\d{1,2})$|^(\/kms\/xks\/v\d{1,2})$/ } as const;
const VPC_SERVICE = { type: 'string', min: 20, max: 64, pattern: /^com\.amazonaws\.vpce\.([a-z]+-){2,3}\d+\.vpce-svc-[0-9a-z]{17}$/ } as const;
const ACCOUNT = { type: 'string', min: 12, max: 12, pattern: /^[0-9]{12}$/ } as const;
const CONNECTIVITY = { type: 'enum', values: ['PUBLIC_ENDPOINT', 'VPC_ENDPOINT_SERVICE'] } as const;

/** Members a request may carry for each store type (the others are refused for it). */
const CLOUDHSM_MEMBERS = ['CloudHsmClusterId', 'TrustAnchorCertificate', 'KeyStorePassword'] as const;
const XKS_MEMBERS = [
  'XksProxyUriEndpoint',
  'XksProxyUriPath',
  'XksProxyVpcEndpointServiceName',
  'XksProxyVpcEndpointServiceOwner',
  'XksProxyAuthenticationCredential',
  'XksProxyConnectivity',
] as const;

type Req = Readonly<Record<string, unknown>>;

// ---------------------------------------------------------------------------------------------
// Secrets: checked by length and alphabet only, never echoed (validate.ts would print the value).

function secretViolation(member: string, constraint: string): never {
  const label = member.charAt(0).toLowerCase() + member.slice(1);
  throw kmsError('ValidationException', `1 validation error detected: Value at '${label}' failed to satisfy constraint: Member must ${constraint}`);
}

/**
 * Checks a secret string member. A replay of a log whose secrets were dropped for sharing hands
 * a zero-filled placeholder of the same length (log.ts `$redacted`): only its length is checked.
 */
function checkSecret(member: string, v: unknown, min: number, max: number, alphabet: RegExp): void {
  if (v === undefined || v === null) return;
  const length = typeof v === 'string' ? v.length : isPlaceholder(v) ? (v as Uint8Array).length : -1;
  if (length < 0) secretViolation(member, 'be a string');
  if (length < min) secretViolation(member, `have length greater than or equal to ${min}`);
  if (length > max) secretViolation(member, `have length less than or equal to ${max}`);
  if (typeof v === 'string' && !alphabet.test(v)) secretViolation(member, `satisfy regular expression pattern: ${alphabet.source}`);
}

/** Validates XksProxyAuthenticationCredential; returns its AccessKeyId (shown later), never the secret. */
function checkCredential(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) secretViolation('XksProxyAuthenticationCredential', 'be a structure');
  const c = v as Record<string, unknown>;
  if (c.AccessKeyId === undefined || c.AccessKeyId === null) secretViolation('XksProxyAuthenticationCredential.AccessKeyId', 'not be null');
  if (c.RawSecretAccessKey === undefined || c.RawSecretAccessKey === null) secretViolation('XksProxyAuthenticationCredential.RawSecretAccessKey', 'not be null');
  // The model marks the access key id sensitive too; AWS shows it in DescribeCustomKeyStores, so
  // it is kept, but a wrong one is still not echoed.
  checkSecret('XksProxyAuthenticationCredential.AccessKeyId', c.AccessKeyId, 20, 30, /^[A-Z2-7]+$/);
  checkSecret('XksProxyAuthenticationCredential.RawSecretAccessKey', c.RawSecretAccessKey, 43, 64, /^[a-zA-Z0-9/+=]+$/);
  return typeof c.AccessKeyId === 'string' ? c.AccessKeyId : '';
}

// ---------------------------------------------------------------------------------------------
// Lookups

/** The stores of the caller's account and Region, oldest first (DescribeCustomKeyStores order). */
function storesHere(ctx: OpContext): CustomKeyStoreRecord[] {
  return ctx.tx
    .list('customKeyStore')
    .filter((s) => s.accountId === ctx.caller.accountId && s.region === ctx.caller.region)
    .sort((a, b) => a.creationDate - b.creationDate || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function notFound(what: string): never {
  throw kmsError('CustomKeyStoreNotFoundException', `Custom key store '${what}' does not exist.`);
}

/** The caller's store with this id (stores never work across accounts or Regions). */
export function getCustomKeyStore(ctx: OpContext, id: string): CustomKeyStoreRecord {
  const store = ctx.tx.get('customKeyStore', id);
  if (!store || store.accountId !== ctx.caller.accountId || store.region !== ctx.caller.region) notFound(id);
  return store;
}

/** Every key in a store (any state, pending deletion included). */
function keysIn(ctx: OpContext, store: CustomKeyStoreRecord): KeyRecord[] {
  return ctx.tx.list('key').filter((k) => k.customKeyStoreId === store.id && k.accountId === store.accountId && k.region === store.region);
}

function invalidState(message: string): never {
  throw kmsError('CustomKeyStoreInvalidStateException', message);
}

/** True for a proxy endpoint the sandbox treats as unreachable (`.invalid` TLD, RFC 6761). */
export function isUnreachableEndpoint(uriEndpoint: string): boolean {
  const host = uriEndpoint.replace(/^https:\/\//, '').replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  return host === 'invalid' || host.endsWith('.invalid');
}

// ---------------------------------------------------------------------------------------------
// Uniqueness rules (API reference, CreateCustomKeyStore "Uniqueness requirements")

function assertNameFree(ctx: OpContext, name: string, except?: string): void {
  if (storesHere(ctx).some((s) => s.name === name && s.id !== except)) {
    throw kmsError('CustomKeyStoreNameInUseException', `The custom key store name '${name}' is already in use in this account and Region.`);
  }
}

function assertClusterFree(ctx: OpContext, clusterId: string, except?: string): void {
  if (storesHere(ctx).some((s) => s.cloudHsmClusterId === clusterId && s.id !== except)) {
    throw kmsError('CloudHsmClusterInUseException', `CloudHSM cluster ${clusterId} is already associated with a custom key store in this account.`);
  }
}

interface ProxyConfig {
  readonly Connectivity: string;
  readonly AccessKeyId: string;
  readonly UriEndpoint: string;
  readonly UriPath: string;
  readonly VpcEndpointServiceName?: string;
  readonly VpcEndpointServiceOwner?: string;
}

function proxyOf(store: CustomKeyStoreRecord): ProxyConfig | null {
  return store.xksProxyConfiguration as unknown as ProxyConfig | null;
}

function assertProxyFree(ctx: OpContext, p: ProxyConfig, except?: string): void {
  for (const s of storesHere(ctx)) {
    const o = s.id === except ? null : proxyOf(s);
    if (!o) continue;
    if (o.UriEndpoint === p.UriEndpoint && o.UriPath === p.UriPath) {
      throw kmsError('XksProxyUriInUseException', `The combination of XksProxyUriEndpoint ${p.UriEndpoint} and XksProxyUriPath ${p.UriPath} is already used by custom key store ${s.id}.`);
    }
    // A VPC endpoint service store needs its own private DNS name; a public store may not reuse one.
    if (o.UriEndpoint === p.UriEndpoint && (o.Connectivity === 'VPC_ENDPOINT_SERVICE' || p.Connectivity === 'VPC_ENDPOINT_SERVICE')) {
      throw kmsError('XksProxyUriEndpointInUseException', `XksProxyUriEndpoint ${p.UriEndpoint} is already used by custom key store ${s.id}.`);
    }
    if (p.VpcEndpointServiceName !== undefined && o.VpcEndpointServiceName === p.VpcEndpointServiceName) {
      throw kmsError('XksProxyVpcEndpointServiceInUseException', `VPC endpoint service ${p.VpcEndpointServiceName} is already used by custom key store ${s.id}.`);
    }
  }
}

function assertReachable(p: ProxyConfig): void {
  if (p.Connectivity === 'PUBLIC_ENDPOINT' && isUnreachableEndpoint(p.UriEndpoint)) {
    throw kmsError('XksProxyUriUnreachableException', `KMS was unable to reach the external key store proxy at ${p.UriEndpoint}${p.UriPath}.`);
  }
}

/** Connectivity-specific members: a VPC store names its endpoint service; a public one may not. */
function checkConnectivity(p: ProxyConfig): void {
  if (p.Connectivity === 'VPC_ENDPOINT_SERVICE' && p.VpcEndpointServiceName === undefined) {
    validationError('XksProxyVpcEndpointServiceName is required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE.');
  }
  if (p.Connectivity === 'PUBLIC_ENDPOINT' && (p.VpcEndpointServiceName !== undefined || p.VpcEndpointServiceOwner !== undefined)) {
    validationError('XksProxyVpcEndpointServiceName and XksProxyVpcEndpointServiceOwner are valid only when XksProxyConnectivity is VPC_ENDPOINT_SERVICE.');
  }
}

function refuseMembers(req: Req, members: readonly string[], type: CustomKeyStoreType): void {
  const bad = members.filter((m) => req[m] !== undefined && req[m] !== null && req[m] !== '');
  if (bad.length > 0) validationError(`${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not valid for a custom key store of type ${type}.`);
}

function requireMembers(req: Req, members: readonly string[], type: CustomKeyStoreType): void {
  const missing = members.filter((m) => req[m] === undefined || req[m] === null);
  if (missing.length > 0) validationError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required for a custom key store of type ${type}.`);
}

/**
 * The trust anchor must look like the `customerCA.crt` PEM file (simulator rule: a sandbox
 * cluster has no real certificate to compare with, so only the form is checked).
 */
function checkTrustAnchor(cert: string): void {
  if (!/^\s*-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(cert)) {
    throw kmsError('IncorrectTrustAnchorException', 'The trust anchor certificate is not the PEM-encoded certificate (customerCA.crt) that initialized the CloudHSM cluster.');
  }
}

// ---------------------------------------------------------------------------------------------
// Key states on connect / disconnect (§1.2, footnotes 12–13)

/** Disconnect: Enabled|Disabled keys become Unavailable, remembering their state. */
function keysUnavailable(ctx: OpContext, store: CustomKeyStoreRecord): void {
  for (const key of keysIn(ctx, store)) {
    const next = nextKeyState(key.keyState, { type: 'KeyStoreDisconnected' });
    if (next === key.keyState || next === 'Deleted') continue;
    ctx.tx.put({ ...key, keyState: next, stateAfter: key.keyState });
  }
}

/** Connect: Unavailable keys return to `stateAfter` (as EnableKey/DisableKey left it). */
function keysAvailable(ctx: OpContext, store: CustomKeyStoreRecord): void {
  for (const key of keysIn(ctx, store)) {
    if (key.keyState !== 'Unavailable') continue;
    const previous = key.stateAfter === 'Disabled' ? 'Disabled' : 'Enabled';
    const next = nextKeyState('Unavailable', { type: 'KeyStoreConnected', previous });
    ctx.tx.put({ ...key, keyState: next as KeyState, stateAfter: null });
  }
}

// ---------------------------------------------------------------------------------------------
// Operations

const CREATE_SPEC: RequestSpec = {
  CustomKeyStoreName: { ...STORE_NAME, required: true },
  CloudHsmClusterId: CLUSTER_ID,
  TrustAnchorCertificate: { type: 'string', min: 1, max: 5000 },
  CustomKeyStoreType: { type: 'enum', values: ['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] },
  XksProxyUriEndpoint: URI_ENDPOINT,
  XksProxyUriPath: URI_PATH,
  XksProxyVpcEndpointServiceName: VPC_SERVICE,
  XksProxyVpcEndpointServiceOwner: ACCOUNT,
  XksProxyConnectivity: CONNECTIVITY,
};

export const createCustomKeyStore: Operation = {
  name: 'CreateCustomKeyStore',
  readOnly: false,
  async handle(ctx, req) {
    checkSecret('KeyStorePassword', req.KeyStorePassword, 7, 32, /^[\s\S]*$/);
    const accessKeyId = checkCredential(req.XksProxyAuthenticationCredential);
    validateRequest(req, CREATE_SPEC);
    const type = (req.CustomKeyStoreType ?? 'AWS_CLOUDHSM') as CustomKeyStoreType;
    let proxy: ProxyConfig | null = null;
    if (type === 'AWS_CLOUDHSM') {
      refuseMembers(req, XKS_MEMBERS, type);
      requireMembers(req, CLOUDHSM_MEMBERS, type);
    } else {
      refuseMembers(req, CLOUDHSM_MEMBERS, type);
      requireMembers(req, ['XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyAuthenticationCredential', 'XksProxyConnectivity'], type);
      proxy = {
        Connectivity: req.XksProxyConnectivity as string,
        AccessKeyId: accessKeyId ?? '',
        UriEndpoint: req.XksProxyUriEndpoint as string,
        UriPath: req.XksProxyUriPath as string,
        ...(req.XksProxyVpcEndpointServiceName !== undefined ? { VpcEndpointServiceName: req.XksProxyVpcEndpointServiceName as string } : {}),
        ...(req.XksProxyVpcEndpointServiceName !== undefined
          ? { VpcEndpointServiceOwner: (req.XksProxyVpcEndpointServiceOwner as string | undefined) ?? ctx.caller.accountId }
          : req.XksProxyVpcEndpointServiceOwner !== undefined ? { VpcEndpointServiceOwner: req.XksProxyVpcEndpointServiceOwner as string } : {}),
      };
      checkConnectivity(proxy);
    }
    authorizeIam(ctx, '*');

    const name = req.CustomKeyStoreName as string;
    assertNameFree(ctx, name);
    if (storesHere(ctx).length >= CUSTOM_KEY_STORE_LIMIT) {
      throw kmsError('LimitExceededException', `This account already has ${CUSTOM_KEY_STORE_LIMIT} custom key stores in ${ctx.caller.region}, the quota.`);
    }
    if (type === 'AWS_CLOUDHSM') {
      assertClusterFree(ctx, req.CloudHsmClusterId as string);
      checkTrustAnchor(req.TrustAnchorCertificate as string);
    } else {
      assertProxyFree(ctx, proxy!);
      assertReachable(proxy!);
    }

    // `cks-` + 17 hex digits (the id format DescribeCustomKeyStores shows).
    const id = `cks-${bytesToHex(ctx.random.bytes(9)).slice(0, 17)}`;
    const store: CustomKeyStoreRecord = {
      typeName: 'customKeyStore',
      id,
      accountId: ctx.caller.accountId,
      region: ctx.caller.region,
      name,
      customKeyStoreType: type,
      connectionState: 'DISCONNECTED',
      connectionErrorCode: null,
      creationDate: ctx.now,
      cloudHsmClusterId: type === 'AWS_CLOUDHSM' ? (req.CloudHsmClusterId as string) : null,
      trustAnchorCertificate: type === 'AWS_CLOUDHSM' ? (req.TrustAnchorCertificate as string) : null,
      xksProxyConfiguration: proxy ? ({ ...proxy } as { [k: string]: JsonValue }) : null,
    };
    ctx.tx.put(store);
    return { CustomKeyStoreId: id };
  },
};

export const connectCustomKeyStore: Operation = {
  name: 'ConnectCustomKeyStore',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { CustomKeyStoreId: { ...STORE_ID, required: true } });
    authorizeIam(ctx, '*');
    const store = getCustomKeyStore(ctx, req.CustomKeyStoreId as string);
    if (store.connectionState === 'FAILED' || store.connectionState === 'DISCONNECTING') {
      invalidState(`Custom key store ${store.id} is ${store.connectionState}. To connect a custom key store in the FAILED state, disconnect it (DisconnectCustomKeyStore) and connect it again.`);
    }
    // Connecting a connected store is a success with nothing to do.
    if (store.connectionState === 'CONNECTED') return {};
    const proxy = proxyOf(store);
    if (proxy && isUnreachableEndpoint(proxy.UriEndpoint)) {
      // AWS returns at once and reports the failure in the store's state; keys stay Unavailable.
      ctx.tx.put({ ...store, connectionState: 'FAILED', connectionErrorCode: 'XKS_PROXY_NOT_REACHABLE' });
      return {};
    }
    ctx.tx.put({ ...store, connectionState: 'CONNECTED', connectionErrorCode: null });
    keysAvailable(ctx, store);
    return {};
  },
};

export const disconnectCustomKeyStore: Operation = {
  name: 'DisconnectCustomKeyStore',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { CustomKeyStoreId: { ...STORE_ID, required: true } });
    authorizeIam(ctx, '*');
    const store = getCustomKeyStore(ctx, req.CustomKeyStoreId as string);
    if (store.connectionState === 'DISCONNECTED' || store.connectionState === 'DISCONNECTING') {
      invalidState(`Custom key store ${store.id} is ${store.connectionState}. DisconnectCustomKeyStore is valid only for a store that is not disconnected.`);
    }
    ctx.tx.put({ ...store, connectionState: 'DISCONNECTED', connectionErrorCode: null });
    keysUnavailable(ctx, store);
    return {};
  },
};

/** One DescribeCustomKeyStores entry (CustomKeyStoresListEntry). */
export function customKeyStoreEntry(store: CustomKeyStoreRecord): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    CustomKeyStoreId: store.id,
    CustomKeyStoreName: store.name,
  };
  if (store.cloudHsmClusterId !== null) entry.CloudHsmClusterId = store.cloudHsmClusterId;
  if (store.trustAnchorCertificate !== null) entry.TrustAnchorCertificate = store.trustAnchorCertificate;
  entry.ConnectionState = store.connectionState;
  if (store.connectionState === 'FAILED' && store.connectionErrorCode !== null) entry.ConnectionErrorCode = store.connectionErrorCode;
  entry.CreationDate = new Date(store.creationDate);
  entry.CustomKeyStoreType = store.customKeyStoreType;
  if (store.xksProxyConfiguration !== null) entry.XksProxyConfiguration = { ...store.xksProxyConfiguration };
  return entry;
}

export const describeCustomKeyStores: Operation = {
  name: 'DescribeCustomKeyStores',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { CustomKeyStoreId: STORE_ID, CustomKeyStoreName: STORE_NAME, Limit: LIMIT, Marker: MARKER });
    if (req.CustomKeyStoreId !== undefined && req.CustomKeyStoreName !== undefined) {
      validationError('Specify either CustomKeyStoreId or CustomKeyStoreName, not both.');
    }
    authorizeIam(ctx, '*');
    let stores = storesHere(ctx);
    if (req.CustomKeyStoreId !== undefined) {
      stores = stores.filter((s) => s.id === req.CustomKeyStoreId);
      if (stores.length === 0) notFound(req.CustomKeyStoreId as string);
    } else if (req.CustomKeyStoreName !== undefined) {
      stores = stores.filter((s) => s.name === req.CustomKeyStoreName);
      if (stores.length === 0) notFound(req.CustomKeyStoreName as string);
    }
    const { page, NextMarker, Truncated } = paginate(stores, (s) => s.id, pageSize(req.Limit, 1000, 1000), req.Marker as string | undefined);
    return { CustomKeyStores: page.map(customKeyStoreEntry), ...(NextMarker ? { NextMarker } : {}), Truncated };
  },
};

const UPDATE_SPEC: RequestSpec = {
  CustomKeyStoreId: { ...STORE_ID, required: true },
  NewCustomKeyStoreName: STORE_NAME,
  CloudHsmClusterId: CLUSTER_ID,
  XksProxyUriEndpoint: URI_ENDPOINT,
  XksProxyUriPath: URI_PATH,
  XksProxyVpcEndpointServiceName: { type: 'string', max: 64 },
  XksProxyVpcEndpointServiceOwner: ACCOUNT,
  XksProxyConnectivity: CONNECTIVITY,
};

/** Update members that need a DISCONNECTED store (API reference, UpdateCustomKeyStore). */
const NEEDS_DISCONNECTED = [
  'KeyStorePassword',
  'CloudHsmClusterId',
  'XksProxyUriEndpoint',
  'XksProxyVpcEndpointServiceName',
  'XksProxyVpcEndpointServiceOwner',
  'XksProxyConnectivity',
] as const;

export const updateCustomKeyStore: Operation = {
  name: 'UpdateCustomKeyStore',
  readOnly: false,
  async handle(ctx, req) {
    checkSecret('KeyStorePassword', req.KeyStorePassword, 7, 32, /^[\s\S]*$/);
    const accessKeyId = checkCredential(req.XksProxyAuthenticationCredential);
    validateRequest(req, UPDATE_SPEC);
    // A VPC endpoint service name is a pattern-checked name, or empty to drop it (PUBLIC_ENDPOINT).
    const vpcName = req.XksProxyVpcEndpointServiceName as string | undefined;
    if (vpcName !== undefined && vpcName !== '') validateRequest(req, { XksProxyVpcEndpointServiceName: VPC_SERVICE });
    authorizeIam(ctx, '*');
    const store = getCustomKeyStore(ctx, req.CustomKeyStoreId as string);
    const type = store.customKeyStoreType;
    refuseMembers(req, type === 'AWS_CLOUDHSM' ? XKS_MEMBERS : CLOUDHSM_MEMBERS, type);
    const given = (m: string) => req[m] !== undefined && req[m] !== null;
    const blocked = NEEDS_DISCONNECTED.filter(given);
    if (blocked.length > 0 && store.connectionState !== 'DISCONNECTED') {
      invalidState(`Custom key store ${store.id} is ${store.connectionState}. To change ${blocked.join(', ')}, disconnect the custom key store first.`);
    }
    let next: CustomKeyStoreRecord = store;
    if (given('NewCustomKeyStoreName')) {
      assertNameFree(ctx, req.NewCustomKeyStoreName as string, store.id);
      next = { ...next, name: req.NewCustomKeyStoreName as string };
    }
    if (type === 'AWS_CLOUDHSM') {
      if (given('CloudHsmClusterId')) {
        assertClusterFree(ctx, req.CloudHsmClusterId as string, store.id);
        next = { ...next, cloudHsmClusterId: req.CloudHsmClusterId as string };
      }
      // KeyStorePassword: validated above and dropped (the sandbox cluster checks no password).
    } else {
      const old = proxyOf(store)!;
      const connectivity = (req.XksProxyConnectivity as string | undefined) ?? old.Connectivity;
      const endpoint = (req.XksProxyUriEndpoint as string | undefined) ?? old.UriEndpoint;
      if (connectivity !== old.Connectivity && endpoint === old.UriEndpoint) {
        validationError(`To change XksProxyConnectivity to ${connectivity}, also change XksProxyUriEndpoint.`);
      }
      const toPublic = connectivity === 'PUBLIC_ENDPOINT';
      const { VpcEndpointServiceName: oldVpc, VpcEndpointServiceOwner: oldOwner, ...base } = old;
      const newVpc = vpcName === undefined ? oldVpc : vpcName === '' ? undefined : vpcName;
      const newOwner = (req.XksProxyVpcEndpointServiceOwner as string | undefined) ?? oldOwner ?? (newVpc !== undefined ? ctx.caller.accountId : undefined);
      const proxy: ProxyConfig = {
        ...base,
        Connectivity: connectivity,
        UriEndpoint: endpoint,
        UriPath: (req.XksProxyUriPath as string | undefined) ?? old.UriPath,
        AccessKeyId: accessKeyId ?? old.AccessKeyId,
        ...(!toPublic && newVpc !== undefined ? { VpcEndpointServiceName: newVpc } : {}),
        ...(!toPublic && newOwner !== undefined ? { VpcEndpointServiceOwner: newOwner } : {}),
      };
      if (toPublic && vpcName !== undefined && vpcName !== '') checkConnectivity({ ...proxy, VpcEndpointServiceName: vpcName });
      checkConnectivity(proxy);
      assertProxyFree(ctx, proxy, store.id);
      assertReachable(proxy);
      next = { ...next, xksProxyConfiguration: { ...proxy } as { [k: string]: JsonValue } };
    }
    if (next !== store) ctx.tx.put(next);
    return {};
  },
};

export const deleteCustomKeyStore: Operation = {
  name: 'DeleteCustomKeyStore',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { CustomKeyStoreId: { ...STORE_ID, required: true } });
    authorizeIam(ctx, '*');
    const store = getCustomKeyStore(ctx, req.CustomKeyStoreId as string);
    const keys = keysIn(ctx, store);
    if (keys.length > 0) {
      throw kmsError(
        'CustomKeyStoreHasCMKsException',
        `Custom key store ${store.id} contains ${keys.length} KMS key${keys.length === 1 ? '' : 's'}. Schedule their deletion (ScheduleKeyDeletion) and delete the store after they are deleted.`,
      );
    }
    if (store.connectionState !== 'DISCONNECTED') {
      invalidState(`Custom key store ${store.id} is ${store.connectionState}. Disconnect the custom key store before deleting it.`);
    }
    ctx.tx.delete('customKeyStore', store.id);
    return {};
  },
};

/**
 * GenerateRandom's CustomKeyStoreId (§2.2): random bytes "from" a connected CloudHSM key store.
 * An external key store cannot generate random bytes (UnsupportedOperationException).
 */
export function assertRandomSource(ctx: OpContext, customKeyStoreId: string): void {
  const store = getCustomKeyStore(ctx, customKeyStoreId);
  if (store.customKeyStoreType === 'EXTERNAL_KEY_STORE') {
    throw kmsError('UnsupportedOperationException', `GenerateRandom is not supported for custom key store ${store.id}: it is an external key store (EXTERNAL_KEY_STORE).`);
  }
  if (store.connectionState !== 'CONNECTED') {
    invalidState(`Custom key store ${store.id} is ${store.connectionState}. GenerateRandom in a CloudHSM key store needs the store CONNECTED.`);
  }
}

/** What CreateKey asks of a custom key store. */
export interface NewKeyInStore {
  readonly origin: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  readonly customKeyStoreId: string | undefined;
  readonly xksKeyId: string | undefined;
  readonly keySpec: string;
  readonly multiRegion: boolean;
}

/**
 * CreateKey in a custom key store (§1.5, §2.2): checks the store (exists in the caller's account
 * and Region, its type matches the origin, CONNECTED), the spec (SYMMETRIC_DEFAULT only), no
 * multi-Region, XksKeyId exactly for external key stores (unique in the store); returns the key's
 * store fields. Any XksKeyId is an existing external key (there is no external key manager).
 */
export function keyStoreForNewKey(ctx: OpContext, req: NewKeyInStore): { customKeyStoreId: string; xksKeyId: string | null } {
  if (req.customKeyStoreId === undefined) validationError(`CustomKeyStoreId is required when Origin is ${req.origin}.`);
  if (req.origin === 'EXTERNAL_KEY_STORE' && req.xksKeyId === undefined) validationError('XksKeyId is required when Origin is EXTERNAL_KEY_STORE.');
  if (req.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw kmsError('UnsupportedOperationException', `KeySpec ${req.keySpec} is not supported for KMS keys in a custom key store. Only SYMMETRIC_DEFAULT is supported.`);
  }
  if (req.multiRegion) {
    throw kmsError('UnsupportedOperationException', 'Multi-Region keys cannot be created in a custom key store.');
  }
  const store = getCustomKeyStore(ctx, req.customKeyStoreId);
  const expected = req.origin === 'AWS_CLOUDHSM' ? 'AWS_CLOUDHSM' : 'EXTERNAL_KEY_STORE';
  if (store.customKeyStoreType !== expected) {
    validationError(`Origin ${req.origin} does not match custom key store ${store.id}, whose type is ${store.customKeyStoreType}.`);
  }
  if (store.connectionState !== 'CONNECTED') {
    invalidState(`Custom key store ${store.id} is ${store.connectionState}. CreateKey in a custom key store needs the store CONNECTED.`);
  }
  if (req.xksKeyId !== undefined && keysIn(ctx, store).some((k) => k.xksKeyId === req.xksKeyId)) {
    throw kmsError('XksKeyAlreadyInUseException', `External key ${req.xksKeyId} is already associated with a KMS key in custom key store ${store.id}.`);
  }
  return { customKeyStoreId: store.id, xksKeyId: req.xksKeyId ?? null };
}
