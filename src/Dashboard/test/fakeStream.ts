// A fake event-stream server for LiveStream tests: each fetch gets the next scripted answer.
import { vi } from 'vitest';

export interface OpenStream {
  push(text: string): void;
  end(): void;
  fail(error: Error): void;
}

export type Script = (request: { url: string; headers: Record<string, string> }) => Response | Promise<Response> | Error;

export function eventStreamResponse(): { response: Response; stream: OpenStream } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    stream: {
      push: (text) => controller.enqueue(encoder.encode(text)),
      end: () => controller.close(),
      fail: (error) => controller.error(error),
    },
  };
}

export function fakeFetch(scripts: Script[]) {
  const requests: { url: string; headers: Record<string, string>; signal: AbortSignal | null | undefined }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = { ...(init?.headers as Record<string, string>) };
    const request = { url: String(input), headers, signal: init?.signal };
    requests.push(request);
    const script = scripts.shift();
    if (!script) return new Promise<Response>(() => undefined); // hangs: no more answers scripted
    const result = await script(request);
    if (result instanceof Error) throw result;
    return result;
  });
  return { fetch: fn as unknown as typeof fetch, requests };
}

/** Lets pending promise callbacks (fetch, stream reads) run. */
export async function flush(times = 10): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

export function metricEvent(id: string, etag: string, extra: Record<string, unknown> = {}): string {
  const answer = { id, title: `Metric ${id}`, is_editable: true, parameters: {}, records: [{ n: 1 }], truncated: false, layouts: [], ...extra };
  return `event: metric\nid: ${etag}\ndata: ${JSON.stringify(answer)}\n\n`;
}
