/**
 * The key's public key as GetPublicKey returned it on this tab (DER SubjectPublicKeyInfo), shared
 * by the panels that use it offline. Fetched on demand through the sandbox, so the trail shows the
 * GetPublicKey call; never re-fetched behind the learner's back.
 */
import type { AwsShape } from '../../../kms';
import { ActionState } from '../action.svelte';

/** What this needs of the sandbox (SandboxState satisfies it). */
export interface Caller {
  call(operation: string, request: AwsShape): Promise<AwsShape>;
}

export class PublicKeyState {
  /** DER SPKI, or null before the first GetPublicKey. */
  der = $state.raw<Uint8Array | null>(null);
  /** GetPublicKey's other members (KeySpec, KeyUsage, algorithm lists). */
  response = $state.raw<Readonly<Record<string, unknown>> | null>(null);
  readonly action = new ActionState();

  constructor(
    private readonly sandbox: Caller,
    private readonly keyId: string,
  ) {}

  /** Calls GetPublicKey; resolves to whether it succeeded (the error stays in `action`). */
  load(): Promise<boolean> {
    return this.action.run(async () => {
      const res = await this.sandbox.call('GetPublicKey', { KeyId: this.keyId });
      this.der = res['PublicKey'] as Uint8Array;
      const { PublicKey: _omit, ...rest } = res;
      this.response = rest;
    });
  }

  /** The public key, calling GetPublicKey first when the tab has none yet. */
  async ensure(): Promise<Uint8Array> {
    if (this.der === null) {
      await this.load();
      if (this.der === null) throw this.action.error;
    }
    return this.der;
  }
}
