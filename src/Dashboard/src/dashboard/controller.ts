import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { MetricAnswer, MetricSummary, Problem, StoredLayout } from '../api/types';
import type { LayoutChange } from '../grid/layouts';
import { saveLayoutChanges, type KnownDefinition } from '../grid/save';
import { LiveStream, type StreamStatus } from '../live/stream';
import {
  applicabilityFromAnswer,
  applicabilityFromDefinition,
  isEmptyWindow,
  metricQuery,
  windowChangeAffects,
  type Applicability,
  type DashboardWindow,
} from '../window/params';
import { forEachLimited } from './limit';

export type TileLoadState = 'loading' | 'ready' | 'error';

export interface TileState {
  id: string;
  title: string;
  isEditable: boolean;
  state: TileLoadState;
  answer: MetricAnswer | null;
  etag: string | null;
  problem: Problem | null;
  /** Something the user should know about this tile (a save that did not land, a reload), plain text. */
  notice: string | null;
  applicable: Applicability | undefined;
}

export interface DashboardSnapshot {
  phase: 'loading' | 'ready' | 'error';
  tiles: readonly TileState[];
  listProblem: Problem | null;
  window: DashboardWindow;
  live: StreamStatus;
  polling: boolean;
  /** The server refused a write (403): the grid turns read-only whatever the token seemed to allow. */
  writeRefused: boolean;
  /** Bumped when stored positions must be laid out again (a save was refused or reverted). */
  layoutRevision: number;
}

export const POLL_INTERVAL_MS = 15_000;
export const STREAM_GRACE_MS = 1_500;
const CONCURRENCY = 4;

export const CONFLICT_NOTICE = 'This tile was changed elsewhere meanwhile, so your move was not saved; its saved position was reloaded.';
export const FORBIDDEN_NOTICE = 'Your sign-in may not change the dashboard; the layout was not saved.';

export interface ControllerDeps {
  api: ApiClient;
  stream: (handlers: ConstructorParameters<typeof LiveStream>[0]['handlers']) => Pick<LiveStream, 'update' | 'stop' | 'resume' | 'forget'>;
  /** The token expired or was refused: resolves true once there is a new one. */
  reauthenticate: (detail: string) => Promise<boolean>;
  canWrite: () => boolean;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout; setInterval: typeof setInterval; clearInterval: typeof clearInterval };
  pollIntervalMs?: number;
}

function newTile(m: MetricSummary): TileState {
  return { id: m.id, title: m.title, isEditable: m.is_editable, state: 'loading', answer: null, etag: null, problem: null, notice: null, applicable: undefined };
}

function sameLayouts(a: readonly StoredLayout[] | undefined, b: readonly StoredLayout[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/**
 * The dashboard's state and everything that changes it: the list, each tile's answer, the window,
 * the live stream with its polling fallback, and layout saves. React renders its snapshots.
 */
export class DashboardController {
  private snapshot: DashboardSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly definitions = new Map<string, KnownDefinition>();
  private readonly definitionLoads = new Map<string, Promise<KnownDefinition | undefined>>();
  private readonly stream: ReturnType<ControllerDeps['stream']>;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private polling = false;
  private hidden = false;
  private stopped = false;
  private readonly inflight = new Map<string, AbortController>();

  constructor(
    private readonly deps: ControllerDeps,
    window: DashboardWindow,
  ) {
    this.snapshot = {
      phase: 'loading',
      tiles: [],
      listProblem: null,
      window,
      live: { kind: 'idle' },
      polling: false,
      writeRefused: false,
      layoutRevision: 0,
    };
    this.stream = deps.stream({
      onMetric: (answer, etag) => this.applyAnswer(answer, etag),
      onDeleted: (id) => this.removeTile(id),
      onMetricError: (id, problem) => this.updateTile(id, { state: 'error', problem }),
      reauthenticate: (detail) => this.deps.reauthenticate(detail),
      onStatus: (status) => this.onStreamStatus(status),
    });
  }

  private get timers() {
    return this.deps.timers ?? globalThis;
  }

  // --- store -------------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): DashboardSnapshot => this.snapshot;

  private set(patch: Partial<DashboardSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  private tile(id: string): TileState | undefined {
    return this.snapshot.tiles.find((t) => t.id === id);
  }

  private updateTile(id: string, patch: Partial<TileState>): void {
    if (!this.tile(id)) return;
    this.set({ tiles: this.snapshot.tiles.map((t) => (t.id === id ? { ...t, ...patch } : t)) });
  }

  // --- lifecycle ----------------------------------------------------------------------------

  async start(): Promise<void> {
    let list: MetricSummary[];
    try {
      list = await this.deps.api.listMetrics();
    } catch (error) {
      if (this.stopped) return;
      this.set({ phase: 'error', listProblem: error instanceof ApiError ? error.problem : { title: 'Unexpected error', detail: String(error) } });
      return;
    }
    if (this.stopped) return;
    const tiles = list.map(newTile);
    this.set({ phase: 'ready', tiles });
    if (this.deps.canWrite()) void this.loadDefinitions(tiles.filter((t) => t.isEditable).map((t) => t.id));
    this.stream.update(this.ids(), this.snapshot.window);
  }

  stop(): void {
    this.stopped = true;
    this.stream.stop();
    this.stopPolling();
    for (const controller of this.inflight.values()) controller.abort();
    this.inflight.clear();
  }

  /** The page went to the background (or came back): no stream and no polling for a tab nobody looks at. */
  setHidden(hidden: boolean): void {
    if (this.hidden === hidden || this.stopped) return;
    this.hidden = hidden;
    if (hidden) {
      this.stream.stop();
      this.stopPolling();
    } else {
      this.stream.resume();
    }
  }

  private ids(): string[] {
    return this.snapshot.tiles.map((t) => t.id);
  }

  // --- live and polling ---------------------------------------------------------------------

  private onStreamStatus(status: StreamStatus): void {
    if (this.stopped) return;
    this.set({ live: status });
    if (this.graceTimer !== null) this.timers.clearTimeout(this.graceTimer);
    this.graceTimer = null;
    switch (status.kind) {
      case 'open':
        this.stopPolling();
        break;
      case 'connecting':
        // Tiles wait briefly for the stream's first events, then load themselves.
        if (!this.polling) this.graceTimer = this.timers.setTimeout(() => this.startPolling(), STREAM_GRACE_MS);
        break;
      case 'unavailable':
      case 'backoff':
        this.startPolling();
        break;
      case 'idle':
      case 'signed-out':
        this.stopPolling();
        break;
    }
  }

  private startPolling(): void {
    if (this.polling || this.stopped || this.hidden) return;
    this.polling = true;
    this.set({ polling: true });
    void this.revalidateAll();
    this.pollTimer = this.timers.setInterval(() => void this.revalidateAll(), this.deps.pollIntervalMs ?? POLL_INTERVAL_MS);
  }

  private stopPolling(): void {
    if (this.pollTimer !== null) this.timers.clearInterval(this.pollTimer);
    this.pollTimer = null;
    if (this.graceTimer !== null) this.timers.clearTimeout(this.graceTimer);
    this.graceTimer = null;
    if (this.polling) {
      this.polling = false;
      this.set({ polling: false });
    }
  }

  /**
   * One polling round: the list read again, so metrics created since the page loaded join the grid
   * and deleted ones leave it, then every tile revalidated with If-None-Match (a 304 costs the
   * server next to nothing).
   */
  async revalidateAll(): Promise<void> {
    await this.refreshList();
    await forEachLimited(this.ids(), CONCURRENCY, (id) => this.loadTile(id));
  }

  private async refreshList(): Promise<void> {
    let list: MetricSummary[];
    try {
      list = await this.deps.api.listMetrics();
    } catch {
      return; // each tile's own GET says what is wrong
    }
    if (this.stopped) return;
    const listed = new Set(list.map((m) => m.id));
    const shown = new Set(this.ids());
    const added = list.filter((m) => !shown.has(m.id)).map(newTile);
    const gone = this.ids().filter((id) => !listed.has(id));
    if (added.length === 0 && gone.length === 0) return;
    for (const id of gone) this.removeTile(id);
    this.set({ tiles: [...this.snapshot.tiles, ...added] });
    if (this.deps.canWrite()) void this.loadDefinitions(added.filter((t) => t.isEditable).map((t) => t.id));
    this.stream.update(this.ids(), this.snapshot.window);
  }

  // --- tiles --------------------------------------------------------------------------------

  /** GETs one tile for the current window, conditionally when it already has an answer. */
  async loadTile(id: string, options: { unconditional?: boolean } = {}): Promise<void> {
    const tile = this.tile(id);
    if (!tile || this.stopped) return;
    this.inflight.get(id)?.abort();
    const controller = new AbortController();
    this.inflight.set(id, controller);
    try {
      let applicable = tile.applicable;
      if (!applicable && !isEmptyWindow(this.snapshot.window)) applicable = await this.learnApplicability(id);
      const window = this.snapshot.window;
      const etag = options.unconditional ? null : this.tile(id)?.etag;
      const result = await this.deps.api.getMetric(id, metricQuery(window, applicable), etag, controller.signal);
      if (controller.signal.aborted) return;
      if (result.status === 'not-modified') {
        if (this.tile(id)?.state !== 'ready') this.updateTile(id, { state: 'ready', problem: null });
        return;
      }
      this.applyAnswer(result.body, result.etag);
    } catch (error) {
      if (controller.signal.aborted || (error instanceof DOMException && error.name === 'AbortError')) return;
      const problem = error instanceof ApiError ? error.problem : { title: 'Unexpected error', detail: String(error) };
      if (error instanceof ApiError && error.status === 404) {
        this.removeTile(id); // deleted since the list was read
        return;
      }
      this.updateTile(id, { state: 'error', problem });
    } finally {
      if (this.inflight.get(id) === controller) this.inflight.delete(id);
    }
  }

  /** Which window parameters apply to a metric, from its definition (without running its query). */
  private async learnApplicability(id: string): Promise<Applicability | undefined> {
    const known = this.definitions.get(id) ?? (await this.loadDefinition(id));
    if (!known) return undefined;
    const applicable = applicabilityFromDefinition(known.definition.parameters);
    this.updateTile(id, { applicable });
    return applicable;
  }

  private applyAnswer(answer: MetricAnswer, etag: string | null): void {
    const tile = this.tile(answer.id);
    if (!tile) return;
    const layoutsChanged = tile.answer !== null && !sameLayouts(tile.answer.layouts, answer.layouts);
    this.updateTile(answer.id, {
      answer,
      etag,
      title: answer.title,
      isEditable: answer.is_editable,
      state: 'ready',
      problem: null,
      applicable: applicabilityFromAnswer(answer.parameters),
    });
    // Moved or redefined elsewhere: the definition ETag this page holds is stale now.
    const known = this.definitions.get(answer.id);
    if (known && (layoutsChanged || !sameLayouts(known.definition.layouts, answer.layouts))) void this.loadDefinition(answer.id);
  }

  private removeTile(id: string): void {
    if (!this.tile(id)) return;
    this.inflight.get(id)?.abort();
    this.definitions.delete(id);
    this.stream.forget(id);
    this.set({ tiles: this.snapshot.tiles.filter((t) => t.id !== id) });
  }

  private async loadDefinitions(ids: readonly string[]): Promise<void> {
    await forEachLimited(ids, CONCURRENCY, async (id) => {
      await this.loadDefinition(id);
    });
  }

  /** One request per definition at a time: the writer's preload and a tile's first GET may both ask. */
  private loadDefinition(id: string): Promise<KnownDefinition | undefined> {
    const pending = this.definitionLoads.get(id);
    if (pending) return pending;
    const load = this.fetchDefinition(id).finally(() => this.definitionLoads.delete(id));
    this.definitionLoads.set(id, load);
    return load;
  }

  private async fetchDefinition(id: string): Promise<KnownDefinition | undefined> {
    const known = this.definitions.get(id);
    try {
      const result = await this.deps.api.getDefinition(id, known?.etag);
      if (result.status === 'not-modified') return known;
      if (!result.etag) return undefined;
      const next = { definition: result.body, etag: result.etag };
      this.definitions.set(id, next);
      return next;
    } catch {
      return known; // the tile's own GET reports what is wrong
    }
  }

  // --- window -------------------------------------------------------------------------------

  /** A new dashboard window: only tiles whose applicable parameters change are asked again. */
  setWindow(window: DashboardWindow): void {
    const before = this.snapshot.window;
    const affected = this.snapshot.tiles.filter((t) => windowChangeAffects(before, window, t.applicable)).map((t) => t.id);
    this.set({
      window,
      tiles: this.snapshot.tiles.map((t) => (affected.includes(t.id) ? { ...t, state: 'loading' as const, etag: null } : t)),
    });
    this.stream.update(this.ids(), window);
    if (this.polling) void forEachLimited(affected, CONCURRENCY, (id) => this.loadTile(id, { unconditional: true }));
  }

  // --- layout -------------------------------------------------------------------------------

  /** Saves what a drag or resize changed; conflicts and refusals reload the tile and say so on it. */
  async saveLayout(changes: readonly LayoutChange[], breakpoint: string): Promise<void> {
    if (changes.length === 0) return;
    for (const change of changes) this.updateTile(change.id, { notice: 'Saving position…' });
    const outcomes = await saveLayoutChanges(changes, breakpoint, {
      api: this.deps.api,
      known: (id) => this.definitions.get(id),
      remember: (id, known) => this.definitions.set(id, known),
    });
    let revert = false;
    for (const outcome of outcomes) {
      const tile = this.tile(outcome.id);
      if (!tile) continue;
      switch (outcome.kind) {
        case 'saved':
          this.updateTile(outcome.id, {
            notice: null,
            answer: tile.answer ? { ...tile.answer, layouts: outcome.known.definition.layouts } : tile.answer,
          });
          break;
        case 'conflict':
          revert = true;
          this.updateTile(outcome.id, {
            notice: CONFLICT_NOTICE,
            answer: tile.answer && outcome.known ? { ...tile.answer, layouts: outcome.known.definition.layouts } : tile.answer,
          });
          void this.loadTile(outcome.id, { unconditional: true });
          break;
        case 'forbidden':
          revert = true;
          this.set({ writeRefused: true });
          this.updateTile(outcome.id, { notice: FORBIDDEN_NOTICE });
          break;
        case 'failed':
          revert = true;
          this.updateTile(outcome.id, {
            notice: `The new position was not saved: ${[outcome.problem.title, outcome.problem.detail].filter(Boolean).join(': ')}`,
          });
          void this.loadTile(outcome.id, { unconditional: true });
          break;
      }
    }
    if (revert) this.set({ layoutRevision: this.snapshot.layoutRevision + 1 });
  }

  dismissNotice(id: string): void {
    this.updateTile(id, { notice: null });
  }
}
