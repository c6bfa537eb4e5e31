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
package dev.tokenledger.pricing;

import java.math.BigDecimal;

/**
 * The cost of one token class in one request.
 *
 * @param tokenClass canonical class name ({@link TokenClass}) or an other class name
 * @param tokens tokens in the class
 * @param ratePerMtok effective rate applied, USD per million tokens, after the long-context tier and
 *     every multiplier (scale 12)
 * @param costUsd {@code tokens x ratePerMtok / 1e6}, exact at scale 12
 */
public record ClassCost(String tokenClass, long tokens, BigDecimal ratePerMtok, BigDecimal costUsd) {
}
