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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who an LLM call is for: the tags stamped on its usage event. Immutable; every fluent method returns a
 * copy, so one {@code Attribution} can be shared and specialised per call.
 *
 * <pre>{@code
 * Attribution.feature("summarize_email_v2").tenant("acme").user("u-17").plan("pro").root(rootId)
 * }</pre>
 *
 * <p>The feature tag is mandatory ({@link MissingFeatureTagException}); every tag is validated when it is
 * set, by {@link TagRules}, with an error naming the tag and the value.
 */
public final class Attribution {
    private final String feature;
    private final String tenant;
    private final String user;
    private final String plan;
    private final String root;
    private final String parent;
    private final int attempt;
    private final Map<String, String> tags;

    private Attribution(String feature, String tenant, String user, String plan, String root, String parent,
                        int attempt, Map<String, String> tags) {
        this.feature = feature;
        this.tenant = tenant;
        this.user = user;
        this.plan = plan;
        this.root = root;
        this.parent = parent;
        this.attempt = attempt;
        this.tags = tags;
    }

    /** Starts an attribution for a product feature; the only mandatory tag. */
    public static Attribution feature(String featureId) {
        if (featureId == null || featureId.isBlank()) {
            throw new MissingFeatureTagException(featureId);
        }
        return new Attribution(TagRules.identifier("feature", featureId), null, null, null, null, null, 1, Map.of());
    }

    /**
     * The attribution of the call running on this thread (see {@link LedgerContext}), as a child of it:
     * same feature, tenant, user, plan and root, parent = that call's request id.
     *
     * @throws MissingFeatureTagException when no call or propagated context is active
     */
    public static Attribution inherit() {
        LedgerContext ctx = LedgerContext.current();
        if (ctx == null) {
            throw new MissingFeatureTagException(null);
        }
        return ctx.childAttribution();
    }

    public Attribution tenant(String tenantId) {
        return new Attribution(feature, tenantId == null ? null : TagRules.identifier("tenant", tenantId), user, plan, root, parent, attempt, tags);
    }

    /** End-user id (≤ 256 printable ASCII chars); may be replaced by an HMAC before it leaves the process. */
    public Attribution user(String userId) {
        final String checked = userId == null ? null : TagRules.userId("user", userId, TagRules.MAX_USER_LENGTH);
        return new Attribution(feature, tenant, checked, plan, root, parent, attempt, tags);
    }

    public Attribution plan(String planTier) {
        return new Attribution(feature, tenant, user, planTier == null ? null : TagRules.identifier("plan", planTier), root, parent, attempt, tags);
    }

    /** The logical request (user action) this call belongs to; shared by retries, fallbacks and agent loops. */
    public Attribution root(String rootRequestId) {
        final String checked = rootRequestId == null ? null : TagRules.identifier("root_request_id", rootRequestId);
        return new Attribution(feature, tenant, user, plan, checked, parent, attempt, tags);
    }

    /** The call that caused this one (agent chains). */
    public Attribution parent(String parentRequestId) {
        final String checked = parentRequestId == null ? null : TagRules.identifier("parent_request_id", parentRequestId);
        return new Attribution(feature, tenant, user, plan, root, checked, attempt, tags);
    }

    /** 1 for the first try, 2+ for retries or fallbacks of the same logical call. */
    public Attribution attempt(int attemptNumber) {
        if (attemptNumber < 1) {
            throw new InvalidTagException("attempt", Integer.toString(attemptNumber), "must be 1 or more");
        }
        return new Attribution(feature, tenant, user, plan, root, parent, attemptNumber, tags);
    }

    /** A free-form extra tag (workflow step, experiment, ...). */
    public Attribution tag(String key, String value) {
        TagRules.identifier("tag key", key);
        Objects.requireNonNull(value, "tag value");
        if (value.length() > TagRules.MAX_USER_LENGTH) {
            throw new InvalidTagException("tag " + key, value, "at most " + TagRules.MAX_USER_LENGTH + " characters");
        }
        if (tags.size() >= TagRules.MAX_EXTRA_TAGS && !tags.containsKey(key)) {
            throw new InvalidTagException("tag " + key, value, "at most " + TagRules.MAX_EXTRA_TAGS + " extra tags per call");
        }
        Map<String, String> copy = new LinkedHashMap<>(tags);
        copy.put(key, value);
        return new Attribution(feature, tenant, user, plan, root, parent, attempt, Collections.unmodifiableMap(copy));
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
        return root;
    }

    public String parentRequestId() {
        return parent;
    }

    public int attemptNumber() {
        return attempt;
    }

    public Map<String, String> tags() {
        return tags;
    }

    @Override
    public String toString() {
        return "Attribution{feature=" + feature + ", tenant=" + tenant + ", plan=" + plan + ", root=" + root
                + ", parent=" + parent + ", attempt=" + attempt + ", tags=" + tags + "}";
    }
}
