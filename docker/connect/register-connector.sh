#!/bin/sh
# Registers (or updates) the TokenLedger warehouse sink on the Connect worker; idempotent (PUT).
set -eu
connect="${CONNECT_URL:-http://connect:8083}"
curl -sf -X PUT -H 'Content-Type: application/json' \
  --data @/etc/tokenledger/warehouse-sink.json \
  "$connect/connectors/tokenledger-warehouse/config"
echo
echo "tokenledger-warehouse connector registered on $connect"
