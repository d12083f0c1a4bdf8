import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { MetricDefinition, Problem } from '../api/types';
import { withPosition, type LayoutChange } from './layouts';

export interface KnownDefinition {
  definition: MetricDefinition;
  etag: string;
}

export type SaveOutcome =
  | { id: string; kind: 'saved'; known: KnownDefinition }
  /** 412: the definition changed since it was read; `known` is the fresh one (or null if it could not be read). */
  | { id: string; kind: 'conflict'; known: KnownDefinition | null; problem: Problem }
  | { id: string; kind: 'forbidden'; problem: Problem }
  | { id: string; kind: 'failed'; problem: Problem };

export interface SaveDeps {
  api: Pick<ApiClient, 'getDefinition' | 'putLayouts'>;
  /** The definition (and its ETag) the page read for a metric, if it has one. */
  known(id: string): KnownDefinition | undefined;
  remember(id: string, known: KnownDefinition): void;
}

async function readDefinition(deps: SaveDeps, id: string): Promise<KnownDefinition> {
  const result = await deps.api.getDefinition(id);
  if (result.status !== 'ok' || !result.etag) throw new ApiError(0, { title: 'The definition came without an ETag', status: 0 });
  const known = { definition: result.body, etag: result.etag };
  deps.remember(id, known);
  return known;
}

/**
 * Saves one breakpoint's new positions, one `PUT /metrics/{id}` per changed tile, each conditional
 * on the definition ETag the page read (`If-Match`): a tile changed elsewhere meanwhile is not
 * overwritten but reported as a conflict with its current definition.
 */
export async function saveLayoutChanges(changes: readonly LayoutChange[], breakpoint: string, deps: SaveDeps): Promise<SaveOutcome[]> {
  return Promise.all(
    changes.map(async ({ id, item }): Promise<SaveOutcome> => {
      try {
        const known = deps.known(id) ?? (await readDefinition(deps, id));
        const body = { is_editable: known.definition.is_editable, layouts: withPosition(known.definition.layouts, breakpoint, item) };
        const saved = await deps.api.putLayouts(id, body, known.etag);
        const next = { definition: saved.definition, etag: saved.etag ?? `"${saved.definition.version}"` };
        deps.remember(id, next);
        return { id, kind: 'saved', known: next };
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 412) {
          const fresh = await readDefinition(deps, id).catch(() => null);
          return { id, kind: 'conflict', known: fresh, problem: error.problem };
        }
        if (error.status === 403) return { id, kind: 'forbidden', problem: error.problem };
        return { id, kind: 'failed', problem: error.problem };
      }
    }),
  );
}
