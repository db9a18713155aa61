/**
 * The Secrets Manager forms of the Services tab (issue 8) turned into requests
 * (src/services/secretsManager.ts): CreateSecret with a string value under aws/secretsmanager or
 * a customer key, PutSecretValue (a new AWSCURRENT version). The name rule is the service's own
 * (`secretNameProblem`); the value size is AWS's 65,536 bytes.
 */
import { utf8 } from '../format';
import type { FormResult } from './s3Forms';

/** The CreateSecret request of the form (`keyArn` '' = aws/secretsmanager), or what to fix. */
export function createSecretInput(
  form: { readonly name: string; readonly value: string; readonly keyArn: string; readonly description: string },
  nameProblem: (name: string) => string | null,
  maxBytes: number,
): FormResult<{ Name: string; SecretString: string; KmsKeyId?: string; Description?: string }> {
  const name = form.name.trim();
  const problem = nameProblem(name) ?? valueProblem(form.value, maxBytes);
  if (problem) return { ok: false, problem };
  return {
    ok: true,
    value: { Name: name, SecretString: form.value, ...(form.keyArn ? { KmsKeyId: form.keyArn } : {}), ...(form.description.trim() ? { Description: form.description.trim() } : {}) },
  };
}

/** Null when `value` can be a secret string, else what is wrong. */
export function valueProblem(value: string, maxBytes: number): string | null {
  if (value === '') return 'Type the secret value.';
  const n = utf8(value).length;
  return n > maxBytes ? `A secret value is at most ${maxBytes.toLocaleString('en-US')} bytes (this one has ${n.toLocaleString('en-US')}).` : null;
}
