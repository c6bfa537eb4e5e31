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
package dev.tokenledger.gate;

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.LeaseStatus;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.schemas.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Benchmark (not a test): the lease admission itself, {@link BudgetGate#takeAll} over the governing
 * scopes (global, tenant, feature: three atomic decrements in a fixed order with rollback), and a
 * full {@code reserve} + {@code commit} through the gate, on one thread and with 8 threads
 * contending on the same scopes. Baseline in the same run: one {@code AtomicLong.addAndGet} on a
 * shared counter, the least any shared admission can cost. Each latency includes one
 * {@code System.nanoTime} pair. Run: see docs/benchmarks.md (budget leases).
 */
public final class LeaseAdmissionBenchmark {
    private static final long WORST = 27_360_000L; // $0.02736 in nano-dollars
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        final int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        for (int round = 0; round < 3; round++) {
            final boolean report = round == 2;
            run("baseline AtomicLong.addAndGet", 1, report, LeaseAdmissionBenchmark::baselineOp);
            run("takeAll, 3 scopes", 1, report, takeAllOp());
            run("reserve + commit, 3 leased scopes", 1, report, reserveCommitOp());
            run("baseline AtomicLong.addAndGet", threads, report, LeaseAdmissionBenchmark::baselineOp);
            run("takeAll, 3 scopes", threads, report, takeAllOp());
            run("reserve + commit, 3 leased scopes", threads, report, reserveCommitOp());
        }
    }

    private static final AtomicLong SHARED = new AtomicLong();

    private static void baselineOp(long i) {
        sink += SHARED.addAndGet(1);
    }

    private static ScopeSlot slot(String key) {
        final ScopeSlot s = new ScopeSlot(key);
        s.leaseUntilNanos = System.nanoTime() + Duration.ofHours(1).toNanos();
        s.periodEndMs = Long.MAX_VALUE;
        s.available.set(Long.MAX_VALUE / 4);
        return s;
    }

    private static java.util.function.LongConsumer takeAllOp() {
        final ScopeSlot[] order = {slot("global"), slot("tenant:acme"), slot("feature:draft_email")};
        return i -> {
            if (BudgetGate.takeAll(order, WORST, System.nanoTime(), 0) < 0) {
                for (ScopeSlot s : order) {
                    s.available.addAndGet(WORST - 20_000_000L);
                }
            }
        };
    }

    private static BudgetState state(String key, BudgetScope scope) {
        return BudgetState.newBuilder().setScopeKey(key).setBudgetId(key).setScope(scope).setFeatureId("draft_email")
                .setStatus(BudgetStatus.ALLOW).setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.CLOSED)
                .setLimitUsd(Money.of("100000000")).setSpentUsd(Money.ZERO).setReservedUsd(Money.ZERO).setRemainingUsd(Money.of("100000000"))
                .setPeriodStart(Instant.now().minusSeconds(3600)).setPeriodEnd(Instant.now().plusSeconds(36_000))
                .setReasonCode("WITHIN_BUDGET").setVersion(1).setUpdatedAt(Instant.now()).setHeartbeatAt(Instant.now().plusSeconds(36_000))
                .build();
    }

    private static java.util.function.LongConsumer reserveCommitOp() {
        final BudgetGate[] holder = new BudgetGate[1];
        final BudgetGate gate = new BudgetGate("bench", Duration.ofHours(2), Duration.ofHours(1), System::currentTimeMillis, System::nanoTime,
                new GateRecordSink() {
                    @Override
                    public void decision(BudgetDecision d) {
                    }

                    @Override
                    public void leaseRequest(LeaseRequest r) {
                        // an enforcer with a very large remainder, answering at once
                        holder[0].onLease(Lease.newBuilder().setGateId(r.getGateId()).setScopeKey(r.getScopeKey())
                                .setPeriodStart(Instant.now().minusSeconds(3600)).setPeriodEnd(Instant.now().plusSeconds(36_000))
                                .setStatus(LeaseStatus.GRANTED).setGrantedTotalUsd(Money.of("10000000")).setReturnedTotalUsd(Money.ZERO)
                                .setSequence(r.getSequence()).setTtlMs(3_600_000).setUnleasedUsd(Money.ZERO).setOthersOutstandingUsd(Money.ZERO)
                                .setReasonCode("LEASE_GRANTED").setIssuedAt(Instant.now()).build());
                    }
                }, BudgetGate.LeaseOptions.defaults());
        holder[0] = gate;
        gate.onState("global", state("global", BudgetScope.GLOBAL));
        gate.onState("tenant:acme", state("tenant:acme", BudgetScope.TENANT));
        gate.onState("feature:draft_email", state("feature:draft_email", BudgetScope.FEATURE));
        final java.math.BigDecimal worst = new java.math.BigDecimal("0.02736");
        final java.math.BigDecimal actual = new java.math.BigDecimal("0.01");
        final String[] roots = new String[1 << 16];
        for (int i = 0; i < roots.length; i++) {
            roots[i] = "root-" + i;
        }
        final AtomicLong seq = new AtomicLong();
        return i -> {
            final String root = roots[(int) (seq.getAndIncrement() & (roots.length - 1))] + Thread.currentThread().getId();
            final GateDecision d = gate.reserve(new GateCall("draft_email", "acme", root, root, null, null, null), worst);
            gate.commit(d.reservation(), actual);
        };
    }

    private static void run(String name, int threads, boolean report, java.util.function.LongConsumer op) throws Exception {
        final int perThread = 2_000_000 / threads;
        final List<Histogram> hs = new ArrayList<>();
        final List<Thread> ts = new ArrayList<>();
        final CountDownLatch go = new CountDownLatch(1);
        final long[] elapsed = new long[threads];
        for (int t = 0; t < threads; t++) {
            final Histogram h = new Histogram(3);
            hs.add(h);
            final int idx = t;
            final Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                final long t0 = System.nanoTime();
                for (long i = 0; i < perThread; i++) {
                    final long a = System.nanoTime();
                    op.accept(i);
                    h.recordValue(System.nanoTime() - a);
                }
                elapsed[idx] = System.nanoTime() - t0;
            });
            ts.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : ts) {
            th.join();
        }
        final Histogram all = new Histogram(3);
        hs.forEach(all::add);
        long max = 0;
        for (long e : elapsed) {
            max = Math.max(max, e);
        }
        if (report) {
            System.out.printf("ADMISSION %-36s %d thread(s): %,12.0f ops/s; p50 %4d ns, p99 %5d ns, p99.9 %6d ns%n", name, threads,
                    (double) perThread * threads / (max / 1e9), all.getValueAtPercentile(50), all.getValueAtPercentile(99),
                    all.getValueAtPercentile(99.9));
        }
    }
}
