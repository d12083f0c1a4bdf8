import { describe, expect, it } from 'vitest';
import { SseParser, readEventStream, type SseEvent } from '../src/live/sse';

function parse(chunks: string[], initialId = '') {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = new SseParser({ onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms), onComment: (c) => comments.push(c) }, initialId);
  for (const chunk of chunks) parser.feed(chunk);
  return { events, retries, comments, parser };
}

describe('SseParser', () => {
  it('reads the contract events: metric with its id, deleted, error, reauthenticate', () => {
    const { events } = parse([
      'event: metric\nid: abc123\ndata: {"id":"m1","records":[]}\n\n',
      'event: deleted\ndata: {"id":"m2"}\n\n',
      'event: error\ndata: {"title":"Timed out","metric_id":"m3"}\n\n',
      'event: reauthenticate\ndata: {"detail":"expired"}\n\n',
    ]);
    expect(events).toEqual([
      { event: 'metric', data: '{"id":"m1","records":[]}', lastEventId: 'abc123' },
      { event: 'deleted', data: '{"id":"m2"}', lastEventId: 'abc123' },
      { event: 'error', data: '{"title":"Timed out","metric_id":"m3"}', lastEventId: 'abc123' },
      { event: 'reauthenticate', data: '{"detail":"expired"}', lastEventId: 'abc123' },
    ]);
  });

  it('joins data lines with newlines and defaults the event type to "message"', () => {
    expect(parse(['data: a\ndata:b\ndata\n\n']).events).toEqual([{ event: 'message', data: 'a\nb\n', lastEventId: '' }]);
  });

  it('handles CRLF, CR and LF, also when a chunk splits a line or a CRLF', () => {
    const text = 'event: metric\r\nid: 1\rdata: {"x":1}\r\n\r\nevent: deleted\ndata: {"id":"a"}\n\n';
    const whole = parse([text]).events;
    expect(whole).toHaveLength(2);
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse([text.slice(0, cut), text.slice(cut)]).events).toEqual(whole);
    }
    expect(parse(text.split('')).events).toEqual(whole);
  });

  it('reports heartbeat comments and retry hints, ignoring a malformed retry', () => {
    const { events, retries, comments } = parse([': heartbeat\nretry: 5000\nretry: soon\n\n']);
    expect(events).toEqual([]);
    expect(retries).toEqual([5000]);
    expect(comments).toEqual(['heartbeat']);
  });

  it('strips a leading byte order mark', () => {
    expect(parse(['\uFEFFdata: x\n\n']).events[0]?.data).toBe('x');
  });

  it('keeps the last id across events, updates it without data, and ignores an id containing NUL', () => {
    const { events, parser } = parse(['id: 7\ndata: a\n\n', 'data: b\n\n', 'id: 8\n\n', 'id: bad\0id\ndata: c\n\n']);
    expect(events.map((e) => e.lastEventId)).toEqual(['7', '7', '8']);
    expect(parser.eventId).toBe('8');
  });

  it('starts from the Last-Event-ID it reconnected with', () => {
    expect(parse(['data: a\n\n'], 'prev').events[0]?.lastEventId).toBe('prev');
  });

  it('drops an event the stream ended before finishing', () => {
    const { events, parser } = parse(['data: complete\n\n', 'event: metric\ndata: half']);
    parser.end();
    expect(events.map((e) => e.data)).toEqual(['complete']);
  });

  it('ignores unknown fields and a space-less colon value', () => {
    expect(parse(['foo: bar\nevent:metric\ndata:{}\n\n']).events).toEqual([{ event: 'metric', data: '{}', lastEventId: '' }]);
  });
});

describe('readEventStream', () => {
  it('decodes UTF-8 split across chunks and reads to the end', async () => {
    const bytes = new TextEncoder().encode('data: {"title":"Zoë ✓"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readEventStream(body, new SseParser({ onEvent: (e) => events.push(e) }));
    expect(events[0]?.data).toBe('{"title":"Zoë ✓"}');
  });
});
