import { Controller, Inject, Req, Res } from '@nestjs/common';
import { RpcCallError, RpcClient } from '@agora/platform';
import { identityRoutes, identityRpc, type PrivateMember } from '@agora/proto';
import type { Request, Response } from 'express';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';
import { UploadRepository } from '../uploads/upload.repository.js';

const r = identityRoutes;

/** The signed-in member's own account: every call carries the member's token, never an id from the input. */
@Controller()
export class MeController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(UploadRepository) private readonly uploads: UploadRepository,
  ) {}

  @ApiRoute(r.meGet)
  get(@CurrentPrincipal() me: Principal): Promise<PrivateMember> {
    return this.rpc.call(identityRpc.meGet, {}, { actorToken: me.token });
  }

  @ApiRoute(r.meUpdate)
  update(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.meUpdate>,
  ): Promise<PrivateMember> {
    return this.rpc.call(identityRpc.meUpdate, { patch: input.body }, { actorToken: me.token });
  }

  // Declared before `PUT /me/:kind` would not matter (different methods), but GET /me/export must be
  // matched before any future `GET /me/:x`, so it sits first among the GETs.
  @ApiRoute(r.meExport)
  async export(
    @CurrentPrincipal() me: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const data = await this.rpc.call(
      identityRpc.meExport,
      {},
      { actorToken: me.token, timeoutMs: 15_000 },
    );
    const day = data.exportedAt.slice(0, 10);
    res.setHeader('Content-Disposition', `attachment; filename="agora-my-data-${day}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    return data;
  }

  @ApiRoute(r.meImage)
  async image(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.meImage>,
    @Req() req: Request,
  ): Promise<PrivateMember> {
    const uploadId = await this.uploads.put(
      input.body,
      req.get('content-type') ?? 'application/octet-stream',
    );
    try {
      return await this.rpc.call(
        identityRpc.meImageSet,
        { kind: input.params.kind, uploadId },
        { actorToken: me.token, timeoutMs: 30_000 }, // decoding and resizing up to 5 MiB
      );
    } catch (err) {
      if (err instanceof RpcCallError) await this.uploads.remove(uploadId).catch(() => undefined);
      throw err;
    }
  }

  @ApiRoute(r.meDelete)
  async remove(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.meDelete>,
  ): Promise<void> {
    await this.rpc.call(
      identityRpc.meDelete,
      { password: input.body.password },
      { actorToken: me.token, timeoutMs: 15_000 }, // password check and erasure
    );
  }
}
