#!/usr/bin/env bash
# Referral Bus -- a complete production set-up, tested by ProductionRecipeEndToEndTest.
#
#   bash production.sh setup            fresh PKI, registries, secrets and referral-bus.yaml under $CONF
#   bash production.sh archive          a class-data-sharing archive, so that start is faster (per release and JVM)
#   bash production.sh start            the bus with the prod profile (what a service manager runs)
#   bash production.sh verify           audit verify, with the same configuration as the bus
#   bash production.sh submit FILE.xml  an agency clerk's submission with openssl and curl (first-referral check)
#   bash production.sh fetch            the provider's inbox: fetch every delivery, open and verify it with openssl
#
# Every value below can be overridden from the environment. Requires openssl 3, curl, jq, Java 17, PostgreSQL.
set -euo pipefail

CONF="${CONF:-/etc/referral-bus}"                   # configuration, keys, registries (root:referral-bus, 0750)
DATA="${DATA:-/var/lib/referral-bus}"               # broker journal; the database is PostgreSQL
ORG="${ORG:-Ministry of Labour of the Republic of Tajikistan}"
BUS_HOST="${BUS_HOST:-referral-bus.example.org}"     # the name agencies and providers connect to
BIND="${BIND:-0.0.0.0}"                              # server.address: the interface HTTPS listens on (default 127.0.0.1)
HTTPS_PORT="${HTTPS_PORT:-8443}"
BROKER_PORT="${BROKER_PORT:-61616}"                  # embedded broker, loopback only
DB_URL="${DB_URL:-jdbc:postgresql://127.0.0.1:5432/referralbus}"
DB_USER="${DB_USER:-referralbus}"
AGENCY="${AGENCY:-border-service}"                   # the registry minimum: one agency, one provider,
PROVIDER="${PROVIDER:-shelter-dushanbe}"             # the coordinator and child protection
PROVIDER_CHANNEL="${PROVIDER_CHANNEL:-INBOX}"        # the provider's channel: INBOX (fetch) or QUEUE (listen, AMQP)
REFERRAL_BUS="${REFERRAL_BUS:-java -jar /opt/referral-bus/referral-bus.jar}"   # the jar's folder holds routes/
ARCHIVE="${ARCHIVE:-$DATA/referral-bus.jsa}"         # written by archive; start and verify map it when it is there
HEAP="${HEAP:-512m}"                                # the bus's heap, fixed (-Xms = -Xmx), unless REFERRAL_BUS sets one
DAYS="${DAYS:-825}"
URN="urn:referral-bus:participant:"

setup() {
  umask 027
  mkdir -p "$CONF/ca" "$CONF/keys" "$CONF/registry" "$CONF/participants" "$DATA"

  # 1. The CA. Keep ca/ca.key offline (a separate machine or token) once the certificates are issued.
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$CONF/ca/ca.key"
  openssl req -new -x509 -sha256 -days 3650 -key "$CONF/ca/ca.key" -subj "/O=$ORG/CN=$ORG Referral CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$CONF/keys/ca.crt"

  # 2. Certificate profiles. A participant: id in a SAN URI, role in OU; EC keys sign (digitalSignature) and
  #    receive envelopes (keyAgreement); RSA keys would need keyEncipherment instead.
  cat > "$CONF/ca/participant.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = clientAuth, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
EOF
  #    The HTTPS server: the host name agencies and providers use, serverAuth only.
  cat > "$CONF/ca/tls.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = DNS:$BUS_HOST, DNS:localhost, IP:127.0.0.1
EOF

  # 3. Keys and certificates. In a real deployment each agency and provider makes its own key and sends only a
  #    certificate request (sign_request below); here they are made in $CONF/participants for the first check.
  issue bus referral-bus "$CONF/keys"
  issue agency "$AGENCY" "$CONF/participants"
  issue provider "$PROVIDER" "$CONF/participants"
  issue provider coordinator "$CONF/participants"
  issue provider child-protection-national "$CONF/participants"
  issue auditor oversight-board "$CONF/participants"
  issue admin bus-admin "$CONF/participants"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$CONF/keys/tls.key"
  openssl req -new -key "$CONF/keys/tls.key" -subj "/O=$ORG/CN=$BUS_HOST" -out "$CONF/ca/tls.csr"
  openssl x509 -req -sha256 -days "$DAYS" -in "$CONF/ca/tls.csr" -CA "$CONF/keys/ca.crt" -CAkey "$CONF/ca/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -extfile "$CONF/ca/tls.ext" -out "$CONF/keys/tls.crt"

  # 4. Secrets. The two keystore passwords go to the service's environment file (mode 0600), never into
  #    referral-bus.yaml; the person-key secret and the key that encrypts auditors' TOTP secrets are files holding
  #    base64:<32 random bytes>, outside the database.
  cat > "$CONF/secrets.env" <<EOF
REFERRAL_BUS_KEYSTORE_PASSWORD=$(openssl rand -hex 24)
REFERRAL_BUS_TLS_KEYSTORE_PASSWORD=$(openssl rand -hex 24)
SPRING_DATASOURCE_PASSWORD=${DB_PASSWORD:-}
EOF
  chmod 600 "$CONF/secrets.env"
  ( umask 077; echo "base64:$(openssl rand -base64 32)" > "$CONF/keys/person-key.secret" )
  ( umask 077; echo "base64:$(openssl rand -base64 32)" > "$CONF/keys/totp.key" )
  set -a; . "$CONF/secrets.env"; set +a

  # 5. Both bus keys in PKCS#12, the plain key files removed. bus.crt stays: agencies encrypt for it.
  openssl pkcs12 -export -inkey "$CONF/keys/referral-bus.key" -in "$CONF/keys/referral-bus.crt" -name bus \
    -passout env:REFERRAL_BUS_KEYSTORE_PASSWORD -out "$CONF/keys/bus.p12"
  openssl pkcs12 -export -inkey "$CONF/keys/tls.key" -in "$CONF/keys/tls.crt" -name tls \
    -passout env:REFERRAL_BUS_TLS_KEYSTORE_PASSWORD -out "$CONF/keys/tls.p12"
  #    The broker's TLS acceptor (Artemis) reads the HTTPS certificate with a PEM copy of its key (mode 0600).
  rm -f "$CONF/keys/referral-bus.key" "$CONF/ca/tls.csr"
  chmod 640 "$CONF/keys/"*.p12
  chmod 600 "$CONF/keys/tls.key"

  # 6. The registry minimum: the agency, the provider, the coordinator (receives what no rule may route) and
  #    child protection (every minor is also referred there); auditors and admins for the trail and metrics.
  cat > "$CONF/registry/agencies.yaml" <<EOF
agencies:
  - id: $AGENCY
    name: $AGENCY
    certificate: ../participants/$AGENCY.crt
EOF
  cat > "$CONF/registry/providers.yaml" <<EOF
providers:
  - id: $PROVIDER
    name: $PROVIDER
    services: [SHELTER]
    regions: [DUSHANBE, RRS]
    certificate: ../participants/$PROVIDER.crt
    channel: $PROVIDER_CHANNEL
  - id: child-protection-national
    name: Child protection service
    services: [CHILD_PROTECTION]
    regions: [NATIONAL]
    accepts:
      age: MINORS
    certificate: ../participants/child-protection-national.crt
    channel: INBOX
  - id: coordinator
    name: National coordinator case desk
    services: []
    regions: [NATIONAL]
    certificate: ../participants/coordinator.crt
    channel: INBOX
EOF
  cat > "$CONF/registry/oversight.yaml" <<EOF
auditors:
  - id: oversight-board
    name: Oversight board
    certificate: ../participants/oversight-board.crt
admins:
  - id: bus-admin
    name: Bus operators
    certificate: ../participants/bus-admin.crt
EOF

  # 7. Every property the bus needs; the bus and audit verify read this same file.
  cat > "$CONF/referral-bus.yaml" <<EOF
spring:
  profiles:
    active: prod
  datasource:
    url: $DB_URL
    username: $DB_USER
    # password: SPRING_DATASOURCE_PASSWORD in secrets.env
server:
  address: $BIND
  port: $HTTPS_PORT
referral-bus:
  data-dir: $DATA
  broker:
    host: 127.0.0.1
    port: $BROKER_PORT
    certificate: $CONF/keys/tls.crt
    private-key: $CONF/keys/tls.key
  identity:
    keystore: $CONF/keys/bus.p12
    key-alias: bus
    # keystore-password: REFERRAL_BUS_KEYSTORE_PASSWORD in secrets.env
    trust-anchors: $CONF/keys/ca.crt
  tls:
    keystore: $CONF/keys/tls.p12
    key-alias: tls
    # keystore-password: REFERRAL_BUS_TLS_KEYSTORE_PASSWORD in secrets.env
  participants:
    agencies: $CONF/registry/agencies.yaml
  registry:
    providers: $CONF/registry/providers.yaml
    oversight: $CONF/registry/oversight.yaml
  dedupe:
    person-key-secret: $CONF/keys/person-key.secret
  audit:
    totp-encryption:
      key: $CONF/keys/totp.key
EOF
  echo "set up in $CONF; bus certificate for agencies: $CONF/keys/referral-bus.crt"
}

# issue ROLE ID DIR: a key and a certificate of the participant profile
issue() {
  local role="$1" id="$2" dir="$3"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$id.key"
  openssl req -new -key "$dir/$id.key" -subj "/O=$ORG/OU=$role/CN=$id" -out "$dir/$id.csr"
  sign_request "$role" "$id" "$dir/$id.csr" "$dir/$id.crt"
  rm -f "$dir/$id.csr"
}

# sign_request ROLE ID CSR CRT: what the CA does with a participant's request (the subject is set here, not taken
# from the request, so a participant cannot choose its own id or role)
sign_request() {
  local role="$1" id="$2" csr="$3" crt="$4"
  openssl x509 -req -sha256 -days "$DAYS" -in "$csr" -CA "$CONF/keys/ca.crt" -CAkey "$CONF/ca/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -subj "/O=$ORG/OU=$role/CN=$id" \
    -extfile <(cat "$CONF/ca/participant.ext"; echo "subjectAltName = URI:$URN$id") -out "$crt"
}

run_bus() {
  secrets
  if [ -f "$ARCHIVE" ]; then
    export JAVA_TOOL_OPTIONS="-XX:SharedArchiveFile=$ARCHIVE${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}"
  fi
  case "$REFERRAL_BUS ${JAVA_TOOL_OPTIONS:-}" in
    *-Xm[sx]*) ;;                                     # a heap chosen by hand stands as it is
    *) export JAVA_TOOL_OPTIONS="-Xms$HEAP -Xmx$HEAP${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}" ;;
  esac
  exec $REFERRAL_BUS "$@" --spring.config.additional-location="file:$CONF/referral-bus.yaml"
}

# The keystore and database passwords: from secrets.env, unless the bus's user may not read it (root's, mode 0600);
# then the service manager gives them (EnvironmentFile=$CONF/secrets.env).
secrets() {
  if [ -r "$CONF/secrets.env" ]; then set -a; . "$CONF/secrets.env"; set +a; fi
}

# Spring Boot's class-data-sharing recipe (operators.md, "Start-up: a class-data-sharing archive"): the bus starts
# with this configuration on a scratch data folder, H2 database and free ports, stops once its context is refreshed
# (it serves and receives nothing), and the JVM writes the classes it loaded to $ARCHIVE. Again after every release
# and JVM update: a JVM that cannot use the archive starts without it, only slower.
archive() {
  local scratch
  scratch="$(mktemp -d)"
  rm -f "$ARCHIVE"
  if ( secrets
       JAVA_TOOL_OPTIONS="-XX:ArchiveClassesAtExit=$ARCHIVE -Dspring.context.exit=onRefresh" $REFERRAL_BUS \
         --spring.config.additional-location="file:$CONF/referral-bus.yaml" --referral-bus.data-dir="$scratch/data" \
         --spring.datasource.url="jdbc:h2:file:$scratch/data/db/referral-bus" --spring.datasource.username=sa \
         --spring.datasource.password= --server.port=0 --referral-bus.broker.port=0 ) > "$scratch/training.log" 2>&1 \
     && [ -f "$ARCHIVE" ]; then
    rm -rf "$scratch"
    echo "class-data-sharing archive: $ARCHIVE"
  else
    echo "The training run wrote no archive; its output is in $scratch/training.log. Start works without one, only" \
         "slower, unless that log says APPLICATION FAILED TO START: then start fails the same way; correct what it says." >&2
    exit 1
  fi
}

submit() {
  local xml="$1" p="$CONF/participants" work
  work="$(mktemp -d)"
  openssl cms -sign -nodetach -binary -md sha256 -outform DER -in "$xml" \
    -signer "$p/$AGENCY.crt" -inkey "$p/$AGENCY.key" -out "$work/signed.der"
  openssl cms -encrypt -binary -aes-256-gcm -inform DER -in "$work/signed.der" \
    -recip "$CONF/keys/referral-bus.crt" -outform DER -out "$work/referral.cms"
  curl -sS --fail-with-body --cacert "$CONF/keys/ca.crt" --cert "$p/$AGENCY.crt" --key "$p/$AGENCY.key" \
    -H "Content-Type: application/pkcs7-mime" --data-binary "@$work/referral.cms" \
    "https://$BUS_HOST:$HTTPS_PORT/api/v1/referrals"
  echo
  rm -rf "$work"
}

fetch() {
  local p="$CONF/participants" out="${OUT:-$PWD}" id
  local tls=(--cacert "$CONF/keys/ca.crt" --cert "$p/$PROVIDER.crt" --key "$p/$PROVIDER.key")
  umask 077; mkdir -p "$out"   # opened referrals are readable personal data: the provider's eyes only
  for id in $(curl -sS --fail-with-body "${tls[@]}" "https://$BUS_HOST:$HTTPS_PORT/api/v1/inbox" | jq -r '.deliveries[].deliveryId'); do
    curl -sS --fail-with-body "${tls[@]}" -o "$out/$id.cms" "https://$BUS_HOST:$HTTPS_PORT/api/v1/inbox/$id"
    # openssl cms -decrypt writes output even when the envelope was tampered with: check its exit code.
    if openssl cms -decrypt -inform DER -in "$out/$id.cms" -recip "$p/$PROVIDER.crt" -inkey "$p/$PROVIDER.key" \
         -out "$out/$id.signed.der" \
       && openssl cms -verify -inform DER -in "$out/$id.signed.der" -CAfile "$CONF/keys/ca.crt" -out "$out/$id.xml"; then
      echo "opened $out/$id.xml"
    else
      rm -f "$out/$id.signed.der" "$out/$id.xml"; echo "REFUSED $id" >&2; exit 1
    fi
  done
}

case "${1:-}" in
  setup) setup ;;
  archive) archive ;;
  start) shift; run_bus "$@" ;;
  verify) shift; run_bus audit verify "$@" ;;
  submit) submit "$2" ;;
  fetch) fetch ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
