/**
 * Reads the frozen sandbox fixtures of test/fixtures (STYLE §7): decoded from JSON as stored
 * (`readFixture`, records still in the shapes of their schema) or migrated to current code
 * (`loadFixture`).
 */
import { readFileSync } from 'node:fs';
import type { AnyRecord } from '../../../../src/kms/model';
import { fromJsonSnapshot, migrateSnapshot, type MigratableSnapshot } from '../../../../src/kms/store/schema/index';

/** The released fixtures, oldest first. Never remove one: each must load forever. */
export const FIXTURES = ['sandbox.v1.json', 'sandbox.v2.json', 'sandbox.v3.json'] as const;

/** The fixture as stored: its schema and its records (bytes decoded, nothing migrated). */
export function readFixture(name: string): MigratableSnapshot {
  const text = readFileSync(new URL(`../../../fixtures/${name}`, import.meta.url), 'utf8');
  const decoded = fromJsonSnapshot(text);
  if (!decoded.ok) throw new Error(`${decoded.reason}: ${decoded.detail}`);
  return decoded.value;
}

/** The fixture migrated to the current schema (throws if it no longer loads). */
export function loadFixture(name: string): AnyRecord[] {
  const migrated = migrateSnapshot(readFixture(name));
  if (!migrated.ok) throw new Error(`${migrated.reason}: ${migrated.detail}`);
  return migrated.value.records;
}
