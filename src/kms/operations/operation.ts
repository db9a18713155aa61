/**
 * The shape of an operation handler (one AWS operation per file, STYLE §3–4): validate, then
 * authorize, then check the key state, then act, then return the AWS-shaped response. Effects go
 * to `ctx.tx`; the service commits them with the trail record.
 */
import type { AwsShape } from '../api';
import type { OpContext } from '../context';

export interface Operation {
  /** AWS operation name. */
  readonly name: string;
  /** CloudTrail `readOnly`: crypto and Describe/Get/List operations. */
  readonly readOnly: boolean;
  handle(ctx: OpContext, request: AwsShape): Promise<AwsShape>;
}
