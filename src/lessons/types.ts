/**
 * Lesson format (issue 6, STYLE §14): the TypeScript shape of the JSON files of
 * `lessons/<NN-part>/<NN-lesson>/` after loading. Lessons are data, never code: every step is an
 * AWS-shaped call, a clock advance, an IAM world edit or an edit of the learner's "bucket" (the
 * application storage the learner keeps ciphertexts in). Goals and probes are a CLOSED vocabulary
 * of declarative matchers (`Matcher`), id-agnostic: keys are matched by alias, tag or description.
 *
 * Placeholders inside any string of start.json, solution.json and goal.json:
 *   "$name"               the whole string is replaced by parameter `name`
 *   "...${name}..."       parameter `name` interpolated into a longer string
 *   "$ref:<stepId>.A.B"   a field of an earlier step's response (solution and setup only)
 * Byte values (JSON has no blobs): {"$utf8": "text"}, {"$zeros": 1048576}.
 * JSON text (policy documents are strings in AWS requests): {"$json": { "Version": ... }}.
 * Principals: "root", "user/alice", "role/AppRole" (learner account 111122223333) or a full ARN.
 */

/** A JSON value as stored in lesson files (before placeholders are resolved). */
export type JsonLike = string | number | boolean | null | JsonLike[] | { [k: string]: JsonLike };

/** Frontmatter + prose of index.md. */
export interface LessonText {
  /** Stable slug, e.g. `envelope-encryption`. */
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Number of KMS calls a good solution needs (stars: within par). */
  readonly par: number;
  /** Optional UI focus (panel name). */
  readonly focus?: string;
  /** The Markdown body (without frontmatter). */
  readonly body: string;
  /** The text of the `## In real AWS` section (required). */
  readonly inRealAws: string;
}

/** A randomized lesson parameter (start.json `params`). */
export interface ParamSpec {
  /** Candidate values; one is drawn per attempt from the seeded generator. */
  readonly oneOf: readonly string[];
  /** Parameters whose values this one must differ from (declared earlier). */
  readonly distinctFrom?: readonly string[];
}

/** Matches one key, never by id. Every given field must hold. */
export interface KeyMatcher {
  /** `alias/...`: the key the alias targets (an alias of the key's own Region). */
  readonly alias?: string;
  readonly tag?: { readonly key: string; readonly value: string };
  /** Exact description. */
  readonly description?: string;
  /** The key's Region (`eu-west-1`); absent: any Region. */
  readonly region?: string;
  /** KeySpec, e.g. `ECC_NIST_P256`. */
  readonly keySpec?: string;
  /** KeyUsage, e.g. `SIGN_VERIFY`. */
  readonly keyUsage?: string;
  /** true: a multi-Region key (primary or replica); false: a single-Region key. */
  readonly multiRegion?: boolean;
  /** `PRIMARY` or `REPLICA` (implies a multi-Region key). */
  readonly multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
}

/**
 * One step of setup, solution or anti-solution. Exactly one of call / advanceDays / advanceSeconds /
 * world / store / envelope / digest / verifyOffline.
 */
export type Step =
  | CallStep
  | { readonly id?: string; readonly advanceDays: number }
  | { readonly id?: string; readonly advanceSeconds: number }
  | WorldStep
  /** Puts a value in the bucket; the step's response is `{ Value }` (for `$ref:<id>.Value`). */
  | { readonly id?: string; readonly store: string; readonly value: JsonLike }
  | EnvelopeStep
  | DigestStep
  | VerifyOfflineStep
  | ServiceStep
  | WorkloadStep
  | LoadStep;

export interface CallStep {
  /** Name for `$ref:<id>.…` in later steps. */
  readonly id?: string;
  /** AWS operation name (`Encrypt`, `PutKeyPolicy`, ...). */
  readonly call: string;
  /** Principal; default `root` of the learner account. */
  readonly as?: string;
  /** The Region of the KMS endpoint called (the caller's Region); default `us-east-1`. */
  readonly region?: string;
  /** Request in AWS shape (placeholders allowed). */
  readonly request: { readonly [k: string]: JsonLike };
  /** The call must fail with this AWS error (the lesson shows the failure on purpose). */
  readonly expectError?: string;
  /** Answer to a prediction that fires before this call (headless replays). */
  readonly predict?: string;
  /** Saves a response field in the bucket: object name → response path (`CiphertextBlob`). */
  readonly save?: { readonly [name: string]: string };
}

export type WorldStep =
  | { readonly id?: string; readonly world: 'createPrincipal'; readonly kind: 'user' | 'role'; readonly name: string; readonly account?: string }
  | { readonly id?: string; readonly world: 'putIdentityPolicy'; readonly principal: string; readonly policyName: string; readonly document: JsonLike };

/**
 * Envelope encryption done "locally" (in the learner's application, not in KMS): AES-256-GCM of
 * `plaintext` under the data key `dataKey`; the bucket object keeps the ciphertext and
 * `encryptedKey`, never the data key.
 */
export interface EnvelopeStep {
  readonly id?: string;
  readonly envelope: {
    readonly store: string;
    readonly dataKey: JsonLike;
    readonly encryptedKey: JsonLike;
    readonly plaintext: JsonLike;
    readonly encryptionContext?: { readonly [k: string]: JsonLike };
  };
}

/**
 * A hash computed locally (the application's code, no KMS call): the step's response is
 * `{ Digest }` (bytes), e.g. to Sign with `MessageType: DIGEST`; `store` also puts it in the bucket.
 */
export interface DigestStep {
  readonly id?: string;
  readonly digest: { readonly sha256: JsonLike; readonly store?: string };
}

/**
 * A signature verified locally with a public key (GetPublicKey's DER SubjectPublicKeyInfo), the
 * way an application verifies offline: real crypto, no KMS call, no trail record. Exactly one of
 * `message` (RAW: hashed here with the algorithm's hash) or `digest` (DIGEST). The response is
 * `{ SignatureValid, KeySpec }`; `store` puts the verification in the bucket (kind `verification`).
 * An invalid signature is a result (SignatureValid false), not a step failure.
 */
export interface VerifyOfflineStep {
  readonly id?: string;
  readonly verifyOffline: {
    readonly publicKey: JsonLike;
    readonly message?: JsonLike;
    readonly digest?: JsonLike;
    readonly signature: JsonLike;
    /** A SigningAlgorithm, e.g. `ECDSA_SHA_256`. */
    readonly algorithm: string;
    readonly store?: string;
  };
}

/** The simulated AWS services a lesson step can call (issue 8, src/services). */
export type ServiceStepKind = 's3' | 'secretsManager';

/**
 * A call to a simulated AWS service (src/services), which calls KMS for the caller through the
 * service (`kms:ViaService`, invokedBy in the trail). Exactly one of `s3` / `secretsManager`
 * names the operation; `request` is in that service's own shape (PascalCase members, bytes as
 * `{"$utf8": …}`). The service's KMS calls go through the session (they count towards par).
 */
export interface ServiceStep {
  readonly id?: string;
  readonly s3?: string;
  readonly secretsManager?: string;
  readonly as?: string;
  /** The Region of the service endpoint (and of the KMS calls it makes); default us-east-1. */
  readonly region?: string;
  readonly request: { readonly [k: string]: JsonLike };
  /** The call must fail with this service error name (`AccessDenied`, `KMS.DisabledException`, …). */
  readonly expectError?: string;
}

/**
 * Background traffic (src/services/workloads.ts `startWorkload`): `ratePerSecond` requests per
 * second for `seconds` sandbox seconds from now, by `as` in `region`, from the app or through S3
 * to `bucket` (then Bucket Keys cut its KMS rate). `{ "workload": { "stop": "<label>" } }` stops
 * every running workload with that label.
 */
export interface WorkloadStep {
  readonly id?: string;
  readonly workload:
    | {
        readonly label: string;
        readonly ratePerSecond: number;
        readonly seconds: number;
        readonly source?: 'app' | 's3';
        readonly bucket?: string;
        readonly operation?: 'GenerateDataKey' | 'Decrypt' | 'Encrypt';
        readonly as?: string;
        readonly region?: string;
      }
    | { readonly stop: string };
}

/**
 * A recorded load-generator run (src/services/loadGenerator.ts `runLoad(kms, spec, { record: true })`)
 * on a copy of the sandbox: LoadSpec fields, with `key` (alias or key id) instead of `keyId` and
 * `as` / `region` instead of `caller`; `caching` in the caching CMM's limits (`maxAgeMs`, …) or null.
 */
export interface LoadStep {
  readonly id?: string;
  readonly load: {
    readonly ratePerSecond: number;
    readonly seconds: number;
    readonly source?: 'app' | 's3';
    readonly operation?: 'GenerateDataKey' | 'Decrypt' | 'Encrypt';
    readonly key: string;
    readonly as?: string;
    readonly region?: string;
    readonly bucket?: string;
    readonly bucketKeyEnabled?: boolean;
    readonly caching?: { readonly [k: string]: JsonLike } | null;
    readonly messageBytes?: number;
    readonly maxAttempts?: number;
  };
}

/** A principal's request as a policy probe: evaluated by the real service on a copy. */
export interface PolicyQuestion {
  readonly key: KeyMatcher;
  readonly principal: string;
  /** `kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey`, `kms:DescribeKey`, `kms:PutKeyPolicy`, ... */
  readonly action: string;
  readonly encryptionContext?: { readonly [k: string]: string };
  /** Only keys in this Region (same as `key.region`); the probe calls the key's own Region. */
  readonly region?: string;
  /**
   * Ask after new grants have propagated (the copy's clock moves one minute first). Without it
   * the answer is the service's answer now: a grant younger than 30 s is not in effect yet.
   */
  readonly settled?: boolean;
  /**
   * The probe call is made by the service for the principal (`viaService:
   * <via>.<region>.amazonaws.com`, as S3, Secrets Manager and EBS do): `kms:ViaService` is set.
   */
  readonly via?: 's3' | 'secretsmanager' | 'ec2';
}

/** The closed goal vocabulary. Exactly one member per matcher object. */
export type Matcher =
  | { readonly keyExists: KeyMatcher }
  | { readonly keyState: { readonly key: KeyMatcher; readonly state: string } }
  | { readonly rotation: { readonly key: KeyMatcher; readonly enabled: boolean; readonly periodInDays?: number } }
  | { readonly aliasTargets: { readonly alias: string; readonly key: KeyMatcher } }
  | {
      readonly grantExists: {
        readonly key: KeyMatcher;
        readonly grantee: string;
        readonly operations?: readonly string[];
        readonly encryptionContextSubset?: { readonly [k: string]: string };
        readonly encryptionContextEquals?: { readonly [k: string]: string };
      };
    }
  | { readonly policyAllows: PolicyQuestion }
  | { readonly policyDenies: PolicyQuestion }
  | {
      readonly trailHas: {
        readonly eventName: string;
        /** An error name; `null` = the call succeeded; absent = either. */
        readonly errorCode?: string | null;
        readonly principal?: string;
        /** The request's encryption context has this key. */
        readonly encryptionContextKey?: string;
        /** The request's encryption context has every one of these pairs. */
        readonly encryptionContext?: { readonly [k: string]: string };
        /** Only records written after the lesson started (default true). */
        readonly afterStart?: boolean;
        /** Only records whose eventTime is at most this many sandbox days after the lesson started. */
        readonly withinDays?: number;
        /** The record's awsRegion (the Region of the endpoint called). */
        readonly region?: string;
        /** A subset of the record's requestParameters (camelCase, as logged), matched deeply, e.g. `{ "messageType": "DIGEST" }`. */
        readonly request?: { readonly [k: string]: JsonLike };
      };
    }
  | {
      readonly storedDecrypts: {
        readonly object: string;
        readonly as?: string;
        readonly encryptionContext?: { readonly [k: string]: string };
        /** The object must be an envelope (data encrypted locally under a data key). */
        readonly envelope?: boolean;
        /** The Region whose endpoint decrypts (default us-east-1). */
        readonly region?: string;
        /** A Region that is down: on the copy, every key of that Region is gone before Decrypt. */
        readonly outage?: string;
      };
    }
  | {
      /**
       * The bucket object `object` holds a signature (bytes) that verifies, with the public key of
       * a key matching `key`, over the bytes of bucket object `message` (hashed here with the
       * algorithm's hash, whatever the message type of the Sign call was).
       */
      readonly storedSignatureVerifies: {
        readonly object: string;
        readonly message: string;
        readonly key: KeyMatcher;
        readonly algorithm: string;
      };
    }
  | {
      /** The bucket object `object` is an offline verification (verifyOffline) with that result (default valid). */
      readonly offlineVerified: { readonly object: string; readonly valid?: boolean };
    }
  | { readonly bucketHasNoPlaintextKey: true }
  | {
      /**
       * The latest recorded load run (loadGenerator `latestLoadRun`) meets every given bound: its
       * peak KMS requests per second stay below `maxPeakQuotaShare` of the quota, its monthly cost
       * at that rate is at most `maxMonthlyCost` (USD), and it used a data-key cache whose limits
       * are at most the given ones (an absent or unlimited cache fails when `cacheLimits` is given).
       */
      readonly loadRun: {
        /** The run offered at least this many requests (messages, objects) per second… */
        readonly minRatePerSecond?: number;
        /** …for at least this many sandbox seconds. */
        readonly minSeconds?: number;
        /** A deep subset of the recorded LoadSpec, e.g. `{ "operation": "GenerateDataKey", "caller": { "region": "eu-north-1" } }`. */
        readonly spec?: { readonly [k: string]: JsonLike };
        readonly maxPeakQuotaShare?: number;
        readonly maxMonthlyCost?: number;
        readonly cacheLimits?: { readonly maxAgeMsAtMost?: number; readonly maxMessagesAtMost?: number; readonly maxBytesAtMost?: number };
      };
    }
  | { /** The S3 bucket's default encryption has S3 Bucket Keys enabled. */ readonly bucketKeyEnabled: { readonly bucket: string } }
  | {
      /** On a COPY: `as` can PutObject into the bucket (S3 calls KMS for it; a throttled or denied KMS call fails it). */
      readonly s3PutSucceeds: { readonly bucket: string; readonly as: string; readonly region?: string };
    }
  | {
      /**
       * On a COPY: `as` calls `operation` on a key matching `key` directly (request built as for
       * policy probes); met only when the call succeeds (ThrottlingException, AccessDenied… fail it).
       */
      readonly callSucceeds: { readonly operation: string; readonly key: KeyMatcher; readonly as: string; readonly encryptionContext?: { readonly [k: string]: string } };
    }
  | { readonly all: readonly Matcher[] }
  | { readonly not: Matcher };

/** A named goal (checklist item) or hidden probe. */
export interface Goal {
  readonly id: string;
  readonly title: string;
  readonly check: Matcher;
}

/** When a prediction is asked: before the next call of `operation` (while the key is in `keyState`). */
export interface PredictionTrigger {
  readonly operation: string;
  /** Only calls to this Region's endpoint (the caller's Region). */
  readonly region?: string;
  readonly key?: KeyMatcher;
  readonly keyState?: string;
  /** Only calls whose request has every one of these top-level fields. */
  readonly requestHas?: readonly string[];
  /** Only calls whose request has none of these top-level fields (e.g. no EncryptionContext). */
  readonly requestLacks?: readonly string[];
}

export interface PredictionOption {
  readonly id: string;
  readonly label: string;
  /** `Allow` (the call succeeds) or an AWS error name. */
  readonly outcome: string;
  /** Misconception recorded when the learner picks this wrong option. */
  readonly misconception?: string;
}

export interface Prediction {
  readonly id: string;
  readonly question: string;
  readonly before: PredictionTrigger;
  readonly options: readonly PredictionOption[];
  /** Shown after the call, right or wrong. */
  readonly explanation: string;
}

/** A loaded, validated lesson. */
export interface Lesson {
  /** Folder path, e.g. `01-basics/01-envelope-encryption`. */
  readonly path: string;
  readonly text: LessonText;
  readonly params: { readonly [name: string]: ParamSpec };
  readonly setup: readonly Step[];
  readonly goals: readonly Goal[];
  readonly probes: readonly Goal[];
  readonly hints: readonly string[];
  readonly predictions: readonly Prediction[];
  readonly solution: readonly Step[];
  /** Each must fail at least one goal or probe. */
  readonly antiSolutions: readonly { readonly title: string; readonly steps: readonly Step[] }[];
}

/** Result of loading lesson files: closed reasons with readable messages. */
export type LoadResult =
  | { readonly ok: true; readonly lesson: Lesson }
  | { readonly ok: false; readonly reason: 'missing-file' | 'invalid-json' | 'invalid-lesson'; readonly errors: readonly string[] };

/** One line of the goal checklist. */
export interface GoalResult {
  readonly id: string;
  readonly title: string;
  readonly met: boolean;
  /** Why it is met or not, in words. */
  readonly reason: string;
}

/** A wrong prediction, named. */
export interface Misconception {
  readonly predictionId: string;
  readonly name: string;
  readonly predicted: string;
  readonly actual: string;
}

export interface Stars {
  readonly solved: boolean;
  readonly withinPar: boolean;
  /** No hints revealed and every prediction asked was answered right. */
  readonly perfect: boolean;
  /** 0..3 */
  readonly count: number;
}
