package dev.tokenledger.enforcer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.GateCall;
import dev.tokenledger.gate.GateDecision;
import dev.tokenledger.gate.KafkaBudgetGates;
import dev.tokenledger.gate.ReservationSizer;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.UsagePricer;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Real broker (LocalStack), real enforcer, real gates: the overshoot race and the stale-state
 * switch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BudgetEnforcerIT {
    private static final Duration STALE_AFTER = Duration.ofSeconds(4);
    private static final long HEARTBEAT_MS = 500;
    private LocalStack stack;
    private EnforcerApp enforcer;
    private Map<String, Object> enforcerConfig;
    private KafkaProducer<String, SpecificRecord> producer;
    private final List<BudgetGate> gates = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        stack = LocalStack.builder().start();
        stack.createTopics(Topics.ALL, 3);
        final Path stateDir = Files.createTempDirectory("enforcer-it");
        enforcerConfig = new HashMap<>(Map.of(
                EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                EnforcerConfig.APPLICATION_ID_CONFIG, "enforcer-it-" + UUID.randomUUID().toString().substring(0, 6),
                EnforcerConfig.STATE_DIR_CONFIG, stateDir.toString(),
                EnforcerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_MS,
                EnforcerConfig.COMMIT_INTERVAL_MS_CONFIG, 20L,
                EnforcerConfig.SCOPE_PARTITIONS_CONFIG, 3));
        enforcer = EnforcerApp.start(new EnforcerConfig(enforcerConfig));
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        final Map<String, Object> registry = Map.of("schema.registry.url", stack.registryUrl());
        final SpecificAvroSerializer<Budget> budgets = new SpecificAvroSerializer<>(Budget.class);
        budgets.configure(registry, false);
        final SpecificAvroSerializer<CostedUsage> costed = new SpecificAvroSerializer<>(CostedUsage.class);
        costed.configure(registry, false);
        final Serializer<SpecificRecord> ser = (topic, v) -> v instanceof Budget b ? budgets.serialize(topic, b)
                : costed.serialize(topic, (CostedUsage) v);
        producer = new KafkaProducer<>(p, new StringSerializer(), ser);
        for (int i = 0; i < 8; i++) {
            gates.add(KafkaBudgetGates.builder(stack.bootstrapServers(), stack.registryUrl())
                    .gateId("it-gate-" + i).staleAfter(STALE_AFTER).reservationTtl(Duration.ofSeconds(30)).connect());
        }
    }

    @AfterAll
    void stop() {
        gates.forEach(BudgetGate::close);
        if (producer != null) {
            producer.close();
        }
        if (enforcer != null) {
            enforcer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private void putBudget(String feature, String limit, StalePolicy stale) {
        final Budget b = Budget.newBuilder()
                .setBudgetId(ScopeKeys.feature(feature)).setScope(BudgetScope.FEATURE).setFeatureId(feature)
                .setLimitUsd(Money.of(limit)).setPeriod(BudgetPeriod.DAY).setTimeZone("UTC")
                .setBurstTolerancePct(0).setMode(BudgetMode.ENFORCE).setStalePolicy(stale)
                .setUpdatedAt(Instant.now()).setUpdatedBy("it").build();
        producer.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, b.getBudgetId(), b));
        producer.flush();
    }

    private void sendCosted(CostedUsage c) {
        producer.send(new ProducerRecord<>(Topics.USAGE_COSTED_TOPIC, c.getEvent().getEventId(), c));
    }

    private static UsageEvent event(String feature, String reservationId, String root, long input, long output) {
        return UsageEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setKind(UsageKind.COMPLETED).setOccurredAt(Instant.now())
                .setFeatureId(feature).setTenantId("acme").setRequestId("req-" + root).setRootRequestId(root)
                .setProvider("anthropic").setModel("claude-sonnet-4-5").setInputTokens(input).setOutputTokens(output)
                .setReservationId(reservationId).build();
    }

    @Test
    @Order(1)
    void overshootRaceStaysWithinInFlightHoldsPlusOnePropagationInterval() throws Exception {
        final String feature = "race_summarize";
        final BigDecimal limit = new BigDecimal("10");
        putBudget(feature, "10", StalePolicy.OPEN);
        putBudget("probe", "1000000", StalePolicy.OPEN);
        for (BudgetGate g : gates) {
            await().atMost(Duration.ofSeconds(60)).until(() -> g.state("feature:" + feature) != null && g.state("feature:probe") != null);
        }
        final PriceCatalog catalog = PriceCatalog.loadDefault();
        final ReservationSizer sizer = ReservationSizer.of(catalog);
        // A long-context summarizer: 20k input tokens, max_tokens 4096, output 500..4096 tokens.
        final long input = 20_000;
        final long maxTokens = 4_096;
        final BigDecimal hold = sizer.worstCase("anthropic", "claude-sonnet-4-5", input, maxTokens, Instant.now());

        // Warm up the enforcer (first transactions, JIT, rebalance) until a costed event reaches the gates in < 500 ms,
        // so the race measures the steady state, not the start-up.
        final long warmupDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int w = 0; System.nanoTime() < warmupDeadline; w++) {
            final BigDecimal before = gates.get(0).state("feature:probe").getSpentUsd();
            final long t0 = System.nanoTime();
            // every gate runs one full cycle (HELD, costed usage naming the hold, COMMITTED): first sends,
            // schema look-ups and code paths of the reservation flow happen here, not in the race
            for (BudgetGate g : gates) {
                final String root = "warmup-" + g.gateId() + "-" + w;
                final GateDecision d = g.reserve(new GateCall("probe", "acme", root, root, null, "claude-sonnet-4-5", "mid"), hold);
                final CostedUsage c = UsagePricer.price(event("probe", d.reservation().reservationId(), root, 1000, 100), catalog, Instant.now());
                sendCosted(c);
                g.commit(d.reservation(), c.getTotalCostUsd());
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(1))
                    .until(() -> gates.get(0).state("feature:probe").getSpentUsd().compareTo(before) > 0);
            if (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500)) {
                break;
            }
        }

        final ExecutorService pool = Executors.newFixedThreadPool(9);
        final java.util.concurrent.atomic.AtomicBoolean racing = new java.util.concurrent.atomic.AtomicBoolean(true);
        // Propagation interval under the same load: costed usage sent -> its spend visible in a gate.
        final List<Long> probeMs = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Future<Long> probe = pool.submit(() -> {
            long worst = 0;
            int i = 0;
            while (racing.get()) {
                final BigDecimal before = gates.get(0).state("feature:probe").getSpentUsd();
                final long t0 = System.nanoTime();
                sendCosted(UsagePricer.price(event("probe", null, "probe-" + i++, 1000, 100), catalog, Instant.now()));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                        .until(() -> gates.get(0).state("feature:probe").getSpentUsd().compareTo(before) > 0);
                worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
                probeMs.add((System.nanoTime() - t0) / 1_000_000);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            return worst;
        });
        final long started = System.nanoTime();
        final java.util.Queue<Object[]> commits = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicLong lastAllow = new java.util.concurrent.atomic.AtomicLong();
        final List<Future<BigDecimal>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final BudgetGate gate = gates.get(i);
            results.add(pool.submit(() -> {
                BigDecimal committed = BigDecimal.ZERO;
                long denyingSince = 0;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    final String root = UUID.randomUUID().toString();
                    final GateDecision d = gate.reserve(new GateCall(feature, "acme", root, "req-" + root, null, "claude-sonnet-4-5", "mid"), hold);
                    if (!d.allowed()) {
                        denyingSince = denyingSince == 0 ? System.nanoTime() : denyingSince;
                        if (System.nanoTime() - denyingSince > TimeUnit.SECONDS.toNanos(3)) {
                            break;
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                        continue;
                    }
                    denyingSince = 0;
                    lastAllow.accumulateAndGet(System.nanoTime(), Math::max);
                    // the LLM call takes 100-200 ms
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(100, 200)));
                    final long output = ThreadLocalRandom.current().nextLong(500, maxTokens + 1);
                    final CostedUsage costed = UsagePricer.price(event(feature, d.reservation().reservationId(), root, input, output), catalog,
                            Instant.now());
                    sendCosted(costed);
                    gate.commit(d.reservation(), costed.getTotalCostUsd());
                    commits.add(new Object[] {System.nanoTime(), costed.getTotalCostUsd()});
                    committed = committed.add(costed.getTotalCostUsd());
                }
                return committed;
            }));
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Future<BigDecimal> f : results) {
            total = total.add(f.get());
        }
        final double seconds = (System.nanoTime() - started) / 1e9 - 3;
        racing.set(false);
        final long worstPropagationMs = probe.get();
        pool.shutdown();

        // Deny lag: from the moment the committed spend really reached the limit to the last call any gate admitted.
        final List<Object[]> timeline = new ArrayList<>(commits);
        timeline.sort(java.util.Comparator.comparingLong(o -> (Long) o[0]));
        BigDecimal running = BigDecimal.ZERO;
        long crossedAt = 0;
        for (Object[] c : timeline) {
            running = running.add((BigDecimal) c[1]);
            if (running.compareTo(limit) >= 0) {
                crossedAt = (Long) c[0];
                break;
            }
        }
        final long denyLagMs = crossedAt == 0 ? 0 : Math.max(0, (lastAllow.get() - crossedAt) / 1_000_000);
        // The bound takes the propagation interval from the probes alone (costed usage -> enforcer -> state -> gate,
        // measured on the same path throughout the race), never from the overshoot's own timeline: a bound built
        // from the deny lag would grow with the overshoot it is meant to bound.
        // Probes run one at a time, so a stall that begins just after a probe was sent is seen by that probe only
        // from its start: a record sent during the stall waits at most for the probe then in flight plus the next
        // one (and the 20 ms pause between them). Hence twice the worst probe: on a loaded machine one probe saw
        // 3.6 s of a 4.2 s stall, and the worst probe alone then bounded less than the real propagation.
        final long propagationMs = 2 * worstPropagationMs + 20;
        System.out.printf("OVERSHOOT RACE: propagation interval %d ms = 2 x worst probe (%d ms) + 20 ms; deny lag %d ms (real crossing -> last admitted call)%n",
                propagationMs, worstPropagationMs, denyLagMs);

        final BigDecimal overshoot = total.subtract(limit).max(BigDecimal.ZERO);
        final BigDecimal spendPerSecond = total.divide(BigDecimal.valueOf(Math.max(seconds, 0.1)), 12, java.math.RoundingMode.HALF_UP);
        final BigDecimal inFlightBound = hold.multiply(BigDecimal.valueOf(8));
        final BigDecimal propagationSpend = spendPerSecond.multiply(BigDecimal.valueOf(propagationMs)).divide(BigDecimal.valueOf(1000),
                12, java.math.RoundingMode.HALF_UP);
        final BigDecimal bound = inFlightBound.add(propagationSpend);
        System.out.printf("OVERSHOOT RACE: limit $10, 8 gates x 1 thread, hold $%s per call, committed $%s in %.2f s ($%s/s)%n",
                hold.stripTrailingZeros().toPlainString(), total.setScale(6, java.math.RoundingMode.HALF_UP), seconds,
                spendPerSecond.setScale(4, java.math.RoundingMode.HALF_UP));
        System.out.printf("OVERSHOOT RACE: measured overshoot $%s; bound $%s = in-flight holds 8 x $%s ($%s) + %d ms propagation x spend rate ($%s)%n",
                overshoot.setScale(6, java.math.RoundingMode.HALF_UP), bound.setScale(6, java.math.RoundingMode.HALF_UP),
                hold.setScale(6, java.math.RoundingMode.HALF_UP), inFlightBound.setScale(6, java.math.RoundingMode.HALF_UP), propagationMs,
                propagationSpend.setScale(6, java.math.RoundingMode.HALF_UP));
        System.out.println("OVERSHOOT RACE: propagation probes during the race (ms): " + probeMs);
        System.out.println("OVERSHOOT RACE: gate view at the end: " + gates.get(0).state("feature:" + feature));
        // The budget was really exhausted (the gates stopped because of it, not because the test ended) ...
        assertThat(total).isGreaterThan(limit.subtract(inFlightBound));
        // ... and did not run away.
        assertThat(overshoot).isLessThanOrEqualTo(bound);
        // and the deny reached every gate within seconds, not minutes
        assertThat(denyLagMs).isLessThan(15_000);
        assertThat(gates.get(3).check(feature, "acme", hold).allowed()).isFalse();
    }

    @Test
    @Order(2)
    void gatesSwitchToTheStalePolicyWhenTheEnforcerStopsAndBackWhenItReturns() {
        putBudget("stale_open", "100", StalePolicy.OPEN);
        putBudget("stale_closed", "100", StalePolicy.CLOSED);
        final BudgetGate gate = gates.get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.state("feature:stale_open") != null && gate.state("feature:stale_closed") != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.check("stale_closed", "acme", 1L).allowed()
                && !gate.check("stale_open", "acme", 1L).stale());

        enforcer.close();
        final long stopped = System.nanoTime();
        final Duration bound = STALE_AFTER.plusMillis(2 * HEARTBEAT_MS);
        await().atMost(bound.plusSeconds(1)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            final GateDecision closed = gate.check("stale_closed", "acme", 1L);
            assertThat(closed.allowed()).isFalse();
            assertThat(closed.reasonCode()).isEqualTo(ReasonCodes.STALE_STATE);
            final GateDecision open = gate.check("stale_open", "acme", 1L);
            assertThat(open.allowed()).isTrue();
            assertThat(open.stale()).isTrue();
        });
        System.out.printf("STALE: gates applied the stale policy %d ms after the enforcer stopped (bound %d ms)%n",
                (System.nanoTime() - stopped) / 1_000_000, bound.toMillis());

        final long restarted = System.nanoTime();
        enforcer = EnforcerApp.start(new EnforcerConfig(enforcerConfig));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(gate.check("stale_closed", "acme", 1L).allowed()).isTrue();
            assertThat(gate.check("stale_open", "acme", 1L).stale()).isFalse();
        });
        System.out.printf("STALE: fresh again %d ms after the enforcer was restarted%n", (System.nanoTime() - restarted) / 1_000_000);
    }
}
