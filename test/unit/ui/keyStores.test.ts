/**
 * The Key stores tab's logic (src/ui/stores): requests built from the forms go through a real
 * service (create, connect, create a key in the store, disconnect: the key is Unavailable and
 * Encrypt fails, connect: it works again, update, delete), and the store views read back from the
 * records show states and keys; secrets never reach the records.
 */
import { describe, expect, it } from 'vitest';
import {
  createKeyInStoreRequest,
  createStoreRequest,
  emptyCreateStoreForm,
  emptyUpdateStoreForm,
  EXAMPLE_VALUES,
  storeViews,
  updateStoreRequest,
} from '../../../src/ui/stores/keyStores';
import { allRecords } from '../../../src/kms';
import { makeHarness } from '../kms/harness';

const PASSWORD = 'kmsuser-Secret-7';
const SECRET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ0123';

describe('custom key stores through the service', () => {
  it('CloudHSM: create, connect, key in the store, the disconnect outage, reconnect, update, delete', async () => {
    const h = await makeHarness();
    const form = { ...emptyCreateStoreForm(), name: 'hsm-store', clusterId: EXAMPLE_VALUES.clusterId, trustAnchor: EXAMPLE_VALUES.trustAnchor, password: PASSWORD };
    const req = createStoreRequest(form);
    expect(req).toEqual({ CustomKeyStoreName: 'hsm-store', CustomKeyStoreType: 'AWS_CLOUDHSM', CloudHsmClusterId: EXAMPLE_VALUES.clusterId, TrustAnchorCertificate: EXAMPLE_VALUES.trustAnchor, KeyStorePassword: PASSWORD });
    const { CustomKeyStoreId: id } = (await h.call('CreateCustomKeyStore', req)) as { CustomKeyStoreId: string };
    let [store] = storeViews(h.repo);
    expect(store).toMatchObject({ CustomKeyStoreId: id, CustomKeyStoreName: 'hsm-store', ConnectionState: 'DISCONNECTED', region: 'us-east-1', keys: [] });

    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: id });
    const created = await h.call('CreateKey', createKeyInStoreRequest(store!, '', 'in the HSM'));
    const arn = (created.KeyMetadata as { Arn: string }).Arn;
    [store] = storeViews(h.repo);
    expect(store!.ConnectionState).toBe('CONNECTED');
    expect(store!.keys).toEqual([{ arn, keyId: expect.any(String), keyState: 'Enabled', xksKeyId: null }]);

    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: id });
    [store] = storeViews(h.repo);
    expect(store!.keys[0]!.keyState).toBe('Unavailable');
    expect((await h.fail('Encrypt', { KeyId: arn, Plaintext: new Uint8Array([1]) })).name).toBe('KMSInvalidStateException');

    await h.call('UpdateCustomKeyStore', updateStoreRequest(id, 'AWS_CLOUDHSM', { ...emptyUpdateStoreForm(), newName: 'hsm-2', password: 'another-pass' }));
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: id });
    [store] = storeViews(h.repo);
    expect(store).toMatchObject({ CustomKeyStoreName: 'hsm-2', ConnectionState: 'CONNECTED' });
    expect(store!.keys[0]!.keyState).toBe('Enabled');
    await h.call('Encrypt', { KeyId: arn, Plaintext: new Uint8Array([1]) });

    // No store or trail record holds a password (only the owner's call log keeps it, for replay).
    const everything = JSON.stringify(allRecords(h.repo).filter((r) => r.typeName !== 'logEntry'), (_k, v: unknown) => (v instanceof Uint8Array ? null : v));
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('another-pass');

    await h.call('ScheduleKeyDeletion', { KeyId: arn, PendingWindowInDays: 7 });
    await h.service.advanceClock(8 * 86_400_000);
    await h.call('DisconnectCustomKeyStore', { CustomKeyStoreId: id });
    await h.call('DeleteCustomKeyStore', { CustomKeyStoreId: id });
    expect(storeViews(h.repo)).toEqual([]);
  });

  it('external key store: the proxy configuration is shown, the secret is not; keys carry their XksKeyId', async () => {
    const h = await makeHarness();
    const form = { ...emptyCreateStoreForm(), type: 'EXTERNAL_KEY_STORE' as const, name: 'xks', uriEndpoint: EXAMPLE_VALUES.uriEndpoint, accessKeyId: EXAMPLE_VALUES.accessKeyId, secretAccessKey: SECRET };
    const req = createStoreRequest(form);
    expect(req).toEqual({
      CustomKeyStoreName: 'xks',
      CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
      XksProxyConnectivity: 'PUBLIC_ENDPOINT',
      XksProxyUriEndpoint: EXAMPLE_VALUES.uriEndpoint,
      XksProxyUriPath: '/kms/xks/v1',
      XksProxyAuthenticationCredential: { AccessKeyId: EXAMPLE_VALUES.accessKeyId, RawSecretAccessKey: SECRET },
    });
    const { CustomKeyStoreId: id } = (await h.call('CreateCustomKeyStore', req)) as { CustomKeyStoreId: string };
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: id });
    let [store] = storeViews(h.repo);
    await h.call('CreateKey', createKeyInStoreRequest(store!, 'external-key-1', ''));
    [store] = storeViews(h.repo);
    expect(store!.XksProxyConfiguration).toMatchObject({ UriEndpoint: EXAMPLE_VALUES.uriEndpoint, AccessKeyId: EXAMPLE_VALUES.accessKeyId });
    expect(JSON.stringify(store)).not.toContain(SECRET);
    expect(store!.keys[0]).toMatchObject({ keyState: 'Enabled', xksKeyId: 'external-key-1' });

    // An unreachable proxy (the simulator's .invalid convention) is refused at creation.
    const bad = createStoreRequest({ ...form, name: 'down', uriEndpoint: 'https://proxy.invalid', accessKeyId: 'BE2ECKM3EXAMPLEIDBBBB' });
    expect((await h.fail('CreateCustomKeyStore', bad)).name).toBe('XksProxyUriUnreachableException');
  });

  it('sends only what the forms say', () => {
    const vpc = createStoreRequest({ ...emptyCreateStoreForm(), type: 'EXTERNAL_KEY_STORE', connectivity: 'VPC_ENDPOINT_SERVICE', vpcServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', vpcServiceOwner: '' });
    expect(vpc.XksProxyVpcEndpointServiceName).toBe('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0');
    expect('XksProxyVpcEndpointServiceOwner' in vpc).toBe(false);
    expect('CloudHsmClusterId' in vpc).toBe(false);
    expect(updateStoreRequest('cks-1', 'EXTERNAL_KEY_STORE', { ...emptyUpdateStoreForm(), clusterId: 'ignored', uriPath: '/x/kms/xks/v1' })).toEqual({ CustomKeyStoreId: 'cks-1', XksProxyUriPath: '/x/kms/xks/v1' });
    expect(updateStoreRequest('cks-1', 'AWS_CLOUDHSM', emptyUpdateStoreForm())).toEqual({ CustomKeyStoreId: 'cks-1' });
    expect(createKeyInStoreRequest({ CustomKeyStoreId: 'cks-1', CustomKeyStoreType: 'AWS_CLOUDHSM' }, 'x', '')).toEqual({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
  });
});
