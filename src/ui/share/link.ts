/**
 * The Share dialog's link (issue 6): the envelope encoded into a link on the page's address, or
 * why there is none (above 8,000 characters the link is refused and a file export offered).
 */
import type { LogEntry } from '../../kms';
import { encodeShare, SHARE_LIMITS, shareLink, type DecodeOptions, type ShareEnvelope } from '../../share';

export type LinkState =
  | { readonly kind: 'ok'; readonly link: string; readonly length: number }
  | { readonly kind: 'too-long'; readonly length: number; readonly message: string }
  | { readonly kind: 'error'; readonly reason: string; readonly message: string };

/** The link of `envelope` on the page at `href` (its own fragment replaced). Never throws. */
export async function makeLink(envelope: ShareEnvelope<LogEntry>, href: string, opts?: DecodeOptions): Promise<LinkState> {
  try {
    const r = await encodeShare(envelope, opts);
    if (r.ok) {
      const link = shareLink(href, r.fragment);
      return { kind: 'ok', link, length: link.length };
    }
    if (r.reason === 'too-long') {
      const limit = opts?.limits?.maxLinkLength ?? SHARE_LIMITS.maxLinkLength;
      const length = r.length ?? r.fragment?.length ?? 0;
      return {
        kind: 'too-long',
        length,
        message: `No link: this sandbox would need ${length.toLocaleString('en-US')} characters, more than the ${limit.toLocaleString('en-US')} a share link may have (longer links break in chat apps and browsers). Export it as a file instead; the recipient imports it with "Import sandbox file".`,
      };
    }
    return { kind: 'error', reason: r.reason, message: r.message };
  } catch (e) {
    return { kind: 'error', reason: 'internal-error', message: e instanceof Error ? e.name : 'The link could not be made.' };
  }
}
