package dev.tinyforge.serve;

/**
 * A request the server refuses, with the HTTP status and a message for the client. Each API writes it
 * in its own error shape (OpenAI's {@code {"error": {"message", "type", "param", "code"}}}, Ollama's
 * {@code {"error": "..."}}).
 *
 * @param param the request field at fault, or null
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String param;

    public ApiException(int status, String message, String param) {
        super(message);
        this.status = status;
        this.param = param;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message, null);
    }

    public static ApiException badField(String field, String message) {
        return new ApiException(400, "'" + field + "' " + message, field);
    }

    public static ApiException notSupported(String field, String what) {
        return new ApiException(400, what + " is not supported yet ('" + field + "')", field);
    }

    public int status() {
        return status;
    }

    public String param() {
        return param;
    }

    /** OpenAI's error type for the status. */
    public String openAiType() {
        return switch (status) {
            case 401 -> "authentication_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 500, 503 -> "server_error";
            default -> "invalid_request_error";
        };
    }
}
