// How a storage node's Node.js runtime is started (devnet, Docker image, chaos run).

/**
 * V8 flags a storage node process runs with. V8 lets the young generation grow to 2 x 16 MiB, and
 * a node's startup alone grows it there and never gives it back; at 4 MiB its peak RSS in
 * `bench:e2e` (256 MiB) went from 162 to 146 MiB with the same upload and download rates (28 / 36-38
 * MB/s), under the 150 MiB goal of issue 23. They must be given when the process starts (V8 reads
 * them when it creates the heap): `node --max-semi-space-size=4 .../main.js node run`, or
 * `NODE_OPTIONS=--max-semi-space-size=4 stowage node run`.
 */
export const NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
