import { Controller } from '@nestjs/common';
import { peopleRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { PeopleService } from './people.service.js';

@Controller()
export class PeopleHandler {
  constructor(private readonly people: PeopleService) {}

  @Rpc(peopleRpc.peopleSearch)
  search(req: RpcPayload<typeof peopleRpc.peopleSearch>, actor: VerifiedActor) {
    return this.people.search(actor.memberId, req.filter, req.page);
  }

  @Rpc(peopleRpc.personGet)
  get(req: RpcPayload<typeof peopleRpc.personGet>, actor: VerifiedActor) {
    return this.people.person(actor.memberId, req.memberId);
  }
}
