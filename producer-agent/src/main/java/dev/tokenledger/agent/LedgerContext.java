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
package dev.tokenledger.agent;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The attribution of the work running on the current thread: the tags of the active call (or of an
 * incoming request that carried TokenLedger headers) and the request id that child calls will name as
 * their parent. It is what lets a retry, a fallback or a step of an agent loop started deeper in the code
 * (or on another thread, or in another service) join the same logical request.
 *
 * <p>Across threads: capture with {@link #current()} and run with {@link #wrap(Runnable)}, or wrap the
 * executor once with {@link LedgerExecutors}. Across services: {@link LedgerHeaders}.
 */
public final class LedgerContext {
    private static final ThreadLocal<LedgerContext> CURRENT = new ThreadLocal<>();

    private final String feature;
    private final String tenant;
    private final String user;
    private final String plan;
    private final String rootRequestId;
    private final String requestId;
    private final Map<String, String> tags;

    /**
     * @param requestId the id child calls name as parent (the active call, or the caller's call for a
     *                  context read from headers); may be null
     */
    public LedgerContext(String feature, String tenant, String user, String plan, String rootRequestId,
                         String requestId, Map<String, String> tags) {
        this.feature = feature;
        this.tenant = tenant;
        this.user = user;
        this.plan = plan;
        this.rootRequestId = rootRequestId;
        this.requestId = requestId;
        this.tags = tags == null ? Map.of() : tags;
    }

    /** The context active on this thread, or null. */
    public static LedgerContext current() {
        return CURRENT.get();
    }

    /** Makes this context current until the returned scope is closed (which restores the previous one). */
    public Scope activate() {
        LedgerContext previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** A runnable that runs {@code task} with this context current, whatever thread runs it. */
    public Runnable wrap(Runnable task) {
        return () -> {
            try (Scope ignored = activate()) {
                task.run();
            }
        };
    }

    public <T> Callable<T> wrap(Callable<T> task) {
        return () -> {
            try (Scope ignored = activate()) {
                return task.call();
            }
        };
    }

    /** The attribution for a call made inside this context: same tags and root, parent = this request. */
    public Attribution childAttribution() {
        if (feature == null) {
            throw new MissingFeatureTagException(null);
        }
        Attribution a = Attribution.feature(feature);
        if (tenant != null) {
            a = a.tenant(tenant);
        }
        if (user != null) {
            a = a.user(user);
        }
        if (plan != null) {
            a = a.plan(plan);
        }
        if (rootRequestId != null) {
            a = a.root(rootRequestId);
        }
        if (requestId != null) {
            a = a.parent(requestId);
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            a = a.tag(e.getKey(), e.getValue());
        }
        return a;
    }

    public String featureId() {
        return feature;
    }

    public String tenantId() {
        return tenant;
    }

    public String userId() {
        return user;
    }

    public String planTier() {
        return plan;
    }

    public String rootRequestId() {
        return rootRequestId;
    }

    /** The request child calls should name as their parent. */
    public String requestId() {
        return requestId;
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** Closing restores the context that was current before {@link #activate()}. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public String toString() {
        return "LedgerContext{feature=" + feature + ", tenant=" + tenant + ", plan=" + plan + ", root="
                + rootRequestId + ", request=" + requestId + "}";
    }
}
