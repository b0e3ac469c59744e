import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { sessionRpc, type RpcPayload } from '@agora/proto';
import { SessionService } from './session.service.js';

const r = sessionRpc;

@Controller()
export class SessionHandler {
  constructor(private readonly sessions: SessionService) {}

  @Rpc(r.sessionCreate)
  create(req: RpcPayload<typeof r.sessionCreate>, actor: VerifiedActor) {
    return this.sessions.create(actor, req);
  }

  @Rpc(r.sessionGet)
  get(req: RpcPayload<typeof r.sessionGet>, actor: VerifiedActor) {
    return this.sessions.get(actor, req.id);
  }

  @Rpc(r.sessionList)
  list(req: RpcPayload<typeof r.sessionList>, actor: VerifiedActor) {
    return this.sessions.list(actor, req);
  }

  @Rpc(r.sessionUpdate)
  update(req: RpcPayload<typeof r.sessionUpdate>, actor: VerifiedActor) {
    return this.sessions.update(actor, req.id, req.patch);
  }

  @Rpc(r.pitchAdd)
  addPitch(req: RpcPayload<typeof r.pitchAdd>, actor: VerifiedActor) {
    return this.sessions.addPitch(actor, req.id, req.pitch);
  }

  @Rpc(r.sessionJoin)
  join(req: RpcPayload<typeof r.sessionJoin>, actor: VerifiedActor) {
    return this.sessions.join(actor, req.id);
  }

  @Rpc(r.phaseSet)
  setPhase(req: RpcPayload<typeof r.phaseSet>, actor: VerifiedActor) {
    const { id, ...change } = req;
    return this.sessions.setPhase(actor, id, change);
  }

  @Rpc(r.boardSet)
  setBoard(req: RpcPayload<typeof r.boardSet>, actor: VerifiedActor) {
    return this.sessions.setBoard(actor, req.id, req.patch);
  }

  @Rpc(r.summon)
  summon(req: RpcPayload<typeof r.summon>, actor: VerifiedActor) {
    return this.sessions.summon(actor, req.id, req.pitchIndex);
  }
}
