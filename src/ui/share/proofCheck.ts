/**
 * The recipient's side of a proof link in the page (issue 6): finds the lesson by the link's id in
 * the lesson catalog, and checks the proof with the lesson UI's sandbox factory. Loaded lazily
 * (only when a proof link is opened), like the lesson files.
 */
import type { LogEntry } from '../../kms';
import type { ShareEnvelope } from '../../share';
import { loadCatalog, loadLessonFolder } from '../lessons/catalog';
import { lessonFactory } from '../lessons/sandbox';
import { verifyProof, type ProofCheck } from './proof';

/** Checks a proof link's envelope. Never throws. */
export async function checkProofLink(envelope: ShareEnvelope<LogEntry>): Promise<ProofCheck & { readonly title?: string }> {
  try {
    const id = envelope.lesson?.id;
    const { entries } = await loadCatalog();
    const entry = entries.find((e) => e.id === id);
    if (!entry) return { verified: false, reason: 'This app has no lesson with the id the link names.' };
    const loaded = await loadLessonFolder(entry.path);
    if (!loaded.ok) return { verified: false, reason: 'The lesson could not be loaded.' };
    const result = await verifyProof(envelope, loaded.lesson, lessonFactory().factory);
    return { ...result, title: entry.title };
  } catch (e) {
    return { verified: false, reason: `The proof could not be checked (${e instanceof Error ? e.name : 'error'}).` };
  }
}
