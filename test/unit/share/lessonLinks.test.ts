/**
 * The share link of each lesson's solved sandbox (issue 6: "the closing note gives the link length of
 * each lesson's solved sandbox"): the reference solution's sandbox, as a proof link (typed plaintexts
 * left out), must fit a share link (≤ 8,000 characters), decode, and verify by replay. The lengths are
 * printed for the note (`npx vitest run test/unit/share/lessonLinks.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { webCryptoBackend, type LogEntry } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { runSolution } from '../../../src/lessons';
import { decodeShare, encodeShare, SHARE_LIMITS } from '../../../src/share';
import { toTrailRecord } from '../../../src/trail';
import { proofEnvelope } from '../../../src/ui/share/proof';
import { lessonPaths, memoryFactory, mustLoad } from '../lessons/lessonFiles';

describe('the share link of every solved lesson', () => {
  it('fits a link, decodes and replays to the same trail', async () => {
    const lengths: string[] = [];
    for (const path of lessonPaths()) {
      const lesson = mustLoad(path);
      const { session } = await runSolution(lesson, { seed: 3, factory: memoryFactory });
      const envelope = proofEnvelope(session, lesson.text.id);
      const enc = await encodeShare(envelope);
      if (!enc.ok) throw new Error(`${path}: ${enc.message}`);
      const link = `https://example.test/#sandbox=${enc.fragment}`;
      expect(link.length, path).toBeLessThanOrEqual(SHARE_LIMITS.maxLinkLength);
      lengths.push(`${lesson.text.id}: ${link.length} characters (${envelope.log.length} log entries)`);
      const back = await decodeShare(enc.fragment);
      expect(back.ok, path).toBe(true);
      if (!back.ok) continue;
      const replayed = await replayLog(back.envelope.log as LogEntry[], { seed: back.envelope.seed, startTime: back.envelope.start, crypto: webCryptoBackend, recordTrail: toTrailRecord });
      expect(replayed.ok, path).toBe(true);
      if (replayed.ok) expect(replayed.repository.list('trailEvent').map((t) => t.record), path).toEqual(session.repository.list('trailEvent').map((t) => t.record));
    }
    console.info(`Share link of each solved lesson (proof link, inputs left out):\n  ${lengths.join('\n  ')}`);
  });
});
