/**
 * The Key stores tab's logic (issue 7, kms-semantics.md §1.1, §1.2, §1.5 footnotes 11–13, §2):
 * custom key stores as DescribeCustomKeyStores shows them, read from committed records with the
 * keys each one holds, and the requests of CreateCustomKeyStore / UpdateCustomKeyStore /
 * CreateKey-in-a-store built from the forms. Secrets (the CloudHSM `kmsuser` password, the XKS
 * proxy's raw secret access key) only pass through the request: nothing here keeps them.
 */
import type { ConnectionState, CustomKeyStoreType, KeyState, Repository } from '../../kms';

/** One key of a store. */
export interface StoreKey {
  readonly arn: string;
  readonly keyId: string;
  readonly keyState: KeyState;
  /** XksKeyId for keys of an external key store, else null. */
  readonly xksKeyId: string | null;
}

/** A custom key store as the tab shows it (CustomKeyStoresListEntry members, plus owner and keys). */
export interface StoreView {
  readonly CustomKeyStoreId: string;
  readonly CustomKeyStoreName: string;
  readonly CustomKeyStoreType: CustomKeyStoreType;
  readonly ConnectionState: ConnectionState;
  readonly ConnectionErrorCode: string | null;
  readonly CreationDate: number;
  readonly CloudHsmClusterId: string | null;
  readonly XksProxyConfiguration: Readonly<Record<string, unknown>> | null;
  readonly accountId: string;
  readonly region: string;
  /** Keys in the store, oldest first. */
  readonly keys: readonly StoreKey[];
}

/** Every custom key store of the sandbox (Region, then creation order), with its keys. */
export function storeViews(repo: Repository): StoreView[] {
  const keys = repo.list('key').filter((k) => k.customKeyStoreId !== null).sort((a, b) => a.creationDate - b.creationDate);
  return repo
    .list('customKeyStore')
    .slice()
    .sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.creationDate - b.creationDate))
    .map((s) => ({
      CustomKeyStoreId: s.id,
      CustomKeyStoreName: s.name,
      CustomKeyStoreType: s.customKeyStoreType,
      ConnectionState: s.connectionState,
      ConnectionErrorCode: s.connectionState === 'FAILED' ? s.connectionErrorCode : null,
      CreationDate: s.creationDate,
      CloudHsmClusterId: s.cloudHsmClusterId,
      XksProxyConfiguration: s.xksProxyConfiguration,
      accountId: s.accountId,
      region: s.region,
      keys: keys
        .filter((k) => k.customKeyStoreId === s.id && k.accountId === s.accountId && k.region === s.region)
        .map((k) => ({ arn: k.id, keyId: k.keyId, keyState: k.keyState, xksKeyId: k.xksKeyId })),
    }));
}

/** What each ConnectionState means for the store's keys (the outage lesson). */
export const CONNECTION_STATE_TEXT: Readonly<Record<ConnectionState, string>> = {
  CONNECTED: 'Connected: its keys work (KMS reaches the HSMs or the external key store proxy).',
  CONNECTING: 'Connecting: keys stay Unavailable until the connection is up.',
  DISCONNECTED:
    'Disconnected: its keys are Unavailable. They can be viewed and managed, but every cryptographic call fails (KMSInvalidStateException "… is unavailable"): an outage for everything encrypted under them.',
  DISCONNECTING: 'Disconnecting: its keys are becoming Unavailable.',
  FAILED: 'Failed: KMS could not connect (see ConnectionErrorCode). Disconnect the store, fix the cause, then connect again.',
};

/** The create form's fields (both store types; only the chosen type's are sent). */
export interface CreateStoreForm {
  type: CustomKeyStoreType;
  name: string;
  clusterId: string;
  trustAnchor: string;
  password: string;
  uriEndpoint: string;
  uriPath: string;
  connectivity: 'PUBLIC_ENDPOINT' | 'VPC_ENDPOINT_SERVICE';
  vpcServiceName: string;
  vpcServiceOwner: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** An empty form (CloudHSM chosen, public proxy endpoint and the standard proxy path prefilled). */
export function emptyCreateStoreForm(): CreateStoreForm {
  return {
    type: 'AWS_CLOUDHSM',
    name: '',
    clusterId: '',
    trustAnchor: '',
    password: '',
    uriEndpoint: '',
    uriPath: '/kms/xks/v1',
    connectivity: 'PUBLIC_ENDPOINT',
    vpcServiceName: '',
    vpcServiceOwner: '',
    accessKeyId: '',
    secretAccessKey: '',
  };
}

/**
 * Example values a learner can start from (non-secret fields only). The `.invalid` endpoint is the
 * simulator's unreachable proxy (RFC 6761): use `example.com` for one that answers.
 */
export const EXAMPLE_VALUES = {
  clusterId: 'cluster-2ab3cdefghjk',
  trustAnchor: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUExampleCustomerCAcertificate\n-----END CERTIFICATE-----',
  uriEndpoint: 'https://xks-proxy.example.com',
  accessKeyId: 'BE2ECKM3EXAMPLEIDAAAA',
} as const;

/** CreateCustomKeyStore's request for the chosen type (the form's other fields are not sent). */
export function createStoreRequest(form: CreateStoreForm): Record<string, unknown> {
  const base = { CustomKeyStoreName: form.name.trim(), CustomKeyStoreType: form.type };
  if (form.type === 'AWS_CLOUDHSM') {
    return { ...base, CloudHsmClusterId: form.clusterId.trim(), TrustAnchorCertificate: form.trustAnchor, KeyStorePassword: form.password };
  }
  const vpc = form.connectivity === 'VPC_ENDPOINT_SERVICE';
  return {
    ...base,
    XksProxyConnectivity: form.connectivity,
    XksProxyUriEndpoint: form.uriEndpoint.trim(),
    XksProxyUriPath: form.uriPath.trim(),
    ...(vpc && form.vpcServiceName.trim() !== '' ? { XksProxyVpcEndpointServiceName: form.vpcServiceName.trim() } : {}),
    ...(vpc && form.vpcServiceOwner.trim() !== '' ? { XksProxyVpcEndpointServiceOwner: form.vpcServiceOwner.trim() } : {}),
    XksProxyAuthenticationCredential: { AccessKeyId: form.accessKeyId.trim(), RawSecretAccessKey: form.secretAccessKey },
  };
}

/** The update form: empty fields are left unchanged (not sent). */
export interface UpdateStoreForm {
  newName: string;
  clusterId: string;
  password: string;
  uriEndpoint: string;
  uriPath: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** An empty update form. */
export function emptyUpdateStoreForm(): UpdateStoreForm {
  return { newName: '', clusterId: '', password: '', uriEndpoint: '', uriPath: '', accessKeyId: '', secretAccessKey: '' };
}

/** UpdateCustomKeyStore's request: only the members the learner filled in, for the store's type. */
export function updateStoreRequest(storeId: string, type: CustomKeyStoreType, form: UpdateStoreForm): Record<string, unknown> {
  const req: Record<string, unknown> = { CustomKeyStoreId: storeId };
  const set = (member: string, value: string) => {
    if (value.trim() !== '') req[member] = value.trim();
  };
  set('NewCustomKeyStoreName', form.newName);
  if (type === 'AWS_CLOUDHSM') {
    set('CloudHsmClusterId', form.clusterId);
    if (form.password !== '') req.KeyStorePassword = form.password;
  } else {
    set('XksProxyUriEndpoint', form.uriEndpoint);
    set('XksProxyUriPath', form.uriPath);
    if (form.accessKeyId.trim() !== '' || form.secretAccessKey !== '') {
      req.XksProxyAuthenticationCredential = { AccessKeyId: form.accessKeyId.trim(), RawSecretAccessKey: form.secretAccessKey };
    }
  }
  return req;
}

/** CreateKey for a new key in `store` (SYMMETRIC_DEFAULT only, §2.2); an external key store needs the external key's id. */
export function createKeyInStoreRequest(store: Pick<StoreView, 'CustomKeyStoreId' | 'CustomKeyStoreType'>, xksKeyId: string, description: string): Record<string, unknown> {
  const req: Record<string, unknown> = {
    Origin: store.CustomKeyStoreType,
    CustomKeyStoreId: store.CustomKeyStoreId,
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyUsage: 'ENCRYPT_DECRYPT',
  };
  if (store.CustomKeyStoreType === 'EXTERNAL_KEY_STORE') req.XksKeyId = xksKeyId.trim();
  if (description.trim() !== '') req.Description = description.trim();
  return req;
}
