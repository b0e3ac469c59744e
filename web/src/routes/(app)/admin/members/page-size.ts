/** Members per page of the admin list. */
export const PAGE_SIZE = 25;
