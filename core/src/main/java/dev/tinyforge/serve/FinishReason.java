package dev.tinyforge.serve;

/** Why a generation ended. */
public enum FinishReason {
    /** An end token, a stop string, or a complete constraint. */
    STOP,
    /** The token limit of the request. */
    LENGTH,
    /** The sequence filled the context. */
    CONTEXT_FULL,
    /** The request's time limit passed while generating; the text so far is the answer. */
    TIME_LIMIT,
    /** The request's time limit passed before it got a slot. */
    QUEUE_TIMEOUT,
    /** The client went away or the server is shutting down. */
    CANCELLED,
    /** The client did not read the streamed text fast enough and its buffer filled. */
    CLIENT_TOO_SLOW,
    /** The model failed; the message says why. */
    FAILED;

    /** Whether the text produced is a whole answer that can be sent to the client. */
    public boolean answered() {
        return this == STOP || this == LENGTH || this == CONTEXT_FULL || this == TIME_LIMIT;
    }

    /** The label in metrics. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
