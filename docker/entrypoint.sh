#!/bin/sh
# The image's entrypoint. `node` (the default) runs a storage node configured the way Storj node
# operators know: WALLET, EMAIL, ADDRESS (host:port others dial), STORAGE (like 2TB), SATELLITES
# (ID@multiaddr, comma-separated; or SATELLITE_ADMIN_URL + SATELLITE_ADDRESS to look the id up),
# identity in /app/identity, data in /app/config; SETUP=true only creates the identity.
# `satellite` runs a satellite (data in /app/config). Anything else is a `stowage` command.
set -e
role="${1:-node}"
[ "$#" -gt 0 ] && shift
cli=/app/dist/cli/main.js
case "$role" in
  node)
    export STOWAGE_NODE_DATA_DIR="${STOWAGE_NODE_DATA_DIR:-/app/config}"
    export STOWAGE_NODE_IDENTITY_DIR="${STOWAGE_NODE_IDENTITY_DIR:-/app/identity}"
    export STOWAGE_NODE_LISTEN="${STOWAGE_NODE_LISTEN:-/ip4/0.0.0.0/tcp/28967}"
    # Beyond loopback inside the container, so it can be published (to 127.0.0.1 on the host).
    export STOWAGE_NODE_DASHBOARD="${STOWAGE_NODE_DASHBOARD:-0.0.0.0:14002}"
    if [ -n "$WALLET" ]; then export STOWAGE_NODE_WALLET="$WALLET"; fi
    if [ -n "$EMAIL" ]; then export STOWAGE_NODE_EMAIL="$EMAIL"; fi
    if [ -n "$STORAGE" ]; then export STOWAGE_NODE_CAPACITY="$STORAGE"; fi
    if [ -n "$ADDRESS" ]; then
      host="${ADDRESS%:*}"
      port="${ADDRESS##*:}"
      case "$host" in *[!0-9.]*) proto=dns4 ;; *) proto=ip4 ;; esac
      export STOWAGE_NODE_ANNOUNCE="/$proto/$host/tcp/$port"
    fi
    if [ "$SETUP" = "true" ]; then exec node "$cli" node setup; fi
    if [ -z "$SATELLITES" ] && [ -n "$SATELLITE_ADMIN_URL" ]; then
      SATELLITES="$(node -e '
        const url = process.env.SATELLITE_ADMIN_URL + "/api/info";
        const tryOnce = (n) => fetch(url).then((r) => r.json()).then((i) => console.log(`${i.id}@${process.env.SATELLITE_ADDRESS}`))
          .catch((e) => (n > 0 ? new Promise((r) => setTimeout(r, 1000)).then(() => tryOnce(n - 1)) : Promise.reject(e)));
        tryOnce(60).catch((e) => { console.error(`stowage: cannot reach ${url}: ${e.message}`); process.exit(1); });')"
    fi
    if [ -n "$SATELLITES" ]; then export STOWAGE_NODE_SATELLITES="$SATELLITES"; fi
    exec node "$cli" node run "$@"
    ;;
  satellite)
    export STOWAGE_SATELLITE_DATA_DIR="${STOWAGE_SATELLITE_DATA_DIR:-/app/config}"
    export STOWAGE_SATELLITE_LISTEN="${STOWAGE_SATELLITE_LISTEN:-/ip4/0.0.0.0/tcp/7777}"
    # Inside the container the admin API must listen beyond loopback to be published at all;
    # publish it to 127.0.0.1 on the host (-p 127.0.0.1:7778:7778).
    export STOWAGE_SATELLITE_ADMIN="${STOWAGE_SATELLITE_ADMIN:-0.0.0.0:7778}"
    exec node "$cli" satellite run "$@"
    ;;
  *)
    exec node "$cli" "$role" "$@"
    ;;
esac
