package dev.tinyforge.util;

/**
 * The user gave us something we cannot use: a bad file, line, tensor or flag value.
 * The message is one line that names where the problem is and what was expected;
 * the CLI prints it as {@code error: <message>} and exits with code 2.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
