import { Controller, Inject, Req, Res } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { identityRoutes, identityRpc } from '@agora/proto';
import type { Request, Response } from 'express';
import { ApiRoute } from '../http/api-route.decorator.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = identityRoutes;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** True when If-None-Match names this ETag (or `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** Stored images: ids are content hashes, so a response never changes and caches forever. */
@Controller()
export class MediaController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.media)
  async get(
    @Input() input: RouteInput<typeof r.media>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const etag = `"${input.params.id}"`;
    // Same id, same bytes: a client holding it needs no second look at the store.
    if (etagMatches(req.get('if-none-match'), etag)) {
      res.status(304).setHeader('ETag', etag).setHeader('Cache-Control', IMMUTABLE).end();
      return;
    }
    const media = await this.rpc.call(identityRpc.mediaGet, { mediaId: input.params.id });
    const bytes = Buffer.from(media.base64, 'base64');
    // Errors above must not be cached: the cache headers go on the success only.
    res.status(200).type(media.contentType);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('Content-Length', String(bytes.length));
    res.end(bytes);
  }
}
