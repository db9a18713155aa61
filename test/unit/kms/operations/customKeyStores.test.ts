/**
 * Custom key stores through the service (kms-semantics.md §1.1 Unavailable, §1.2, §1.5 footnotes
 * 11–13, §2): lifecycle of AWS_CLOUDHSM and EXTERNAL_KEY_STORE stores, keys in a store, outages
 * (disconnect, unreachable proxy), every error, credentials never in records or the trail, replay.
 */
import { describe, expect, it } from 'vitest';
import { nobleBackend, redactLogEntry, type CallerContext } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { firstEntryWithInputs, withoutInputs } from '../../../../src/share';
import { isUnreachableEndpoint } from '../../../../src/kms/operations/customKeyStores';
import { toTrailRecord } from '../../../../src/trail';
import { ACCOUNT, PARTNER, callerIn, makeHarness, utf8, text, type Harness } from '../harness';

const PASSWORD = 'kmsuser-S3cret!';
const SECRET_KEY = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8=';
const ACCESS_KEY_ID = 'ABCDEFGHIJKLMNOPQRST';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFAKE\n-----END CERTIFICATE-----\n';
const CLUSTER = 'cluster-234abcdefgh';

function hsmRequest(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { CustomKeyStoreName: 'ExampleKeyStore', CloudHsmClusterId: CLUSTER, TrustAnchorCertificate: PEM, KeyStorePassword: PASSWORD, ...over };
}

function xksRequest(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CustomKeyStoreName: 'ExampleXks',
    CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
    XksProxyUriEndpoint: 'https://myproxy.xks.example.com',
    XksProxyUriPath: '/example-prefix/kms/xks/v1',
    XksProxyConnectivity: 'PUBLIC_ENDPOINT',
    XksProxyAuthenticationCredential: { AccessKeyId: ACCESS_KEY_ID, RawSecretAccessKey: SECRET_KEY },
    ...over,
  };
}

async function createStore(h: Harness, req: Record<string, unknown>): Promise<string> {
  return (await h.call('CreateCustomKeyStore', req)).CustomKeyStoreId as string;
}

async function describeStore(h: Harness, id: string): Promise<Record<string, unknown>> {
  const r = await h.call('DescribeCustomKeyStores', { CustomKeyStoreId: id });
  return (r.CustomKeyStores as Record<string, unknown>[])[0]!;
}

async function keyState(h: Harness, keyId: string): Promise<string> {
  return ((await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata as { KeyState: string }).KeyState;
}

/** A connected store of each type with one key in it. */
async function storesWithKeys(h: Harness) {
  const hsm = await createStore(h, hsmRequest());
  const xks = await createStore(h, xksRequest());
  await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: hsm });
  await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: xks });
  const hsmKey = await h.createKey({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: hsm });
  const xksKey = await h.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: xks, XksKeyId: 'bb8562717f809024' });
  return { hsm, xks, hsmKey, xksKey };
}

describe('custom key store lifecycle', () => {
  it('creates a CloudHSM key store DISCONNECTED with a cks- id; connect, disconnect, update, delete', async () => {
    const h = await makeHarness();
    const id = await createStore(h, hsmRequest());
    expect(id).toMatch(/^cks-[0-9a-f]{17}$/);
    const entry = await describeStore(h, id);
    expect(entry).toEqual({
      CustomKeyStoreId: id,
      CustomKeyStoreName: 'ExampleKeyStore',
      CloudHsmClusterId: CLUSTER,
      TrustAnchorCertificate: PEM,
      ConnectionState: 'DISCONNECTED',
      CreationDate: new Date(h.clock.t),
      CustomKeyStoreType: 'AWS_CLOUDHSM',
    });
    expect(await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: id })).toEqual({});
    expect((await describeStore(h, id)).ConnectionState).toBe('CONNECTED');
    // Connecting a connected store succeeds and changes nothing.
    expect(await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: id })).toEqual({});
    // The name can change while connected; the cluster and password need a disconnected store.
    await h.call('UpdateCustomKeyStore', { CustomKeyStoreId: id, NewCustomKeyStoreName: 'Renamed' });
    expect(await h.fail('UpdateCustomKeyStore', { CustomKeyStoreId: id, KeyStorePassword: 'another-pass' })).toEqual({
      name: 'CustomKeyStoreInvalidStateException',
      message: `Custom key store ${id} is CONNECTED. To change KeyStorePassword, disconnect the custom key store first.`,
    });
    expect((await h.fail('DeleteCustomKeyStore', { CustomKeyStoreId: id })).name).toBe('CustomKeyStoreInvalidStateException');
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: id });
    expect((await h.fail('DisconnectCustomKeyStore', { CustomKeyStoreId: id })).name).toBe('CustomKeyStoreInvalidStateException');
    await h.call('UpdateCustomKeyStore', { CustomKeyStoreId: id, KeyStorePassword: 'another-pass', CloudHsmClusterId: 'cluster-234567abcdefg' });
    expect(await describeStore(h, id)).toMatchObject({ CustomKeyStoreName: 'Renamed', CloudHsmClusterId: 'cluster-234567abcdefg', ConnectionState: 'DISCONNECTED' });
    expect(await h.call('DeleteCustomKeyStore', { CustomKeyStoreId: id })).toEqual({});
    expect(await h.fail('DescribeCustomKeyStores', { CustomKeyStoreId: id })).toEqual({
      name: 'CustomKeyStoreNotFoundException',
      message: `Custom key store '${id}' does not exist.`,
    });
  });

  it('creates an external key store showing its proxy configuration but never the secret', async () => {
    const h = await makeHarness();
    const id = await createStore(h, xksRequest());
    expect(await describeStore(h, id)).toEqual({
      CustomKeyStoreId: id,
      CustomKeyStoreName: 'ExampleXks',
      ConnectionState: 'DISCONNECTED',
      CreationDate: new Date(h.clock.t),
      CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
      XksProxyConfiguration: {
        Connectivity: 'PUBLIC_ENDPOINT',
        AccessKeyId: ACCESS_KEY_ID,
        UriEndpoint: 'https://myproxy.xks.example.com',
        UriPath: '/example-prefix/kms/xks/v1',
      },
    });
    const vpc = await createStore(
      h,
      xksRequest({
        CustomKeyStoreName: 'VpcXks',
        XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
        XksProxyUriEndpoint: 'https://xks.private.example.com',
        XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
      }),
    );
    expect((await describeStore(h, vpc)).XksProxyConfiguration).toMatchObject({
      Connectivity: 'VPC_ENDPOINT_SERVICE',
      VpcEndpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
      VpcEndpointServiceOwner: ACCOUNT,
    });
    // Path and credential may change while connected; the endpoint may not.
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: id });
    await h.call('UpdateCustomKeyStore', {
      CustomKeyStoreId: id,
      XksProxyUriPath: '/kms/xks/v1',
      XksProxyAuthenticationCredential: { AccessKeyId: 'ZYXWVUTSRQPONMLKJIHG', RawSecretAccessKey: SECRET_KEY },
    });
    expect((await describeStore(h, id)).XksProxyConfiguration).toMatchObject({ UriPath: '/kms/xks/v1', AccessKeyId: 'ZYXWVUTSRQPONMLKJIHG' });
    expect((await h.fail('UpdateCustomKeyStore', { CustomKeyStoreId: id, XksProxyUriEndpoint: 'https://other.example.com' })).name).toBe(
      'CustomKeyStoreInvalidStateException',
    );
    // Switch the VPC store to a public endpoint (new endpoint, no service name).
    await h.call('UpdateCustomKeyStore', {
      CustomKeyStoreId: vpc,
      XksProxyConnectivity: 'PUBLIC_ENDPOINT',
      XksProxyUriEndpoint: 'https://public.example.com',
      XksProxyVpcEndpointServiceName: '',
    });
    const cfg = (await describeStore(h, vpc)).XksProxyConfiguration as Record<string, unknown>;
    expect(cfg).toEqual({ Connectivity: 'PUBLIC_ENDPOINT', AccessKeyId: ACCESS_KEY_ID, UriEndpoint: 'https://public.example.com', UriPath: '/example-prefix/kms/xks/v1' });
    const stored = JSON.stringify(h.repo.list('customKeyStore'));
    expect(stored).not.toContain(SECRET_KEY);
  });

  it('pages DescribeCustomKeyStores with Limit and Marker and filters by name', async () => {
    const h = await makeHarness();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await createStore(h, hsmRequest({ CustomKeyStoreName: `store-${i}`, CloudHsmClusterId: `cluster-abcdefghijk${'234567'[i]}` })));
      h.clock.t += 1000;
    }
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const r = await h.call('DescribeCustomKeyStores', { Limit: 2, ...(marker ? { Marker: marker } : {}) });
      seen.push(...(r.CustomKeyStores as { CustomKeyStoreId: string }[]).map((s) => s.CustomKeyStoreId));
      if (!r.Truncated) break;
      marker = r.NextMarker as string;
    }
    expect(seen).toEqual(ids);
    expect((await h.call('DescribeCustomKeyStores', { CustomKeyStoreName: 'store-3' })).CustomKeyStores).toMatchObject([{ CustomKeyStoreId: ids[3] }]);
    expect(await h.fail('DescribeCustomKeyStores', { CustomKeyStoreName: 'nope' })).toEqual({
      name: 'CustomKeyStoreNotFoundException',
      message: "Custom key store 'nope' does not exist.",
    });
    expect((await h.fail('DescribeCustomKeyStores', { Marker: 'bogus' })).name).toBe('InvalidMarkerException');
    expect((await h.fail('DescribeCustomKeyStores', { CustomKeyStoreId: ids[0], CustomKeyStoreName: 'store-0' })).name).toBe('ValidationException');
    // Stores are per account and Region.
    expect((await h.call('DescribeCustomKeyStores', {}, callerIn(ACCOUNT, 'eu-west-1'))).CustomKeyStores).toEqual([]);
    expect((await h.fail('ConnectCustomKeyStore', { CustomKeyStoreId: ids[0] }, callerIn(ACCOUNT, 'eu-west-1'))).name).toBe('CustomKeyStoreNotFoundException');
  });
});

describe('keys in a custom key store', () => {
  it('creates symmetric keys in a connected store; metadata shows the store, origin and external key', async () => {
    const h = await makeHarness();
    const { hsm, xks, hsmKey, xksKey } = await storesWithKeys(h);
    const hsmMeta = (await h.call('DescribeKey', { KeyId: hsmKey.keyId })).KeyMetadata as Record<string, unknown>;
    expect(hsmMeta).toMatchObject({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: hsm, KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT' });
    expect(hsmMeta.XksKeyConfiguration).toBeUndefined();
    const xksMeta = (await h.call('DescribeKey', { KeyId: xksKey.keyId })).KeyMetadata as Record<string, unknown>;
    expect(xksMeta).toMatchObject({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: xks, XksKeyConfiguration: { Id: 'bb8562717f809024' } });
  });

  it('refuses CreateKey in a store as AWS does', async () => {
    const h = await makeHarness();
    const { hsm, xks } = await storesWithKeys(h);
    expect(await h.fail('CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: hsm, KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).toMatchObject({
      name: 'UnsupportedOperationException',
    });
    expect((await h.fail('CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: hsm, MultiRegion: true })).name).toBe('UnsupportedOperationException');
    expect((await h.fail('CreateKey', { Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: xks })).name).toBe('ValidationException');
    expect((await h.fail('CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: hsm, XksKeyId: 'abc' })).name).toBe('ValidationException');
    expect((await h.fail('CreateKey', { Origin: 'AWS_CLOUDHSM' })).name).toBe('ValidationException');
    expect(await h.fail('CreateKey', { Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: xks, XksKeyId: 'bb8562717f809024' })).toEqual({
      name: 'XksKeyAlreadyInUseException',
      message: `External key bb8562717f809024 is already associated with a KMS key in custom key store ${xks}.`,
    });
    expect((await h.fail('CreateKey', { Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: hsm, XksKeyId: 'k2' })).name).toBe('ValidationException');
    expect(await h.fail('CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-0000000000000000a' })).toEqual({
      name: 'CustomKeyStoreNotFoundException',
      message: "Custom key store 'cks-0000000000000000a' does not exist.",
    });
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: hsm });
    expect(await h.fail('CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: hsm })).toEqual({
      name: 'CustomKeyStoreInvalidStateException',
      message: `Custom key store ${hsm} is DISCONNECTED. CreateKey in a custom key store needs the store CONNECTED.`,
    });
    expect((await h.call('ListKeys')).Keys).toHaveLength(2);
  });

  it('encrypts while connected; a disconnected store makes its keys Unavailable and crypto fails (footnote 11); reconnecting restores', async () => {
    const h = await makeHarness();
    const { hsm, xks, hsmKey, xksKey } = await storesWithKeys(h);
    const blobs: Record<string, Uint8Array> = {};
    for (const k of [hsmKey, xksKey]) {
      blobs[k.arn] = (await h.call('Encrypt', { KeyId: k.keyId, Plaintext: utf8('payroll') })).CiphertextBlob as Uint8Array;
      expect(text((await h.call('Decrypt', { CiphertextBlob: blobs[k.arn] })).Plaintext)).toBe('payroll');
    }
    await h.call('DisableKey', { KeyId: xksKey.keyId });
    for (const s of [hsm, xks]) await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: s });
    for (const k of [hsmKey, xksKey]) {
      expect(await keyState(h, k.keyId)).toBe('Unavailable');
      expect(await h.fail('Encrypt', { KeyId: k.keyId, Plaintext: utf8('x') })).toEqual({ name: 'KMSInvalidStateException', message: `${k.arn} is unavailable.` });
      expect(await h.fail('Decrypt', { CiphertextBlob: blobs[k.arn] })).toEqual({ name: 'KMSInvalidStateException', message: `${k.arn} is unavailable.` });
      expect((await h.fail('GenerateDataKey', { KeyId: k.keyId, KeySpec: 'AES_256' })).name).toBe('KMSInvalidStateException');
    }
    // Keys stay manageable while unavailable.
    await h.call('UpdateKeyDescription', { KeyId: hsmKey.keyId, Description: 'during outage' });
    const meta = (await h.call('DescribeKey', { KeyId: hsmKey.keyId })).KeyMetadata as Record<string, unknown>;
    expect(meta).toMatchObject({ KeyState: 'Unavailable', Enabled: false, Description: 'during outage' });
    for (const s of [hsm, xks]) await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: s });
    expect(await keyState(h, hsmKey.keyId)).toBe('Enabled');
    expect(await keyState(h, xksKey.keyId)).toBe('Disabled');
    expect(text((await h.call('Decrypt', { CiphertextBlob: blobs[hsmKey.arn] })).Plaintext)).toBe('payroll');
    expect(h.repo.list('key').every((k) => k.stateAfter === null)).toBe(true);
  });

  it('EnableKey and DisableKey on an Unavailable key succeed and only change the state it returns to (footnote 12)', async () => {
    const h = await makeHarness();
    const { hsm, hsmKey } = await storesWithKeys(h);
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: hsm });
    expect(await h.call('DisableKey', { KeyId: hsmKey.keyId })).toEqual({});
    expect(await keyState(h, hsmKey.keyId)).toBe('Unavailable');
    expect(h.repo.get('key', hsmKey.arn)!.stateAfter).toBe('Disabled');
    await h.call('EnableKey', { KeyId: hsmKey.keyId });
    await h.call('DisableKey', { KeyId: hsmKey.keyId });
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: hsm });
    expect(await keyState(h, hsmKey.keyId)).toBe('Disabled');
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: hsm });
    await h.call('EnableKey', { KeyId: hsmKey.keyId });
    expect(await keyState(h, hsmKey.keyId)).toBe('Unavailable');
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: hsm });
    expect(await keyState(h, hsmKey.keyId)).toBe('Enabled');
  });

  it('a key pending deletion stays PendingDeletion through a disconnect and can be cancelled (footnote 13); store deletion waits for its keys', async () => {
    const h = await makeHarness();
    const { hsm, hsmKey } = await storesWithKeys(h);
    await h.call('ScheduleKeyDeletion', { KeyId: hsmKey.keyId, PendingWindowInDays: 7 });
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: hsm });
    expect(await keyState(h, hsmKey.keyId)).toBe('PendingDeletion');
    expect(await h.fail('DeleteCustomKeyStore', { CustomKeyStoreId: hsm })).toEqual({
      name: 'CustomKeyStoreHasCMKsException',
      message: `Custom key store ${hsm} contains 1 KMS key. Schedule their deletion (ScheduleKeyDeletion) and delete the store after they are deleted.`,
    });
    await h.call('CancelKeyDeletion', { KeyId: hsmKey.keyId });
    expect(await keyState(h, hsmKey.keyId)).toBe('Disabled');
    // Enabling it while the store is down must not make it usable: it waits, Unavailable.
    await h.call('EnableKey', { KeyId: hsmKey.keyId });
    expect(await keyState(h, hsmKey.keyId)).toBe('Unavailable');
    expect((await h.fail('Encrypt', { KeyId: hsmKey.keyId, Plaintext: utf8('x') })).name).toBe('KMSInvalidStateException');
    // Scheduling deletion of an Unavailable key is allowed (§1.5) and the window runs out.
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: hsm });
    expect(await keyState(h, hsmKey.keyId)).toBe('Enabled');
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: hsm });
    expect(await keyState(h, hsmKey.keyId)).toBe('Unavailable');
    await h.call('ScheduleKeyDeletion', { KeyId: hsmKey.keyId, PendingWindowInDays: 7 });
    await h.service.advanceClock(8 * 86_400_000);
    expect(await h.call('DeleteCustomKeyStore', { CustomKeyStoreId: hsm })).toEqual({});
  });

  it('simulates an unreachable XKS proxy (.invalid endpoint): public create refused, connect ends FAILED, keys stay unavailable', async () => {
    const h = await makeHarness();
    expect(isUnreachableEndpoint('https://proxy.example.invalid')).toBe(true);
    expect(isUnreachableEndpoint('https://invalid.example.com')).toBe(false);
    expect(await h.fail('CreateCustomKeyStore', xksRequest({ XksProxyUriEndpoint: 'https://proxy.example.invalid' }))).toEqual({
      name: 'XksProxyUriUnreachableException',
      message: 'KMS was unable to reach the external key store proxy at https://proxy.example.invalid/example-prefix/kms/xks/v1.',
    });
    const { xks, xksKey } = await storesWithKeys(h);
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: xks });
    // The proxy "moves" to an address that does not answer (a VPC endpoint is checked only at connect).
    await h.call('UpdateCustomKeyStore', {
      CustomKeyStoreId: xks,
      XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
      XksProxyUriEndpoint: 'https://xks.down.invalid',
      XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
    });
    expect(await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: xks })).toEqual({});
    expect(await describeStore(h, xks)).toMatchObject({ ConnectionState: 'FAILED', ConnectionErrorCode: 'XKS_PROXY_NOT_REACHABLE' });
    expect(await h.fail('Encrypt', { KeyId: xksKey.keyId, Plaintext: utf8('x') })).toEqual({ name: 'KMSInvalidStateException', message: `${xksKey.arn} is unavailable.` });
    expect((await h.fail('ConnectCustomKeyStore', { CustomKeyStoreId: xks })).name).toBe('CustomKeyStoreInvalidStateException');
    // The fix AWS documents: disconnect, correct the settings, connect again.
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: xks });
    expect((await describeStore(h, xks)).ConnectionErrorCode).toBeUndefined();
    await h.call('UpdateCustomKeyStore', { CustomKeyStoreId: xks, XksProxyUriEndpoint: 'https://xks.up.example.com' });
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: xks });
    expect(await keyState(h, xksKey.keyId)).toBe('Enabled');
  });
});

describe('custom key store errors', () => {
  it('validates requests without echoing secrets', async () => {
    const h = await makeHarness();
    const short = await h.fail('CreateCustomKeyStore', hsmRequest({ KeyStorePassword: 'abc' }));
    expect(short).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'keyStorePassword' failed to satisfy constraint: Member must have length greater than or equal to 7",
    });
    const long = await h.fail('CreateCustomKeyStore', hsmRequest({ KeyStorePassword: 'p'.repeat(33) }));
    expect(long.message).toContain('less than or equal to 32');
    expect(long.message).not.toContain('ppp');
    const badSecret = await h.fail('CreateCustomKeyStore', xksRequest({ XksProxyAuthenticationCredential: { AccessKeyId: ACCESS_KEY_ID, RawSecretAccessKey: 'short!' } }));
    expect(badSecret.name).toBe('ValidationException');
    expect(badSecret.message).not.toContain('short!');
    expect((await h.fail('CreateCustomKeyStore', hsmRequest({ CloudHsmClusterId: 'cluster-1a23b4cdef1' }))).message).toContain('regular expression pattern');
    expect((await h.fail('CreateCustomKeyStore', hsmRequest({ KeyStorePassword: undefined }))).message).toBe(
      'KeyStorePassword is required for a custom key store of type AWS_CLOUDHSM.',
    );
    expect((await h.fail('CreateCustomKeyStore', hsmRequest({ XksProxyUriPath: '/kms/xks/v1' }))).message).toBe(
      'XksProxyUriPath is not valid for a custom key store of type AWS_CLOUDHSM.',
    );
    expect((await h.fail('CreateCustomKeyStore', xksRequest({ XksProxyUriPath: '/wrong' }))).name).toBe('ValidationException');
    expect((await h.fail('CreateCustomKeyStore', xksRequest({ XksProxyUriEndpoint: 'http://plain.example.com' }))).name).toBe('ValidationException');
    expect((await h.fail('CreateCustomKeyStore', xksRequest({ XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE' }))).message).toBe(
      'XksProxyVpcEndpointServiceName is required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE.',
    );
    expect((await h.fail('CreateCustomKeyStore', hsmRequest({ TrustAnchorCertificate: 'not a certificate' }))).name).toBe('IncorrectTrustAnchorException');
    expect((await h.fail('ConnectCustomKeyStore', {})).name).toBe('ValidationException');
    expect(h.repo.list('customKeyStore')).toEqual([]);
  });

  it('enforces unique names, clusters and proxy URIs, and the quota of 10 stores', async () => {
    const h = await makeHarness();
    const first = await createStore(h, hsmRequest());
    expect(await h.fail('CreateCustomKeyStore', hsmRequest({ CloudHsmClusterId: 'cluster-234567abcdefg' }))).toEqual({
      name: 'CustomKeyStoreNameInUseException',
      message: "The custom key store name 'ExampleKeyStore' is already in use in this account and Region.",
    });
    expect((await h.fail('CreateCustomKeyStore', hsmRequest({ CustomKeyStoreName: 'Other' }))).name).toBe('CloudHsmClusterInUseException');
    const xks = await createStore(h, xksRequest());
    expect((await h.fail('CreateCustomKeyStore', xksRequest({ CustomKeyStoreName: 'Other' }))).name).toBe('XksProxyUriInUseException');
    expect(
      (await h.fail('CreateCustomKeyStore', xksRequest({ CustomKeyStoreName: 'Vpc', XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE', XksProxyUriPath: '/kms/xks/v1', XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' })))
        .name,
    ).toBe('XksProxyUriEndpointInUseException');
    await createStore(h, xksRequest({ CustomKeyStoreName: 'Vpc1', XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE', XksProxyUriEndpoint: 'https://a.example.com', XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' }));
    expect(
      (await h.fail('CreateCustomKeyStore', xksRequest({ CustomKeyStoreName: 'Vpc2', XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE', XksProxyUriEndpoint: 'https://b.example.com', XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' })))
        .name,
    ).toBe('XksProxyVpcEndpointServiceInUseException');
    expect((await h.fail('UpdateCustomKeyStore', { CustomKeyStoreId: xks, NewCustomKeyStoreName: 'ExampleKeyStore' })).name).toBe('CustomKeyStoreNameInUseException');
    expect((await h.fail('UpdateCustomKeyStore', { CustomKeyStoreId: xks, CloudHsmClusterId: CLUSTER })).name).toBe('ValidationException');
    expect((await h.fail('UpdateCustomKeyStore', { CustomKeyStoreId: first, XksProxyUriPath: '/kms/xks/v1' })).name).toBe('ValidationException');
    for (let i = 3; i < 10; i++) await createStore(h, hsmRequest({ CustomKeyStoreName: `s${i}`, CloudHsmClusterId: `cluster-abcdefghijk${'234567a'[i - 3]}` }));
    expect((await h.fail('CreateCustomKeyStore', hsmRequest({ CustomKeyStoreName: 's10', CloudHsmClusterId: 'cluster-abcdefghijkz' }))).name).toBe('LimitExceededException');
  });

  it('answers GenerateRandom from a connected CloudHSM store only', async () => {
    const h = await makeHarness();
    const hsm = await createStore(h, hsmRequest());
    const xks = await createStore(h, xksRequest());
    expect((await h.fail('GenerateRandom', { NumberOfBytes: 8, CustomKeyStoreId: hsm })).name).toBe('CustomKeyStoreInvalidStateException');
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: hsm });
    expect((await h.call('GenerateRandom', { NumberOfBytes: 8, CustomKeyStoreId: hsm })).Plaintext).toHaveLength(8);
    expect((await h.fail('GenerateRandom', { NumberOfBytes: 8, CustomKeyStoreId: xks })).name).toBe('UnsupportedOperationException');
    expect((await h.fail('GenerateRandom', { NumberOfBytes: 8, CustomKeyStoreId: 'cks-00000000000000000' })).name).toBe('CustomKeyStoreNotFoundException');
  });

  it('needs IAM permission for each store operation (Resource "*")', async () => {
    const h = await makeHarness();
    const id = await createStore(h, hsmRequest());
    const { arn } = await h.service.world.createPrincipal({ accountId: ACCOUNT, kind: 'user', name: 'ops' });
    const ops: CallerContext = { principalArn: arn, accountId: ACCOUNT as CallerContext['accountId'], region: 'us-east-1' as CallerContext['region'] };
    expect((await h.fail('ConnectCustomKeyStore', { CustomKeyStoreId: id }, ops)).name).toBe('AccessDeniedException');
    expect((await h.fail('DescribeCustomKeyStores', {}, ops)).name).toBe('AccessDeniedException');
    await h.service.world.putIdentityPolicy(arn, 'Stores', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:ConnectCustomKeyStore', 'kms:DescribeCustomKeyStores'], Resource: '*' }] }));
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: id }, ops);
    expect((await h.call('DescribeCustomKeyStores', {}, ops)).CustomKeyStores).toHaveLength(1);
    expect((await h.fail('DisconnectCustomKeyStore', { CustomKeyStoreId: id }, ops)).name).toBe('AccessDeniedException');
    // Another account sees none of this account's stores.
    expect((await h.fail('ConnectCustomKeyStore', { CustomKeyStoreId: id }, callerIn(PARTNER))).name).toMatch(/CustomKeyStoreNotFoundException|AccessDeniedException/);
  });
});

describe('credentials, trail and replay', () => {
  it('keeps the password and the proxy secret out of records, trail records and error messages', async () => {
    const h = await makeHarness();
    const hsm = await createStore(h, hsmRequest());
    await createStore(h, xksRequest());
    await h.call('UpdateCustomKeyStore', { CustomKeyStoreId: hsm, KeyStorePassword: 'second-password' });
    await h.fail('CreateCustomKeyStore', hsmRequest({ CustomKeyStoreName: 'ExampleKeyStore' }));
    const trail = h.repo.list('trailEvent').map((t) => t.record);
    const created = trail.find((r) => r.eventName === 'CreateCustomKeyStore')!;
    expect(created.requestParameters).toMatchObject({ customKeyStoreName: 'ExampleKeyStore', cloudHsmClusterId: CLUSTER });
    expect(created.responseElements).toEqual({ customKeyStoreId: hsm });
    const everythingButTheLog = JSON.stringify([trail, h.repo.list('customKeyStore'), h.repo.list('key')]);
    for (const secret of [PASSWORD, 'second-password', SECRET_KEY]) expect(everythingButTheLog).not.toContain(secret);
    expect(everythingButTheLog).not.toMatch(/keyStorePassword|rawSecretAccessKey/i);
    // The owner's call log marks them as secret inputs (a share can drop them).
    const entries = h.repo.list('logEntry').map((r) => r.entry).filter((e) => e.kind === 'call' && e.operation.endsWith('CustomKeyStore'));
    expect(entries.map((e) => (e.kind === 'call' ? e.secretMembers : []))).toEqual([
      ['KeyStorePassword'],
      ['XksProxyAuthenticationCredential.RawSecretAccessKey'],
      ['KeyStorePassword'],
      ['KeyStorePassword'],
    ]);
  });

  it('replays the log into the same sandbox (stores, key states, trail)', async () => {
    const h = await makeHarness();
    const { hsm, xks, xksKey } = await storesWithKeys(h);
    await h.call('Encrypt', { KeyId: xksKey.keyId, Plaintext: utf8('p') });
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: xks });
    await h.call('DisableKey', { KeyId: xksKey.keyId });
    await h.fail('Encrypt', { KeyId: xksKey.keyId, Plaintext: utf8('p') });
    await h.call('UpdateCustomKeyStore', { CustomKeyStoreId: hsm, NewCustomKeyStoreName: 'renamed' });
    await h.call('GenerateRandom', { NumberOfBytes: 16, CustomKeyStoreId: hsm });
    const log = h.repo.list('logEntry').map((r) => r.entry);
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(r.detail);
    expect(r.repository.list('customKeyStore')).toEqual(h.repo.list('customKeyStore'));
    expect(r.repository.list('key')).toEqual(h.repo.list('key'));
    expect(r.repository.list('trailEvent')).toEqual(h.repo.list('trailEvent'));
  });

  it('shares without inputs: the password and the proxy secret become `$redacted` placeholders and the log replays to the same sandbox', async () => {
    const h = await makeHarness();
    await storesWithKeys(h);
    await h.fail('CreateCustomKeyStore', hsmRequest({ CustomKeyStoreName: 'x', KeyStorePassword: 'short' }));
    const log = h.repo.list('logEntry').map((r) => r.entry);
    const dropped = withoutInputs(log);
    expect(firstEntryWithInputs(dropped)).toBe(-1);
    expect(firstEntryWithInputs(log)).toBeGreaterThanOrEqual(0);
    expect(dropped.map((e) => redactLogEntry(e))).toEqual(dropped);
    expect(JSON.stringify(dropped)).not.toContain(PASSWORD);
    expect(JSON.stringify(dropped)).not.toContain(SECRET_KEY);
    for (const e of dropped) if (e.kind === 'call' && e.secretMembers.includes('XksProxyAuthenticationCredential.RawSecretAccessKey')) {
      expect(e.request?.XksProxyAuthenticationCredential).toMatchObject({ RawSecretAccessKey: { $redacted: expect.any(Number) }, AccessKeyId: expect.any(String) });
    }
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(dropped, { seed: meta.seed, startTime: meta.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(r.detail);
    expect(r.repository.list('customKeyStore')).toEqual(h.repo.list('customKeyStore'));
    expect(r.repository.list('key')).toEqual(h.repo.list('key'));
    expect(r.repository.list('trailEvent')).toEqual(h.repo.list('trailEvent'));
  });

});
