package dev.tinyforge.train;

import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.util.BadInputException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The linear layers LoRA can adapt, named as PEFT names them in target_modules. */
public enum LoraTarget {
    Q_PROJ("self_attn.q_proj"), K_PROJ("self_attn.k_proj"), V_PROJ("self_attn.v_proj"), O_PROJ("self_attn.o_proj"),
    GATE_PROJ("mlp.gate_proj"), UP_PROJ("mlp.up_proj"), DOWN_PROJ("mlp.down_proj");

    private final String hfPath;

    LoraTarget(String hfPath) {
        this.hfPath = hfPath;
    }

    /** The module's path inside a layer, e.g. {@code self_attn.q_proj}. */
    public String hfPath() {
        return hfPath;
    }

    /** PEFT's short name, e.g. {@code q_proj}. */
    public String peftName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public WeightMatrix of(LayerWeights layer) {
        return switch (this) {
            case Q_PROJ -> layer.query();
            case K_PROJ -> layer.key();
            case V_PROJ -> layer.value();
            case O_PROJ -> layer.output();
            case GATE_PROJ -> layer.gate();
            case UP_PROJ -> layer.up();
            case DOWN_PROJ -> layer.down();
        };
    }

    /** Parses {@code q_proj,v_proj} or {@code all-linear} (every linear layer of the blocks). */
    public static Set<LoraTarget> parse(String list) {
        if (list.strip().equals("all-linear")) return EnumSet.allOf(LoraTarget.class);
        EnumSet<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (String name : list.split(",")) {
            String n = name.strip();
            if (n.isEmpty()) continue;
            LoraTarget target = null;
            for (LoraTarget t : values()) {
                if (t.peftName().equals(n)) target = t;
            }
            if (target == null) {
                throw new BadInputException("unknown LoRA target module '" + n
                        + "' (expected q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj or all-linear)");
            }
            targets.add(target);
        }
        if (targets.isEmpty()) throw new BadInputException("no LoRA target modules given");
        return targets;
    }
}
