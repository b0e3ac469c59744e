import { Inject, Injectable } from '@nestjs/common';
import { RpcCallError, RpcClient, RpcFailure } from '@agora/platform';
import { collabRpc, type DocOutline, type DocVersion } from '@agora/proto';

/** Collab over NATS: the proposal document's skeleton, its current outline, frozen versions. */
@Injectable()
export class CollabRepository {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  /** Idempotent on collab's side: a doc that was ever seeded or edited is left as it is. */
  async seed(docName: string, sections: { key: string; heading: string }[]): Promise<boolean> {
    return (await this.call(() => this.rpc.call(collabRpc.seed, { docName, sections }))).seeded;
  }

  outline(docName: string): Promise<DocOutline> {
    return this.call(() => this.rpc.call(collabRpc.outline, { docName }, { timeoutMs: 10_000 }));
  }

  freeze(docName: string, name: string, savedBy: string): Promise<DocVersion> {
    return this.call(() =>
      this.rpc.call(
        collabRpc.versionFreeze,
        { docName, name, reason: 'submitted', savedBy },
        { timeoutMs: 10_000 },
      ),
    );
  }

  /** Collab's refusal or absence reaches the member as what it is (not as an internal error). */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof RpcCallError) {
        const code = err.body.code === 'UNAVAILABLE' ? 'UNAVAILABLE' : 'INTERNAL';
        throw new RpcFailure(code, `the document service: ${err.body.message}`);
      }
      throw err;
    }
  }
}
