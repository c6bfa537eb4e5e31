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

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/** The serdes the enforcer topology uses, passed in (never shared through static fields). */
public record EnforcerSerdes(Serde<Budget> budget, Serde<CostedUsage> costedUsage, Serde<Reservation> reservation,
                             Serde<BudgetState> state, Serde<BudgetAlert> alert, Serde<BudgetDecision> decision,
                             Serde<ScopeInput> scopeInput, Serde<ScopeLedger> ledger, Serde<LeaseRequest> leaseRequest,
                             Serde<Lease> lease, Serde<UsageEvent> usage, Serde<PriceEntry> price,
                             Serde<PriceAdjustment> adjustment) {

    /** Confluent-wire-format Avro serdes against {@code registryConfig} (schema.registry.url, ...). */
    public static EnforcerSerdes create(Map<String, ?> registryConfig) {
        final Serde<CostedUsage> usage = SpecificAvroSerde.create(CostedUsage.class, registryConfig, false);
        final Serde<Reservation> reservation = SpecificAvroSerde.create(Reservation.class, registryConfig, false);
        final Serde<PriceAdjustment> adjustment = SpecificAvroSerde.create(PriceAdjustment.class, registryConfig, false);
        return new EnforcerSerdes(
                SpecificAvroSerde.create(Budget.class, registryConfig, false),
                usage,
                reservation,
                SpecificAvroSerde.create(BudgetState.class, registryConfig, false),
                SpecificAvroSerde.create(BudgetAlert.class, registryConfig, false),
                SpecificAvroSerde.create(BudgetDecision.class, registryConfig, false),
                ScopeInput.serde(usage, reservation, adjustment),
                new ScopeLedgerSerde(),
                SpecificAvroSerde.create(LeaseRequest.class, registryConfig, false),
                SpecificAvroSerde.create(Lease.class, registryConfig, false),
                SpecificAvroSerde.create(UsageEvent.class, registryConfig, false),
                SpecificAvroSerde.create(PriceEntry.class, registryConfig, false),
                adjustment);
    }
}
