import { forumRoutes, type ForumTag, type PostView } from '@agora/proto';
import type { ApiClient } from '$lib/api/client.js';

/** A like's new state, as the server answered it or a socket told it. */
export interface LikeCount {
  targetType: 'post' | 'comment';
  targetId: string;
  likes: number;
}

/**
 * One feed (the main one, or a space's) as the page shows it: newest first, older pages on
 * request, new posts announced live (shown when the reader asks, so the list never jumps), like
 * counts updated live from `post.liked`.
 */
export class FeedState {
  posts = $state<PostView[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  error = $state<unknown>(null);
  /** Posts published since the list was loaded (announced by the socket). */
  fresh = $state(0);
  readonly #api: () => ApiClient;
  readonly spaceId: string | null;
  #tag: ForumTag | null = null;

  constructor(api: () => ApiClient, spaceId: string | null) {
    this.#api = api;
    this.spaceId = spaceId;
  }

  get tag(): ForumTag | null {
    return this.#tag;
  }

  #query(before?: string) {
    return {
      ...(this.spaceId ? { spaceId: this.spaceId } : {}),
      ...(this.#tag ? { tag: this.#tag } : {}),
      ...(before ? { before } : {}),
      limit: 20,
    };
  }

  /** (Re)loads the first page, for `tag` when given. */
  async load(tag: ForumTag | null = this.#tag): Promise<void> {
    this.#tag = tag;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.#api().request(forumRoutes.postList, { query: this.#query() });
      this.posts = page.posts;
      this.nextCursor = page.nextCursor;
      this.fresh = 0;
    } catch (err) {
      this.error = err;
    } finally {
      this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loading) return;
    this.loading = true;
    try {
      const page = await this.#api().request(forumRoutes.postList, {
        query: this.#query(this.nextCursor),
      });
      // A post published meanwhile shifts the pages by one: never show one twice.
      const older = page.posts.filter((p) => !this.posts.some((q) => q.id === p.id));
      this.posts = [...this.posts, ...older];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      this.error = err;
    } finally {
      this.loading = false;
    }
  }

  async publish(input: { body: string; title?: string; tags: ForumTag[] }): Promise<void> {
    const post = await this.#api().request(forumRoutes.postCreate, {
      body: { ...input, ...(this.spaceId ? { spaceId: this.spaceId } : {}) },
    });
    if (!this.#tag || post.tags.includes(this.#tag)) this.posts = [post, ...this.posts];
  }

  async toggleLike(post: PostView): Promise<void> {
    const params = { id: post.id };
    const state = post.likedByMe
      ? await this.#api().request(forumRoutes.postUnlike, { params })
      : await this.#api().request(forumRoutes.postLike, { params });
    this.#patch(post.id, { likes: state.likes, likedByMe: state.liked });
  }

  async remove(post: PostView): Promise<void> {
    await this.#api().request(forumRoutes.postDelete, { params: { id: post.id } });
    this.posts = this.posts.filter((p) => p.id !== post.id);
  }

  /** A live like count (another member liked or unliked). */
  liked(count: LikeCount): void {
    if (count.targetType === 'post') this.#patch(count.targetId, { likes: count.likes });
  }

  /** A live announcement of a post in this feed (one's own is already shown). */
  published(postId: string, spaceId: string | null): void {
    if (spaceId !== this.spaceId || this.posts.some((p) => p.id === postId)) return;
    this.fresh += 1;
  }

  #patch(id: string, change: Partial<PostView>): void {
    this.posts = this.posts.map((p) => (p.id === id ? { ...p, ...change } : p));
  }
}
