// JSON from the page's own server (the same origin: the node's dashboard or the satellite's admin
// address), with the server's typed error when it answers one. A page whose API needs a bearer
// token (the satellite's) sets it once with setAuthToken.

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

let authToken: string | undefined;

/** The bearer token sent with every request from now on (undefined: none). */
export function setAuthToken(token: string | undefined): void {
  authToken = token;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    const headers: Record<string, string> = authToken ? { authorization: `Bearer ${authToken}` } : {};
    res = await fetch(new URL(path.replace(/^\//, ''), document.baseURI), { signal, cache: 'no-store', headers });
  } catch (err) {
    throw new ApiError('UNREACHABLE', `cannot reach the server: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(e?.code ?? `HTTP_${res.status}`, e?.message ?? `${path} answered ${res.status}`);
  }
  return body as T;
}
