package dev.tinyforge.data.examples;

/** One drawn example before it is laid out as a record: what the user says and the one right answer. */
record Sample(String input, String output) {}
