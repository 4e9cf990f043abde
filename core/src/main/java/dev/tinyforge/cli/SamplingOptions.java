package dev.tinyforge.cli;

import dev.tinyforge.generate.SamplingParams;
import picocli.CommandLine.Option;

/** Sampling flags shared by the commands that generate; defaults are llama.cpp's. */
final class SamplingOptions {
    @Option(names = "--temperature", defaultValue = "0.8", description = "0 means greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "0 keeps all tokens (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "1 keeps all tokens (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--min-p", defaultValue = "0.05", description = "0 keeps all tokens (default: ${DEFAULT-VALUE}).")
    double minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", description = "1 is off (default: ${DEFAULT-VALUE}).")
    double repeatPenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0", description = "(default: ${DEFAULT-VALUE}).")
    double frequencyPenalty;

    @Option(names = "--presence-penalty", defaultValue = "0", description = "(default: ${DEFAULT-VALUE}).")
    double presencePenalty;

    @Option(names = "--seed", defaultValue = "42", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    SamplingParams toParams() {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, 64, seed);
    }
}
