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
package dev.tokenledger.cli.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a planned call as the provider would answer it: an Anthropic Messages response or SSE
 * stream, an OpenAI Chat Completions response or SSE stream (with
 * {@code stream_options.include_usage}). Only the usage blocks carry meaning; the text is filler
 * (TokenLedger never reads prompt or completion text).
 *
 * <p>Provider conventions, as documented: Anthropic's {@code input_tokens} excludes cache tokens and
 * splits cache writes by TTL under {@code cache_creation}; the stream reports input usage in
 * {@code message_start} and the cumulative output in the final {@code message_delta}. OpenAI's
 * {@code prompt_tokens} includes {@code prompt_tokens_details.cached_tokens}; the stream's usage
 * arrives in a last chunk whose {@code choices} is empty. In streams, every content delta carries
 * exactly one output token, so a stream cut after {@code n} deltas has generated {@code n} tokens.
 */
public final class ProviderResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DONE = "[DONE]";
    private static final long CREATED_EPOCH_SECONDS = 1_767_225_600L;

    private ProviderResponses() {
    }

    // ---------------------------------------------------------------- Anthropic

    /** An Anthropic Messages API response body for a completed, non-streamed call. */
    public static String anthropicMessage(String messageId, PlannedCall call) {
        final ObjectNode root = JSON.createObjectNode();
        root.put("id", messageId);
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", call.model());
        final ArrayNode content = root.putArray("content");
        content.addObject().put("type", "text").put("text", filler(call.usage().output()));
        root.put("stop_reason", "end_turn");
        root.putNull("stop_sequence");
        root.set("usage", anthropicUsage(call.usage(), call.usage().output()));
        return root.toString();
    }

    /** An Anthropic error body (HTTP 529 overloaded): no usage, nothing billed. */
    public static String anthropicOverloaded() {
        final ObjectNode root = JSON.createObjectNode();
        root.put("type", "error");
        root.putObject("error").put("type", "overloaded_error").put("message", "Overloaded");
        return root.toString();
    }

    /**
     * The Anthropic SSE stream of a call: {@code message_start}, {@code toolCalls} tool_use blocks,
     * a text block with one delta per remaining output token, {@code message_delta} with the output
     * count, {@code message_stop}. Output tokens are spread so the tool blocks carry one delta (one
     * token) per tool call and the text carries the rest.
     */
    public static List<SseEvent> anthropicStream(String messageId, PlannedCall call) {
        final List<SseEvent> events = new ArrayList<>();
        final ObjectNode start = JSON.createObjectNode();
        start.put("type", "message_start");
        final ObjectNode message = start.putObject("message");
        message.put("id", messageId);
        message.put("type", "message");
        message.put("role", "assistant");
        message.putArray("content");
        message.put("model", call.model());
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        // message_start reports the input side and a provisional output of 1 (as Anthropic does)
        message.set("usage", anthropicUsage(call.usage(), 1));
        events.add(new SseEvent("message_start", start.toString()));

        final long output = call.usage().output();
        final int tools = (int) Math.min(call.toolCalls(), output);
        int index = 0;
        for (; index < tools; index++) {
            final ObjectNode blockStart = JSON.createObjectNode();
            blockStart.put("type", "content_block_start");
            blockStart.put("index", index);
            blockStart.putObject("content_block").put("type", "tool_use").put("id", messageId + "_tool" + index)
                    .put("name", "lookup").putObject("input");
            events.add(new SseEvent("content_block_start", blockStart.toString()));
            final ObjectNode delta = JSON.createObjectNode();
            delta.put("type", "content_block_delta");
            delta.put("index", index);
            delta.putObject("delta").put("type", "input_json_delta").put("partial_json", "{\"q\":\"x\"}");
            events.add(new SseEvent("content_block_delta", delta.toString()));
            events.add(blockStop(index));
        }
        final ObjectNode textStart = JSON.createObjectNode();
        textStart.put("type", "content_block_start");
        textStart.put("index", index);
        textStart.putObject("content_block").put("type", "text").put("text", "");
        events.add(new SseEvent("content_block_start", textStart.toString()));
        for (long t = tools; t < output; t++) {
            final ObjectNode delta = JSON.createObjectNode();
            delta.put("type", "content_block_delta");
            delta.put("index", index);
            delta.putObject("delta").put("type", "text_delta").put("text", "tok ");
            events.add(new SseEvent("content_block_delta", delta.toString()));
        }
        events.add(blockStop(index));
        final ObjectNode messageDelta = JSON.createObjectNode();
        messageDelta.put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", tools > 0 && tools == output ? "tool_use" : "end_turn")
                .putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", output);
        events.add(new SseEvent("message_delta", messageDelta.toString()));
        events.add(new SseEvent("message_stop", JSON.createObjectNode().put("type", "message_stop").toString()));
        return events;
    }

    /**
     * Does this event of {@link #anthropicStream} or {@link #openAiStream} carry generated output (a
     * content delta), as opposed to framing, usage or the end marker?
     */
    public static boolean isOutputDelta(SseEvent event) {
        if (event.event() != null) {
            return event.event().equals("content_block_delta");
        }
        if (DONE.equals(event.data())) {
            return false;
        }
        try {
            return !JSON.readTree(event.data()).path("choices").path(0).path("delta").path("content").asText("").isEmpty();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a chat completion chunk: " + event.data(), e);
        }
    }

    private static SseEvent blockStop(int index) {
        return new SseEvent("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index).toString());
    }

    private static ObjectNode anthropicUsage(TokenUsage usage, long outputTokens) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("input_tokens", usage.input());
        node.put("cache_creation_input_tokens", usage.cacheWrite5m() + usage.cacheWrite1h());
        node.put("cache_read_input_tokens", usage.cacheRead());
        node.putObject("cache_creation")
                .put("ephemeral_5m_input_tokens", usage.cacheWrite5m())
                .put("ephemeral_1h_input_tokens", usage.cacheWrite1h());
        node.put("output_tokens", outputTokens);
        node.put("service_tier", "standard");
        // every simulated Claude model (5.5) accepts inference_geo; the company runs without data residency
        node.put("inference_geo", "global");
        return node;
    }

    // ---------------------------------------------------------------- OpenAI

    /**
     * An OpenAI Chat Completions response body. The simulated company's cached OpenAI calls run on a model
     * that bills no cache write (OpenAI bills 30-minute writes from GPT-5.6 on, see {@link ModelTier}): the
     * simulator never plans one for OpenAI, and refuses a usage that has one.
     */
    public static String openAiCompletion(String completionId, PlannedCall call) {
        final ObjectNode root = JSON.createObjectNode();
        root.put("id", completionId);
        root.put("object", "chat.completion");
        root.put("created", CREATED_EPOCH_SECONDS);
        root.put("model", call.model());
        final ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", filler(call.usage().output()));
        choice.put("finish_reason", "stop");
        root.set("usage", openAiUsage(call.usage()));
        root.put("service_tier", "default");
        return root.toString();
    }

    /** An OpenAI error body (HTTP 503, server overloaded): no usage. */
    public static String openAiOverloaded() {
        final ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", "The server is overloaded or not ready yet.")
                .put("type", "server_error").putNull("param").putNull("code");
        return root.toString();
    }

    /**
     * The OpenAI SSE stream: a role chunk, one content chunk per output token, a chunk with
     * {@code finish_reason}, the usage chunk with empty {@code choices}, and {@code [DONE]}.
     */
    public static List<SseEvent> openAiStream(String completionId, PlannedCall call) {
        final List<SseEvent> events = new ArrayList<>();
        events.add(new SseEvent(null, chunk(completionId, call, d -> d.put("role", "assistant").put("content", ""), null)));
        for (long t = 0; t < call.usage().output(); t++) {
            events.add(new SseEvent(null, chunk(completionId, call, d -> d.put("content", "tok "), null)));
        }
        events.add(new SseEvent(null, chunk(completionId, call, d -> { }, "stop")));
        final ObjectNode usageChunk = chunkHeader(completionId, call);
        usageChunk.putArray("choices");
        usageChunk.set("usage", openAiUsage(call.usage()));
        events.add(new SseEvent(null, usageChunk.toString()));
        events.add(new SseEvent(null, DONE));
        return events;
    }

    private static String chunk(String id, PlannedCall call, java.util.function.Consumer<ObjectNode> delta, String finish) {
        final ObjectNode node = chunkHeader(id, call);
        final ObjectNode choice = node.putArray("choices").addObject();
        choice.put("index", 0);
        delta.accept(choice.putObject("delta"));
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return node.toString();
    }

    private static ObjectNode chunkHeader(String id, PlannedCall call) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("object", "chat.completion.chunk");
        node.put("created", CREATED_EPOCH_SECONDS);
        node.put("model", call.model());
        return node;
    }

    private static ObjectNode openAiUsage(TokenUsage usage) {
        if (usage.cacheWrite5m() != 0 || usage.cacheWrite1h() != 0) {
            throw new IllegalArgumentException("OpenAI reports no cache writes; planned usage has some: " + usage);
        }
        final long prompt = usage.input() + usage.cacheRead();
        final ObjectNode node = JSON.createObjectNode();
        node.put("prompt_tokens", prompt);
        node.put("completion_tokens", usage.output());
        node.put("total_tokens", prompt + usage.output());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheRead()).put("audio_tokens", 0);
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoning()).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return node;
    }

    // ---------------------------------------------------------------- Gemini

    /**
     * A Gemini {@code generateContent} response body. {@code usageMetadata.promptTokenCount} includes the
     * cached tokens ({@code cachedContentTokenCount}); Gemini reports no per-request cache write (explicit
     * caches are billed by storage hours), so a planned usage with one is refused.
     */
    public static String geminiResponse(String responseId, PlannedCall call) {
        final TokenUsage usage = call.usage();
        if (usage.cacheWrite5m() != 0 || usage.cacheWrite1h() != 0) {
            throw new IllegalArgumentException("Gemini reports no cache writes; planned usage has some: " + usage);
        }
        final ObjectNode root = JSON.createObjectNode();
        final ObjectNode candidate = root.putArray("candidates").addObject();
        candidate.putObject("content").put("role", "model").putArray("parts").addObject().put("text", filler(usage.output()));
        candidate.put("finishReason", "STOP");
        candidate.put("index", 0);
        final long prompt = usage.input() + usage.cacheRead();
        final ObjectNode meta = root.putObject("usageMetadata");
        meta.put("promptTokenCount", prompt);
        if (usage.cacheRead() > 0) {
            meta.put("cachedContentTokenCount", usage.cacheRead());
        }
        meta.put("candidatesTokenCount", usage.output() - usage.reasoning());
        if (usage.reasoning() > 0) {
            meta.put("thoughtsTokenCount", usage.reasoning());
        }
        meta.put("totalTokenCount", prompt + usage.output());
        root.put("modelVersion", call.model());
        root.put("responseId", responseId);
        return root.toString();
    }

    private static String filler(long outputTokens) {
        return "tok ".repeat((int) Math.min(outputTokens, 64)).trim();
    }
}
