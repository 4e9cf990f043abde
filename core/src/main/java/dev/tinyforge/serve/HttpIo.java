package dev.tinyforge.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading request bodies within a size limit, and writing JSON responses. */
final class HttpIo {
    /** Responses and requests use the APIs' snake_case names. */
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    static {
        // The body size limit bounds strings already; nesting is what a small hostile body can blow up.
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private HttpIo() {}

    /** A request body as a JSON object; 400 when it is not one. */
    static ObjectNode parseObject(byte[] body) throws IOException {
        if (body.length == 0) throw ApiException.badRequest("the request body is empty; expected a JSON object");
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage()
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object, got " + (node == null ? "nothing"
                    : JsonFields.describe(node)));
        }
        return (ObjectNode) node;
    }

    /** The whole request body; 413 beyond {@code limit} bytes (declared or sent). */
    static byte[] readBody(HttpExchange exchange, long limit) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad Content-Length " + declared);
            }
            if (length > limit) {
                exchange.getResponseHeaders().set("Connection", "close");
                throw tooLarge(limit);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        // Not closed here: closing drains what is left, which would delay a 413 until a slow client sent it all.
        InputStream in = exchange.getRequestBody();
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + n > limit) {
                exchange.getResponseHeaders().set("Connection", "close");
                throw tooLarge(limit);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(413, "the request body exceeds the limit of " + limit + " bytes", null);
    }
}
