// fetch() of a satellite's admin API as its operator: with the bearer token (DATA_DIR/admin.token,
// `satellite.adminToken` in this process) and the JSON type on a body.

/** `init` with the token, and Content-Type: application/json when it has a body and names no type. */
export function withAdminToken(token: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined && init.body !== null && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return { ...init, headers };
}

/** GET (or `init.method`) `path` of an in-process satellite's admin API, with its token. */
export function adminFetch(satellite: { adminUrl: string | undefined; adminToken: string }, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${satellite.adminUrl!}${path}`, withAdminToken(satellite.adminToken, init));
}

/** The JSON answer of adminFetch. */
export async function adminJson<T>(satellite: { adminUrl: string | undefined; adminToken: string }, path: string, init: RequestInit = {}): Promise<T> {
  return (await (await adminFetch(satellite, path, init)).json()) as T;
}
