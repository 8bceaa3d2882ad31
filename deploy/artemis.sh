#!/usr/bin/env bash
# The standalone Artemis broker for Referral Bus, from the official distribution on Maven Central
# (org.apache.activemq:apache-artemis:2.40.0, classifier bin, tar.gz), configured from the bus's own layout.
#
#   deploy/artemis.sh fetch                      download (Maven: ~/.m2, else Maven Central) and unpack the distribution
#                                                (without Maven: the archive put in ARTEMIS_WORK by hand is unpacked)
#   deploy/artemis.sh create INSTANCE CONFIG     create a broker instance in INSTANCE and install CONFIG, the files
#                                                `referral-bus.jar broker-config --output CONFIG` wrote (broker.xml,
#                                                login.config, acceptor.pemcfg, cert-users.properties, cert-roles.properties)
#   deploy/artemis.sh run INSTANCE               run it in the foreground (a service manager's ExecStart)
#
# ARTEMIS_WORK (default target/artemis) holds the download and the unpacked distribution; ARTEMIS_HEAP (e.g. 384M)
# caps an instance's heap at create. A replicating live/backup pair: one 'broker-config --ha primary|backup' and one
# 'create' per broker (deploy/local-cluster.sh does both; docs/operators.md, "A local cluster").
# docs/operators.md, "The broker", has the whole procedure.
set -euo pipefail
VERSION=2.40.0
ORIGIN="$PWD"
cd "$(dirname "$0")/.."
# INSTANCE and CONFIG are as the caller typed them: relative to the caller's folder, not to this checkout.
from_caller() { case "$1" in /*|"") printf '%s' "$1" ;; *) printf '%s' "$ORIGIN/$1" ;; esac; }
WORK="${ARTEMIS_WORK:-target/artemis}"
HOME_DIR="$WORK/apache-artemis-$VERSION"

fail() { echo "artemis.sh: $*" >&2; exit 2; }

fetch() {
  if [ -x "$HOME_DIR/bin/artemis" ]; then
    return 0
  fi
  mkdir -p "$WORK"
  if [ ! -f "$WORK/apache-artemis-$VERSION-bin.tar.gz" ]; then
    # A server may have no Maven: the archive downloaded by hand (or copied from another machine) does as well.
    command -v mvn >/dev/null || fail "Maven (mvn) is not installed to fetch apache-artemis $VERSION: install it, or put\
 apache-artemis-$VERSION-bin.tar.gz (https://archive.apache.org/dist/activemq/activemq-artemis/$VERSION/) in $(cd "$WORK" && pwd)"
    mvn -B -q dependency:copy -Dartifact="org.apache.activemq:apache-artemis:$VERSION:tar.gz:bin" \
        -DoutputDirectory="$WORK" -Dmdep.overWriteIfNewer=true \
      || fail "could not fetch apache-artemis $VERSION (bin, tar.gz) from Maven; is Maven Central (or a mirror) reachable?"
  fi
  local archive="$WORK/apache-artemis-$VERSION-bin.tar.gz"
  # A download cut short (by hand, or copied half-way) got tar's own "Unexpected EOF" and gzip's CRC messages.
  tar -tzf "$archive" >/dev/null 2>&1 || fail "$(cd "$WORK" && pwd)/apache-artemis-$VERSION-bin.tar.gz is not a whole\
 archive (a download cut short, or copied half-way?): delete it and run 'deploy/artemis.sh fetch' again, or put a whole copy there"
  tar -xzf "$archive" -C "$WORK"
  [ -x "$HOME_DIR/bin/artemis" ] || fail "the archive did not unpack to $HOME_DIR"
}

create() {
  local instance config
  instance="$(from_caller "${1:-}")" config="$(from_caller "${2:-}")"
  [ -n "$instance" ] && [ -n "$config" ] || fail "usage: deploy/artemis.sh create INSTANCE CONFIG"
  for file in broker.xml login.config acceptor.pemcfg cert-users.properties cert-roles.properties; do
    [ -f "$config/$file" ] || fail "$config/$file is missing: write it with 'referral-bus.jar broker-config --output $config'"
  done
  fetch
  if [ ! -x "$instance/bin/artemis" ]; then
    # The admin user is required by 'create' but never used: login is by certificate only (login.config below).
    "$HOME_DIR/bin/artemis" create "$instance" --silent --force --host 127.0.0.1 --require-login \
        --user unused-admin --password "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" --no-web >/dev/null
  fi
  cp "$config/broker.xml" "$config/login.config" "$config/acceptor.pemcfg" "$config/cert-users.properties" "$config/cert-roles.properties" "$instance/etc/"
  # broker.xml of a replicating pair holds the cluster password.
  chmod 600 "$instance/etc/"*.properties "$instance/etc/broker.xml"
  if [ -n "${ARTEMIS_HEAP:-}" ]; then
    # The distribution's default heap (2 GB) is for a dedicated machine; a local cluster shares one.
    sed -i -E "s/-Xmx[0-9]+[MmGg]/-Xmx$ARTEMIS_HEAP/; s/-Xms[0-9]+[MmGg]/-Xms64M/" "$instance/etc/artemis.profile"
  fi
}

run() {
  local instance
  instance="$(from_caller "${1:-}")"
  [ -x "$instance/bin/artemis" ] || fail "no broker instance at '$instance': run 'deploy/artemis.sh create' first"
  exec "$instance/bin/artemis" run
}

case "${1:-}" in
  fetch) fetch ;;
  create) shift; create "$@" ;;
  run) shift; run "$@" ;;
  *) fail "usage: deploy/artemis.sh fetch | create INSTANCE CONFIG | run INSTANCE" ;;
esac
