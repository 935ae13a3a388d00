/** One JSON-RPC call straight to a chain endpoint (a test's controls of anvil: snapshots, mining, reverts). */
export async function jsonRpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** The receipt of `hash`, polled: anvil's automine answers the send before the receipt is always readable (CI saw null under load). */
export async function receiptOf(url: string, hash: string, timeoutMs = 30_000): Promise<unknown> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const receipt = await jsonRpc(url, 'eth_getTransactionReceipt', [hash]);
    if (receipt !== null) return receipt;
  }
  throw new Error(`no receipt for ${hash} within ${timeoutMs} ms`);
}
