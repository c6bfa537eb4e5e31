#!/usr/bin/env bash
# Builds what docker-compose.yml mounts and copies: the CLI jar (cli/target/tokenledger.jar) and the
# Kafka Connect plugin directory (sink-connectors/target/plugin: the connector jar and its runtime
# dependencies, without the Connect/Kafka jars the worker already has).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -B -DskipTests install -pl cli -am
rm -rf sink-connectors/target/plugin
mvn -q -B -pl sink-connectors dependency:copy-dependencies -DincludeScope=runtime \
    -DexcludeGroupIds=org.apache.kafka -DoutputDirectory=target/plugin
cp sink-connectors/target/tokenledger-sink-connectors-*.jar sink-connectors/target/plugin/
echo "built cli/target/tokenledger.jar and sink-connectors/target/plugin/; now: docker compose up --build"
