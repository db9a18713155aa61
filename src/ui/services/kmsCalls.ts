/**
 * What a simulated service's request made KMS do (issue 8), as the Services tab lists it: each KMS
 * call S3, EBS or Secrets Manager made (`kmsCalls` of its answer), its outcome, and the CloudTrail
 * record it wrote (found by `requestID`), so the learner can select that record in the trail.
 */
import type { TrailEventRecord } from '../../kms';

/** A KMS call as a simulated service reports it. */
export interface KmsCallLike {
  readonly operation: string;
  readonly requestId?: string;
  readonly error?: { readonly name: string; readonly message: string };
}

/** One row of the list. */
export interface KmsCallRow {
  readonly operation: string;
  /** `OK`, or the KMS error name (`AccessDeniedException`). */
  readonly outcome: string;
  readonly failed: boolean;
  /** The trail record's eventID, or null when none was found (a call refused before KMS logged it). */
  readonly eventId: string | null;
}

/** How far back from the newest trail record to look (a request makes a handful of calls). */
const LOOK_BACK = 500;

/** The rows of `calls`, each linked to its trail record by request id (newest records searched first). */
export function kmsCallRows(calls: readonly KmsCallLike[], trail: readonly TrailEventRecord[]): KmsCallRow[] {
  const wanted = new Set(calls.flatMap((c) => (c.requestId ? [c.requestId] : [])));
  const byRequest = new Map<string, string>();
  for (let i = trail.length - 1; i >= 0 && i >= trail.length - LOOK_BACK && byRequest.size < wanted.size; i--) {
    const t = trail[i]!;
    if (wanted.has(t.record.requestID)) byRequest.set(t.record.requestID, t.id);
  }
  return calls.map((c) => ({
    operation: c.operation,
    outcome: c.error ? c.error.name : 'OK',
    failed: c.error !== undefined,
    eventId: (c.requestId && byRequest.get(c.requestId)) || null,
  }));
}

/** "2 KMS calls: GenerateDataKey, Decrypt" / "No KMS call". */
export function kmsCallSummary(calls: readonly KmsCallLike[]): string {
  if (calls.length === 0) return 'No KMS call';
  return `${calls.length} KMS ${calls.length === 1 ? 'call' : 'calls'}: ${calls.map((c) => c.operation).join(', ')}`;
}
