// The framing of the Kubernetes channel protocols over WebSocket (channel.k8s.io and its v4/v5
// and base64 variants): each message starts with its channel number, as a byte, or as an ASCII
// digit followed by base64 in the text variants.
import { sendIfOpen, type WebSocket } from './websocket.js';

/**
 * Large writes go out in pieces of this size, as the kubelet's copy loops read them, so no
 * client meets a message bigger than it would from a real cluster.
 */
const MAX_PIECE = 32 * 1024;

export function channelSender(ws: WebSocket, base64: boolean): (channel: number, data: Buffer) => void {
  return (channel, data) => {
    for (let off = 0; off === 0 || off < data.length; off += MAX_PIECE) {
      const piece = data.subarray(off, off + MAX_PIECE);
      if (base64) sendIfOpen(ws, String.fromCharCode(48 + channel) + piece.toString('base64'));
      else sendIfOpen(ws, Buffer.concat([Buffer.from([channel]), piece]));
    }
  };
}

/** A client's message as its channel and bytes; undefined for an empty message. */
export function channelMessage(msg: Buffer, base64: boolean): { channel: number; data: Buffer } | undefined {
  if (!msg.length) return undefined;
  if (!base64) return { channel: msg[0], data: msg.subarray(1) };
  return { channel: msg[0] - 48, data: Buffer.from(msg.subarray(1).toString('latin1'), 'base64') };
}
