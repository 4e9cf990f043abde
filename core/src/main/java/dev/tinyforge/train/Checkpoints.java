package dev.tinyforge.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.io.safetensors.SafetensorsDtype;
import dev.tinyforge.io.safetensors.SafetensorsFile;
import dev.tinyforge.io.safetensors.SafetensorsTensor;
import dev.tinyforge.io.safetensors.SafetensorsWriter;
import dev.tinyforge.util.AtomicFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's checkpoints: {@code <run>/checkpoints/step-N/} with {@code trainer_state.json} (position,
 * schedule, early stopping), {@code parameters.safetensors} (the trainable arrays, and the best ones
 * when validation found any), {@code optimizer.safetensors} (AdamW's moments and update count), plus
 * what the caller adds (a LoRA run's PEFT adapter, the run's config.yaml). A checkpoint is written
 * into a hidden folder and renamed into place, so {@code step-N} is always complete; only the last
 * {@code keep} are kept.
 */
public final class Checkpoints {
    /** The folder under a run folder. */
    public static final String FOLDER = "checkpoints";
    static final String STATE = "trainer_state.json", PARAMETERS = "parameters.safetensors", OPTIMIZER = "optimizer.safetensors";
    private static final Pattern NAME = Pattern.compile("step-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int FORMAT = 1;

    /** Writes the extra files of a checkpoint into its (still hidden) folder. */
    @FunctionalInterface
    public interface Extras {
        void write(Path dir) throws IOException;
    }

    private final Path root;
    private final int keep;

    /** @param keep how many checkpoints to keep, newest first (0: all) */
    public Checkpoints(Path runDir, int keep) {
        this.root = runDir.resolve(FOLDER);
        this.keep = keep;
    }

    /** Writes {@code state} as {@code step-N} (replacing one of that name) and drops the oldest beyond {@code keep}. */
    public Path save(TrainingState state, Extras extras) throws IOException {
        Files.createDirectories(root);
        removeLeftovers();
        String name = "step-" + state.position().step();
        Path target = root.resolve(name);
        Path partial = Files.createTempDirectory(root, "." + name + ".partial-");
        try {
            write(state, partial);
            extras.write(partial);
            Path old = null;
            if (Files.exists(target)) {
                old = Files.createTempDirectory(root, "." + name + ".old-");
                Files.delete(old);
                move(target, old);
            }
            move(partial, target);
            if (old != null) deleteTree(old);
        } catch (IOException | RuntimeException e) {
            deleteTree(partial);
            throw e;
        }
        prune();
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Hidden folders a killed process left half-written. */
    private void removeLeftovers() throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            for (Path p : children.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".step-") && (name.contains(".partial-") || name.contains(".old-"))) deleteTree(p);
            }
        }
    }

    private void prune() throws IOException {
        List<Path> all = list(root);
        if (keep > 0) {
            for (int i = 0; i < all.size() - keep; i++) deleteTree(all.get(i));
        }
    }

    /** The complete checkpoints under a run folder's {@code checkpoints/}, oldest first. */
    public static List<Path> list(Path checkpointsDir) throws IOException {
        if (!Files.isDirectory(checkpointsDir)) return List.of();
        try (Stream<Path> children = Files.list(checkpointsDir)) {
            return children.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparingLong(Checkpoints::stepOf)).toList();
        }
    }

    /** The newest complete checkpoint of a run folder. */
    public static Optional<Path> latest(Path runDir) throws IOException {
        List<Path> all = list(runDir.resolve(FOLDER));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    private static long stepOf(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    // ---- the files ---------------------------------------------------------------------------

    static void write(TrainingState state, Path dir) throws IOException {
        TrainingState.Position p = state.position();
        ObjectNode json = JSON.createObjectNode();
        json.put("format", FORMAT);
        json.put("global_step", p.step());
        json.put("total_steps", p.totalSteps());
        json.put("epoch", p.epoch());
        json.put("next_index", p.nextIndex());
        json.put("trained_tokens", p.trainedTokens());
        json.put("last_train_loss", p.lastLoss());
        if (p.bestValLoss() != null) json.put("best_val_loss", p.bestValLoss());
        json.put("best_step", p.bestStep());
        json.put("validations_since_best", p.sinceBest());
        json.put("data_hash", Long.toHexString(p.dataHash()));
        json.put("adam_steps", state.adamSteps());
        AtomicFiles.write(dir.resolve(STATE), o -> o.write(JSON.writeValueAsBytes(json)));

        SafetensorsWriter parameters = new SafetensorsWriter().putMetadata("global_step", Integer.toString(p.step()));
        for (int i = 0; i < state.parameters().size(); i++) {
            add(parameters, "param." + i, state.parameters().get(i));
            if (state.best() != null) add(parameters, "best." + i, state.best().get(i));
        }
        parameters.write(dir.resolve(PARAMETERS));
        SafetensorsWriter optimizer = new SafetensorsWriter().putMetadata("adam_steps", Long.toString(state.adamSteps()));
        for (int i = 0; i < state.moments().size() / 2; i++) {
            add(optimizer, "exp_avg." + i, state.moments().get(2 * i));
            add(optimizer, "exp_avg_sq." + i, state.moments().get(2 * i + 1));
        }
        optimizer.write(dir.resolve(OPTIMIZER));
    }

    /** A float array as an F32 tensor without copying it (the heap's floats are little-endian here). */
    private static void add(SafetensorsWriter writer, String name, float[] values) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            writer.addFloats(name, new long[] {values.length}, values);
        } else {
            writer.add(name, SafetensorsDtype.F32, new long[] {values.length}, MemorySegment.ofArray(values));
        }
    }

    /** Reads a checkpoint folder; shapes are checked against the run when it is restored. */
    public static TrainingState read(Path dir) throws IOException {
        Path stateFile = dir.resolve(STATE);
        JsonNode json;
        try {
            json = JSON.readTree(stateFile.toFile());
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new BadInputException(dir + ": not a checkpoint (no " + STATE + ")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException(stateFile + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (json.path("format").asInt() != FORMAT) {
            throw new BadInputException(stateFile + ": checkpoint format " + json.path("format") + " is not " + FORMAT);
        }
        for (String field : new String[] {"global_step", "total_steps", "epoch", "next_index", "trained_tokens",
                "last_train_loss", "best_step", "validations_since_best", "data_hash", "adam_steps"}) {
            if (!json.hasNonNull(field)) throw new BadInputException(stateFile + ": field \"" + field + "\" is missing");
        }
        long dataHash;
        try {
            dataHash = Long.parseUnsignedLong(json.get("data_hash").asText(), 16);
        } catch (NumberFormatException e) {
            throw new BadInputException(stateFile + ": data_hash is not a hex number");
        }
        var position = new TrainingState.Position(json.get("global_step").asInt(), json.get("total_steps").asInt(),
                json.get("epoch").asInt(), json.get("next_index").asInt(), json.get("trained_tokens").asLong(),
                json.get("last_train_loss").asDouble(), json.hasNonNull("best_val_loss") ? json.get("best_val_loss").asDouble() : null,
                json.get("best_step").asInt(), json.get("validations_since_best").asInt(), dataHash);
        if (position.step() < 1 || position.epoch() < 0 || position.nextIndex() < 0 || position.step() > position.totalSteps()) {
            throw new BadInputException(stateFile + ": the position (step, epoch, next index) is out of range");
        }
        List<float[]> parameters = new ArrayList<>(), best = new ArrayList<>(), moments = new ArrayList<>();
        try (SafetensorsFile file = open(dir.resolve(PARAMETERS))) {
            int n = count(file, "param.");
            for (int i = 0; i < n; i++) {
                parameters.add(floats(file, "param." + i));
                if (position.bestValLoss() != null) best.add(floats(file, "best." + i));
            }
        }
        try (SafetensorsFile file = open(dir.resolve(OPTIMIZER))) {
            for (int i = 0; i < parameters.size(); i++) {
                moments.add(floats(file, "exp_avg." + i));
                moments.add(floats(file, "exp_avg_sq." + i));
            }
        }
        return new TrainingState(position, parameters, moments, json.get("adam_steps").asLong(),
                position.bestValLoss() != null ? best : null);
    }

    private static SafetensorsFile open(Path file) throws IOException {
        if (!Files.exists(file)) throw new BadInputException(file + ": missing from the checkpoint");
        return SafetensorsFile.open(file);
    }

    private static int count(SafetensorsFile file, String prefix) {
        int n = 0;
        for (String name : file.names()) if (name.startsWith(prefix)) n++;
        return n;
    }

    private static float[] floats(SafetensorsFile file, String name) {
        SafetensorsTensor t = file.find(name).orElseThrow(() -> new BadInputException(file.path() + ": tensor " + name
                + " is missing"));
        if (t.dtype() != SafetensorsDtype.F32 || t.shape().length != 1) {
            throw new BadInputException(file.path() + ": tensor " + name + " must be a 1-D F32 array");
        }
        return t.toFloatArray();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir, e);
        }
    }
}
