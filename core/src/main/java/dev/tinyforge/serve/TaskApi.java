package dev.tinyforge.serve;

import dev.tinyforge.data.Message;
import dev.tinyforge.data.Role;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.tokenizer.Tokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /predict {"text": "..."}} → {@code {"output": "..."}}: the input put through the run's own
 * prompt format (as training and {@code eval.ExactMatch} build it), answered greedily, surrounding
 * whitespace stripped as exact match compares answers. A fine-tuned task model is one curl away.
 */
final class TaskApi {
    /** Output record of the endpoint. */
    record Prediction(String output) {}

    private static final long DEFAULT_MAX_TOKENS = 256;

    private final Backend backend;

    TaskApi(Backend backend) {
        this.backend = backend;
    }

    void predict(Call call) throws IOException {
        JsonFields f = new JsonFields(HttpIo.parseObject(call.requestBody()));
        String text = f.string("text", null);
        if (text == null) throw ApiException.badField("text", "is required");
        String system = f.string("system", null);
        long requested = f.integer("max_tokens", DEFAULT_MAX_TOKENS, 1, Long.MAX_VALUE);
        int[] ids = promptIds(text, system);
        int maxTokens = backend.maxTokens("max_tokens", requested, ids.length);
        Generation g = backend.submit(ids, SamplingParams.greedy(), maxTokens, List.of(), stopIds());
        Outcome o = Replies.await(call, g, backend.options.heartbeat());
        if (!o.reason().answered()) {
            Replies.sendWhole(call, Replies.failureStatus(o), OpenAiJson.ErrorBody.of(new ApiException(Replies.failureStatus(o),
                    Replies.failureMessage(o), null)));
            return;
        }
        Replies.sendWhole(call, 200, new Prediction(o.text().strip()));
    }

    /** The prompt for one input, tokenized as the evaluator does: BOS added unless the format wrote it. */
    private int[] promptIds(String text, String system) {
        List<Message> messages = new ArrayList<>();
        if (system != null) messages.add(Message.of(Role.SYSTEM, system));
        messages.add(Message.of(Role.USER, text));
        String prompt = backend.model.taskFormat().promptFor(messages);
        Tokenizer tokenizer = backend.model.tokenizer();
        String bos = tokenizer.bos() >= 0 ? tokenizer.piece(tokenizer.bos()) : null;
        int[] ids = tokenizer.encode(prompt, bos == null || !prompt.startsWith(bos), true);
        if (ids.length == 0) throw ApiException.badField("text", "gives an empty prompt");
        return ids;
    }

    /** EOS, which ends answers in the plain format, and the end-of-turn tokens that end them in a chat template. */
    private Set<Integer> stopIds() {
        Set<Integer> ids = new HashSet<>(backend.textStopIds());
        ids.addAll(backend.chatStopIds());
        return ids;
    }
}
