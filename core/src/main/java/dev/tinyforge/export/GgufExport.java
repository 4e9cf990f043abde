package dev.tinyforge.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.Example;
import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufValue;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.tokenizer.GgufTokenizerLoader;
import dev.tinyforge.tokenizer.GgufTokenizerMetadata;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import dev.tinyforge.train.PromptFormat;
import dev.tinyforge.train.RunSettings;
import dev.tinyforge.util.AtomicFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Consumer;

/**
 * {@code tinyforge export}: a model or run to a GGUF file (merged first for a LoRA run), and/or a
 * LoRA run's adapter as a llama.cpp LoRA GGUF, with Ollama Modelfiles and a manifest. Every file is
 * staged beside its target; when the run has a validation split the staged GGUF is loaded back and
 * measured against the float model, and only an export within {@code maxDegradation} is renamed into
 * place. A failed or refused export leaves nothing behind.
 */
public final class GgufExport {
    /**
     * @param base           base model of a LoRA run, or null for the one the run names
     * @param gguf           the model GGUF to write, or null
     * @param adapterGguf    the LoRA GGUF to write, or null
     * @param maxDegradation the quality gate (0.02 = 2%), or null for none
     * @param evalLimit      validation examples to measure at most
     */
    public record Request(Path source, Path base, Path gguf, FileType type, Path adapterGguf, boolean modelfile,
                          Double maxDegradation, int evalLimit) {}

    /**
     * What happened.
     *
     * @param evaluation before/after figures, when the source had a validation split
     * @param passed     false when the quality gate refused the export (then nothing was written)
     */
    public record Outcome(List<Path> written, QualityGate.Comparison evaluation, boolean passed, List<String> notes) {}

    private GgufExport() {}

    public static Outcome run(Request r, Consumer<String> log) throws IOException {
        if (r.gguf() == null && r.adapterGguf() == null) {
            throw new BadInputException("nothing to write: give --out FILE.gguf and/or --adapter-gguf FILE.gguf");
        }
        for (Path target : new Path[] {r.gguf(), r.adapterGguf()}) {
            if (target != null && Files.isDirectory(target)) throw new BadInputException(target + ": is a folder; give a file name");
        }
        List<String> notes = new ArrayList<>();
        try (ModelSource source = ModelSource.open(r.source(), r.base())) {
            if (r.adapterGguf() != null && source.adapter().isEmpty()) {
                throw new BadInputException(r.source() + ": --adapter-gguf needs a LoRA run (a folder with adapter_config.json)");
            }
            Tokenizer tokenizer = source.tokenizer();
            Optional<PromptFormat> format = source.promptFormat(tokenizer);
            QualityGate.Split split = split(source, r, notes);

            List<Path> created = missingFolders(r);
            List<Path> written = new ArrayList<>();
            QualityGate.Comparison evaluation = null;
            try (AtomicFiles.Batch batch = new AtomicFiles.Batch()) {
                List<Manifest.Artifact> artifacts = new ArrayList<>();
                String name = source.name();
                ModelfileWriter modelfiles = r.modelfile() ? ModelfileWriter.of(source, tokenizer, format, notes) : null;
                if (r.gguf() != null) {
                    Path staged = batch.reserve(r.gguf());
                    log.accept("writing " + r.gguf() + " (" + r.type().name().toLowerCase(Locale.ROOT) + ", " + source.config().family().ggufArchitecture()
                            + (source.adapter().isPresent() ? ", LoRA merged" : "") + ")");
                    GgufModelWriter.write(source.config(), source.weights(), tokenizerKeys(source, format, notes), name, r.type(),
                            staged);
                    artifacts.add(new Manifest.Artifact(r.gguf().getFileName().toString(), staged, "gguf"));
                    written.add(r.gguf());
                    if (split != null) {
                        log.accept("measuring the float model and the exported file on " + split.examples().size()
                                + " validation examples");
                        evaluation = evaluate(source, tokenizer, format, split, staged);
                        log.accept(evaluation.describe());
                        if (r.maxDegradation() != null && evaluation.degradation() > r.maxDegradation()) {
                            notes.add(String.format(Locale.ROOT, "degradation %.2f%% exceeds --max-degradation %.2f%%: "
                                    + "nothing written", 100 * evaluation.degradation(), 100 * r.maxDegradation()));
                            return new Outcome(List.of(), evaluation, false, notes);
                        }
                    }
                    if (modelfiles != null) {
                        Path file = r.gguf().resolveSibling("Modelfile");
                        Path stagedModelfile = batch.reserve(file);
                        Files.writeString(stagedModelfile, modelfiles.forModel("./" + r.gguf().getFileName()),
                                StandardCharsets.UTF_8);
                        artifacts.add(new Manifest.Artifact(file.getFileName().toString(), stagedModelfile, "modelfile"));
                        written.add(file);
                    }
                }
                if (r.adapterGguf() != null) {
                    Path staged = batch.reserve(r.adapterGguf());
                    log.accept("writing " + r.adapterGguf() + " (LoRA adapter for llama.cpp, r " + source.adapter().get().config().rank()
                            + ", " + source.adapter().get().slots().size() + " matrices)");
                    LoraGgufWriter.write(source.adapter().get(), source.config(), name, staged);
                    artifacts.add(new Manifest.Artifact(r.adapterGguf().getFileName().toString(), staged, "lora-gguf"));
                    written.add(r.adapterGguf());
                    if (modelfiles != null) {
                        Path file = r.adapterGguf().resolveSibling("Modelfile.adapter");
                        Path stagedModelfile = batch.reserve(file);
                        Files.writeString(stagedModelfile, modelfiles.forAdapter(source.model().toAbsolutePath().toString(),
                                "./" + r.adapterGguf().getFileName()), StandardCharsets.UTF_8);
                        artifacts.add(new Manifest.Artifact(file.getFileName().toString(), stagedModelfile, "modelfile"));
                        written.add(file);
                    }
                }
                writeManifests(batch, artifacts, r, source, evaluation);
                batch.commit();
                created.clear();
            } finally {
                for (Path dir : created.reversed()) deleteIfEmpty(dir);
            }
            return new Outcome(written, evaluation, true, notes);
        }
    }

    /** The run's validation split, or null when there is none (the gate then cannot run). */
    private static QualityGate.Split split(ModelSource source, Request r, List<String> notes) throws IOException {
        Optional<RunSettings> settings = source.settings();
        String val = settings.map(RunSettings::valData).orElse(null);
        if (val == null || !Files.isRegularFile(Path.of(val)) || r.gguf() == null) {
            if (r.maxDegradation() != null) {
                throw new BadInputException("--max-degradation needs a run with a validation split (val_data in its "
                        + "config.yaml" + (val != null ? "; " + val + " is not there" : "") + ") and --out FILE.gguf");
            }
            if (val != null && r.gguf() != null) notes.add("validation data " + val + " not found: export not measured");
            return null;
        }
        List<Example> examples = DatasetScanner.firstExamples(Path.of(val), r.evalLimit());
        if (examples.isEmpty()) return null;
        return new QualityGate.Split(examples, settings.get().maxLength(), settings.get().trainOnInputs());
    }

    /** Before: the float (merged) weights with the source's tokenizer. After: the staged file on its own. */
    private static QualityGate.Comparison evaluate(ModelSource source, Tokenizer tokenizer, Optional<PromptFormat> format,
                                                   QualityGate.Split split, Path staged) throws IOException {
        PromptFormat before = format.orElse(new PromptFormat.Plain());
        QualityGate.Figures b = QualityGate.measure(source.config(), source.weights(), tokenizer, before, split);
        try (LoadedModel back = ModelLoader.loadGguf(staged)) {
            Tokenizer exported = GgufTokenizerLoader.load(staged);
            PromptFormat after = before;
            if (before instanceof PromptFormat.Template) {
                String template = dev.tinyforge.tokenizer.template.ChatTemplateFiles.findInModel(staged).orElseThrow().source();
                after = new PromptFormat.Template(ChatTemplate.parse(template, staged + " (tokenizer.chat_template)"),
                        piece(exported, exported.bos()), piece(exported, exported.eos()));
            }
            QualityGate.Figures a = QualityGate.measure(back.config(), back.weights(), exported, after, split);
            return new QualityGate.Comparison(b, a);
        }
    }

    private static String piece(Tokenizer t, int id) {
        return id >= 0 ? t.piece(id) : null;
    }

    /**
     * The tokenizer keys of the exported file, with the chat template the run trained with (a run
     * in the plain format gets TinyForge's plain format as a template).
     */
    static SequencedMap<String, GgufValue> tokenizerKeys(ModelSource source, Optional<PromptFormat> format,
                                                        List<String> notes) throws IOException {
        Path from = source.tokenizerSource();
        SequencedMap<String, GgufValue> keys;
        if (Files.isDirectory(from)) {
            var converted = GgufTokenizerMetadata.fromHf(from, source.config().vocabSize());
            notes.addAll(converted.notes());
            keys = new LinkedHashMap<>(converted.entries());
        } else {
            try (GgufFile gguf = GgufFile.open(from)) {
                keys = new LinkedHashMap<>(GgufTokenizerMetadata.copyOf(gguf.metadata()));
            }
        }
        keys.remove("tokenizer.chat_template");
        if (format.isPresent()) {
            String template = switch (format.get()) {
                case PromptFormat.Template t -> t.template().source();
                case PromptFormat.Plain p -> PlainTemplate.SOURCE;
            };
            keys.put("tokenizer.chat_template", GgufValue.string(template));
        }
        return keys;
    }

    private static void writeManifests(AtomicFiles.Batch batch, List<Manifest.Artifact> artifacts, Request r,
                                       ModelSource source, QualityGate.Comparison evaluation) throws IOException {
        Map<Path, List<Manifest.Artifact>> byFolder = new LinkedHashMap<>();
        for (Manifest.Artifact a : artifacts) {
            byFolder.computeIfAbsent(a.written().toAbsolutePath().getParent(), k -> new ArrayList<>()).add(a);
        }
        for (var e : byFolder.entrySet()) {
            ObjectNode details = Manifest.details();
            details.put("source", r.source().toAbsolutePath().toString());
            details.put("source_kind", source.kind().name().toLowerCase(Locale.ROOT));
            details.put("base_model", source.model().toAbsolutePath().toString());
            if (r.gguf() != null) details.put("type", r.type().name().toLowerCase(Locale.ROOT));
            details.put("merged", source.adapter().isPresent() && r.gguf() != null);
            if (evaluation != null) {
                ObjectNode eval = details.putObject("evaluation");
                figures(eval.putObject("before"), evaluation.before());
                figures(eval.putObject("after"), evaluation.after());
                eval.put("loss_change", evaluation.lossChange());
                eval.put("exact_match_change", evaluation.exactMatchChange());
                eval.put("degradation", evaluation.degradation());
                if (r.maxDegradation() != null) eval.put("max_degradation", r.maxDegradation());
            }
            byte[] content = Manifest.updated(e.getKey(), e.getValue(), details);
            try (var out = batch.open(e.getKey().resolve(Manifest.FILE))) {
                out.write(content);
            }
        }
    }

    private static void figures(ObjectNode node, QualityGate.Figures f) {
        node.put("validation_loss", f.loss());
        node.put("loss_tokens", f.lossTokens());
        node.put("exact_match", f.exactMatch());
        node.put("examples", f.examples());
    }

    /** Folders the export will create, outermost first, so a failure can remove them again. */
    private static List<Path> missingFolders(Request r) {
        List<Path> missing = new ArrayList<>();
        for (Path target : new Path[] {r.gguf(), r.adapterGguf()}) {
            if (target == null) continue;
            List<Path> chain = new ArrayList<>();
            for (Path dir = target.toAbsolutePath().getParent(); dir != null && !Files.exists(dir); dir = dir.getParent()) {
                chain.addFirst(dir);
            }
            for (Path dir : chain) if (!missing.contains(dir)) missing.add(dir);
        }
        return missing;
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (someone else wrote there) or already gone: leave it
        }
    }
}
