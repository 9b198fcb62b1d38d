// The byte-level pieces of the streaming transports, checked against independent decoders (zlib's
// own continuous inflater for SPDY header blocks), and the error channel's words. WebSocket framing
// is the `ws` library's; the end-to-end tests meet it with malformed frames.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HEADER_DICTIONARY, HeaderCompressor, HeaderDecompressor, decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from '../../../../src/core/apiserver/streams/spdy.js';
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
