#!/bin/sh
# The image's entrypoint. `node` (the default) runs a storage node configured the way Storj node
# operators know: WALLET, EMAIL, ADDRESS (host:port others dial), STORAGE (like 2TB), SATELLITES
# (ID@multiaddr, comma-separated; or SATELLITE_ID_FILE + SATELLITE_ADDRESS: the satellite's peer id
# read from a file the satellite container wrote into a shared volume, as in compose.yaml; never
# from the network), identity in /app/identity, data in /app/config; SETUP=true only creates the
# identity. `satellite` runs a satellite (data in /app/config; with SATELLITE_ID_FILE it first
# writes its peer id there); `satellite setup` only creates its identity and admin token and prints
# the peer id. `gateway` runs the S3 gateway (credentials in /app/config, S3 on 0.0.0.0:7777; with
# SATELLITE_ID_FILE it serves accesses of that satellite only). Anything else is a `stowage` command.
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
    if [ -z "$SATELLITES" ] && [ -n "$SATELLITE_ID_FILE" ]; then
      # The satellite's container writes its id before it starts; wait for it (60 s at most).
      for _ in $(seq 1 60); do [ -s "$SATELLITE_ID_FILE" ] && break; sleep 1; done
      if [ ! -s "$SATELLITE_ID_FILE" ]; then echo "stowage: no satellite id in $SATELLITE_ID_FILE" >&2; exit 2; fi
      if [ -z "$SATELLITE_ADDRESS" ]; then echo "stowage: SATELLITE_ID_FILE needs SATELLITE_ADDRESS (the satellite's multiaddr)" >&2; exit 2; fi
      SATELLITES="$(cat "$SATELLITE_ID_FILE")@$SATELLITE_ADDRESS"
    fi
    if [ -z "$SATELLITES" ] && [ -n "$SATELLITE_ADMIN_URL" ]; then
      echo "stowage: SATELLITE_ADMIN_URL is not read any more (an unauthenticated answer could name any satellite): set SATELLITES=ID@ADDR or SATELLITE_ID_FILE" >&2
      exit 2
    fi
    if [ -n "$SATELLITES" ]; then export STOWAGE_NODE_SATELLITES="$SATELLITES"; fi
    # V8's young generation capped at 4 MiB: NODE_V8_FLAGS in src/node/runtime.ts says why.
    exec node --max-semi-space-size=4 "$cli" node run "$@"
    ;;
  satellite)
    export STOWAGE_SATELLITE_DATA_DIR="${STOWAGE_SATELLITE_DATA_DIR:-/app/config}"
    export STOWAGE_SATELLITE_LISTEN="${STOWAGE_SATELLITE_LISTEN:-/ip4/0.0.0.0/tcp/7777}"
    # On 0.0.0.0 the satellite refuses to dial nodes at private addresses (allowPrivateAddresses
    # auto); nodes on a private Docker network need STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES=true,
    # which compose.yaml sets. Not set here: a satellite facing the internet must keep refusing.
    # Inside the container the admin API must listen beyond loopback to be published at all;
    # publish it to 127.0.0.1 on the host (-p 127.0.0.1:7778:7778).
    export STOWAGE_SATELLITE_ADMIN="${STOWAGE_SATELLITE_ADMIN:-0.0.0.0:7778}"
    if [ "$1" = setup ]; then shift; exec node "$cli" satellite setup "$@"; fi
    if [ -n "$SATELLITE_ID_FILE" ]; then
      # Publish the peer id (public) for the nodes of this host, atomically.
      node "$cli" satellite setup >"$SATELLITE_ID_FILE.tmp"
      mv "$SATELLITE_ID_FILE.tmp" "$SATELLITE_ID_FILE"
    fi
    exec node "$cli" satellite run "$@"
    ;;
  gateway)
    export STOWAGE_GATEWAY_DATA_DIR="${STOWAGE_GATEWAY_DATA_DIR:-/app/config}"
    export STOWAGE_GATEWAY_LISTEN="${STOWAGE_GATEWAY_LISTEN:-0.0.0.0:7777}"
    if [ -z "$STOWAGE_GATEWAY_SATELLITES" ] && [ -n "$SATELLITE_ID_FILE" ]; then
      for _ in $(seq 1 60); do [ -s "$SATELLITE_ID_FILE" ] && break; sleep 1; done
      if [ ! -s "$SATELLITE_ID_FILE" ]; then echo "stowage: no satellite id in $SATELLITE_ID_FILE" >&2; exit 2; fi
      STOWAGE_GATEWAY_SATELLITES="$(cat "$SATELLITE_ID_FILE")"
      export STOWAGE_GATEWAY_SATELLITES
    fi
    if [ "$1" = register ]; then shift; exec node "$cli" gateway register "$@"; fi
    exec node "$cli" gateway run "$@"
    ;;
  *)
    exec node "$cli" "$role" "$@"
    ;;
esac
