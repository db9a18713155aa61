/**
 * Test helpers: reads every lesson folder under lessons/ (Node fs; the engine itself is pure) and
 * a sandbox factory over the in-memory repository with a fixed clock.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createKmsService } from '../../../src/kms';
import { createSeededRandom, webCryptoBackend } from '../../../src/kms/crypto';
import { createMemoryRepository } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import { loadLesson, type Lesson, type SandboxFactory } from '../../../src/lessons';

export const LESSONS_ROOT = join(__dirname, '../../../lessons');
const FILES = ['index.md', 'start.json', 'goal.json', 'solution.json'];

/** Lesson folders (`<part>/<lesson>`), in order. */
export function lessonPaths(): string[] {
  const out: string[] = [];
  for (const part of readdirSync(LESSONS_ROOT).sort()) {
    const pdir = join(LESSONS_ROOT, part);
    if (!/^\d\d-/.test(part) || !statSync(pdir).isDirectory()) continue;
    for (const l of readdirSync(pdir).sort()) if (/^\d\d-/.test(l)) out.push(`${part}/${l}`);
  }
  return out;
}

/** The files of one lesson folder. */
export function lessonFiles(path: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of FILES) {
    const p = join(LESSONS_ROOT, path, f);
    if (existsSync(p)) files[f] = readFileSync(p, 'utf8');
  }
  return files;
}

/** Loads a lesson or throws with every loader error. */
export function mustLoad(path: string): Lesson {
  const r = loadLesson(lessonFiles(path), path);
  if (!r.ok) throw new Error(`${path}: ${r.errors.join('\n')}`);
  return r.lesson;
}

/** In-memory sandboxes with a fixed clock (time moves only through advanceClock). */
export const memoryFactory: SandboxFactory = async ({ seed, now, records }) => {
  const repository = createMemoryRepository(records ?? []);
  const service = await createKmsService({
    repository,
    clock: { now: () => now },
    random: createSeededRandom(seed),
    crypto: webCryptoBackend,
    recordTrail: toTrailRecord,
  });
  return { service, repository };
};
