#!/usr/bin/env bash
# Creates every TokenLedger topic (idempotent). Runs in the apache/kafka image as a one-shot service.
# Each line of the TOPICS block: topic name, cleanup policy, then any other topic config the contract relies on
# (key=value). DockerComposeFileTest checks the block against Topics.ALL and runs this script.
# Replication factor: the broker's default.replication.factor, as the apps use.
set -euo pipefail
bootstrap="${BOOTSTRAP:-kafka:19092}"
partitions="${PARTITIONS:-3}"
kafka_bin="${KAFKA_BIN:-/opt/kafka/bin}"
while read -r topic policy settings; do
  [[ -z "$topic" || "$topic" == \#* ]] && continue
  configs=(--config "cleanup.policy=$policy")
  for setting in $settings; do
    configs+=(--config "$setting")
  done
  "$kafka_bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" "${configs[@]}"
done <<'TOPICS'
tokenledger.usage.v1 delete
tokenledger.usage-dlq.v1 delete
tokenledger.prices.v1 compact
tokenledger.usage-costed.v1 delete
tokenledger.spend.v1 compact
tokenledger.output-stats.v1 compact
tokenledger.pricing-alerts.v1 delete
tokenledger.budgets.v1 compact
tokenledger.reservations.v1 delete
tokenledger.lease-requests.v1 delete
tokenledger.leases.v1 delete
tokenledger.budget-state.v1 compact
tokenledger.budget-decisions.v1 delete
tokenledger.budget-alerts.v1 delete
tokenledger.sink-dlq.v1 delete
tokenledger.reconciliation-alerts.v1 compact
tokenledger.price-adjustments.v1 delete retention.ms=-1
TOPICS
echo "TokenLedger topics ready on $bootstrap"
