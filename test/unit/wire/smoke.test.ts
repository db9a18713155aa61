import { describe, expect, it } from 'vitest';
import { KMSClient, CreateKeyCommand, EncryptCommand, DecryptCommand, DescribeKeyCommand, NotFoundException } from '@aws-sdk/client-kms';
import { createSdkRequestHandler, createWireHandler } from '../../../src/wire';
import { makeHarness } from '../kms/harness';

describe('in-process SDK', () => {
  it('round trips', async () => {
    const h = await makeHarness();
    const client = new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAAPPROLEEXAMPLE', secretAccessKey: 'x' }, requestHandler: createSdkRequestHandler(createWireHandler(h.service)) });
    const admin = new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler: createSdkRequestHandler(createWireHandler(h.service)) });
    const k = await admin.send(new CreateKeyCommand({ Description: 'sdk' }));
    expect(k.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    const enc = await client.send(new EncryptCommand({ KeyId: k.KeyMetadata!.KeyId, Plaintext: new TextEncoder().encode('hi') }));
    const dec = await client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(new TextDecoder().decode(dec.Plaintext)).toBe('hi');
    expect(enc.$metadata.requestId).toBe(h.repo.list('trailEvent').at(-2)!.record.requestID);
    await expect(client.send(new DescribeKeyCommand({ KeyId: 'alias/none' }))).rejects.toBeInstanceOf(NotFoundException);
    const e = await client.send(new DescribeKeyCommand({ KeyId: 'alias/none' })).catch((x) => x);
    expect(e.name).toBe('NotFoundException');
    const denied = await new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAALICEEXAMPLE', secretAccessKey: 'x' }, requestHandler: createSdkRequestHandler(createWireHandler(h.service)) })
      .send(new EncryptCommand({ KeyId: k.KeyMetadata!.KeyId, Plaintext: new Uint8Array(1) })).catch((x) => x);
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.$metadata.httpStatusCode).toBe(400);
  });
});
