#!/usr/bin/env bash
# A local Referral Bus cluster on production engines, for operators and tests (docs/operators.md, "A local cluster"):
# PostgreSQL database referralbus, a replicating live/backup pair of the standalone Artemis (live on 127.0.0.1:61616,
# backup on 61617) and three bus nodes on HTTPS 8443, 8444 and 8445, all in the prod profile. On first start it makes
# the cluster's own PKI, secrets and referral-bus.yaml with docs/recipes/production.sh setup (in conf/ of the state
# folder below): the prod profile refuses the published sample keys.
#
#   deploy/local-cluster.sh start     create what is missing and start everything; returns once every node is ready
#   deploy/local-cluster.sh status    one line per process: name, up/down, pid, port
#   deploy/local-cluster.sh stop      stop the nodes, then the backup, then the primary (SIGTERM, SIGKILL after 60 s)
#
# State (PKI and configuration in conf/, broker instances, node data, pid files, logs) lives in
# $REFERRAL_BUS_CLUSTER_DIR (default target/local-cluster). Every setting below can be overridden from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STATE="${REFERRAL_BUS_CLUSTER_DIR:-target/local-cluster}"
# Not passed on: the bus refuses a REFERRAL_BUS_* variable that is not one of its settings (operators.md, "Configuration").
unset REFERRAL_BUS_CLUSTER_DIR
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
JAR_BUS="java -Xmx384m -jar $ROOT/target/referral-bus.jar"
REFERRAL_BUS="${REFERRAL_BUS:-$JAR_BUS}"                # how a bus node or tool runs (tests: the build's classes)
NODE_PORTS="${CLUSTER_NODE_PORTS:-8443 8444 8445}"     # one bus node per HTTPS port
PRIMARY_PORT="${CLUSTER_PRIMARY_PORT:-61616}"           # participants' acceptor of the live broker
BACKUP_PORT="${CLUSTER_BACKUP_PORT:-61617}"             # ... and of the backup, once it has taken over
PRIMARY_REPLICATION_PORT="${CLUSTER_PRIMARY_REPLICATION_PORT:-61716}"   # broker-to-broker only
BACKUP_REPLICATION_PORT="${CLUSTER_BACKUP_REPLICATION_PORT:-61717}"
PG_HOST="${CLUSTER_PG_HOST:-127.0.0.1}"
PG_PORT="${CLUSTER_PG_PORT:-5432}"
PG_USER="${CLUSTER_PG_USER:-postgres}"
DATABASE="${CLUSTER_DATABASE:-referralbus}"
START_TIMEOUT="${CLUSTER_START_TIMEOUT:-180}"            # seconds for each broker and for the nodes to be ready
export ARTEMIS_HEAP="${ARTEMIS_HEAP:-384M}"
CONF="$STATE/conf"                                      # the cluster's deployment: production.sh setup writes it
RECIPE="$ROOT/docs/recipes/production.sh"
AGENCY=border-service                                   # the participants the recipe issues keys to (besides the
PROVIDER=shelter-dushanbe                               # coordinator, child protection, an auditor and an admin)

fail() { echo "local-cluster.sh: $*" >&2; exit 2; }
say() { echo "local-cluster: $*"; }

pid_of() { [ -f "$STATE/$1.pid" ] && cat "$STATE/$1.pid" || true; }
alive() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The bus's connection to the pair: both acceptors, the bus's own certificate. Not the broker's topology (ha=false,
# useTopologyForLoadBalancing=false): the topology names the replication acceptors, which take no participant. A
# connection lost to the live broker is retried briefly, then the JMS listeners reconnect down the list, to the backup.
# The key is the bus's PKCS#12 keystore; its password stays a placeholder here, which the node resolves from its
# environment (secrets.env), so it is on no command line.
broker_url() {
  local tls="sslEnabled=true;keyStoreType=PKCS12;keyStorePath=$CONF/keys/bus.p12;keyStorePassword=\${REFERRAL_BUS_KEYSTORE_PASSWORD};trustStoreType=PEM;trustStorePath=$CONF/keys/ca.crt"
  echo "(tcp://127.0.0.1:$PRIMARY_PORT?$tls,tcp://127.0.0.1:$BACKUP_PORT?$tls)?ha=false;useTopologyForLoadBalancing=false;reconnectAttempts=3;retryInterval=500;initialConnectAttempts=3"
}

bus_settings() {
  echo "--referral-bus.home=$ROOT" \
       "--spring.datasource.url=jdbc:postgresql://$PG_HOST:$PG_PORT/$DATABASE" "--spring.datasource.username=$PG_USER" \
       "--spring.artemis.mode=native" "--spring.artemis.embedded.enabled=false" "--spring.artemis.broker-url=$(broker_url)"
}

database() {
  command -v psql >/dev/null || fail "psql is not installed: install the PostgreSQL client, or create database $DATABASE yourself."
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc "SELECT 1" >/dev/null 2>&1 \
    || fail "PostgreSQL is not reachable at $PG_HOST:$PG_PORT as $PG_USER: start it (docs/operators.md, 'A local cluster')."
  if [ "$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE \"$DATABASE\"" >/dev/null
    say "created database $DATABASE"
  fi
}

# broker ROLE PORT REPLICATION_PORT PEER_REPLICATION_PORT PATTERN WHAT: configuration from the bus's layout, instance,
# process; returns once its log shows PATTERN
broker() {
  local role="$1" port="$2" replication="$3" peer="$4" name="broker-$1"
  if alive "$name"; then return 0; fi
  # shellcheck disable=SC2046
  $REFERRAL_BUS broker-config --output "$STATE/$name-config" "--spring.config.additional-location=file:$CONF/referral-bus.yaml" \
      --referral-bus.broker.port="$port" --bus-certificate "$CONF/keys/referral-bus.crt" \
      --ha "$role" --ha-port "$replication" --ha-peer "127.0.0.1:$peer" --ha-password-file "$STATE/cluster.password" \
      > "$STATE/$name-config.log" 2>&1 || fail "broker-config for the $role failed: see $STATE/$name-config.log"
  deploy/artemis.sh create "$STATE/$name" "$STATE/$name-config"
  log_offset "$name"
  setsid deploy/artemis.sh run "$STATE/$name" >> "$STATE/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/$name.pid"
  await_log "$name" "$5" "$6"
}

# Logs are appended across starts: remember where this start's lines begin.
log_offset() { stat -c %s "$STATE/$1.log" 2>/dev/null > "$STATE/$1.log.offset" || echo 0 > "$STATE/$1.log.offset"; }

# await_log NAME PATTERN WHAT: until the process's log shows PATTERN since its last start
await_log() {
  local name="$1" pattern="$2" what="$3" waited=0 offset
  offset="$(cat "$STATE/$name.log.offset" 2>/dev/null || echo 0)"
  until tail -c "+$((offset + 1))" "$STATE/$name.log" 2>/dev/null | grep -q "$pattern"; do
    alive "$name" || fail "$name exited before it was $what: see $STATE/$name.log"
    [ "$waited" -lt "$((START_TIMEOUT * 2))" ] || fail "$name was not $what within ${START_TIMEOUT}s: see $STATE/$name.log"
    sleep 0.5; waited=$((waited + 1))
  done
}

node() {
  local n="$1" port="$2" name="node-$1"
  if alive "$name"; then return 0; fi
  mkdir -p "$STATE/$name"
  log_offset "$name"
  # The recipe's start: its secrets in the environment, its referral-bus.yaml (prod profile), then these settings.
  # shellcheck disable=SC2046
  setsid env CONF="$CONF" REFERRAL_BUS="$REFERRAL_BUS" bash "$RECIPE" start $(bus_settings) "--referral-bus.data-dir=$STATE/$name" \
      "--server.port=$port" "--spring.application.name=referral-bus-$name" >> "$STATE/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/$name.pid"
}

await_ready() {
  local name="$1" port="$2" waited=0
  until curl -sfk --max-time 2 "https://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    alive "$name" || fail "$name exited during start-up: see $STATE/$name.log"
    [ "$waited" -lt "$START_TIMEOUT" ] || fail "$name was not ready within ${START_TIMEOUT}s: see $STATE/$name.log"
    sleep 1; waited=$((waited + 1))
  done
}

# configure: on first start, the cluster's own deployment from the production recipe, in $CONF: a fresh CA, keys and
# certificates for the bus, the HTTPS server and the participants, secrets, registries (the provider on the QUEUE
# channel) and referral-bus.yaml with the prod profile; plus a client profile per participant for the command line.
configure() {
  [ ! -f "$CONF/referral-bus.yaml" ] || return 0
  command -v openssl >/dev/null || fail "openssl is not installed: the cluster makes its own PKI with it."
  rm -rf "$CONF"
  CONF="$CONF" DATA="$STATE/data" ORG="Referral Bus local cluster" BUS_HOST=localhost BIND=127.0.0.1 \
    HTTPS_PORT="${NODE_PORTS%% *}" BROKER_PORT="$PRIMARY_PORT" DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DATABASE" \
    DB_USER="$PG_USER" AGENCY="$AGENCY" PROVIDER="$PROVIDER" PROVIDER_CHANNEL=QUEUE \
    bash "$RECIPE" setup > "$STATE/setup.log" 2>&1 || { rm -f "$CONF/referral-bus.yaml"; fail "the production recipe's setup failed: see $STATE/setup.log"; }
  local id
  for id in "$AGENCY" "$PROVIDER" oversight-board bus-admin; do
    printf 'bus=https://localhost:%s\ncert=participants/%s.crt\nkey=participants/%s.key\nca=keys/ca.crt\n' \
      "${NODE_PORTS%% *}" "$id" "$id" > "$CONF/$id.properties"
  done
  say "made the cluster's PKI, secrets and configuration (prod profile) in $CONF"
}

start() {
  [ "$REFERRAL_BUS" != "$JAR_BUS" ] || [ -f "$ROOT/target/referral-bus.jar" ] \
    || fail "target/referral-bus.jar is missing: build it with 'mvn -B package -DskipTests'."
  command -v curl >/dev/null || fail "curl is not installed: the readiness checks need it."
  database
  configure
  deploy/artemis.sh fetch
  adopt_backup_journal
  # AMQ221007: Server is now active. AMQ221024: Backup server is synchronized with the primary.
  broker primary "$PRIMARY_PORT" "$PRIMARY_REPLICATION_PORT" "$BACKUP_REPLICATION_PORT" AMQ221007 "live"
  broker backup "$BACKUP_PORT" "$BACKUP_REPLICATION_PORT" "$PRIMARY_REPLICATION_PORT" AMQ221024 "in sync with the primary"
  local n=0 port
  for port in $NODE_PORTS; do n=$((n + 1)); node "$n" "$port"; done
  n=0
  for port in $NODE_PORTS; do n=$((n + 1)); await_ready "node-$n" "$port"; done
  status
}

status() {
  local name port pid state n=0
  line() {
    name="$1"; port="$2"; pid="$(pid_of "$name")"
    if alive "$name"; then state=up; else state=down; pid="${pid:--}"; fi
    printf '%-15s %-5s pid %-8s port %s%s\n' "$name" "$state" "${pid:--}" "$port" "$3"
  }
  local primary_role="" backup_role=""
  if alive broker-primary; then listening "$PRIMARY_PORT" && primary_role=" (live)" || primary_role=" (waiting)"; fi
  if alive broker-backup; then listening "$BACKUP_PORT" && backup_role=" (live: took over)" || backup_role=" (backup, replicating)"; fi
  line broker-primary "$PRIMARY_PORT" "$primary_role"
  line broker-backup "$BACKUP_PORT" "$backup_role"
  for port in $NODE_PORTS; do n=$((n + 1)); line "node-$n" "$port" ""; done
}

# stop_process NAME: SIGTERM to its process group, SIGKILL after 60 s
stop_process() {
  local name="$1" pid waited=0
  pid="$(pid_of "$name")"
  if alive "$name"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 120 ]; do sleep 0.5; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name did not stop within 60 s: killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$STATE/$name.pid"
}

# After a failover the backup's journal is the newer one. When the pair was stopped in that state, the primary
# would start on its stale journal (and the backup would then sync from it): give the primary the backup's journal.
adopt_backup_journal() {
  [ -f "$STATE/backup-was-live" ] && ! alive broker-backup || return 0
  rm -rf "$STATE/broker-primary/data.stale"
  [ ! -d "$STATE/broker-primary/data" ] || mv "$STATE/broker-primary/data" "$STATE/broker-primary/data.stale"
  cp -a "$STATE/broker-backup/data" "$STATE/broker-primary/data"
  rm -f "$STATE/backup-was-live"
  say "the backup was live when the pair stopped: the primary starts on its journal (the old one is in broker-primary/data.stale)"
}

stop() {
  local n=0 port names=()
  for port in $NODE_PORTS; do n=$((n + 1)); names+=("node-$n"); done
  for name in "${names[@]}"; do stop_process "$name" & done
  wait
  # The backup first: stopping the live broker first would make the backup take over.
  if alive broker-backup && ! alive broker-primary && listening "$BACKUP_PORT"; then
    touch "$STATE/backup-was-live"
  fi
  stop_process broker-backup
  stop_process broker-primary
}

case "${1:-}" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
