/**
 * TagResource, UntagResource, ListResourceTags (§2.2, §3.2): tags on customer managed keys;
 * keys unique per key (re-tagging overwrites), case-sensitive, `aws:` prefix reserved, at most
 * 50 tags per key. Not allowed while the key is pending deletion (matrix footnote 3).
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import type { KeyRecord, TagRecord } from '../model';
import { pageSize, paginate, type OpContext } from '../context';
import { KEY_ID, LIMIT, MARKER, validateRequest } from '../validate';
import { requestTagConditions } from '../authorization';
import { useManagedKey } from './common';

/** Tags per KMS key (AWS resource tagging limit). */
export const MAX_TAGS_PER_KEY = 50;

type Tag = { TagKey: string; TagValue: string };

/** Service-level tag rules on an already model-validated Tags list. */
export function validateTags(tags: unknown): Tag[] {
  const list = (tags ?? []) as Tag[];
  for (const t of list) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) {
      throw kmsError('TagException', `Tag keys beginning with "aws:" are reserved for AWS use: ${t.TagKey}`);
    }
  }
  return list;
}

function tagId(key: KeyRecord, tagKey: string): string {
  return `${key.id}#${tagKey}`;
}

function tagsOf(ctx: OpContext, key: KeyRecord): TagRecord[] {
  return ctx.tx
    .list('tag')
    .filter((t) => t.keyArn === key.id)
    .sort((a, b) => (a.tagKey < b.tagKey ? -1 : a.tagKey > b.tagKey ? 1 : 0));
}

/** Adds or overwrites tags on a key (enforcing the per-key limit). */
export function applyTags(ctx: OpContext, key: KeyRecord, tags: readonly Tag[]): void {
  for (const t of tags) {
    ctx.tx.put({ typeName: 'tag', id: tagId(key, t.TagKey), keyArn: key.id, tagKey: t.TagKey, tagValue: t.TagValue });
  }
  if (tagsOf(ctx, key).length > MAX_TAGS_PER_KEY) {
    throw kmsError('LimitExceededException', `A KMS key can have at most ${MAX_TAGS_PER_KEY} tags.`);
  }
}

export const tagResource: Operation = {
  name: 'TagResource',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, Tags: { type: 'tagList', required: true } });
    const tags = validateTags(req.Tags);
    const key = useManagedKey(ctx, req.KeyId as string, { conditions: requestTagConditions(tags) });
    applyTags(ctx, key, tags);
    return {};
  },
};

export const untagResource: Operation = {
  name: 'UntagResource',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, TagKeys: { type: 'stringList', required: true, itemMin: 1, itemMax: 128 } });
    const tagKeys = req.TagKeys as string[];
    const key = useManagedKey(ctx, req.KeyId as string, { conditions: tagKeys.length > 0 ? { 'aws:tagkeys': tagKeys } : {} });
    for (const k of tagKeys) {
      if (ctx.tx.get('tag', tagId(key, k))) ctx.tx.delete('tag', tagId(key, k));
    }
    return {};
  },
};

export const listResourceTags: Operation = {
  name: 'ListResourceTags',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, Limit: LIMIT, Marker: MARKER });
    const key = useManagedKey(ctx, req.KeyId as string);
    const { page, ...rest } = paginate(tagsOf(ctx, key), (t) => t.tagKey, pageSize(req.Limit, 50, 50), req.Marker as string | undefined);
    return { Tags: page.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })), ...rest };
  },
};
