// The compose network's one-shot client. `upload N`: creates an API key and an access (kept in
// /app/check), uploads N random files of mixed sizes, and notes their SHA-256. `verify`: downloads
// every noted file and compares; exit 1 on any difference. Prints one JSON line per result.
// It stands in for the operator: the API key comes from the admin API with the admin token
// (ADMIN_TOKEN_FILE, read-only from the satellite's volume, or STOWAGE_SATELLITE_ADMIN_TOKEN), the
// satellite's id from SATELLITE_ID_FILE (the file the satellite's container wrote), not from HTTP.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Stowage, createAccess } from '/app/dist/client/index.js';

const admin = process.env.SATELLITE_ADMIN_URL ?? 'http://satellite:7778';
const manifestFile = '/app/check/manifest.json';
const [command = 'verify', count = '3'] = process.argv.slice(2);

async function access() {
  if (existsSync(manifestFile)) return JSON.parse(readFileSync(manifestFile, 'utf8')).access;
  const id = readFileSync(process.env.SATELLITE_ID_FILE ?? '/app/satellite-id/id', 'utf8').trim();
  const token = process.env.STOWAGE_SATELLITE_ADMIN_TOKEN ?? readFileSync(process.env.ADMIN_TOKEN_FILE ?? '/app/satellite/admin.token', 'utf8').trim();
  const res = await fetch(`${admin}/api/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'compose-client' })
  });
  const key = await res.json();
  if (!res.ok) throw new Error(`the admin API made no key: ${JSON.stringify(key)}`);
  return createAccess(`${id}@${process.env.SATELLITE_ADDRESS ?? '/dns4/satellite/tcp/7777'}`, key.key);
}

const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : { access: await access(), files: {} };
const client = await Stowage.connect(manifest.access);
let failed = false;
try {
  if (command === 'upload') {
    if (!(await client.listBuckets()).some((b) => b.name === 'check')) await client.createBucket('check');
    const sizes = [0, 4069, 300_000, 3_000_000, 70_000_000];
    for (let i = 0; i < Number(count); i++) {
      const key = `file-${Date.now()}-${i}`;
      const bytes = randomBytes(sizes[i % sizes.length]);
      await client.upload('check', key, bytes);
      manifest.files[key] = createHash('sha256').update(bytes).digest('hex');
      console.log(JSON.stringify({ uploaded: key, size: bytes.length }));
    }
    writeFileSync(manifestFile, JSON.stringify(manifest));
  } else {
    for (const [key, want] of Object.entries(manifest.files)) {
      const hash = createHash('sha256');
      try {
        for await (const chunk of client.download('check', key)) hash.update(chunk);
        const got = hash.digest('hex');
        console.log(JSON.stringify({ verified: key, ok: got === want }));
        if (got !== want) failed = true;
      } catch (err) {
        failed = true;
        console.log(JSON.stringify({ verified: key, ok: false, error: err.message }));
      }
    }
  }
} finally {
  await client.close();
}
process.exit(failed ? 1 : 0);
