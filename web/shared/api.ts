// JSON from the page's own server (the same origin: the node's dashboard or the satellite's admin
// address), with the server's typed error when it answers one.

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path.replace(/^\//, ''), document.baseURI), { signal, cache: 'no-store' });
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
