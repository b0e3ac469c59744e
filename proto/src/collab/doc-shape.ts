/**
 * The shape every co-edited document shares (issue 10, "The document's shape"), so spaces, collab,
 * the web editor and any Yjs client read and write the same structure.
 */
export const docShape = {
  /** The rich-text body: Tiptap's schema in `XmlFragment('default')`. */
  body: 'default',
  /** A section starts at a level-2 heading whose `section` attribute is its key. */
  sectionHeadingLevel: 2,
  sectionAttribute: 'section',
  /** A section counts as filled from this many visible characters of text. */
  sectionFilledChars: 20,
  /** `doc.getArray('budget')` of `Y.Map`s with the fields of `BudgetLine`. */
  budget: 'budget',
  /** `doc.getMap('comments')`: comment threads by id (anchored with Yjs relative positions). */
  comments: 'comments',
  /** `doc.getMap('suggestions')`: suggested replacements by id. */
  suggestions: 'suggestions',
} as const;

/** The default sections of a proposal, in order (a call may add its own keys). */
export const defaultProposalSections = [
  'summary',
  'problem',
  'approach',
  'partners',
  'activities',
  'budget',
  'impact',
  'sustainability',
] as const;

/** A section key: lowercase words joined by `-`, usable as an attribute and an i18n key. */
export const sectionKeyPattern = /^[a-z][a-z0-9-]{0,39}$/;
