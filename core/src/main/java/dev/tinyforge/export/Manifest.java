package dev.tinyforge.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.util.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code manifest.json} beside exported artifacts: per export, its files (name, bytes, sha256), what
 * it came from, the type, the TinyForge version and the quality figures. Several exports into one
 * folder share the manifest: a new export replaces the entries of the files it rewrites and keeps the rest.
 */
public final class Manifest {
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One written file: its name in the folder, where its bytes are now (a staged path until commit), and its kind. */
    public record Artifact(String file, Path written, String kind) {}

    private Manifest() {}

    /**
     * The manifest's new content: the existing one in {@code dir} (if readable) with this export added.
     *
     * @param details source, base model, type, evaluation ... (an object; its fields are copied)
     */
    public static byte[] updated(Path dir, List<Artifact> artifacts, ObjectNode details) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("tinyforge_version", Version.get());
        ArrayNode exports = root.putArray("exports");
        Set<String> rewritten = new HashSet<>();
        artifacts.forEach(a -> rewritten.add(a.file()));
        Path existing = dir.resolve(FILE);
        if (Files.isRegularFile(existing)) {
            JsonNode old;
            try {
                old = JSON.readTree(existing.toFile());
            } catch (IOException e) {
                old = null; // an unreadable manifest is replaced, not trusted
            }
            if (old != null && old.path("exports").isArray()) {
                for (JsonNode entry : old.get("exports")) {
                    boolean overlaps = false;
                    for (JsonNode a : entry.path("artifacts")) overlaps |= rewritten.contains(a.path("file").asText());
                    if (!overlaps) exports.add(entry);
                }
            }
        }
        ObjectNode entry = exports.addObject();
        entry.put("created", Instant.now().toString());
        entry.put("tinyforge_version", Version.get());
        ArrayNode files = entry.putArray("artifacts");
        for (Artifact a : artifacts) {
            files.addObject().put("file", a.file()).put("kind", a.kind()).put("bytes", Files.size(a.written()))
                    .put("sha256", sha256(a.written()));
        }
        entry.setAll(details);
        return JSON.writeValueAsBytes(root);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A fresh object for the export's details. */
    public static ObjectNode details() {
        return JSON.createObjectNode();
    }

}
