/**
 * Property tests of the symmetric crypto operations through the full service (issue 2 "Tests",
 * STYLE §15; kms-semantics.md §2.2 Encrypt/Decrypt/ReEncrypt/GenerateDataKey, §3.3 encryption
 * context, §8 rotation):
 *   - Decrypt inverts Encrypt for every rotation version (on-demand and automatic), with the
 *     KeyMaterialId that was current at encryption time; on both crypto backends;
 *   - every single-bit flip (and every truncation) of a CiphertextBlob is rejected and never
 *     yields plaintext;
 *   - the encryption context matches as a set of exact pairs: any insertion order decrypts, any
 *     change does not;
 *   - GenerateDataKey's Plaintext is what its CiphertextBlob decrypts to; ReEncrypt moves a
 *     ciphertext to another key, or to the same key under a new context.
 * Seeds are fixed: a failure reproduces with the printed seed and path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleBackend, webCryptoBackend, type CryptoBackend } from '../../../src/kms';
import { ACCOUNT, makeHarness, REGION, utf8, type Harness } from './harness';

const DAY_MS = 86_400_000;
const ALIAS = 'alias/props';
const ALIAS_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:${ALIAS}`;

type Ctx = Record<string, string>;

/** A context string: printable ASCII (so case changes apply) or any well-formed Unicode. */
const ctxString = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength, maxLength }), fc.string({ unit: 'binary', minLength, maxLength }));

/** Encryption contexts: 0–4 pairs (AWS: exact, case-sensitive strings, §3.3). */
const contextArb: fc.Arbitrary<Ctx> = fc.dictionary(ctxString(1, 8), ctxString(0, 12), { maxKeys: 4 });

/** 1..4096 bytes: mostly short, some anywhere up to the 4,096-byte limit, and the two edges. */
const plaintextArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4096, size: 'max' }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 4096).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })) },
);

type KeyForm = 'arn' | 'id' | 'alias' | 'aliasArn';
const keyFormArb = fc.constantFrom<KeyForm>('arn', 'id', 'alias', 'aliasArn');

function keyIdIn(form: KeyForm, key: { keyId: string; arn: string }): string {
  switch (form) {
    case 'arn':
      return key.arn;
    case 'id':
      return key.keyId;
    case 'alias':
      return ALIAS;
    case 'aliasArn':
      return ALIAS_ARN;
  }
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** The call's error name and message, or 'OK' (with the response). */
async function outcome(p: Promise<Record<string, unknown>>): Promise<{ ok: true; r: Record<string, unknown> } | { ok: false; name: string; message: string }> {
  try {
    return { ok: true, r: await p };
  } catch (e) {
    return { ok: false, name: (e as Error).name, message: (e as Error).message };
  }
}

async function currentMaterial(h: Harness, arn: string): Promise<string> {
  const meta = (await h.call('DescribeKey', { KeyId: arn })).KeyMetadata as { CurrentKeyMaterialId: string };
  return meta.CurrentKeyMaterialId;
}

type RotationStep =
  | { kind: 'encrypt'; plaintext: Uint8Array; context: Ctx; form: KeyForm }
  | { kind: 'onDemand' }
  | { kind: 'auto' };

const rotationStepArb: fc.Arbitrary<RotationStep> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('encrypt' as const), plaintext: plaintextArb, context: contextArb, form: keyFormArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'onDemand' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'auto' as const }) },
);

const BACKENDS: readonly CryptoBackend[] = [webCryptoBackend, nobleBackend];

describe.each(BACKENDS)('decrypt(encrypt(x)) = x across rotation versions ($name backend)', (crypto) => {
  it('every ciphertext decrypts to its plaintext with the material current when it was made', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rotationStepArb, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 90, max: 400 }),
        fc.array(fc.constantFrom<KeyForm | 'none'>('none', 'arn', 'id', 'alias', 'aliasArn'), { minLength: 20, maxLength: 20 }),
        async (steps, periodDays, decryptForms) => {
          const h = await makeHarness({ crypto });
          const key = await h.createKey({ Description: 'rotating' });
          await h.call('CreateAlias', { AliasName: ALIAS, TargetKeyId: key.arn });
          await h.call('EnableKeyRotation', { KeyId: key.arn, RotationPeriodInDays: periodDays });
          const made: { plaintext: Uint8Array; context: Ctx; blob: Uint8Array; material: string }[] = [];
          const rotations: ('AUTOMATIC' | 'ON_DEMAND')[] = [];
          const materials = [await currentMaterial(h, key.arn)];
          let onDemand = 0;
          for (const step of steps) {
            if (step.kind === 'encrypt') {
              const material = await currentMaterial(h, key.arn);
              const r = await h.call('Encrypt', { KeyId: keyIdIn(step.form, key), Plaintext: step.plaintext, EncryptionContext: step.context });
              expect(r.KeyId).toBe(key.arn);
              const trail = h.repo.list('trailEvent');
              expect(trail[trail.length - 1]!.record.additionalEventData?.keyMaterialId).toBe(material);
              made.push({ plaintext: step.plaintext.slice(), context: step.context, blob: r.CiphertextBlob as Uint8Array, material });
            } else if (step.kind === 'onDemand') {
              const o = await outcome(h.call('RotateKeyOnDemand', { KeyId: key.arn }));
              if (onDemand >= 10) {
                expect(o.ok ? 'OK' : o.name).toBe('LimitExceededException');
                continue;
              }
              expect(o.ok).toBe(true);
              onDemand++;
              rotations.push('ON_DEMAND');
              materials.push(await currentMaterial(h, key.arn));
            } else {
              const due = h.service.nextScheduledEventTime();
              expect(due).not.toBeNull();
              const adv = await h.service.advanceClock(due! - h.service.now());
              expect(adv.events.map((e) => (e as { eventName?: string }).eventName)).toEqual(['RotateKey']);
              rotations.push('AUTOMATIC');
              materials.push(await currentMaterial(h, key.arn));
            }
          }
          // Every rotation made new material, and ListKeyRotations lists them in order.
          expect(new Set(materials).size).toBe(materials.length);
          const listed = (await h.call('ListKeyRotations', { KeyId: key.arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations as {
            KeyMaterialId: string;
            RotationType?: string;
            KeyMaterialState: string;
          }[];
          // (As sets: materials made in the same millisecond are listed out of order, see the
          // 'ListKeyRotations order' regression test below.)
          expect(listed.map((x) => x.KeyMaterialId).sort()).toEqual([...materials].sort());
          const typeOf = new Map(listed.map((x) => [x.KeyMaterialId, x.RotationType]));
          expect(materials.map((m) => typeOf.get(m))).toEqual([undefined, ...rotations]);
          expect(listed.filter((x) => x.KeyMaterialState === 'CURRENT').map((x) => x.KeyMaterialId)).toEqual([materials.at(-1)]);

          for (const [i, m] of made.entries()) {
            const form = decryptForms[i % decryptForms.length]!;
            const req: Record<string, unknown> = { CiphertextBlob: m.blob, EncryptionContext: m.context };
            if (form !== 'none') req.KeyId = keyIdIn(form, key);
            const d = await h.call('Decrypt', req);
            expect(hex(d.Plaintext as Uint8Array)).toBe(hex(m.plaintext));
            expect(d.KeyId).toBe(key.arn);
            expect(d.KeyMaterialId).toBe(m.material);
          }
        },
      ),
      { seed: 20260115, numRuns: 60 },
    );
  });
});

describe('tampered ciphertext is rejected', () => {
  async function oneBlob(): Promise<{ h: Harness; arn: string; blob: Uint8Array; plaintext: Uint8Array; context: Ctx }> {
    const h = await makeHarness({ seed: 7 });
    const { arn } = await h.createKey();
    // Rotate once so the blob names non-original material.
    await h.call('RotateKeyOnDemand', { KeyId: arn });
    const plaintext = utf8('attack at dawn, bring 32 bytes!!');
    const context = { purpose: 'bit-flip', tenant: 'ü' };
    const blob = (await h.call('Encrypt', { KeyId: arn, Plaintext: plaintext, EncryptionContext: context })).CiphertextBlob as Uint8Array;
    return { h, arn, blob, plaintext, context };
  }

  it('every single-bit flip of a blob: InvalidCiphertextException, never plaintext (exhaustive)', async () => {
    const { h, blob, context } = await oneBlob();
    const answers = new Map<string, number>();
    const before = h.repo.list('trailEvent').length;
    for (let bit = 0; bit < blob.length * 8; bit++) {
      const flipped = blob.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const o = await outcome(h.call('Decrypt', { CiphertextBlob: flipped, EncryptionContext: context }));
      expect(o.ok, `bit ${bit} decrypted`).toBe(false);
      if (!o.ok) answers.set(`${o.name}: ${o.message}`, (answers.get(`${o.name}: ${o.message}`) ?? 0) + 1);
    }
    // AWS answers InvalidCiphertextException with an empty message for every kind of tampering.
    expect([...answers.keys()]).toEqual(['InvalidCiphertextException: ']);
    // One trail record per attempt, all failures, none carrying the ciphertext.
    const trail = h.repo.list('trailEvent').slice(before);
    expect(trail.length).toBe(blob.length * 8);
    expect(trail.every((t) => t.record.errorCode === 'InvalidCiphertextException')).toBe(true);
    // The untouched blob still decrypts.
    expect((await h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: context })).Plaintext).toBeInstanceOf(Uint8Array);
  });

  it('a bit flip with KeyId named: InvalidCiphertextException, or IncorrectKeyException when the flip renames the key', async () => {
    const { h, arn, blob, context } = await oneBlob();
    const arnEnd = 2 + (blob[1] ?? 0); // byte 1 = ARN length; the ARN is bytes [2, arnEnd)
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: blob.length * 8 - 1 }), async (bit) => {
        const flipped = blob.slice();
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const o = await outcome(h.call('Decrypt', { CiphertextBlob: flipped, EncryptionContext: context, KeyId: arn }));
        expect(o.ok).toBe(false);
        if (o.ok) return;
        const byte = bit >> 3;
        if (byte >= 1 && byte < arnEnd) {
          // The flip changed the key the blob names (or its length): not the key in the request.
          expect(['InvalidCiphertextException', 'IncorrectKeyException']).toContain(o.name);
        } else {
          expect(o.name).toBe('InvalidCiphertextException');
        }
        expect(o.name).not.toBe('NotFoundException');
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('every truncation, and any appended bytes, are rejected', async () => {
    const { h, blob, context } = await oneBlob();
    for (let n = 1; n < blob.length; n++) {
      const o = await outcome(h.call('Decrypt', { CiphertextBlob: blob.slice(0, n), EncryptionContext: context }));
      expect(o.ok ? 'OK' : o.name, `prefix of ${n} bytes`).toBe('InvalidCiphertextException');
    }
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 32 }), async (tail) => {
        const longer = new Uint8Array(blob.length + tail.length);
        longer.set(blob);
        longer.set(tail, blob.length);
        const o = await outcome(h.call('Decrypt', { CiphertextBlob: longer, EncryptionContext: context }));
        expect(o.ok ? 'OK' : o.name).toBe('InvalidCiphertextException');
      }),
      { seed: 43, numRuns: 50 },
    );
  });
});

/** A context that differs from `ctx`; `undefined` when the mutation does not apply to it. */
type Mutation = 'add' | 'remove' | 'changeValue' | 'changeKeyCase' | 'changeValueCase' | 'shiftKeyIntoValue' | 'shiftValueIntoKey' | 'omit';

function toggleCase(s: string): string | undefined {
  const up = s.toUpperCase();
  if (up !== s && [...up].length === [...s].length) return up;
  const low = s.toLowerCase();
  if (low !== s && [...low].length === [...s].length) return low;
  return undefined;
}

function mutate(ctx: Ctx, m: Mutation, pick: number, extra: string): Ctx | undefined {
  const entries = Object.entries(ctx);
  const i = entries.length ? pick % entries.length : 0;
  const e = entries[i];
  const replace = (k: string, v: string): Ctx | undefined => {
    const out = entries.filter((_, j) => j !== i);
    if (out.some(([kk]) => kk === k)) return undefined;
    return Object.fromEntries([...out, [k, v]]);
  };
  switch (m) {
    case 'add':
      return ctx[extra] !== undefined || Object.hasOwn(ctx, extra) ? undefined : Object.fromEntries([...entries, [extra, 'added']]);
    case 'remove':
      return e ? Object.fromEntries(entries.filter((_, j) => j !== i)) : undefined;
    case 'changeValue':
      return e ? replace(e[0], e[1] + extra) : undefined;
    case 'changeKeyCase': {
      const k = e && toggleCase(e[0]);
      return e && k !== undefined ? replace(k, e[1]) : undefined;
    }
    case 'changeValueCase': {
      const v = e && toggleCase(e[1]);
      return e && v !== undefined ? replace(e[0], v) : undefined;
    }
    case 'shiftKeyIntoValue': {
      // {"ab":"c"} → {"a":"bc"}
      const cps = e ? [...e[0]] : [];
      return e && cps.length >= 2 ? replace(cps.slice(0, -1).join(''), cps.at(-1)! + e[1]) : undefined;
    }
    case 'shiftValueIntoKey': {
      // {"a":"bc"} → {"ab":"c"}
      const cps = e ? [...e[1]] : [];
      return e && cps.length >= 1 ? replace(e[0] + cps[0]!, cps.slice(1).join('')) : undefined;
    }
    case 'omit':
      return entries.length ? {} : undefined;
  }
}

describe('encryption context: exact pairs, any order', () => {
  it('any insertion order of the same pairs decrypts; any change does not', async () => {
    const h = await makeHarness({ seed: 3 });
    const { arn } = await h.createKey();
    const ctxWithOrder = contextArb.chain((ctx) => {
      const n = Object.keys(ctx).length;
      return fc.tuple(fc.constant(ctx), fc.shuffledSubarray(Object.entries(ctx), { minLength: n, maxLength: n }));
    });
    const mutationArb = fc.constantFrom<Mutation>('add', 'remove', 'changeValue', 'changeKeyCase', 'changeValueCase', 'shiftKeyIntoValue', 'shiftValueIntoKey', 'omit');
    await fc.assert(
      fc.asyncProperty(
        ctxWithOrder,
        mutationArb,
        fc.nat(),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }),
        plaintextArb,
        async ([ctx, permuted], m, pick, extra, plaintext) => {
          const changed = mutate(ctx, m, pick, extra);
          fc.pre(changed !== undefined);
          const blob = (await h.call('Encrypt', { KeyId: arn, Plaintext: plaintext, EncryptionContext: ctx })).CiphertextBlob as Uint8Array;
          const reordered = Object.fromEntries(permuted);
          const ok = await h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: reordered });
          expect(hex(ok.Plaintext as Uint8Array)).toBe(hex(plaintext));
          const bad = await outcome(h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: changed }));
          expect(bad.ok ? 'decrypted' : bad.name, `${m}: ${JSON.stringify(ctx)} → ${JSON.stringify(changed)}`).toBe('InvalidCiphertextException');
        },
      ),
      { seed: 1501, numRuns: 150 },
    );
  });

  const cases: [string, Ctx | undefined, Ctx | undefined, boolean][] = [
    ['{"ab":"c"} vs {"a":"bc"}', { ab: 'c' }, { a: 'bc' }, false],
    ['{"a":"bc"} vs {"ab":"c"}', { a: 'bc' }, { ab: 'c' }, false],
    ['two pairs vs their concatenation', { a: 'b', c: 'd' }, { a: 'bcd' }, false],
    ['key case', { Purpose: 'x' }, { purpose: 'x' }, false],
    ['value case', { purpose: 'X' }, { purpose: 'x' }, false],
    ['added pair', { a: 'b' }, { a: 'b', c: 'd' }, false],
    ['removed pair', { a: 'b', c: 'd' }, { a: 'b' }, false],
    ['pair swapped key/value', { a: 'b' }, { b: 'a' }, false],
    ['context vs none', { a: 'b' }, undefined, false],
    ['none vs context', undefined, { a: 'b' }, false],
    ['empty vs omitted', {}, undefined, true],
    ['omitted vs empty', undefined, {}, true],
    ['reordered', { z: '1', a: '2', m: '3' }, { a: '2', m: '3', z: '1' }, true],
    ['empty value vs missing pair', { a: 'b', c: '' }, { a: 'b' }, false],
    ['NFC vs NFD', { k: '\u00e9' }, { k: 'e\u0301' }, false],
  ];
  for (const [name, enc, dec, shouldDecrypt] of cases) {
    it(`${name}: ${shouldDecrypt ? 'decrypts' : 'InvalidCiphertextException'}`, async () => {
      const h = await makeHarness({ seed: 4 });
      const { arn } = await h.createKey();
      const blob = (await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('p'), ...(enc ? { EncryptionContext: enc } : {}) })).CiphertextBlob;
      const o = await outcome(h.call('Decrypt', { CiphertextBlob: blob, ...(dec ? { EncryptionContext: dec } : {}) }));
      expect(o.ok ? 'OK' : o.name).toBe(shouldDecrypt ? 'OK' : 'InvalidCiphertextException');
    });
  }

  it('a "__proto__" key is an ordinary pair (own property, not the prototype)', async () => {
    const h = await makeHarness({ seed: 5 });
    const { arn } = await h.createKey();
    const withProto = JSON.parse('{"__proto__":"x","a":"b"}') as Ctx;
    const blob = (await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('p'), EncryptionContext: withProto })).CiphertextBlob;
    const same = JSON.parse('{"a":"b","__proto__":"x"}') as Ctx;
    expect((await outcome(h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: same }))).ok).toBe(true);
    const o = await outcome(h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: 'b' } }));
    expect(o.ok ? 'OK' : o.name).toBe('InvalidCiphertextException');
  });

  // Regression (found here, fixed in b6df558): ill-formed UTF-16 in a context used to reach the
  // crypto layer, whose RangeError the service turned into KMSInternalException. A lone surrogate
  // has no UTF-8 form, so it would collide with U+FFFD in the AAD (§3.3).
  it('a context with a lone surrogate is a ValidationException, not KMSInternalException', async () => {
    const h = await makeHarness({ seed: 6 });
    const { arn } = await h.createKey();
    const blob = (await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('p'), EncryptionContext: { a: '\uFFFD' } })).CiphertextBlob;
    for (const ctx of [{ a: '\uD800' }, { '\uDC00': 'v' }, { a: 'x\uDBFF' }]) {
      const o = await outcome(h.call('Encrypt', { KeyId: arn, Plaintext: utf8('p'), EncryptionContext: ctx }));
      expect(o.ok ? 'OK' : o.name).toBe('ValidationException');
    }
    // Nor does it open a blob bound to U+FFFD.
    const d = await outcome(h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: '\uD800' } }));
    expect(d.ok ? 'OK' : d.name).toBe('ValidationException');
  });
});

describe('GenerateDataKey and ReEncrypt', () => {
  const dataKeySizeArb = fc.oneof(
    fc.constantFrom({ KeySpec: 'AES_256' } as Record<string, unknown>, { KeySpec: 'AES_128' }),
    fc.integer({ min: 1, max: 1024 }).map((n) => ({ NumberOfBytes: n }) as Record<string, unknown>),
  );
  const sizeOf = (r: Record<string, unknown>) => (r.KeySpec === 'AES_256' ? 32 : r.KeySpec === 'AES_128' ? 16 : (r.NumberOfBytes as number));

  it("GenerateDataKey's Plaintext is what its CiphertextBlob decrypts to (and WithoutPlaintext's blob holds a key of the size asked)", async () => {
    const h = await makeHarness({ seed: 8 });
    const { arn } = await h.createKey();
    await h.call('CreateAlias', { AliasName: ALIAS, TargetKeyId: arn });
    await fc.assert(
      fc.asyncProperty(dataKeySizeArb, contextArb, keyFormArb, fc.boolean(), fc.boolean(), async (size, ctx, form, rotateFirst, withoutPlaintext) => {
        if (rotateFirst) await h.call('RotateKeyOnDemand', { KeyId: arn }).catch(() => undefined); // the limit of 10 may be reached
        const op = withoutPlaintext ? 'GenerateDataKeyWithoutPlaintext' : 'GenerateDataKey';
        const g = await h.call(op, { KeyId: keyIdIn(form, { arn, keyId: arn.split('/')[1]! }), EncryptionContext: ctx, ...size });
        expect(g.KeyId).toBe(arn);
        expect(g.KeyMaterialId).toBe(await currentMaterial(h, arn));
        expect('Plaintext' in g).toBe(!withoutPlaintext);
        const d = await h.call('Decrypt', { CiphertextBlob: g.CiphertextBlob, EncryptionContext: ctx });
        expect((d.Plaintext as Uint8Array).length).toBe(sizeOf(size));
        if (!withoutPlaintext) expect(hex(d.Plaintext as Uint8Array)).toBe(hex(g.Plaintext as Uint8Array));
        expect(d.KeyMaterialId).toBe(g.KeyMaterialId);
      }),
      { seed: 808, numRuns: 80 },
    );
  });

  it('ReEncrypt to another key, and to the same key with a new context, keeps the plaintext', async () => {
    const h = await makeHarness({ seed: 9 });
    const a = await h.createKey({ Description: 'source' });
    const b = await h.createKey({ Description: 'destination' });
    await fc.assert(
      fc.asyncProperty(plaintextArb, contextArb, contextArb, fc.boolean(), fc.boolean(), async (pt, ctx1, ctx2, sameKey, rotateBetween) => {
        const src = await h.call('Encrypt', { KeyId: a.arn, Plaintext: pt, EncryptionContext: ctx1 });
        const srcMaterial = await currentMaterial(h, a.arn);
        if (rotateBetween) await h.call('RotateKeyOnDemand', { KeyId: a.arn }).catch(() => undefined);
        const dest = sameKey ? a : b;
        const r = await h.call('ReEncrypt', {
          CiphertextBlob: src.CiphertextBlob,
          SourceEncryptionContext: ctx1,
          DestinationKeyId: dest.keyId,
          DestinationEncryptionContext: ctx2,
        });
        expect(r.SourceKeyId).toBe(a.arn);
        expect(r.KeyId).toBe(dest.arn);
        expect(r.SourceKeyMaterialId).toBe(srcMaterial);
        expect(r.DestinationKeyMaterialId).toBe(await currentMaterial(h, dest.arn));
        const d = await h.call('Decrypt', { CiphertextBlob: r.CiphertextBlob, EncryptionContext: ctx2 });
        expect(hex(d.Plaintext as Uint8Array)).toBe(hex(pt));
        expect(d.KeyId).toBe(dest.arn);
        // The new blob is bound to the new context; the old one still decrypts under the old.
        if (JSON.stringify(Object.entries(ctx1).sort()) !== JSON.stringify(Object.entries(ctx2).sort())) {
          const wrong = await outcome(h.call('Decrypt', { CiphertextBlob: r.CiphertextBlob, EncryptionContext: ctx1 }));
          expect(wrong.ok ? 'OK' : wrong.name).toBe('InvalidCiphertextException');
        }
        const old = await h.call('Decrypt', { CiphertextBlob: src.CiphertextBlob, EncryptionContext: ctx1 });
        expect(hex(old.Plaintext as Uint8Array)).toBe(hex(pt));
      }),
      { seed: 909, numRuns: 60 },
    );
  });

  it('ReEncrypt with the wrong source context fails and writes nothing but its trail record', async () => {
    const h = await makeHarness({ seed: 10 });
    const a = await h.createKey();
    const b = await h.createKey();
    const src = await h.call('Encrypt', { KeyId: a.arn, Plaintext: utf8('p'), EncryptionContext: { k: 'v' } });
    const o = await outcome(h.call('ReEncrypt', { CiphertextBlob: src.CiphertextBlob, SourceEncryptionContext: { k: 'V' }, DestinationKeyId: b.arn }));
    expect(o.ok ? 'OK' : o.name).toBe('InvalidCiphertextException');
  });
});

describe('ListKeyRotations order', () => {
  // Regression (seed 20260115, onDemand then encrypt): the sandbox clock does not tick between
  // calls, so rotations made in the same millisecond must still be listed in the order they
  // happened. Materials carry their `version` for that.
  it('lists rotations made in the same millisecond in the order they happened', async () => {
    const h = await makeHarness({ seed: 12 });
    const { arn } = await h.createKey();
    const made = [await currentMaterial(h, arn)];
    for (let i = 0; i < 5; i++) {
      await h.call('RotateKeyOnDemand', { KeyId: arn });
      made.push(await currentMaterial(h, arn));
    }
    const all = (await h.call('ListKeyRotations', { KeyId: arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations as { KeyMaterialId: string }[];
    expect(all.map((r) => r.KeyMaterialId)).toEqual(made);
    const rotationsOnly = (await h.call('ListKeyRotations', { KeyId: arn })).Rotations as { KeyMaterialId: string }[];
    expect(rotationsOnly.map((r) => r.KeyMaterialId)).toEqual(made.slice(1));
  });

  it('lists rotations made at different times in time order', async () => {
    const h = await makeHarness({ seed: 12 });
    const { arn } = await h.createKey();
    const made = [await currentMaterial(h, arn)];
    for (let i = 0; i < 5; i++) {
      await h.service.advanceClock(1000);
      await h.call('RotateKeyOnDemand', { KeyId: arn });
      made.push(await currentMaterial(h, arn));
    }
    const all = (await h.call('ListKeyRotations', { KeyId: arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations as { KeyMaterialId: string }[];
    expect(all.map((r) => r.KeyMaterialId)).toEqual(made);
  });
});

describe('automatic rotation needs the clock to reach NextRotationDate exactly', () => {
  it('one millisecond early: no rotation; at the date: one', async () => {
    const h = await makeHarness({ seed: 11 });
    const { arn } = await h.createKey();
    await h.call('EnableKeyRotation', { KeyId: arn, RotationPeriodInDays: 90 });
    const m0 = await currentMaterial(h, arn);
    expect((await h.service.advanceClock(90 * DAY_MS - 1)).events).toEqual([]);
    expect(await currentMaterial(h, arn)).toBe(m0);
    expect((await h.service.advanceClock(1)).events.length).toBe(1);
    expect(await currentMaterial(h, arn)).not.toBe(m0);
  });
});
