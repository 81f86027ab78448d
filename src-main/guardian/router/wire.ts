// Wires a freshly accepted connection to the router through a StreamLink.
import type { PathName } from '../../../src-shared/protocol';
import { FramedConnection, type StreamSocket } from '../paths';
import type { Router } from './router';
import { StreamLink, type LinkSettings } from './stream-link';

export function acceptConnection(router: Router, socket: StreamSocket, path: PathName, settings: LinkSettings & { max_frame_bytes: number; frame_timeout_ms: number }): StreamLink {
  // The connection's handlers reach the link made just after it.
  const ref: { link?: StreamLink } = {};
  const conn = new FramedConnection(socket, path, { maxFrameBytes: settings.max_frame_bytes, frameTimeout_ms: settings.frame_timeout_ms }, {
    onFrame: (body) => ref.link?.onFrame(body),
    onFrameError: (reason, detail) => ref.link?.onFrameError(reason, detail),
    onClose: (reason) => ref.link?.onConnectionClosed(reason),
  });
  const link = new StreamLink(conn, settings, {
    now_ms: () => router.now_ms(),
    onHello: (l, hello) => router.onHello(l, hello),
    onLegacy: (l, env) => router.onLegacy(l, env),
    onData: (l, env) => router.onData(l, l.peerId!, env),
    onAck: (l, seq) => router.onAck(l.peerId!, seq),
    onBadInput: (l, reason, detail, header, text) => router.onBadInput(l, l.peerId, reason, detail, header, text),
    onClosed: (l, reason) => router.onLinkClosed(l, l.peerId, reason),
    onSecurity: (l, detail) => router.onSecurity(l, l.peerId, detail),
  });
  ref.link = link;
  return link;
}
