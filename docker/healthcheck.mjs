// HEALTHCHECK: a satellite answers its admin API (with the admin token of its data directory); a
// storage node accepts TCP on its libp2p port; a gateway answers GET /_stowage/health.
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

const commands = readdirSync('/proc')
  .filter((p) => /^\d+$/.test(p))
  .map((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      return '';
    }
  });
const fail = (why) => {
  console.error(why);
  process.exit(1);
};
if (commands.some((c) => c.includes('main.js satellite run'))) {
  const admin = (process.env.STOWAGE_SATELLITE_ADMIN || '0.0.0.0:7778').replace(/^0\.0\.0\.0:/, '127.0.0.1:');
  let token = '';
  try {
    token = readFileSync(`${process.env.STOWAGE_SATELLITE_DATA_DIR || '/app/config'}/admin.token`, 'utf8').trim();
  } catch (e) {
    fail(`no admin token yet: ${e.message}`);
  }
  fetch(`http://${admin}/api/info`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2500) })
    .then((r) => (r.ok ? process.exit(0) : fail(`admin API answered ${r.status}`)))
    .catch((e) => fail(e.message));
} else if (commands.some((c) => c.includes('main.js node run'))) {
  const socket = connect(28967, '127.0.0.1', () => {
    socket.end();
    process.exit(0);
  });
  socket.on('error', (e) => fail(e.message));
  socket.setTimeout(2500, () => fail('no answer on 28967'));
} else if (commands.some((c) => c.includes('main.js gateway run'))) {
  const listen = (process.env.STOWAGE_GATEWAY_LISTEN || '0.0.0.0:7777').replace(/^0\.0\.0\.0:/, '127.0.0.1:');
  fetch(`http://${listen}/_stowage/health`, { signal: AbortSignal.timeout(2500) })
    .then((r) => (r.ok ? process.exit(0) : fail(`the gateway answered ${r.status}`)))
    .catch((e) => fail(e.message));
} else {
  fail('neither a node, a satellite nor a gateway is running');
}
