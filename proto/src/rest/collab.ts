import { z } from 'zod';
import { docNameSchema } from '../doc-names.js';
import { versionIdSchema } from '../collab/collab-doc.js';
import { collabRpc } from '../collab/rpc.js';
import { route } from './route.js';

const docParams = z.strictObject({ docName: docNameSchema });
const versionParams = z.strictObject({ docName: docNameSchema, versionId: versionIdSchema });

/**
 * Version history of a co-edited document (issue 9, deliverable 5). Collab authorises each call by
 * asking spaces for the member's right on the doc: `read` to list, open and diff, `write` to save
 * and restore; a member without any right gets 403 whether or not the doc exists.
 */
export const collabRoutes = {
  versionList: route({
    method: 'GET',
    path: '/docs/:docName/versions',
    tag: 'docs',
    auth: 'member',
    status: 200,
    summary: "A document's saved versions, newest first",
    params: docParams,
    response: collabRpc.versionList.response,
  }),
  versionSave: route({
    method: 'POST',
    path: '/docs/:docName/versions',
    tag: 'docs',
    auth: 'member',
    status: 201,
    summary: 'Save the current state of a document as a named version',
    params: docParams,
    body: collabRpc.versionSave.request.pick({ name: true }),
    response: collabRpc.versionSave.response,
  }),
  versionGet: route({
    method: 'GET',
    path: '/docs/:docName/versions/:versionId',
    tag: 'docs',
    auth: 'member',
    status: 200,
    summary: 'One version: its Yjs state (base64), plain text and Markdown of the body',
    params: versionParams,
    response: collabRpc.versionGet.response,
  }),
  versionDiff: route({
    method: 'GET',
    path: '/docs/:docName/versions/:versionId/diff',
    tag: 'docs',
    auth: 'member',
    status: 200,
    summary: 'Word-level text diff of the body from this version to another one or to `current`',
    params: versionParams,
    query: z.strictObject({ to: z.union([versionIdSchema, z.literal('current')]) }),
    response: collabRpc.versionDiff.response,
  }),
  versionRestore: route({
    method: 'POST',
    path: '/docs/:docName/versions/:versionId/restore',
    tag: 'docs',
    auth: 'member',
    status: 201,
    summary:
      'Make the live document equal to this version again, as a new change on top of history; answers the version saved as `restored`',
    params: versionParams,
    response: collabRpc.versionRestore.response,
  }),
} as const;
