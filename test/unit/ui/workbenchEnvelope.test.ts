/**
 * The workbench's envelope worker and its page-side client, connected in-process (no Worker):
 * round trips of files frame by frame, progress, KMS calls answered by the "page", data keys
 * forgotten, errors crossing the boundary with their AWS names, cancellation.
 */
import { describe, expect, it } from 'vitest';
import { webCryptoBackend } from '../../../src/kms/crypto';
import { decodeEnvelope } from '../../../src/kms/envelope';
import { EnvelopeClient, type KmsCaller, type WorkerLike } from '../../../src/ui/workbench/envelopeClient';
import { createEnvelopeWorkerHandler } from '../../../src/ui/workbench/envelopeWorker';
import { isAbortError, type FromWorkerMessage, type ToWorkerMessage } from '../../../src/ui/workbench/protocol';
import { createFakeKms, KEY_ARN, type FakeKms } from '../kms/envelope/fakeKms';

/** A page/worker pair joined by queued messages, recording what the worker sends. */
function connect(callKms: KmsCaller) {
  const sent: FromWorkerMessage[] = [];
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (m: ToWorkerMessage) => setTimeout(() => handle(m), 0),
    terminate: () => undefined,
  };
  const handle = createEnvelopeWorkerHandler(
    {
      postMessage: (m) => {
        sent.push(m);
        setTimeout(() => worker.onmessage?.({ data: m } as MessageEvent<FromWorkerMessage>), 0);
      },
    },
    webCryptoBackend,
  );
  return { client: new EnvelopeClient(worker, callKms), sent };
}

function pageKms(fake: FakeKms, onCall?: (op: string) => Promise<void>): KmsCaller {
  return async (op, req) => {
    await onCall?.(op);
    if (op === 'GenerateDataKey') return { ...(await fake.generateDataKey(req as never)) };
    return { ...(await fake.decrypt(req as never)) };
  };
}

function bytes(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

describe('envelope worker + client', () => {
  it('round-trips a multi-frame file byte for byte, with progress and one KMS call each way', async () => {
    const fake = await createFakeKms(webCryptoBackend);
    const { client, sent } = connect(pageKms(fake));
    const input = bytes(3 * 1024 + 500);
    const progress: number[] = [];
    const enc = await client.encrypt(new Blob([input]), {
      keyId: 'alias/test',
      encryptionContext: { purpose: 'test' },
      frameSize: 1024,
      onProgress: (done, total) => {
        expect(total).toBe(input.length);
        progress.push(done);
      },
    }).done;
    expect(progress).toEqual([1024, 2048, 3072, 3572]);
    expect(enc.facts).toMatchObject({ keyId: KEY_ARN, frameCount: 4, frameSize: 1024, plaintextLength: 3572, encryptionContext: { purpose: 'test' } });
    expect(enc.facts.encryptedDataKey.length).toBeGreaterThan(32);
    const envelopeBytes = new Uint8Array(await enc.envelope.arrayBuffer());
    expect(enc.head).toEqual(envelopeBytes.subarray(0, enc.head.length));
    expect(decodeEnvelope(envelopeBytes).ok).toBe(true);

    const dec = await client.decrypt(enc.envelope).done;
    expect(new Uint8Array(await dec.plaintext.arrayBuffer())).toEqual(input);
    expect(dec.head).toEqual(input.subarray(0, 256));
    expect(fake.calls).toEqual({ generateDataKey: 1, decrypt: 1 });
    // Every data key KMS handed out has been zeroed (the page's copy; the worker imports and zeroes its own).
    for (const k of fake.issued) expect(k.every((b) => b === 0)).toBe(true);
    // The worker's Decrypt request carries the encrypted data key in its own small buffer.
    const req = sent.find((m) => m.type === 'kms' && m.operation === 'Decrypt');
    const blob = req?.type === 'kms' ? (req.request['CiphertextBlob'] as Uint8Array) : new Uint8Array(1);
    expect(blob.buffer.byteLength).toBe(blob.length);
  });

  it('encrypts an empty input into one empty frame and back', async () => {
    const fake = await createFakeKms(webCryptoBackend);
    const { client } = connect(pageKms(fake));
    const enc = await client.encrypt(new Blob([]), { keyId: 'alias/test' }).done;
    expect(enc.facts.frameCount).toBe(1);
    const dec = await client.decrypt(enc.envelope).done;
    expect(dec.plaintext.size).toBe(0);
  });

  it('passes KMS errors through with their AWS names', async () => {
    const fake = await createFakeKms(webCryptoBackend);
    const { client } = connect(pageKms(fake));
    await expect(client.encrypt(new Blob([bytes(10)]), { keyId: 'alias/missing' }).done).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('refuses a tampered envelope and a file that is not an envelope', async () => {
    const fake = await createFakeKms(webCryptoBackend);
    const { client } = connect(pageKms(fake));
    const enc = await client.encrypt(new Blob([bytes(5000)]), { keyId: 'alias/test', frameSize: 1024 }).done;
    const tampered = new Uint8Array(await enc.envelope.arrayBuffer());
    tampered[tampered.length - 100]! ^= 1;
    await expect(client.decrypt(new Blob([tampered])).done).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    await expect(client.decrypt(new Blob(['hello'])).done).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
      message: expect.stringContaining('unknown-format'),
    });
  });

  it('cancels a job waiting for KMS, and a job between frames', async () => {
    const fake = await createFakeKms(webCryptoBackend);
    let release = () => undefined as void;
    const gate = new Promise<void>((r) => (release = r));
    let called = () => undefined as void;
    const isCalled = new Promise<void>((r) => (called = r));
    const { client } = connect(
      pageKms(fake, () => {
        called();
        return gate;
      }),
    );
    const job = client.encrypt(new Blob([bytes(100)]), { keyId: 'alias/test' });
    await isCalled; // the worker is now waiting for GenerateDataKey
    job.cancel();
    const err = await job.done.catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    release();

    const fake2 = await createFakeKms(webCryptoBackend);
    const second = connect(pageKms(fake2));
    const frames: number[] = [];
    const job2 = second.client.encrypt(new Blob([bytes(64 * 1024)]), {
      keyId: 'alias/test',
      frameSize: 1024,
      onProgress: (done) => {
        frames.push(done);
        if (frames.length === 2) job2.cancel();
      },
    });
    expect(isAbortError(await job2.done.catch((e: unknown) => e))).toBe(true);
    expect(frames.length).toBeLessThan(64);
  });
});
