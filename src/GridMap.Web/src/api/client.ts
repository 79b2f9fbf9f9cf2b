// The one HTTP client of the GridMap API: openapi-fetch over the types generated from the server's OpenAPI
// document (schema.d.ts, made by scripts/gen-api.mjs at build time). Every call goes through `call`, which returns
// the answer's body or throws the ApiError of the one ProblemDetails parser (problem.ts). Tiles and static files
// are loaded by OpenLayers and the browser, not here.
import createClient from 'openapi-fetch';
import type { operations, paths } from './schema';
import { parseProblem, transportError } from './problem';

export const client = createClient<paths>({ headers: { Accept: 'application/json' } });

export type OperationId = keyof operations;

type Success<R> = R extends { 200: infer X } ? X : R extends { 201: infer X } ? X : R extends { 202: infer X } ? X : never;
type JsonBody<X> = X extends { content: { 'application/json': infer T } } ? T : X extends { content: { 'application/geo+json': infer T } } ? T : never;
type Generated<Op extends OperationId> = JsonBody<Success<operations[Op]['responses']>>;

/** The body an operation answers with, generated from the server's response record (unknown for binary answers). */
export type Body<Op extends OperationId> = [Generated<Op>] extends [never] ? unknown : Generated<Op>;

/** The shape openapi-fetch resolves to, whatever the operation. */
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch request and returns its body typed by operation id, or throws ApiError (server error,
 * network failure, timeout); an abort by the caller is rethrown as is.
 *
 *     const plan = await call('Plan', client.GET('/api/planning/plans/{id}', { params: { path: { id } } }));
 */
export async function call<Op extends OperationId>(_operation: Op, request: Promise<Answer>): Promise<Body<Op>> {
  let answer: Answer;
  try {
    answer = await request;
  } catch (e) {
    throw transportError(e);
  }
  if (!answer.response.ok) throw parseProblem(answer.response.status, answer.error);
  return answer.data as Body<Op>;
}

/** URL of a layer's GeoJSON features (OpenLayers loads small whole-city layers from it). */
export const featuresUrl = (layer: string, limit = 5000): string => `/api/layers/${encodeURIComponent(layer)}/features?limit=${limit}`;
