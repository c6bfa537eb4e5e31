# The TokenLedger apps (aggregator, enforcer, simulator, CLI) from the project's shaded jar.
# Build the jar first (./docker/build.sh does it), then `docker compose up --build`.
FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home-dir /var/lib/tokenledger --create-home tokenledger
COPY cli/target/tokenledger.jar /opt/tokenledger/tokenledger.jar
USER tokenledger
WORKDIR /var/lib/tokenledger
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60"
ENTRYPOINT ["java", "-jar", "/opt/tokenledger/tokenledger.jar"]
CMD ["--help"]
