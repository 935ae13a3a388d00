#!/usr/bin/env bash
# npm run test:postgres: the satellite's stores on PostgreSQL. Installs Debian's postgresql when
# no initdb is found, then runs vitest.postgres.config.ts: its global setup starts a throwaway
# cluster (test/postgres/cluster.ts: a temporary directory, a free loopback port, run as the
# unprivileged `postgres` user when this runs as root), the store contract on LevelDB and on
# PostgreSQL, then the tests of several satellite processes over one database and of migration.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed: run as root to have it installed, or: apt-get install postgresql" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends postgresql
fi
node scripts/build-if-needed.mjs
exec npx vitest run --config vitest.postgres.config.ts "$@"
