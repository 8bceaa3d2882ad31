#!/usr/bin/env bash
# Referral Bus -- SAMPLE PKI generator.
#
#   SAMPLE ONLY -- NEVER USE IN PRODUCTION.
#
# Regenerates every key and certificate in this folder from scratch
# (idempotent; can be run from any directory):
#
#   bash keys-sample/generate.sh
#
# or, keeping the existing CA and every existing key and certificate, issues
# only the ones that are missing (e.g. after a new participant was added below):
#
#   bash keys-sample/generate.sh --missing
#
# Requires only the openssl (3.x) binary.
set -euo pipefail
cd "$(dirname "$0")"

ORG="Referral Bus SAMPLE ONLY"
DAYS=3650
URN_PREFIX="urn:referral-bus:participant:"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

MODE="${1:-all}"
if [[ "$MODE" != all && "$MODE" != --missing ]]; then
  echo "usage: $0 [--missing]" >&2; exit 2
fi
if [[ "$MODE" == all ]]; then
  # Start from scratch.
  rm -rf agencies providers auditors admins bus tls
  rm -f ca.crt ca.key ca.srl
elif [[ ! -f ca.key || ! -f ca.crt ]]; then
  echo "--missing needs the existing ca.crt and ca.key" >&2; exit 1
fi
mkdir -p agencies providers auditors admins bus tls

# In --missing mode an existing certificate is kept as it is.
exists() { [[ "$MODE" == --missing && -f "$1" ]]; }

# --- key generation (always PKCS#8, unencrypted) ---------------------------
gen_ec_key() {  # $1 = output file, $2 = curve
  openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$2" \
    -pkeyopt ec_param_enc:named_curve -out "$1" 2>/dev/null
  chmod 600 "$1"
}
gen_rsa_key() {  # $1 = output file, $2 = bits
  openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1" 2>/dev/null
  chmod 600 "$1"
}

# --- CA ----------------------------------------------------------------------
if [[ "$MODE" == all ]]; then
gen_ec_key ca.key P-384
cat > "$TMP/ca.cnf" <<EOF
[ req ]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[ dn ]
O = $ORG
CN = Referral Bus Sample CA
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
openssl req -new -x509 -sha256 -days "$DAYS" -config "$TMP/ca.cnf" \
  -key ca.key -set_serial "0x$(openssl rand -hex 16)" -out ca.crt
fi

# --- issue a certificate signed by the CA -----------------------------------
# $1 = key file, $2 = cert file, $3 = subject, $4 = extension file
issue() {
  local key="$1" crt="$2" subj="$3" ext="$4"
  openssl req -new -sha256 -key "$key" -subj "$subj" -out "$TMP/req.csr"
  openssl x509 -req -sha256 -days "$DAYS" -in "$TMP/req.csr" \
    -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
    -extfile "$ext" -out "$crt" 2>/dev/null
  rm -f "$TMP/req.csr"
}

# $1 = folder, $2 = role, $3 = id, $4 = ec|rsa, $5 = file base name (default: id)
participant() {
  local dir="$1" role="$2" id="$3" type="$4" name="${5:-$3}" ku
  if exists "$dir/$name.crt"; then echo "  $dir/$name.crt (kept)"; return; fi
  if [[ "$type" == rsa ]]; then
    gen_rsa_key "$dir/$name.key" 3072
    ku="digitalSignature, keyEncipherment"
  else
    gen_ec_key "$dir/$name.key" P-256
    ku="digitalSignature, keyAgreement"
  fi
  cat > "$TMP/p.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = critical, $ku
extendedKeyUsage = clientAuth, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = URI:${URN_PREFIX}${id}
EOF
  issue "$dir/$name.key" "$dir/$name.crt" "/O=$ORG/OU=$role/CN=$id" "$TMP/p.ext"
  echo "  $dir/$name.crt ($role, $type)"
}

echo "Generating SAMPLE PKI in $(pwd)"
echo "  ca.crt (CA)"

# --- the bus itself ---------------------------------------------------------
participant bus bus referral-bus ec bus

# --- HTTPS server certificate -----------------------------------------------
if ! exists tls/localhost.crt; then
gen_ec_key tls/localhost.key P-256
cat > "$TMP/tls.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = DNS:localhost, IP:127.0.0.1
EOF
issue tls/localhost.key tls/localhost.crt "/O=$ORG/CN=localhost" "$TMP/tls.ext"
echo "  tls/localhost.crt (TLS server)"
fi

# --- referring agencies -----------------------------------------------------
participant agencies agency border-service     ec
participant agencies agency interior-ministry  rsa
participant agencies agency iom-mission        ec
participant agencies agency ngo-hotline        ec

# --- assistance providers ---------------------------------------------------
participant providers provider shelter-dushanbe          ec
participant providers provider legal-aid-khujand         rsa
participant providers provider medical-dushanbe          ec
participant providers provider psychosocial-khatlon      ec
participant providers provider reintegration-national   ec
participant providers provider child-protection-national ec
participant providers provider coordinator               ec

# --- auditors ---------------------------------------------------------------
participant auditors auditor oversight-board ec

# --- bus operators (metrics, health; never referral content) -----------------
participant admins admin bus-admin ec

# --- self-check -------------------------------------------------------------
fail=0
for c in bus/*.crt tls/*.crt agencies/*.crt providers/*.crt auditors/*.crt admins/*.crt; do
  openssl verify -CAfile ca.crt "$c" >/dev/null || { echo "VERIFY FAILED: $c" >&2; fail=1; }
done
for k in ca.key bus/*.key tls/*.key agencies/*.key providers/*.key auditors/*.key admins/*.key; do
  head -1 "$k" | grep -q -- '-----BEGIN PRIVATE KEY-----' || { echo "NOT PKCS#8: $k" >&2; fail=1; }
done
[[ $fail == 0 ]] || exit 1
echo "Done. SAMPLE ONLY -- NEVER USE IN PRODUCTION."
