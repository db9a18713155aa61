/**
 * The simulated services of the open sandbox (issue 8), one instance of each per KMS service, so
 * their in-memory state (S3's Bucket Key caches) lasts as long as the page, across remounts of the
 * Services tab. Their persistent state is in the sandbox (serviceResource records).
 */
import type { KmsService } from '../../kms';
import { createEbs, type Ebs } from '../../services/ebs';
import { createS3, type S3 } from '../../services/s3';
import { createSecretsManager, type SecretsManager } from '../../services/secretsManager';

/** The simulations over one sandbox. */
export interface Simulations {
  readonly s3: S3;
  readonly ebs: Ebs;
  readonly secrets: SecretsManager;
}

const bySandbox = new WeakMap<KmsService, Simulations>();

/** The simulations of `kms` (made on first use). */
export function simulationsFor(kms: KmsService): Simulations {
  let s = bySandbox.get(kms);
  if (!s) {
    s = { s3: createS3(kms), ebs: createEbs(kms), secrets: createSecretsManager(kms) };
    bySandbox.set(kms, s);
  }
  return s;
}
