import { Extension, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { docShape } from '@agora/proto';

/**
 * The section key on a level-2 heading (`<h2 data-section="budget">`), so the skeleton collab
 * seeds (`{ level: 2, section: key }`) round-trips through the editor and copy-paste.
 */
export const SectionAttribute = Extension.create({
  name: 'sectionAttribute',
  addGlobalAttributes() {
    return [
      {
        types: ['heading'],
        attributes: {
          [docShape.sectionAttribute]: {
            default: null,
            parseHTML: (element: HTMLElement) => element.getAttribute('data-section'),
            renderHTML: (attributes: Record<string, unknown>) => {
              const key = attributes[docShape.sectionAttribute];
              return typeof key === 'string' && key ? { 'data-section': key } : {};
            },
          },
        },
      },
    ];
  },
});

/**
 * `dir="auto"` on every text block, so each paragraph takes the direction of its own first
 * strong letter: an Arabic paragraph is right-to-left inside an English proposal and the other
 * way round. Rendered only: the attribute is null in the document (y-tiptap stores no nulls), so
 * the shared doc is not filled with `dir` attributes.
 */
export const AutoDirection = Extension.create({
  name: 'autoDirection',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph', 'heading', 'tableCell', 'tableHeader'],
        attributes: {
          dir: {
            default: null,
            parseHTML: () => null,
            renderHTML: () => ({ dir: 'auto' }),
          },
        },
      },
    ];
  },
});

/**
 * The schema every co-edited body uses: StarterKit (headings, lists, links, quotes, code) without
 * its own undo history (Yjs undoes per user through Collaboration), tables, sections, direction.
 */
export function baseExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        protocols: ['http', 'https', 'mailto'],
      },
    }),
    TableKit.configure({ table: { resizable: false } }),
    SectionAttribute,
    AutoDirection,
  ];
}
