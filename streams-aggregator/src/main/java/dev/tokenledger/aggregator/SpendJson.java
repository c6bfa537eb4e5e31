package dev.tokenledger.aggregator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;

/** JSON shape of a spend total: token counts as numbers, money as exact decimal strings (USD). */
final class SpendJson {
    private SpendJson() {
    }

    static ObjectNode of(ObjectMapper mapper, SpendAggregate a) {
        ObjectNode n = mapper.createObjectNode();
        n.put("dimension", a.getDimension().name());
        n.put("key", a.getDimensionKey());
        n.put("window", a.getWindow().name());
        n.put("window_start", a.getWindowStart().toString());
        n.put("window_end", a.getWindowEnd().toString());
        n.put("time_zone", a.getTimeZone());
        n.put("total_cost_usd", money(a.getTotalCostUsd()));
        ObjectNode cost = n.putObject("cost_usd");
        cost.put("input", money(a.getCostInputUsd()));
        cost.put("output", money(a.getCostOutputUsd()));
        cost.put("cache_write_5m", money(a.getCostCacheWrite5mUsd()));
        cost.put("cache_write_1h", money(a.getCostCacheWrite1hUsd()));
        cost.put("cache_read", money(a.getCostCacheReadUsd()));
        cost.put("other", money(a.getCostOtherUsd()));
        n.put("cache_savings_usd", money(a.getCacheSavingsUsd()));
        ObjectNode tokens = n.putObject("tokens");
        tokens.put("input", a.getInputTokens());
        tokens.put("output", a.getOutputTokens());
        tokens.put("reasoning", a.getReasoningTokens());
        tokens.put("cache_write_5m", a.getCacheWrite5mTokens());
        tokens.put("cache_write_1h", a.getCacheWrite1hTokens());
        tokens.put("cache_read", a.getCacheReadTokens());
        ObjectNode other = tokens.putObject("other");
        a.getOtherTokens().forEach(other::put);
        n.put("request_count", a.getRequestCount());
        n.put("error_count", a.getErrorCount());
        n.put("stream_terminated_count", a.getStreamTerminatedCount());
        n.put("unpriced_count", a.getUnpricedCount());
        n.put("updated_at", a.getUpdatedAt().toString());
        return n;
    }

    static String money(BigDecimal amount) {
        return Money.toScale(amount).toPlainString();
    }
}
