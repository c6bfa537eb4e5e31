/*
 * Copyright 2026 The TokenLedger authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.tokenledger.enforcer;

import static dev.tokenledger.enforcer.Fixtures.featureBudget;
import static dev.tokenledger.enforcer.Fixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.avro.ReservationStatus;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.CostState;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.RepriceRule;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnforcerTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-10T12:00:00Z");
    private final EnforcerSerdes serdes = EnforcerSerdes.create(Map.of("schema.registry.url", "mock://enforcer-" + UUID.randomUUID()));
    private TopologyTestDriver driver;
    private TestInputTopic<String, Budget> budgets;
    private TestInputTopic<String, UsageEvent> costed;
    private TestInputTopic<String, Reservation> reservations;
    private TestOutputTopic<String, BudgetState> states;
    private TestOutputTopic<String, BudgetAlert> alerts;
    private TestOutputTopic<String, BudgetDecision> decisions;

    private void start(Instant wallClock) {
        final Topology topology = EnforcerTopology.build(new EnforcerTopology.Options(Duration.ofSeconds(1), 1, "enforcer"), serdes);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "enforcer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        driver = new TopologyTestDriver(topology, props, wallClock);
        budgets = driver.createInputTopic(Topics.BUDGETS_TOPIC, Serdes.String().serializer(), serdes.budget().serializer());
        costed = driver.createInputTopic(Topics.USAGE_TOPIC, Serdes.String().serializer(), serdes.usage().serializer());
        driver.createInputTopic(Topics.PRICES_TOPIC, Serdes.String().serializer(), serdes.price().serializer())
                .pipeInput(Fixtures.TEST_PRICE.getEntryId(), Fixtures.TEST_PRICE, wallClock);
        reservations = driver.createInputTopic(Topics.RESERVATIONS_TOPIC, Serdes.String().serializer(), serdes.reservation().serializer());
        states = driver.createOutputTopic(Topics.BUDGET_STATE_TOPIC, Serdes.String().deserializer(), serdes.state().deserializer());
        alerts = driver.createOutputTopic(Topics.BUDGET_ALERTS_TOPIC, Serdes.String().deserializer(), serdes.alert().deserializer());
        decisions = driver.createOutputTopic(Topics.BUDGET_DECISIONS_TOPIC, Serdes.String().deserializer(), serdes.decision().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void spend(String feature, String tenant, String cost, Instant at) {
        final UsageEvent u = Fixtures.event(feature, tenant, cost, at);
        costed.pipeInput(u.getFeatureId(), u, at);
    }

    private BudgetState lastState(String scopeKey) {
        BudgetState last = null;
        for (TestRecord<String, BudgetState> r : states.readRecordsToList()) {
            if (r.key().equals(scopeKey)) {
                last = r.value();
            }
        }
        return last;
    }

    @Test
    void featureCrossing50_80_100RaisesThreeAlertsAndDenies() {
        start(T0);
        budgets.pipeInput("feature:draft_email", featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        spend("draft_email", "acme", "4", T0);
        spend("other_feature", "acme", "100", T0);
        assertThat(alerts.isEmpty()).isTrue();
        spend("draft_email", "acme", "1", T0);
        spend("draft_email", "acme", "3", T0);
        assertThat(lastState("feature:draft_email").getStatus()).isEqualTo(BudgetStatus.WARN);
        spend("draft_email", "globex", "2", T0);
        spend("draft_email", "acme", "0.5", T0);

        final List<BudgetAlert> raised = alerts.readValuesToList();
        assertThat(raised).extracting(BudgetAlert::getThresholdPct).containsExactly(50, 80, 100);
        assertThat(raised).extracting(BudgetAlert::getSpentUsd).usingElementComparator(java.math.BigDecimal::compareTo)
                .containsExactly(new java.math.BigDecimal("5"), new java.math.BigDecimal("8"), new java.math.BigDecimal("10"));
        final BudgetState state = lastState("feature:draft_email");
        assertThat(state.getStatus()).isEqualTo(BudgetStatus.DENY);
        assertThat(state.getReasonCode()).isEqualTo(ReasonCodes.GENUINE_BREACH);
        assertThat(state.getSpentUsd()).isEqualByComparingTo("10.5");
        assertThat(state.getPeriodEnd()).isEqualTo(Instant.parse("2026-11-11T00:00:00Z"));
        final List<BudgetDecision> denied = decisions.readValuesToList();
        assertThat(denied).singleElement().satisfies(d -> {
            assertThat(d.getReasonCode()).isEqualTo(ReasonCodes.GENUINE_BREACH);
            assertThat(d.getFeatureId()).isEqualTo("draft_email");
            assertThat(d.getTenantId()).isEqualTo("globex");
            assertThat(d.getEnforced()).isTrue();
            assertThat(d.getRequestId()).isNotNull();
            assertThat(d.getParentRequestId()).isEqualTo("parent-1");
        });
        // no state for a feature without a budget
        assertThat(driver.getKeyValueStore(EnforcerTopology.LEDGER_STORE).get("feature:other_feature")).isNull();
    }

    @Test
    void everyCopyOfAnEventIsChargedOnceToEachOfItsScopesWhateverItsKey() {
        start(T0);
        budgets.pipeInput("feature:draft_email", featureBudget("draft_email", "100", BudgetPeriod.DAY).build(), T0);
        budgets.pipeInput("global", featureBudget("draft_email", "1000", BudgetPeriod.MONTH)
                .setBudgetId("global").setScope(BudgetScope.GLOBAL).setFeatureId(null).build(), T0);
        final UsageEvent u = Fixtures.event("draft_email", "acme", "1.25", T0);
        final UsageEvent other = Fixtures.event("draft_email", "acme", "0.5", T0.plusSeconds(1));
        // Keyed by workflow (the contract), a retry of it, the same event from an older producer keyed by feature_id
        // (re-keyed through enforcer-usage-rekeyed), and one more event.
        costed.pipeInput(UsageKeys.keyOf(u), u, T0);
        costed.pipeInput(UsageKeys.keyOf(u), u, T0.plusSeconds(2));
        costed.pipeInput(u.getFeatureId(), u, T0.plusSeconds(3));
        costed.pipeInput(other.getFeatureId(), other, T0.plusSeconds(4));
        costed.pipeInput(UsageKeys.keyOf(other), other, T0.plusSeconds(5));

        final Map<String, BudgetState> last = new java.util.HashMap<>();
        states.readRecordsToList().forEach(r -> last.put(r.key(), r.value()));
        assertThat(last.get("global").getSpentUsd()).isEqualByComparingTo("1.75");
        assertThat(last.get("feature:draft_email").getSpentUsd()).isEqualByComparingTo("1.75");
        // One seen-event record per event, not one per scope and event.
        try (var seen = driver.getWindowStore(EnforcerTopology.SEEN_STORE).all()) {
            assertThat(seen).toIterable().hasSize(2);
        }
    }

    @Test
    void aPriceAdjustmentMovesThePeriodSpendByItsDeltaOnceEvenWhenSentTwice() {
        start(T0);
        budgets.pipeInput("feature:draft_email", featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        final UsageEvent u = Fixtures.event("draft_email", "acme", "4", T0);
        costed.pipeInput(u.getFeatureId(), u, T0);
        final UsageEvent yesterday = Fixtures.event("draft_email", "acme", "1", T0.minus(Duration.ofDays(1)));
        assertThat(lastState("feature:draft_email").getSpentUsd()).isEqualByComparingTo("4");

        // The per-token price was half what it should have been: at $2 per million output tokens the call costs $8.
        final PriceEntry corrected = PriceEntry.newBuilder(Fixtures.TEST_PRICE).setOutputPerMtok(Money.of("2")).build();
        final RepriceRule.Audit audit = new RepriceRule.Audit("price was wrong", "run", T0.plusSeconds(60), "test");
        final PriceAdjustment a = RepriceRule.adjust(u, CostState.of(Fixtures.usage("draft_email", "acme", "4", T0)),
                PriceCatalog.of(List.of(corrected)), audit).orElseThrow();
        final PriceAdjustment past = RepriceRule.adjust(yesterday, CostState.of(Fixtures.usage("draft_email", "acme", "1", yesterday.getOccurredAt())),
                PriceCatalog.of(List.of(corrected)), audit).orElseThrow();
        assertThat(a.getDeltaUsd()).isEqualByComparingTo("4");
        final TestInputTopic<String, PriceAdjustment> adjustments = driver.createInputTopic(Topics.PRICE_ADJUSTMENTS_TOPIC,
                Serdes.String().serializer(), serdes.adjustment().serializer());

        adjustments.pipeInput(u.getEventId(), a, T0.plusSeconds(60));
        adjustments.pipeInput(u.getEventId(), a, T0.plusSeconds(90));
        adjustments.pipeInput(yesterday.getEventId(), past, T0.plusSeconds(120));

        final BudgetState state = lastState("feature:draft_email");
        assertThat(state.getSpentUsd()).as("$4 + the $4 delta once; yesterday's period is over").isEqualByComparingTo("8");
        assertThat(state.getStatus()).isEqualTo(BudgetStatus.WARN);
        assertThat(alerts.readValuesToList()).extracting(BudgetAlert::getThresholdPct).containsExactly(50, 80);
    }

    @Test
    void expiredReservationIsFreedWithStaleReservation() {
        start(T0);
        budgets.pipeInput("feature:draft_email", featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        reservations.pipeInput("r1", reservation("r1", ReservationStatus.HELD, "10", null, T0, 30_000, List.of("feature:draft_email")), T0);
        assertThat(lastState("feature:draft_email").getStatus()).isEqualTo(BudgetStatus.DENY);
        assertThat(decisions.readValuesToList()).extracting(BudgetDecision::getReasonCode).containsExactly(ReasonCodes.GENUINE_BREACH);

        driver.advanceWallClockTime(Duration.ofSeconds(31));
        final BudgetState freed = lastState("feature:draft_email");
        assertThat(freed.getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(freed.getReservedUsd()).isEqualByComparingTo("0");
        assertThat(freed.getRemainingUsd()).isEqualByComparingTo("10");
        assertThat(decisions.readValuesToList()).singleElement().satisfies(d -> {
            assertThat(d.getReasonCode()).isEqualTo(ReasonCodes.STALE_RESERVATION);
            assertThat(d.getReservationId()).isEqualTo("r1");
            assertThat(d.getReserveDeltaUsd()).isEqualByComparingTo("10");
        });
    }

    @Test
    void monthRolloverAllowsAgainWithZeroSpent() {
        final Instant lastDay = Instant.parse("2026-11-30T23:59:00Z");
        start(lastDay);
        budgets.pipeInput("feature:f", featureBudget("f", "10", BudgetPeriod.MONTH).build(), lastDay);
        spend("f", null, "12", lastDay);
        assertThat(lastState("feature:f").getStatus()).isEqualTo(BudgetStatus.DENY);
        alerts.readValuesToList();

        driver.advanceWallClockTime(Duration.ofMinutes(2));
        final BudgetState december = lastState("feature:f");
        assertThat(december.getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(december.getSpentUsd()).isEqualByComparingTo("0");
        assertThat(december.getPeriodStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        // thresholds fire again in the new month
        spend("f", null, "5", Instant.parse("2026-12-01T00:01:00Z"));
        assertThat(alerts.readValuesToList()).extracting(BudgetAlert::getAlertId)
                .containsExactly("feature:f|" + Instant.parse("2026-12-01T00:00:00Z").toEpochMilli() + "|50");
    }

    @Test
    void heartbeatRepublishesStateAndNewBudgetsGetStateBeforeTheirFirstCall() {
        start(T0);
        budgets.pipeInput("feature:f", featureBudget("f", "10", BudgetPeriod.DAY)
                .setCarveOuts(List.of(new dev.tokenledger.avro.TenantCarveOut("bigcorp", dev.tokenledger.schemas.Money.of("50")))).build(), T0);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final Map<String, BudgetState> first = states.readKeyValuesToMap();
        assertThat(first).containsKeys("feature:f", "feature_tenant:f|bigcorp");
        assertThat(first.get("feature_tenant:f|bigcorp").getLimitUsd()).isEqualByComparingTo("50");
        assertThat(first.get("feature_tenant:f|bigcorp").getBudgetId()).isEqualTo("feature:f");

        // carved-out tenant spends against its own scope only
        spend("f", "bigcorp", "20", T0.plusSeconds(1));
        final Map<String, BudgetState> after = states.readKeyValuesToMap();
        assertThat(after).containsOnlyKeys("feature_tenant:f|bigcorp");
        assertThat(after.get("feature_tenant:f|bigcorp").getStatus()).isEqualTo(BudgetStatus.ALLOW);

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final Map<String, BudgetState> beat = states.readKeyValuesToMap();
        assertThat(beat.get("feature:f").getHeartbeatAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(beat.get("feature:f").getSpentUsd()).isEqualByComparingTo("0");

        // tombstone clears the budget and its state
        budgets.pipeInput("feature:f", null, T0.plusSeconds(2));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final List<TestRecord<String, BudgetState>> cleared = states.readRecordsToList();
        assertThat(cleared).filteredOn(r -> r.value() == null).extracting(TestRecord::key)
                .containsExactlyInAnyOrder("feature:f", "feature_tenant:f|bigcorp");
    }

    @Test
    void topologyDescriptionIsStable() throws IOException {
        final String described = EnforcerTopology.build(EnforcerTopology.Options.defaults(), serdes).describe().toString();
        if (Boolean.getBoolean("golden.update")) {
            // mvn -pl budget-enforcer test -Dtest=EnforcerTopologyTest -Dgolden.update=true rewrites the golden file
            java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/enforcer-topology.txt"), described.strip() + "\n");
        }
        try (InputStream in = getClass().getResourceAsStream("/enforcer-topology.txt")) {
            assertThat(in).as("golden file src/test/resources/enforcer-topology.txt; current description:%n%s", described).isNotNull();
            assertThat(described.strip()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }
}
