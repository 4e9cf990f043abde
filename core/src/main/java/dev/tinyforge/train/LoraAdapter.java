package dev.tinyforge.train;

import dev.tinyforge.model.FloatMatrix;
import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.LoraMatrix;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.WeightMatrix;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainable LoRA matrices of a model, one pair per (layer, target), with their gradients.
 * {@link #adapted} gives the base weights with each target wrapped in its {@link LoraMatrix}.
 */
public final class LoraAdapter implements Trainables {
    /** One adapted module: the matrix the forward pass uses and the gradients of its A and B. */
    public record Slot(int layer, LoraTarget target, LoraMatrix matrix, float[] gradA, float[] gradB) {
        /** PEFT's tensor name prefix, e.g. {@code base_model.model.model.layers.0.self_attn.q_proj}. */
        public String peftPrefix() {
            return "base_model.model.model.layers." + layer + "." + target.hfPath();
        }
    }

    private final LoraConfig config;
    private final ModelWeights base;
    private final List<Slot> slots;
    private final ModelWeights adapted;
    private final Map<WeightMatrix, Slot> byMatrix = new IdentityHashMap<>();

    private LoraAdapter(LoraConfig config, ModelWeights base, List<Slot> slots) {
        this.config = config;
        this.base = base;
        this.slots = List.copyOf(slots);
        for (Slot s : slots) byMatrix.put(s.matrix(), s);
        List<LayerWeights> layers = new ArrayList<>(base.layers());
        for (int l = 0; l < layers.size(); l++) {
            LayerWeights w = layers.get(l);
            layers.set(l, new LayerWeights(w.attentionNorm(),
                    wrapped(l, LoraTarget.Q_PROJ, w.query()), wrapped(l, LoraTarget.K_PROJ, w.key()),
                    wrapped(l, LoraTarget.V_PROJ, w.value()), wrapped(l, LoraTarget.O_PROJ, w.output()),
                    w.queryBias(), w.keyBias(), w.valueBias(), w.ffnNorm(),
                    wrapped(l, LoraTarget.GATE_PROJ, w.gate()), wrapped(l, LoraTarget.UP_PROJ, w.up()),
                    wrapped(l, LoraTarget.DOWN_PROJ, w.down())));
        }
        this.adapted = new ModelWeights(base.embedding(), layers, base.outputNorm(), base.output(), base.ropeLayout(),
                base.ropeFreqFactors());
    }

    private WeightMatrix wrapped(int layer, LoraTarget target, WeightMatrix plain) {
        for (Slot s : slots) {
            if (s.layer() == layer && s.target() == target) return s.matrix();
        }
        return plain;
    }

    /**
     * A fresh adapter as PEFT initialises one: A kaiming-uniform (bound 1/√in), B zero, so the
     * adapted model starts equal to the base. Drawn in (layer, target) order from {@code seed}.
     */
    public static LoraAdapter initialize(ModelWeights base, LoraConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Slot> slots = new ArrayList<>();
        for (int l = 0; l < base.layers().size(); l++) {
            for (LoraTarget target : LoraTarget.values()) {
                if (!config.targets().contains(target)) continue;
                WeightMatrix w = target.of(base.layers().get(l));
                float[] a = new float[config.rank() * w.cols()];
                double bound = 1 / Math.sqrt(w.cols());
                for (int i = 0; i < a.length; i++) a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                slots.add(slot(l, target, w, config, a, new float[w.rows() * config.rank()]));
            }
        }
        return new LoraAdapter(config, base, slots);
    }

    /** An adapter with given matrices, keyed by (layer, target); used to load PEFT files. */
    public static LoraAdapter of(ModelWeights base, LoraConfig config, Map<Integer, Map<LoraTarget, float[][]>> ab) {
        List<Slot> slots = new ArrayList<>();
        for (int l = 0; l < base.layers().size(); l++) {
            Map<LoraTarget, float[][]> layer = ab.getOrDefault(l, Map.of());
            for (LoraTarget target : LoraTarget.values()) {
                float[][] pair = layer.get(target);
                if (pair == null) continue;
                slots.add(slot(l, target, target.of(base.layers().get(l)), config, pair[0], pair[1]));
            }
        }
        return new LoraAdapter(config, base, slots);
    }

    private static Slot slot(int layer, LoraTarget target, WeightMatrix w, LoraConfig config, float[] a, float[] b) {
        var matrix = new LoraMatrix(w, new FloatMatrix(config.rank(), w.cols(), a), new FloatMatrix(w.rows(), config.rank(), b),
                config.scale());
        return new Slot(layer, target, matrix, new float[a.length], new float[b.length]);
    }

    /**
     * The same matrices under other settings that leave y unchanged (rank, alpha, rsLoRA and targets
     * equal; dropout may differ): an adapter read from a file, trained with the run's settings.
     */
    public LoraAdapter withConfig(LoraConfig other) {
        if (other.rank() != config.rank() || other.scale() != config.scale() || !other.targets().equals(config.targets())) {
            throw new IllegalArgumentException("other LoRA shape");
        }
        Map<Integer, Map<LoraTarget, float[][]>> ab = new java.util.HashMap<>();
        for (Slot s : slots) {
            ab.computeIfAbsent(s.layer(), k -> new java.util.HashMap<>())
                    .put(s.target(), new float[][] {s.matrix().a().data(), s.matrix().b().data()});
        }
        return of(base, other, ab);
    }

    public LoraConfig config() {
        return config;
    }

    public ModelWeights base() {
        return base;
    }

    /** The base weights with every target wrapped in its LoRA matrix. */
    public ModelWeights adapted() {
        return adapted;
    }

    public List<Slot> slots() {
        return slots;
    }

    @Override
    public ModelWeights weights() {
        return adapted;
    }

    @Override
    public List<float[][]> parameters() {
        List<float[][]> pairs = new ArrayList<>();
        for (Slot s : slots) {
            pairs.add(new float[][] {s.matrix().a().data(), s.gradA()});
            pairs.add(new float[][] {s.matrix().b().data(), s.gradB()});
        }
        return pairs;
    }

    /** The slot of a matrix of {@link #adapted}, or null when that matrix is not adapted. */
    @Override
    public Slot slotOf(WeightMatrix matrix) {
        return byMatrix.get(matrix);
    }
}
