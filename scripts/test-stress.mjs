// npm run test:stress: the whole vitest suite STRESS_RUNS times (3) in a row, each in a shuffled
// order (files and the tests inside them; a fresh seed each run, printed so a failure replays
// with `npx vitest run --sequence.shuffle --sequence.seed=SEED`), while a busy loop per core keeps
// the machine loaded: a test that needs a fast or idle machine fails here. Exits non-zero when
// any run failed; prints each run's time.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { randomInt } from 'node:crypto';

const runs = Number(process.env.STRESS_RUNS ?? 3);
const loops = Number(process.env.STRESS_BUSY_LOOPS ?? availableParallelism());
const busy = Array.from({ length: loops }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopBusy = () => {
  for (const b of busy) b.kill('SIGKILL');
};
process.on('exit', stopBusy);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const results = [];
for (let i = 1; i <= runs; i++) {
  const seed = randomInt(2 ** 31);
  console.log(`\ntest:stress run ${i}/${runs}: npx vitest run --sequence.shuffle --sequence.seed=${seed} (${loops} busy loops beside it)`);
  const began = Date.now();
  const r = spawnSync('npx', ['vitest', 'run', '--sequence.shuffle', `--sequence.seed=${seed}`, ...process.argv.slice(2)], { stdio: 'inherit' });
  const minutes = (Date.now() - began) / 60_000;
  results.push({ run: i, seed, passed: r.status === 0, minutes });
  console.log(`test:stress run ${i}/${runs}: ${r.status === 0 ? 'passed' : 'FAILED'} in ${minutes.toFixed(1)} min (seed ${seed})`);
}
stopBusy();
console.log('\ntest:stress:');
for (const r of results) console.log(`  run ${r.run}: ${r.passed ? 'passed' : 'FAILED'}, ${r.minutes.toFixed(1)} min, seed ${r.seed}`);
process.exit(results.every((r) => r.passed) ? 0 : 1);
