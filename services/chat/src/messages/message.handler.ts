import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { chatRpc, type RpcPayload } from '@agora/proto';
import { MessageService } from './message.service.js';

@Controller()
export class MessageHandler {
  constructor(private readonly messages: MessageService) {}

  @Rpc(chatRpc.messageSend)
  send(req: RpcPayload<typeof chatRpc.messageSend>, actor: VerifiedActor) {
    return this.messages.send(actor, req);
  }

  @Rpc(chatRpc.messageList)
  list(req: RpcPayload<typeof chatRpc.messageList>, actor: VerifiedActor) {
    return this.messages.list(actor, req);
  }

  @Rpc(chatRpc.messageSearch)
  search(req: RpcPayload<typeof chatRpc.messageSearch>, actor: VerifiedActor) {
    return this.messages.search(actor, req);
  }

  @Rpc(chatRpc.messageEdit)
  edit(req: RpcPayload<typeof chatRpc.messageEdit>, actor: VerifiedActor) {
    return this.messages.edit(actor, req);
  }

  @Rpc(chatRpc.messageDelete)
  delete(req: RpcPayload<typeof chatRpc.messageDelete>, actor: VerifiedActor) {
    return this.messages.delete(actor, req);
  }

  @Rpc(chatRpc.reactionSet)
  react(req: RpcPayload<typeof chatRpc.reactionSet>, actor: VerifiedActor) {
    return this.messages.react(actor, req);
  }

  @Rpc(chatRpc.messageReport)
  report(req: RpcPayload<typeof chatRpc.messageReport>, actor: VerifiedActor) {
    return this.messages.report(actor, req);
  }

  @Rpc(chatRpc.messageHide)
  hide(req: RpcPayload<typeof chatRpc.messageHide>, actor: VerifiedActor) {
    return this.messages.hide(actor, req);
  }
}
