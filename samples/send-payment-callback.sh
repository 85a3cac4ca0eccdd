#!/usr/bin/env bash
# Signs a payment gateway callback the way Stripe does and POSTs it to the hub.
#   samples/send-payment-callback.sh samples/payment-succeeded.json [secret] [hub url]
# The hub url defaults to $HUB_URL, else http://localhost:8080.
# The default secret is the dev profile's (application-dev.properties).
set -euo pipefail
body=$(cat "$1")
secret=${2:-whsec_ZGV2LW9ubHktcGF5bWVudC1zZWNyZXQ=}
hub=${3:-${HUB_URL:-http://localhost:8080}}
t=$(date +%s)
signature=$(printf '%s' "$t.$body" | openssl dgst -sha256 -hmac "$secret" | awk '{print $NF}')
curl -sS -i -X POST "$hub/callbacks/payments" \
  -H 'Content-Type: application/json' \
  -H "Stripe-Signature: t=$t,v1=$signature" \
  --data-binary "$body"
echo
