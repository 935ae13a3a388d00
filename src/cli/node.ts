// `stowage node run`: a storage node in the foreground until SIGTERM or SIGINT, which finish or
// abort transfers in progress and close the stores before exiting 0.
import { loadNodeConfig, StorageNode } from '../node/index.js';
import { untilStopSignal } from './signals.js';

export const NODE_USAGE = `usage: stowage node run [options]

options (environment variable in brackets; defaults in the README):
  --data-dir DIR            identity, pieces and records [STOWAGE_NODE_DATA_DIR] (./stowage-node)
  --listen MULTIADDR        repeatable [STOWAGE_NODE_LISTEN, comma-separated] (/ip4/0.0.0.0/tcp/28967)
  --announce MULTIADDR      repeatable, the addresses others should dial [STOWAGE_NODE_ANNOUNCE]
  --capacity SIZE           like 2TB or 500GB [STOWAGE_NODE_CAPACITY] (1TB)
  --satellite ID@MULTIADDR  a trusted satellite, repeatable [STOWAGE_NODE_SATELLITES] (required)
  --wallet ADDRESS          where payouts go [STOWAGE_NODE_WALLET]
  --email ADDRESS           operator contact [STOWAGE_NODE_EMAIL]
  --log-level LEVEL         trace, debug, info, warn, error [STOWAGE_LOG_LEVEL] (info)
  --config FILE             JSON with the same settings in camelCase [STOWAGE_NODE_CONFIG]`;

export async function nodeCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'run' || rest.includes('--help') || rest.includes('-h')) {
    console.log(NODE_USAGE);
    return sub === 'run' || sub === undefined || sub === '--help' ? 0 : 2;
  }
  const node = await StorageNode.start(loadNodeConfig(rest));
  await untilStopSignal();
  await node.stop();
  return 0;
}
