// The byte-level pieces of the streaming transports, checked against independent decoders: zlib's
// own continuous inflater for SPDY header blocks, and hand-built frames for WebSocket.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HEADER_DICTIONARY, HeaderCompressor, HeaderDecompressor, decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from '../../../../src/core/apiserver/streams/spdy.js';
import { encodeFrame, FrameParser, MAX_MESSAGE, Opcode, WsProtocolError } from '../../../../src/core/apiserver/streams/websocket.js';
import { JsonObjectSplitter, outcomeStatus, translatedStatus } from '../../../../src/core/apiserver/streams/remotecommand.js';

describe('SPDY header compression', () => {
  const blocks: SpdyHeaders[] = [
    { streamtype: ['error'], port: ['8080'], requestid: ['0'] },
    { streamtype: ['data'], port: ['8080'], requestid: ['0'] },
    {},
    { streamtype: ['stdout'], 'x-long': ['v'.repeat(40_000)] },
    { streamtype: ['stdin'], many: ['a', 'b', 'c'] },
  ];

  it('writes one continuous zlib stream, as a peer inflating the whole session reads it', () => {
    const c = new HeaderCompressor();
    const wire = Buffer.concat(blocks.map((b) => c.compress(b)));
    const all = zlib.inflateSync(wire, { dictionary: HEADER_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    expect(all.equals(Buffer.concat(blocks.map((b) => encodeHeaderBlock(b))))).toBe(true);
  });

  it('reads blocks a continuous deflater wrote, each ending on a sync flush', () => {
    const deflater = zlib.createDeflate({ dictionary: HEADER_DICTIONARY });
    const d = new HeaderDecompressor();
    // A continuous deflater's output for each block, flushed as spdystream flushes.
    const outputs: Buffer[] = [];
    return (async () => {
      for (const b of blocks) {
        const chunks: Buffer[] = [];
        const onData = (x: Buffer) => chunks.push(x);
        deflater.on('data', onData);
        deflater.write(encodeHeaderBlock(b));
        await new Promise<void>((r) => deflater.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
        deflater.off('data', onData);
        outputs.push(Buffer.concat(chunks));
      }
      deflater.destroy();
      expect(outputs.map((o) => d.decompress(o))).toEqual(blocks.map((b) => decodeHeaderBlock(encodeHeaderBlock(b))));
    })();
  });

  it('refuses a truncated header block instead of reading past it', () => {
    expect(() => decodeHeaderBlock(Buffer.from([0, 0, 0, 2, 0, 0, 0, 9, 0x61]))).toThrow('truncated header block');
  });
});

describe('WebSocket framing', () => {
  const mask = Buffer.from([1, 2, 3, 4]);

  it('joins frames split anywhere across reads and unmasks them', () => {
    const wire = Buffer.concat([encodeFrame(Opcode.binary, Buffer.alloc(70_000, 7), { mask }), encodeFrame(Opcode.text, Buffer.from('hi'), { mask })]);
    const p = new FrameParser();
    const frames = [];
    for (let i = 0; i < wire.length; i += 999) frames.push(...p.push(wire.subarray(i, i + 999)));
    expect(frames.map((f) => [f.opcode, f.payload.length, f.masked])).toEqual([
      [Opcode.binary, 70_000, true],
      [Opcode.text, 2, true],
    ]);
    expect(frames[0].payload.every((b) => b === 7)).toBe(true);
    expect(frames[1].payload.toString()).toBe('hi');
  });

  it('refuses a frame longer than the server accepts before reading it', () => {
    const head = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]);
    head.writeBigUInt64BE(BigInt(MAX_MESSAGE + 1), 2);
    expect(() => new FrameParser().push(head)).toThrow(WsProtocolError);
  });

  it('refuses a control frame with a long payload', () => {
    expect(() => new FrameParser().push(encodeFrame(Opcode.ping, Buffer.alloc(126), { mask }))).toThrow('control frames must be short');
  });
});

describe('the error channel', () => {
  it("words an exit code as the kubelet does, and as the apiserver's translator re-encodes it", () => {
    const kubelet = outcomeStatus({ kind: 'exec', command: ['sh', '-c', 'exit 3'] }, { exitCode: 3 });
    expect(kubelet.message).toBe('command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3');
    expect(translatedStatus(kubelet)).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: command terminated with exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('takes exit codes modulo 256, as a process reports them', () => {
    expect(outcomeStatus({ kind: 'exec', command: ['x'] }, { exitCode: 257 }).details).toEqual({ causes: [{ reason: 'ExitCode', message: '1' }] });
    expect(outcomeStatus({ kind: 'exec', command: ['x'] }, { exitCode: 256 })).toEqual({ metadata: {}, status: 'Success' });
  });

  it('reads terminal sizes however the client splits them', () => {
    const s = new JsonObjectSplitter();
    expect(s.push('{"Width":80,"Hei')).toEqual([]);
    expect(s.push('ght":24}{"Width":100,"Height":30}')).toEqual([
      { Width: 80, Height: 24 },
      { Width: 100, Height: 30 },
    ]);
  });
});
