import { adminMemberFilterSchema, identityRoutes } from '@agora/proto';
import { ApiError } from '$lib/api/errors.js';
import { failLoad } from '$lib/api/load-error.js';
import { dependencies } from '$lib/dependencies.js';
import { session } from '$lib/state.js';
import { PAGE_SIZE } from './page-size.js';
import type { PageLoad } from './$types';

/**
 * The admin members page, from its address (`?q=&status=&invitedBy=&offset=`), so a search can be
 * shared and the back button works. A member (or an admin demoted meanwhile) gets `page: null`.
 */
export const load = (async ({ parent, depends, url }) => {
  depends(dependencies.member);
  depends('app:admin-members');
  await parent();
  const parsed = adminMemberFilterSchema.safeParse({
    q: url.searchParams.get('q') || undefined,
    status: url.searchParams.get('status') || undefined,
    invitedBy: url.searchParams.get('invitedBy') || undefined,
  });
  const filter = parsed.success ? parsed.data : { status: 'all' as const };
  const offset = Math.max(0, Math.floor(Number(url.searchParams.get('offset')) || 0));
  if (!session.isAdmin) return { filter, offset, page: null, inviter: null };
  try {
    const [page, inviter] = await Promise.all([
      session.api.request(identityRoutes.adminMembers, {
        query: { ...filter, offset, limit: PAGE_SIZE },
      }),
      filter.invitedBy
        ? session.api
            .request(identityRoutes.memberGet, { params: { id: filter.invitedBy } })
            .catch(() => null)
        : Promise.resolve(null),
    ]);
    return { filter, offset, page, inviter };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'FORBIDDEN')
      return { filter, offset, page: null, inviter: null };
    failLoad(err);
  }
}) satisfies PageLoad;
