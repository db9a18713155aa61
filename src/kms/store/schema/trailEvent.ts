/**
 * `trailEvent` records (model.ts TrailEventRecord): validator and the `kms.trailEvent` migration
 * sequence (STYLE §5, §7, §12). The embedded CloudTrail record is checked field by field against
 * model.ts CloudTrailRecord and kms-semantics.md §10: the constant fields (`eventSource`,
 * `managementEvent`, `eventCategory`), the enums, the formats, and that every free-form part
 * (userIdentity, requestParameters, …) is JSON-safe. What a given eventName should log is the
 * trail layer's business, not a storage invariant.
 *
 * History:
 * - version 0: the record as first released.
 * - version 1 (`AddAuthorizationTrace`, issue 3): optional `authorization`, the JSON trace of the
 *   authorization decision kept for the "why" panel. Records written before had no trace, and
 *   absence stays valid, so `up` leaves them as they are: the version marks the shape change so
 *   older code refuses newer trails (`version-too-new`) instead of tripping on the unknown field.
 */
import type { TrailEventRecord } from '../../model';
import { arrayOf, bool, int, jsonObject, literal, nullable, object, oneOf, recordValidator, str } from './check';
import { accountIdFormat, regionFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.trailEvent` (append-only). */
export const trailEventVersions = { AddAuthorizationTrace: 1 } as const;

/** Migration ids of `kms.trailEvent`, by version name. */
export const trailEventMigrationIds = createMigrationIds('kms.trailEvent', trailEventVersions);

/** The `kms.trailEvent` migration sequence. */
export const trailEventMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.trailEvent',
  scope: 'record',
  recordType: 'trailEvent',
  firstVersion: 0,
  migrations: [
    {
      id: trailEventMigrationIds.AddAuthorizationTrace,
      // The field is optional: a record without it is already of version 1.
      up: () => undefined,
    },
  ],
});

/** CloudTrail eventID: a random UUID (§10); either case is accepted. */
const EVENT_ID = str({ re: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, what: 'a UUID' });

/** ISO-8601 UTC; CloudTrail uses second precision (§10), milliseconds are tolerated. */
const EVENT_TIME = str({ re: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, what: 'an ISO-8601 UTC time' });

/** The CloudTrail record shape (model.ts CloudTrailRecord): no field beyond the model's. */
const CLOUDTRAIL_RECORD = object({
  required: {
    eventVersion: str({ re: /^\d+\.\d+$/, what: 'a version such as 1.11' }),
    userIdentity: jsonObject,
    eventTime: EVENT_TIME,
    eventSource: literal('kms.amazonaws.com'),
    eventName: str({ min: 1, max: 128 }),
    awsRegion: regionFormat,
    sourceIPAddress: str(),
    userAgent: str(),
    requestParameters: nullable(jsonObject),
    responseElements: nullable(jsonObject),
    requestID: str({ min: 1 }),
    eventID: EVENT_ID,
    readOnly: bool,
    eventType: oneOf(['AwsApiCall', 'AwsServiceEvent']),
    managementEvent: literal(true),
    recipientAccountId: accountIdFormat,
    eventCategory: literal('Management'),
  },
  optional: {
    additionalEventData: jsonObject,
    errorCode: str({ min: 1 }),
    errorMessage: str(),
    resources: arrayOf(object({ required: { accountId: accountIdFormat, type: literal('AWS::KMS::Key'), ARN: str({ min: 1 }) } })),
    serviceEventDetails: jsonObject,
    tlsDetails: jsonObject,
  },
});

/** Validates a `trailEvent` record of the current version. */
export const validateTrailEventRecord = recordValidator<TrailEventRecord>(
  'trailEvent',
  {
    required: {
      typeName: literal('trailEvent'),
      id: EVENT_ID,
      seq: int(0),
      record: CLOUDTRAIL_RECORD,
    },
    optional: {
      authorization: jsonObject,
    },
  },
  (r) => (r.id === r.record.eventID ? null : 'trailEvent.id: expected the record eventID'),
);
