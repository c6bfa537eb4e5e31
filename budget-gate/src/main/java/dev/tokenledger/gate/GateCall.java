package dev.tokenledger.gate;

/**
 * Who is asking the gate: the attribution of one call. {@code rootRequestId} identifies the logical
 * request (user action) the hold covers: retries and fallbacks with the same root reuse the hold.
 */
public record GateCall(String featureId, String tenantId, String rootRequestId, String requestId, String parentRequestId,
                       String model, String modelTier) {

    public GateCall {
        if (featureId == null || featureId.isBlank()) {
            throw new IllegalArgumentException("GateCall.featureId is required (got '" + featureId + "')");
        }
        if (rootRequestId == null || rootRequestId.isBlank()) {
            throw new IllegalArgumentException("GateCall.rootRequestId is required (got '" + rootRequestId + "')");
        }
    }

    public static GateCall of(String featureId, String tenantId, String rootRequestId) {
        return new GateCall(featureId, tenantId, rootRequestId, rootRequestId, null, null, null);
    }
}
