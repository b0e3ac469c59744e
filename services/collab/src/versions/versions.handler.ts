import { Controller, Inject } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { collabRpc, type DocVersion, type RpcPayload, type RpcResponse } from '@agora/proto';
import { VersionService } from './version.service.js';

const r = collabRpc;

/** Version history over the bus: members' calls from the gateway, freezes from spaces. */
@Controller()
export class VersionsHandler {
  constructor(@Inject(VersionService) private readonly versions: VersionService) {}

  @Rpc(r.versionList)
  async versionList(
    req: RpcPayload<typeof r.versionList>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof r.versionList>> {
    return { items: await this.versions.list(req.docName, actor.memberId) };
  }

  @Rpc(r.versionSave)
  versionSave(req: RpcPayload<typeof r.versionSave>, actor: VerifiedActor): Promise<DocVersion> {
    return this.versions.save(req.docName, req.name, actor.memberId);
  }

  @Rpc(r.versionGet)
  versionGet(
    req: RpcPayload<typeof r.versionGet>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof r.versionGet>> {
    return this.versions.get(req.docName, req.versionId, actor.memberId);
  }

  @Rpc(r.versionDiff)
  versionDiff(
    req: RpcPayload<typeof r.versionDiff>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof r.versionDiff>> {
    return this.versions.diff(req.docName, req.versionId, req.to, actor.memberId);
  }

  @Rpc(r.versionRestore)
  versionRestore(
    req: RpcPayload<typeof r.versionRestore>,
    actor: VerifiedActor,
  ): Promise<DocVersion> {
    return this.versions.restore(req.docName, req.versionId, actor.memberId);
  }

  @Rpc(r.versionFreeze)
  versionFreeze(req: RpcPayload<typeof r.versionFreeze>): Promise<DocVersion> {
    return this.versions.freeze(req.docName, req.name, req.reason, req.savedBy);
  }
}
