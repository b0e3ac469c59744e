// See https://svelte.dev/docs/kit/types#app.d.ts
import type { ErrorCode } from '@agora/proto';

declare global {
  namespace App {
    /**
     * What a failed load hands the error page: `code` is the API's error code, which the page
     * says in the reader's language (`message` is the server's own text, for developers).
     */
    interface Error {
      message: string;
      code?: ErrorCode | 'NETWORK';
    }
  }
}

export {};
