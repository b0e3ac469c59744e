import { describe, expect, it } from 'vitest';
import {
  allRoutes,
  chatRoutes,
  identityRoutes,
  notificationRoutes,
  recoveryRoutes,
} from '@agora/proto';
import { ApiError } from '../http/api-error.js';
import { assertMayTakePart, takesPart } from './verified-email.js';

describe('what an unverified member may do when the install requires a verified address', () => {
  it('reads everything and manages the account', () => {
    for (const def of allRoutes.filter((r) => r.method === 'GET'))
      expect(takesPart(def)).toBe(false);
    for (const def of [
      identityRoutes.meUpdate,
      identityRoutes.meDelete,
      identityRoutes.logout,
      recoveryRoutes.myEmailChange,
      recoveryRoutes.myPasswordChange,
      recoveryRoutes.myVerificationResend,
      notificationRoutes.notificationRead,
      chatRoutes.readSet,
    ])
      expect(takesPart(def), `${def.method} ${def.path}`).toBe(false);
  });

  it('refuses posting, joining, reacting and inviting with FORBIDDEN email_unverified', () => {
    const parts = [
      chatRoutes.messageSend,
      chatRoutes.reactionAdd,
      identityRoutes.invitationCreate,
      identityRoutes.adminRoleSet,
    ];
    for (const def of parts) {
      expect(takesPart(def), `${def.method} ${def.path}`).toBe(true);
      let thrown: unknown;
      try {
        assertMayTakePart(def, { email_verified: false });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).code).toBe('FORBIDDEN');
      expect(() => assertMayTakePart(def, {})).not.toThrow();
    }
  });
});
