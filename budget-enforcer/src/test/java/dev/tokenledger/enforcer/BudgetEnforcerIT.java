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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetOverride;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.gate.BudgetAdmin;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.GateCall;
import dev.tokenledger.gate.GateDecision;
import dev.tokenledger.gate.KafkaBudgetGates;
import dev.tokenledger.gate.ReservationSizer;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.UsagePricer;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
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
 * Real broker (LocalStack), real enforcer, eight real gates: the overshoot races of the budget
 * leases. Every bound is fixed before the run from the design and the test's parameters:
 * non-streaming calls never cost more than their hold, so the committed total through gates must
 * be at most the limit, exactly, whatever the enforcer's lag (paused for 10 s, CPUs saturated).
 * Each race prints {@code OVERSHOOT RACE <variant>: committed $X of $L}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BudgetEnforcerIT {
    private static final Duration STALE_AFTER = Duration.ofSeconds(4);
    private static final long HEARTBEAT_MS = 500;
    private static final long LEASE_TTL_MS = 5_000;
    private static final int GATES = 8;
    /** A long-context summarizer: 20k input tokens, max_tokens 4096, outputs of 500..4096 tokens. */
    private static final long INPUT = 20_000;
    private static final long MAX_TOKENS = 4_096;
    private static final String MODEL = "claude-sonnet-4-5";
    /** Denials that say "no answer from the enforcer", not "budget spent". */
    private static final java.util.Set<String> OUTAGE_REASONS = java.util.Set.of("STALE_STATE", "LEASE_TIMEOUT");
    private LocalStack stack;
    private EnforcerApp enforcer;
    private Map<String, Object> enforcerConfig;
    private KafkaProducer<String, SpecificRecord> producer;
    private BudgetAdmin admin;
    private final List<BudgetGate> gates = new ArrayList<>();
    private PriceCatalog catalog;
    private BigDecimal hold;

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
                EnforcerConfig.LEASE_TTL_MS_CONFIG, LEASE_TTL_MS,
                EnforcerConfig.SCOPE_PARTITIONS_CONFIG, 3));
        enforcer = EnforcerApp.start(new EnforcerConfig(enforcerConfig));
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        final Map<String, Object> registry = Map.of("schema.registry.url", stack.registryUrl());
        final SpecificAvroSerializer<Budget> budgets = new SpecificAvroSerializer<>(Budget.class);
        budgets.configure(registry, false);
        final SpecificAvroSerializer<UsageEvent> usage = new SpecificAvroSerializer<>(UsageEvent.class);
        usage.configure(registry, false);
        final Serializer<SpecificRecord> ser = (topic, v) -> v instanceof Budget b ? budgets.serialize(topic, b)
                : usage.serialize(topic, (UsageEvent) v);
        producer = new KafkaProducer<>(p, new StringSerializer(), ser);
        admin = new BudgetAdmin(stack.bootstrapServers(), stack.registryUrl());
        for (int i = 0; i < GATES; i++) {
            gates.add(KafkaBudgetGates.builder(stack.bootstrapServers(), stack.registryUrl())
                    .gateId("it-gate-" + i).staleAfter(STALE_AFTER).reservationTtl(Duration.ofSeconds(30)).connect());
        }
        for (BudgetGate g : gates) {
            assertThat(g.awaitReady(Duration.ofSeconds(60))).isTrue();
        }
        catalog = PriceCatalog.loadDefault();
        hold = ReservationSizer.of(catalog).worstCase("anthropic", MODEL, INPUT, MAX_TOKENS, Instant.now());
        warmUp();
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

    private Budget.Builder budget(String feature, String limit, StalePolicy stale) {
        return Budget.newBuilder()
                .setBudgetId(ScopeKeys.feature(feature)).setScope(BudgetScope.FEATURE).setFeatureId(feature)
                .setLimitUsd(Money.of(limit)).setPeriod(BudgetPeriod.DAY).setTimeZone("UTC")
                .setBurstTolerancePct(0).setMode(BudgetMode.ENFORCE).setStalePolicy(stale)
                .setUpdatedAt(Instant.now()).setUpdatedBy("it");
    }

    private void putBudget(Budget b) {
        admin.publish(b);
    }

    private void putBudget(String feature, String limit, StalePolicy stale) {
        putBudget(budget(feature, limit, stale).build());
    }

    private void awaitStateInEveryGate(String feature) {
        for (BudgetGate g : gates) {
            await().atMost(Duration.ofSeconds(60)).until(() -> g.state(ScopeKeys.feature(feature)) != null);
        }
    }

    /** The call's usage as the agent emits it: the enforcer prices it itself (the aggregator is not running here). */
    private void sendCosted(CostedUsage c) {
        producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, c.getEvent().getFeatureId(), c.getEvent()));
    }

    private static UsageEvent event(String feature, String reservationId, String root, long input, long output) {
        return UsageEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setKind(UsageKind.COMPLETED).setOccurredAt(Instant.now())
                .setFeatureId(feature).setTenantId("acme").setRequestId("req-" + root).setRootRequestId(root)
                .setProvider("anthropic").setModel(MODEL).setInputTokens(input).setOutputTokens(output)
                .setReservationId(reservationId).build();
    }

    /** First transactions, JIT and every gate's first lease round trip happen here, not in a race. */
    private void warmUp() throws Exception {
        putBudget("warmup", "1000", StalePolicy.OPEN);
        awaitStateInEveryGate("warmup");
        final RaceResult r = race("warmup", "warmup", Duration.ofSeconds(3), 20, null);
        System.out.printf("WARM-UP: %d calls admitted, %d denied, $%s committed%n", r.admitted, r.denied, r.total);
    }

    record RaceResult(BigDecimal total, int admitted, int denied, List<String> denyReasons, long lastAdmitNanos, double seconds,
                      BigDecimal maxRemainingAtBudgetDenial, int cutStreams) {
    }

    /** Output tokens per streamed chunk; a cut stream generates at most one more chunk before the provider stops. */
    private static final long CHUNK = 100;
    /** The streaming variant: a chat feature with short prompts and long, open-ended answers (500..8,000 tokens). */
    private static final long STREAM_INPUT = 2_000;
    private static final long STREAM_MAX_OUTPUT = 8_000;

    /**
     * Eight gates on eight threads call until {@code duration} is over or each has been denied for 3 s
     * in a row. A call: reserve the hold, "run" for {@code callMs}..2x, send its costed usage (naming the
     * reservation), commit the actual cost. {@code midRace} runs once, 1 s in, on its own thread.
     */
    private RaceResult race(String variant, String feature, Duration duration, long callMs, Consumer<Long> midRace) throws Exception {
        return race(variant, feature, duration, callMs, midRace, false, null);
    }

    /**
     * With {@code streaming}, a call holds {@code streamHold} (sized below its possible output) and
     * streams its output in chunks of {@link #CHUNK} tokens, debiting each; when the gate refuses a
     * debit (lease dry or 2x the hold) the stream is cut after one more chunk, as a provider would stop.
     */
    private RaceResult race(String variant, String feature, Duration duration, long callMs, Consumer<Long> midRace, boolean streaming,
                            BigDecimal streamHold) throws Exception {
        final java.util.concurrent.atomic.AtomicReference<BigDecimal> committedSoFar = new java.util.concurrent.atomic.AtomicReference<>(
                BigDecimal.ZERO);
        final java.util.concurrent.atomic.AtomicReference<BigDecimal> inFlight = new java.util.concurrent.atomic.AtomicReference<>(
                BigDecimal.ZERO);
        final java.util.concurrent.atomic.AtomicReference<BigDecimal> maxRemaining = new java.util.concurrent.atomic.AtomicReference<>(
                BigDecimal.ZERO);
        final AtomicInteger cuts = new AtomicInteger();
        final BigDecimal limitForRemaining = new BigDecimal("10");
        final BigDecimal callHold = streaming ? streamHold : hold;
        final ExecutorService pool = Executors.newFixedThreadPool(GATES + 1);
        final AtomicLong lastAdmit = new AtomicLong();
        final AtomicInteger admitted = new AtomicInteger();
        final List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        final long started = System.nanoTime();
        final List<Future<BigDecimal>> results = new ArrayList<>();
        for (int i = 0; i < GATES; i++) {
            final BudgetGate gate = gates.get(i);
            results.add(pool.submit(() -> {
                BigDecimal committed = BigDecimal.ZERO;
                long denyingSince = 0;
                final long deadline = started + duration.toNanos();
                while (System.nanoTime() < deadline) {
                    final String root = UUID.randomUUID().toString();
                    final GateDecision d = gate.reserve(new GateCall(feature, "acme", root, "req-" + root, null, MODEL, "mid"), callHold);
                    if (!d.allowed()) {
                        reasons.add(d.reasonCode());
                        if (!OUTAGE_REASONS.contains(d.reasonCode())) {
                            final BigDecimal remaining = limitForRemaining.subtract(committedSoFar.get()).subtract(inFlight.get());
                            maxRemaining.accumulateAndGet(remaining, BigDecimal::max);
                        }
                        if (OUTAGE_REASONS.contains(d.reasonCode())) {
                            // the enforcer is away (paused, restarting): not the budget's answer, keep calling
                            denyingSince = 0;
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                            continue;
                        }
                        denyingSince = denyingSince == 0 ? System.nanoTime() : denyingSince;
                        if (System.nanoTime() - denyingSince > TimeUnit.SECONDS.toNanos(3)) {
                            break;
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                        continue;
                    }
                    denyingSince = 0;
                    admitted.incrementAndGet();
                    lastAdmit.accumulateAndGet(System.nanoTime(), Math::max);
                    inFlight.accumulateAndGet(d.reservation().amount(), BigDecimal::add);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(callMs, 2 * callMs)));
                    final long input = streaming ? STREAM_INPUT : INPUT;
                    long output = ThreadLocalRandom.current().nextLong(500, (streaming ? STREAM_MAX_OUTPUT : MAX_TOKENS) + 1);
                    if (streaming) {
                        long generated = 0;
                        BigDecimal debited = BigDecimal.ZERO;
                        while (generated < output) {
                            generated = Math.min(output, generated + CHUNK);
                            final BigDecimal cost = cost(feature, input, generated);
                            final boolean more = d.reservation().debit(cost.subtract(debited));
                            debited = cost;
                            if (!more) {
                                // cut: the provider stops after at most one more chunk
                                generated = Math.min(output, generated + CHUNK);
                                cuts.incrementAndGet();
                                break;
                            }
                        }
                        output = generated;
                    }
                    final CostedUsage costed = UsagePricer.price(event(feature, d.reservation().reservationId(), root, input, output),
                            catalog, Instant.now());
                    sendCosted(costed);
                    gate.commit(d.reservation(), costed.getTotalCostUsd());
                    committedSoFar.accumulateAndGet(costed.getTotalCostUsd(), BigDecimal::add);
                    inFlight.accumulateAndGet(d.reservation().amount().negate(), BigDecimal::add);
                    committed = committed.add(costed.getTotalCostUsd());
                }
                return committed;
            }));
        }
        if (midRace != null) {
            pool.submit(() -> {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                midRace.accept(System.nanoTime());
                return null;
            });
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Future<BigDecimal> f : results) {
            total = total.add(f.get());
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        final double seconds = (System.nanoTime() - started) / 1e9;
        final java.util.Map<String, Long> byReason = new java.util.TreeMap<>();
        reasons.forEach(r -> byReason.merge(r, 1L, Long::sum));
        System.out.printf("RACE %s: %d calls admitted, %d denied %s, %.1f s%n", variant, admitted.get(), reasons.size(), byReason, seconds);
        return new RaceResult(total.setScale(6, RoundingMode.HALF_UP), admitted.get(), reasons.size(), reasons, lastAdmit.get(), seconds,
                maxRemaining.get(), cuts.get());
    }

    private BigDecimal cost(String feature, long inputTokens, long outputTokens) {
        return UsagePricer.price(event(feature, null, "cost", inputTokens, outputTokens), catalog, Instant.now()).getTotalCostUsd();
    }

    private RaceResult overshootRace(String variant, Consumer<Long> midRace) throws Exception {
        final String feature = "race_" + variant.replace('-', '_');
        final BigDecimal limit = new BigDecimal("10");
        putBudget(feature, "10", StalePolicy.CLOSED);
        awaitStateInEveryGate(feature);
        final RaceResult r = race(variant, feature, Duration.ofSeconds(90), 100, midRace);
        System.out.printf("OVERSHOOT RACE %s: committed $%s of $%s (hold $%s per call, %d gates)%n", variant, r.total.toPlainString(),
                limit.setScale(2, RoundingMode.UNNECESSARY), hold.setScale(6, RoundingMode.HALF_UP), GATES);
        // the fixed bound: non-streaming calls never cost more than their hold, so nothing beyond the limit, ever
        assertThat(r.total).isLessThanOrEqualTo(limit);
        assertEndgame(variant, r, limit, hold);
        return r;
    }

    /**
     * The PER_CALL endgame: a budget denial only happens once less than the endgame remainder is left
     * (every active gate one call, plus one unleased: (gates + 1) x hold), and the budget ends within two
     * calls of its limit (a refused request leaves less than one call unleased and less than one call
     * unused in the other gates' leases, or they would have been recalled and granted).
     */
    private void assertEndgame(String variant, RaceResult r, BigDecimal limit, BigDecimal callHold) {
        final BigDecimal endgame = callHold.multiply(BigDecimal.valueOf(GATES + 1L));
        System.out.printf("ENDGAME %s: most left at a budget denial $%s (endgame remainder $%s); left at the end $%s (bound 2 calls = $%s)%n",
                variant, r.maxRemainingAtBudgetDenial.setScale(6, RoundingMode.HALF_UP), endgame.setScale(6, RoundingMode.HALF_UP),
                limit.subtract(r.total).max(BigDecimal.ZERO).setScale(6, RoundingMode.HALF_UP),
                callHold.multiply(BigDecimal.valueOf(2)).setScale(6, RoundingMode.HALF_UP));
        assertThat(r.maxRemainingAtBudgetDenial).isLessThan(endgame);
        assertThat(r.total).isGreaterThan(limit.subtract(callHold.multiply(BigDecimal.valueOf(2))));
    }

    @Test
    @Order(1)
    void overshootRacePlain() throws Exception {
        overshootRace("plain", null);
    }

    @Test
    @Order(2)
    void overshootRaceWithTheEnforcerPaused() throws Exception {
        // 10 s by default; -Drace.pause.seconds=30 (or 5) gives the benchmark's other lags
        final long pause = Long.getLong("race.pause.seconds", 10);
        overshootRace("enforcer-paused-" + pause + "s", t -> {
            enforcer.streams().pause();
            System.out.println("RACE enforcer-paused: enforcer paused for " + pause + " s");
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(pause));
            enforcer.streams().resume();
            System.out.println("RACE enforcer-paused: enforcer resumed");
        });
    }

    @Test
    @Order(3)
    void overshootRaceWithACpuHogOnEveryCore() throws Exception {
        final List<Process> hogs = new ArrayList<>();
        try {
            for (int i = 0; i < Runtime.getRuntime().availableProcessors() + 1; i++) {
                hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            overshootRace("cpu-hog", null);
        } finally {
            hogs.forEach(Process::destroyForcibly);
        }
    }

    @Test
    @Order(4)
    void overshootRaceStreaming() throws Exception {
        // holds sized for 1,000 output tokens (a caller that under-sizes); streams run to 500..8,000 tokens, draw the rest
        // from the lease and are cut at 2x the hold or when the lease is dry
        final String feature = "race_streaming";
        final BigDecimal limit = new BigDecimal("10");
        final BigDecimal streamHold = ReservationSizer.of(catalog).worstCase("anthropic", MODEL, STREAM_INPUT, 1_000, Instant.now());
        final BigDecimal tail = cost(feature, STREAM_INPUT, CHUNK).subtract(cost(feature, STREAM_INPUT, 0));
        putBudget(feature, "10", StalePolicy.CLOSED);
        awaitStateInEveryGate(feature);
        // Fixed before the run: a cut stream overdraws its gate's lease by at most one chunk, and a gate starts no new call
        // until its lease is back above a hold, so at any time each gate (one calling thread) owes at most one tail;
        // the tails of earlier cuts are usage the enforcer charged before granting more.
        final BigDecimal bound = limit.add(tail.multiply(BigDecimal.valueOf(GATES)));
        final RaceResult r = race("streaming", feature, Duration.ofSeconds(90), 100, null, true, streamHold);
        System.out.printf("OVERSHOOT RACE streaming: committed $%s of $%s (hold $%s, %d streams cut, tail per cut one chunk = $%s;"
                        + " bound limit + gates x tail = $%s)%n", r.total.toPlainString(), limit.setScale(2, RoundingMode.UNNECESSARY),
                streamHold.setScale(6, RoundingMode.HALF_UP), r.cutStreams, tail.toPlainString(), bound.setScale(6, RoundingMode.HALF_UP));
        assertThat(r.total).isLessThanOrEqualTo(bound);
        assertThat(r.cutStreams).as("the variant must cut streams to test anything").isPositive();
        // the largest call costs 2x its hold plus one chunk, so the budget is spent down to that many per gate
        final BigDecimal largest = streamHold.multiply(BigDecimal.valueOf(2)).add(tail);
        assertThat(r.total).isGreaterThan(limit.subtract(largest.multiply(BigDecimal.valueOf(GATES + 1L))));
    }

    @Test
    @Order(5)
    void noFalseDenialsWhileTheBudgetHasRoom() throws Exception {
        // 8 gates x 80 calls of at most $0.12144 (about $0.094 on average): about $60 of a $100 budget
        final String feature = "roomy";
        putBudget(feature, "100", StalePolicy.CLOSED);
        awaitStateInEveryGate(feature);
        final ExecutorService pool = Executors.newFixedThreadPool(GATES);
        final List<Future<int[]>> results = new ArrayList<>();
        final List<BigDecimal> spent = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (BudgetGate gate : gates) {
            results.add(pool.submit(() -> {
                int denied = 0;
                for (int i = 0; i < 80; i++) {
                    final String root = UUID.randomUUID().toString();
                    final GateDecision d = gate.reserve(new GateCall(feature, "acme", root, "req-" + root, null, MODEL, "mid"), hold);
                    if (!d.allowed()) {
                        denied++;
                        System.out.println("FALSE DENIAL: " + d);
                        continue;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(10, 30)));
                    final CostedUsage c = UsagePricer.price(event(feature, d.reservation().reservationId(), root, INPUT,
                            ThreadLocalRandom.current().nextLong(500, MAX_TOKENS + 1)), catalog, Instant.now());
                    sendCosted(c);
                    gate.commit(d.reservation(), c.getTotalCostUsd());
                    spent.add(c.getTotalCostUsd());
                }
                return new int[] {denied};
            }));
        }
        int denied = 0;
        for (Future<int[]> f : results) {
            denied += f.get()[0];
        }
        pool.shutdown();
        final BigDecimal total = spent.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        System.out.printf("NO FALSE DENIALS: %d calls, $%s of $100 spent, %d denied%n", spent.size(), total.setScale(6, RoundingMode.HALF_UP),
                denied);
        final long[] rtt = gates.stream().flatMapToLong(g -> java.util.Arrays.stream(g.renewalLatenciesNanos())).sorted().toArray();
        if (rtt.length > 0) {
            System.out.printf("LEASE ROUND TRIP (request sent -> answer applied, %d renewals over 8 gates since start): p50 %.1f ms, p99 %.1f ms,"
                    + " max %.1f ms%n", rtt.length, rtt[rtt.length / 2] / 1e6, rtt[(int) Math.min(rtt.length - 1, (long) (rtt.length * 0.99))] / 1e6,
                    rtt[rtt.length - 1] / 1e6);
        }
        assertThat(total).isLessThan(new BigDecimal("100").subtract(hold.multiply(BigDecimal.valueOf(GATES))));
        assertThat(denied).isZero();
    }

    @Test
    @Order(6)
    void theKillSwitchStopsEveryGateAndSpendStopsWithinWhatWasOutstanding() throws Exception {
        final String feature = "killed";
        final String scope = ScopeKeys.feature(feature);
        putBudget(feature, "1000", StalePolicy.CLOSED);
        awaitStateInEveryGate(feature);
        final AtomicLong killedAt = new AtomicLong();
        final AtomicLong denyVisibleAt = new AtomicLong();
        final BigDecimal[] bound = new BigDecimal[1];
        final RaceResult r = race("kill-switch", feature, Duration.ofSeconds(30), 100, t -> {
            putBudget(budget(feature, "1000", StalePolicy.CLOSED).setOverride(BudgetOverride.newBuilder().setLimitUsd(Money.of("0"))
                    .setUntil(Instant.now().plus(Duration.ofHours(1))).setReason("runaway loop").setBy("it").build()).build());
            killedAt.set(System.nanoTime());
            // Once the enforcer publishes DENY it grants nothing more: every later dollar comes out of what was
            // outstanding then, so spent + leased of any DENY state bounds the final total (the design's
            // max(new limit, spent + outstanding)).
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> gates.get(0).state(scope).getStatus() == dev.tokenledger.avro.BudgetStatus.DENY);
            denyVisibleAt.set(System.nanoTime());
            final dev.tokenledger.avro.BudgetState deny = gates.get(0).state(scope);
            bound[0] = deny.getSpentUsd().add(deny.getLeasedUsd());
        });
        final long stopMs = Math.max(0, (r.lastAdmitNanos - killedAt.get()) / 1_000_000);
        System.out.printf("KILL SWITCH: DENY visible in a gate %d ms after the override was published; last admission %d ms after it;"
                        + " committed $%s, bound spent + leased at DENY $%s%n", (denyVisibleAt.get() - killedAt.get()) / 1_000_000, stopMs,
                r.total.toPlainString(), bound[0].setScale(6, RoundingMode.HALF_UP));
        assertThat(bound[0]).isNotNull();
        assertThat(r.total).isLessThanOrEqualTo(bound[0]);
        // no gate admits after the lease TTL whatever happens to the recall, plus the call already waiting for a lease
        assertThat(stopMs).isLessThan(LEASE_TTL_MS + 2_000);
        assertThat(r.denyReasons).isNotEmpty();
    }

    @Test
    @Order(7)
    void aGateKilledWithSigkillWhileHoldingALeaseCannotCreateHeadroom() throws Exception {
        final String feature = "race_sigkill";
        final String scope = ScopeKeys.feature(feature);
        final BigDecimal limit = new BigDecimal("10");
        putBudget(feature, "10", StalePolicy.CLOSED);
        awaitStateInEveryGate(feature);
        final Path log = Files.createTempFile("lease-holding-gate", ".log");
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", classpath, LeaseHoldingGate.class.getName(), stack.bootstrapServers(), stack.registryUrl(),
                feature, hold.toPlainString(), Long.toString(INPUT), Long.toString(MAX_TOKENS), MODEL)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // let it take a lease and spend a part of it, then SIGKILL it mid-call
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!child.isAlive()) {
                    throw new AssertionError("gate process died:\n" + Files.readString(log));
                }
                return Files.readAllLines(log).stream().filter(l -> l.startsWith("SENT ")).count() >= 8;
            });
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        final List<String> lines = Files.readAllLines(log);
        final BigDecimal childSpend = lines.stream().filter(l -> l.startsWith("SENDING ")).map(l -> new BigDecimal(l.split(" ")[1]))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        final String lastSent = lines.stream().filter(l -> l.startsWith("SENT ")).reduce((a, b) -> b).orElseThrow();
        // what the lease held unused after its last commit, less a call whose usage may have left after that line
        final int lastSentAt = lines.lastIndexOf(lastSent);
        final BigDecimal unconfirmed = lines.subList(lastSentAt, lines.size()).stream().filter(l -> l.startsWith("SENDING "))
                .map(l -> new BigDecimal(l.split(" ")[1])).reduce(BigDecimal.ZERO, BigDecimal::add);
        final BigDecimal childLeaseLeft = new BigDecimal(lastSent.split(" ")[2]).subtract(unconfirmed).max(BigDecimal.ZERO);
        System.out.printf("SIGKILL: gate process killed (exit %d) after spending at most $%s; its lease held $%s unused at its last commit%n",
                child.exitValue(), childSpend.setScale(6, RoundingMode.HALF_UP), childLeaseLeft.setScale(6, RoundingMode.HALF_UP));

        final RaceResult r = race("sigkill", feature, Duration.ofSeconds(90), 100, null);
        final BigDecimal total = r.total.add(childSpend);
        System.out.printf("OVERSHOOT RACE sigkill: committed $%s of $%s (the killed gate's $%s and the 8 gates' $%s)%n",
                total.setScale(6, RoundingMode.HALF_UP).toPlainString(), limit.setScale(2, RoundingMode.UNNECESSARY),
                childSpend.setScale(6, RoundingMode.HALF_UP), r.total);
        assertThat(total).isLessThanOrEqualTo(limit);
        // the dead gate's remainder is still counted as spent: the enforcer's outstanding leases cover it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(gates.get(0).state(scope).getLeasedUsd()).isGreaterThanOrEqualTo(childLeaseLeft));
        System.out.printf("SIGKILL: leased at the end $%s (includes the dead gate's unused $%s)%n",
                gates.get(0).state(scope).getLeasedUsd().setScale(6, RoundingMode.HALF_UP), childLeaseLeft.setScale(6, RoundingMode.HALF_UP));
    }

    @Test
    @Order(8)
    void gatesApplyTheStalePolicyWhenTheEnforcerStopsAndLeaseAgainWhenItReturns() throws Exception {
        putBudget("stale_open", "100", StalePolicy.OPEN);
        putBudget("stale_closed", "100", StalePolicy.CLOSED);
        awaitStateInEveryGate("stale_open");
        awaitStateInEveryGate("stale_closed");
        final BudgetGate gate = gates.get(0);
        final GateDecision first = gate.reserve(new GateCall("stale_closed", "acme", "s0", "s0", null, MODEL, "mid"), BigDecimal.ONE);
        assertThat(first.allowed()).isTrue();
        gate.release(first.reservation());

        enforcer.close();
        final long stopped = System.nanoTime();
        // the lease lets the gate go on until it expires (TTL from receipt); then no answer: CLOSED denies, OPEN allows
        // bound: the lease's TTL from its last renewal, then the gate's lease wait (2 s) before it calls the silence an
        // outage, once for the renewal thread's request and once for the call's own, plus two heartbeats
        final Duration bound = Duration.ofMillis(LEASE_TTL_MS).plus(Duration.ofSeconds(4)).plusMillis(2 * HEARTBEAT_MS);
        final AtomicInteger n = new AtomicInteger();
        await().atMost(bound).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            final int i = n.incrementAndGet();
            final GateDecision closed = gate.reserve(new GateCall("stale_closed", "acme", "c" + i, "c" + i, null, MODEL, "mid"), BigDecimal.ONE);
            if (closed.allowed()) {
                gate.release(closed.reservation());
            }
            assertThat(closed.allowed()).isFalse();
            assertThat(closed.reasonCode()).isEqualTo(ReasonCodes.STALE_STATE);
        });
        final GateDecision open = gate.reserve(new GateCall("stale_open", "acme", "o1", "o1", null, MODEL, "mid"), BigDecimal.ONE);
        assertThat(open.allowed()).isTrue();
        System.out.printf("STALE: gates applied the stale policy %d ms after the enforcer stopped (bound %d ms = lease TTL + 2 lease waits + 2 heartbeats)%n",
                (System.nanoTime() - stopped) / 1_000_000, bound.toMillis());

        final long restarted = System.nanoTime();
        enforcer = EnforcerApp.start(new EnforcerConfig(enforcerConfig));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            final int i = n.incrementAndGet();
            final GateDecision d = gate.reserve(new GateCall("stale_closed", "acme", "r" + i, "r" + i, null, MODEL, "mid"), BigDecimal.ONE);
            if (d.allowed()) {
                gate.release(d.reservation());
            }
            assertThat(d.allowed()).isTrue();
            assertThat(gate.leaseUsable(ScopeKeys.feature("stale_closed"))).isTrue();
        });
        System.out.printf("STALE: leasing again %d ms after the enforcer was restarted%n", (System.nanoTime() - restarted) / 1_000_000);
    }
}
