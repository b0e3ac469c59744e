import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { decodeRange, type BodyBinding, type EncodedRange } from '$lib/collab/anchors.js';

/** Something anchored in the text: an open comment thread or an open suggestion. */
export interface Annotation extends EncodedRange {
  id: string;
  kind: 'comment' | 'suggestion';
}

/** A range the member selected and is about to comment on or suggest a change for. */
export interface AnnotationDraft extends EncodedRange {
  kind: 'comment' | 'suggestion';
  quote: string;
}

/** Where each anchored thing stands in the live text: gone, or its current text. */
export type AnchorState = Record<string, { gone: boolean; current: string }>;

export interface AnnotationSource {
  annotations(): readonly Annotation[];
  active(): string | null;
  select(id: string): void;
}

export const annotationsKey = new PluginKey('agoraAnnotations');

/** The sync binding y-tiptap keeps in the editor state: the body and its position mapping. */
export function bodyBindingOf(state: EditorState): BodyBinding | null {
  const sync = ySyncPluginKey.getState(state) as
    | { binding?: { doc?: unknown; type?: unknown; mapping?: BodyBinding['mapping'] } | null }
    | undefined;
  const binding = sync?.binding;
  if (!binding || !(binding.doc instanceof Y.Doc) || !(binding.type instanceof Y.XmlFragment)) {
    return null;
  }
  if (!binding.mapping) return null;
  return { doc: binding.doc, type: binding.type, mapping: binding.mapping };
}

/**
 * Highlights commented and suggested ranges (a ProseMirror decoration plugin) and tells the
 * page which one was clicked. Ranges are resolved from their Yjs relative positions each time
 * the view updates; the page dispatches a transaction with this key's meta when the comment
 * or suggestion maps change, since those changes are not ProseMirror transactions.
 */
export const Annotations = Extension.create<{ source: AnnotationSource | null }>({
  name: 'annotations',
  addOptions() {
    return { source: null };
  },
  addProseMirrorPlugins() {
    const source = this.options.source;
    if (!source) return [];
    const rangesIn = (state: EditorState) => {
      const binding = bodyBindingOf(state);
      if (!binding) return [];
      const out: { annotation: Annotation; from: number; to: number }[] = [];
      for (const annotation of source.annotations()) {
        const range = decodeRange(binding, annotation);
        if (range && range.to <= state.doc.content.size) out.push({ annotation, ...range });
      }
      return out;
    };
    return [
      new Plugin({
        key: annotationsKey,
        props: {
          decorations(state) {
            const active = source.active();
            const decorations = rangesIn(state).map(({ annotation, from, to }) =>
              Decoration.inline(from, to, {
                class: `annotation annotation-${annotation.kind}${annotation.id === active ? ' annotation-active' : ''}`,
                'data-annotation': annotation.id,
              }),
            );
            return DecorationSet.create(state.doc, decorations);
          },
          handleClick(view, pos) {
            const hit = rangesIn(view.state).find(({ from, to }) => pos >= from && pos <= to);
            if (hit) source.select(hit.annotation.id);
            return false;
          },
        },
      }),
    ];
  },
});
