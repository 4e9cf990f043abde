package dev.tinyforge.serve;

/**
 * How an API writes a streamed generation: OpenAI's server-sent events or Ollama's JSON lines.
 * Each method returns the bytes to send.
 */
interface StreamFormat {
    String contentType();

    /** Sent before the first piece (OpenAI's chunk with the assistant role); may be empty. */
    byte[] begin();

    byte[] piece(String text);

    /** The closing events of an answered generation. */
    byte[] end(Outcome outcome);

    /** An error event for a generation that failed after the stream began. */
    byte[] failure(String message);

    /**
     * Bytes that change nothing for the client but let a dead connection show itself (an SSE comment,
     * or a space before the next JSON line).
     */
    byte[] heartbeat();
}
