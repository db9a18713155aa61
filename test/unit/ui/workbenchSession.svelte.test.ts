/**
 * The workbench session against a real in-memory KMS service (worker replaced by the same handler
 * in-process): the KMS calls run as the caller and are trailed; the local steps are announced
 * after the trail record of the call they follow; results are kept, newest first; errors and
 * cancellations end the job as such.
 */
import { describe, expect, it } from 'vitest';
import { webCryptoBackend, type AwsShape } from '../../../src/kms';
import type { Activity } from '../../../src/ui/activity';
import { EnvelopeClient, type KmsCaller, type WorkerLike } from '../../../src/ui/workbench/envelopeClient';
import { createEnvelopeWorkerHandler } from '../../../src/ui/workbench/envelopeWorker';
import type { FromWorkerMessage, ToWorkerMessage } from '../../../src/ui/workbench/protocol';
import { WorkbenchSession, newestEventId } from '../../../src/ui/workbench/session.svelte';
import { makeHarness } from '../kms/harness';

function inProcessClient(callKms: KmsCaller): EnvelopeClient {
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (m: ToWorkerMessage) => setTimeout(() => handle(m), 0),
    terminate: () => undefined,
  };
  const handle = createEnvelopeWorkerHandler(
    { postMessage: (m) => setTimeout(() => worker.onmessage?.({ data: m } as MessageEvent<FromWorkerMessage>), 0) },
    webCryptoBackend,
  );
  return new EnvelopeClient(worker, callKms);
}

async function setup() {
  const h = await makeHarness();
  const { arn } = await h.createKey();
  const activities: Activity[] = [];
  const sandbox = {
    call: (op: string, req: AwsShape) => h.call(op, req) as Promise<AwsShape>,
    repository: h.repo,
    activity: { publish: (a: Activity) => activities.push(a) },
  };
  return { h, arn, activities, session: new WorkbenchSession(sandbox, inProcessClient) };
}

describe('WorkbenchSession', () => {
  it('encrypts and decrypts through the service, announcing local steps after their trail records', async () => {
    const { h, arn, activities, session } = await setup();
    session.file = new File([new Uint8Array(3000).fill(9)], 'notes.bin');
    await session.encryptEnvelope(arn, { purpose: 'test' });
    expect(session.job).toMatchObject({ status: 'done', done: 3000, total: 3000 });
    const [env] = session.results;
    if (env?.kind !== 'envelope') throw new Error('expected an envelope result');
    expect(env.fileName).toBe('notes.bin.kmsenv');
    expect(env.facts).toMatchObject({ keyId: arn, plaintextLength: 3000, encryptionContext: { purpose: 'test' } });
    expect(env.dataKeyHex).toMatch(/^[0-9a-f]{64}$/);
    const gdk = h.repo.list('trailEvent').at(-1)!;
    expect(gdk.record.eventName).toBe('GenerateDataKey');
    expect(gdk.record.userIdentity).toBeDefined();
    expect(env.eventId).toBe(gdk.id);
    expect(activities.map((a) => [a.step, a.afterEventId])).toEqual([
      ['encrypt-locally', gdk.id],
      ['forget-data-key', gdk.id],
      ['store-envelope', gdk.id],
    ]);
    expect(activities[0]!.bytes).toBe(3000);

    await session.decryptEnvelope(env.envelope, env.fileName);
    const [dec] = session.results;
    if (dec?.kind !== 'decrypted') throw new Error('expected a decrypted result');
    expect(dec.fileName).toBe('notes.bin');
    expect(new Uint8Array(await dec.plaintext.arrayBuffer())).toEqual(new Uint8Array(3000).fill(9));
    const decryptEvent = h.repo.list('trailEvent').at(-1)!;
    expect(decryptEvent.record.eventName).toBe('Decrypt');
    expect(dec.eventId).toBe(decryptEvent.id);
    expect(activities.slice(3).map((a) => [a.step, a.afterEventId])).toEqual([
      ['load-envelope', decryptEvent.id],
      ['decrypt-locally', decryptEvent.id],
      ['forget-data-key', decryptEvent.id],
    ]);
    expect(session.results.map((r) => r.kind)).toEqual(['decrypted', 'envelope']);
    session.remove(env.id);
    expect(session.results).toHaveLength(1);
  });

  it('shows a KMS refusal as the job error, trailed, with no local steps', async () => {
    const { h, activities, session } = await setup();
    await session.encryptEnvelope('alias/does-not-exist', undefined);
    expect(session.job?.status).toBe('failed');
    expect(session.error).toMatchObject({ name: 'NotFoundException' });
    expect(h.repo.list('trailEvent').at(-1)!.record.errorCode).toBe('NotFoundException');
    expect(activities).toEqual([]);
    expect(session.results).toEqual([]);
  });

  it('ends a cancelled job as cancelled, without an error', async () => {
    const { arn, session } = await setup();
    session.file = new File([new Uint8Array(64 * 1024)], 'big.bin');
    const running = session.encryptEnvelope(arn, undefined);
    expect(session.isBusy).toBe(true);
    session.cancel();
    await running;
    expect(session.job?.status).toBe('cancelled');
    expect(session.error).toBeNull();
    expect(session.isBusy).toBe(false);
  });

  it('finds the trail record of the call just made, and nothing for another operation', async () => {
    const { h } = await setup();
    const last = h.repo.list('trailEvent').at(-1)!;
    expect(newestEventId(h.repo, 'CreateKey')).toBe(last.id);
    expect(newestEventId(h.repo, 'Decrypt')).toBeUndefined();
  });
});
