import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { notificationRpc, type RpcPayload } from '@agora/proto';
import { NotificationService } from './notification.service.js';

/** The member's notification RPCs: the member is always the verified actor. */
@Controller()
export class NotificationHandler {
  constructor(private readonly notifications: NotificationService) {}

  @Rpc(notificationRpc.list)
  list(req: RpcPayload<typeof notificationRpc.list>, actor: VerifiedActor) {
    return this.notifications.list(actor.memberId, req);
  }

  @Rpc(notificationRpc.markRead)
  read(req: RpcPayload<typeof notificationRpc.markRead>, actor: VerifiedActor) {
    return this.notifications.markRead(actor.memberId, req);
  }

  @Rpc(notificationRpc.preferencesGet)
  preferences(_req: RpcPayload<typeof notificationRpc.preferencesGet>, actor: VerifiedActor) {
    return this.notifications.getPreferences(actor.memberId);
  }

  @Rpc(notificationRpc.preferencesSet)
  setPreferences(req: RpcPayload<typeof notificationRpc.preferencesSet>, actor: VerifiedActor) {
    return this.notifications.setPreferences(actor.memberId, req);
  }
}
