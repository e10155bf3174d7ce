package io.mcphub.telemetry.api;

/** An error answered as {@code {"error": code, "message": ..., "parameter": ...}} with an HTTP status. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String parameter;

    public ApiException(int status, String code, String message, String parameter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.parameter = parameter;
    }

    public static ApiException badParameter(String parameter, String message) {
        return new ApiException(400, "bad_request", "parameter '" + parameter + "': " + message, parameter);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null);
    }

    public static ApiException notFound(String path) {
        return new ApiException(404, "not_found", "no such resource: " + path, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String parameter() {
        return parameter;
    }
}
