import { Controller, Inject, Req, Res } from '@nestjs/common';
import { RpcCallError, RpcClient } from '@agora/platform';
import {
  attachmentRoutes,
  attachmentRpc,
  type AttachmentView,
  type ForumImageView,
} from '@agora/proto';
import type { Request, Response } from 'express';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';
import { etagMatches } from '../media/media.controller.js';
import { UploadRepository } from '../uploads/upload.repository.js';

const r = attachmentRoutes;

/**
 * An attachment never runs as a page of this origin: no sniffing, a CSP that allows nothing and
 * sandboxes it (no script, no form, no same-origin), and a PDF always downloads.
 */
const ATTACHMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
/** Private and re-checked on every use: membership may end, the message may be deleted. */
const REVALIDATE = 'private, no-cache';
/** A forum image's URL is its content hash: it never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** `Content-Disposition` with an ASCII fallback name and the exact one in UTF-8 (RFC 6266). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Chat attachments: chat checks membership and content; the gateway moves the bytes. */
@Controller()
export class AttachmentsController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(UploadRepository) private readonly uploads: UploadRepository,
  ) {}

  @ApiRoute(r.attachmentUpload)
  async upload(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.attachmentUpload>,
    @Req() req: Request,
  ): Promise<AttachmentView> {
    const declaredType = (req.get('content-type') ?? 'application/octet-stream').slice(0, 200);
    const uploadId = await this.uploads.put(input.body, declaredType);
    try {
      return await this.rpc.call(
        attachmentRpc.attachmentUpload,
        { channelId: input.params.id, uploadId, name: input.query.name, declaredType },
        { actorToken: me.token, timeoutMs: 30_000 }, // decoding and re-encoding a large image
      );
    } catch (err) {
      // chat removes the upload itself once it read it; a call that never reached it leaves it here
      if (!(err instanceof RpcCallError))
        await this.uploads.remove(uploadId).catch(() => undefined);
      throw err;
    }
  }

  @ApiRoute(r.forumImageUpload)
  async forumImageUpload(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.forumImageUpload>,
    @Req() req: Request,
  ): Promise<ForumImageView> {
    const declaredType = (req.get('content-type') ?? 'application/octet-stream').slice(0, 200);
    const uploadId = await this.uploads.put(input.body, declaredType);
    try {
      return await this.rpc.call(
        attachmentRpc.forumImageUpload,
        { uploadId, name: input.query.name, declaredType },
        { actorToken: me.token, timeoutMs: 30_000 },
      );
    } catch (err) {
      if (!(err instanceof RpcCallError))
        await this.uploads.remove(uploadId).catch(() => undefined);
      throw err;
    }
  }

  /** Public by content hash, as identity's media: an `<img>` in a post fetches it without a token. */
  @ApiRoute(r.forumImageGet)
  async forumImageGet(
    @Input() input: RouteInput<typeof r.forumImageGet>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { hash } = input.params;
    const etag = `"${hash}"`;
    if (etagMatches(req.get('if-none-match'), etag)) {
      res.status(304).setHeader('ETag', etag).setHeader('Cache-Control', IMMUTABLE).end();
      return;
    }
    const first = await this.rpc.call(attachmentRpc.forumImageChunk, { hash, index: 0 });
    res.status(200).type(first.contentType);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', ATTACHMENT_CSP);
    res.setHeader('Content-Length', String(first.bytes));
    res.write(Buffer.from(first.base64, 'base64'));
    try {
      for (let index = 1; index < first.chunks; index += 1) {
        const { base64 } = await this.rpc.call(attachmentRpc.forumImageChunk, { hash, index });
        if (!res.write(Buffer.from(base64, 'base64')))
          await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    } catch {
      res.destroy();
    }
  }

  @ApiRoute(r.attachmentGet)
  async get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.attachmentGet>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const attachmentId = input.params.id;
    const opened = await this.rpc.call(
      attachmentRpc.attachmentOpen,
      { attachmentId },
      { actorToken: me.token },
    );
    const { attachment } = opened;
    const etag = `"${opened.etag}"`;
    res.setHeader('Cache-Control', REVALIDATE);
    res.setHeader('ETag', etag);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', ATTACHMENT_CSP);
    if (etagMatches(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    // The first chunk before any header goes out: a refusal still answers in the error shape.
    const first = await this.chunk(me, attachmentId, 0);
    const pdf = attachment.contentType === 'application/pdf';
    res.status(200).type(attachment.contentType);
    res.setHeader('Content-Length', String(attachment.bytes));
    res.setHeader(
      'Content-Disposition',
      contentDisposition(pdf ? 'attachment' : 'inline', attachment.name),
    );
    res.write(first);
    try {
      for (let index = 1; index < opened.chunks; index += 1) {
        const chunk = await this.chunk(me, attachmentId, index);
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    } catch {
      // headers are gone: all that is left is to cut the response short
      res.destroy();
    }
  }

  private async chunk(me: Principal, attachmentId: string, index: number): Promise<Buffer> {
    const { base64 } = await this.rpc.call(
      attachmentRpc.attachmentChunk,
      { attachmentId, index },
      { actorToken: me.token },
    );
    return Buffer.from(base64, 'base64');
  }
}
