// The checks the operator's HTTP servers (the satellite's admin API, the node's dashboard) make on
// every request before anything else, against web pages in the operator's browser:
// - Host: only names that cannot be an attacker's DNS name pointing at us (DNS rebinding):
//   localhost, 127.0.0.1, [::1], the address the connection arrived on (an IP literal: no page
//   of another site can send it), the listen host, and the names the operator adds. Any port.
// - Origin: a request that carries one must come from the server's own origin
//   (http://<its Host header>): another site's page is refused even where CORS would have hidden
//   the answer, since a "simple" POST is carried out before the browser looks at the answer.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** What a refused request is answered: the status and the stable code. */
export interface GuardRefusal {
  status: number;
  code: string;
  message: string;
}

/** The host part of a Host header or a host:port address, lower case, without brackets or port. */
export function hostName(hostPort: string): string {
  const text = hostPort.trim().toLowerCase();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end < 0 ? text : text.slice(1, end);
  }
  // A bare IPv6 address (a listen host such as ::1) has several colons and no port here.
  if (text.split(':').length > 2) return text;
  const i = text.lastIndexOf(':');
  return i < 0 ? text : text.slice(0, i);
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * The host names a server accepts: the loopback names, the listen host (unless it is a wildcard
 * such as 0.0.0.0) and `extra` (names or addresses the operator reaches the server by).
 */
export function allowedHosts(listenHost: string, extra: readonly string[] = []): Set<string> {
  const out = new Set(['localhost', '127.0.0.1', '::1']);
  for (const h of [listenHost, ...extra]) {
    const name = hostName(h);
    if (!WILDCARDS.has(name)) out.add(name);
  }
  return out;
}

/** The address the connection arrived on, as a Host header would name it (IPv4-mapped IPv6 unwrapped). */
function localName(req: IncomingMessage): string | undefined {
  const addr = req.socket.localAddress;
  if (!addr) return undefined;
  const plain = addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
  return plain.toLowerCase();
}

/**
 * The request's target as a URL, or undefined when it is not one (answer 400). `new URL(req.url,
 * base)` throws on a target such as `//` (read as a host-relative URL with an empty host): thrown
 * outside a handler's try, one such request ended the process.
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://request${target}`);
  } catch {
    return undefined;
  }
}

/** undefined when the request may go on; else why not (421 for a foreign Host, 403 for a foreign Origin). */
export function checkHostAndOrigin(req: IncomingMessage, allowed: ReadonlySet<string>, codePrefix: string): GuardRefusal | undefined {
  const host = req.headers.host;
  if (!host) return { status: 421, code: `${codePrefix}_HOST_REFUSED`, message: 'the request names no Host' };
  const name = hostName(host);
  if (!allowed.has(name) && name !== localName(req)) {
    return { status: 421, code: `${codePrefix}_HOST_REFUSED`, message: `this server does not answer for host '${name}' (add it to the allowed hosts to reach it by that name)` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.trim().toLowerCase()}`) {
    return { status: 403, code: `${codePrefix}_ORIGIN_REFUSED`, message: `requests from the page of another origin (${origin}) are refused` };
  }
  return undefined;
}
