package dev.tokenledger.agent.sdk;

/** Error classes for FAILED events from SDK exceptions: {@code http_<status>} for API errors, else the exception's name. */
final class SdkErrors {
    private SdkErrors() {
    }

    static String anthropic(RuntimeException e) {
        if (e instanceof com.anthropic.errors.AnthropicServiceException s) {
            return "http_" + s.statusCode();
        }
        return e.getClass().getSimpleName();
    }

    static String openAi(RuntimeException e) {
        if (e instanceof com.openai.errors.OpenAIServiceException s) {
            return "http_" + s.statusCode();
        }
        return e.getClass().getSimpleName();
    }
}
