/**
 * Calls KMS in a given Region as the acting principal (issue 7): what the AWS CLI does with
 * `--region`. `SandboxState.call` always uses the acting identity's Region; multi-Region keys,
 * replicas and key stores live in other Regions, so their tabs call through here. Same principal,
 * same account, same access key id: only the Region of the request changes, and the call writes
 * its CloudTrail record in that Region, as in AWS.
 */
import type { AwsShape, CallerContext, KmsService, Region } from '../../../kms';

/** What a Region call needs of the sandbox (SandboxState satisfies it). */
export interface RegionCaller {
  readonly caller: CallerContext;
  readonly service: Pick<KmsService, 'call'>;
}

/** The acting caller moved to `region`. */
export function callerInRegion(caller: CallerContext, region: string): CallerContext {
  return { ...caller, region: region as Region };
}

/** Runs `operation` as the acting principal in `region`; rejects with the KmsError AWS would answer. */
export function callInRegion(sandbox: RegionCaller, region: string, operation: string, request: AwsShape): Promise<AwsShape> {
  return sandbox.service.call(operation, request, callerInRegion(sandbox.caller, region));
}
