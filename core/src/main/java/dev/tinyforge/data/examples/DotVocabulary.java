package dev.tinyforge.data.examples;

import java.util.List;

/** The things the dot dataset draws graphs of: pipelines, fan-outs, state machines, teams and modules. */
final class DotVocabulary {
    private DotVocabulary() {}

    /** A pipeline's stages in the order they run; a description uses an ordered subset. */
    record Pipeline(String kind, List<String> stages) {}

    static final List<Pipeline> PIPELINES = List.of(
            new Pipeline("data pipeline", List.of("raw events", "ingest", "parse", "validate", "dedupe", "enrich", "aggregate", "warehouse")),
            new Pipeline("CI pipeline", List.of("checkout", "build", "lint", "unit tests", "integration tests", "package", "deploy to staging", "smoke test", "deploy to prod")),
            new Pipeline("ML pipeline", List.of("load data", "clean", "tokenize", "train", "evaluate", "export", "serve")),
            new Pipeline("publishing workflow", List.of("draft", "review", "copy edit", "approve", "schedule", "publish")),
            new Pipeline("image pipeline", List.of("upload", "virus scan", "resize", "compress", "watermark", "cdn")),
            new Pipeline("fulfilment flow", List.of("order placed", "payment", "picking", "packing", "shipping", "delivered")),
            new Pipeline("ETL job", List.of("extract", "stage", "transform", "load", "verify")),
            new Pipeline("hiring process", List.of("application", "screening", "phone interview", "onsite", "offer", "hired")),
            new Pipeline("compiler", List.of("source", "lexer", "parser", "type checker", "optimizer", "codegen", "binary")),
            new Pipeline("audio chain", List.of("mic", "preamp", "eq", "compressor", "reverb", "mixer", "speakers")));

    /** A source that fans out to workers, which may fan back in to a sink. */
    record FanOut(String source, List<String> workers, String sink) {}

    static final List<FanOut> FAN_OUTS = List.of(
            new FanOut("load balancer", List.of("web1", "web2", "web3", "web4", "web5"), "database"),
            new FanOut("scheduler", List.of("worker_a", "worker_b", "worker_c", "worker_d"), "collector"),
            new FanOut("api gateway", List.of("users", "orders", "payments", "search", "inventory"), "logging"),
            new FanOut("dispatcher", List.of("email", "sms", "push", "slack"), "audit log"),
            new FanOut("splitter", List.of("shard 1", "shard 2", "shard 3", "shard 4"), "merger"),
            new FanOut("kafka", List.of("indexer", "analytics", "archiver", "alerting"), "dashboard"),
            new FanOut("main", List.of("thread1", "thread2", "thread3", "thread4"), "join"),
            new FanOut("router", List.of("billing", "support", "sales", "returns"), "crm"),
            new FanOut("coordinator", List.of("replica_east", "replica_west", "replica_eu"), "quorum"),
            new FanOut("build", List.of("linux-x64", "linux-arm64", "macos", "windows"), "release"));

    record Transition(String from, String event, String to) {}

    /** A state machine: its transitions in a natural order, and the states that end it. */
    record Machine(String subject, List<Transition> transitions, List<String> finals) {}

    private static Transition t(String from, String event, String to) {
        return new Transition(from, event, to);
    }

    static final List<Machine> MACHINES = List.of(
            new Machine("an order", List.of(t("created", "pay", "paid"), t("paid", "ship", "shipped"), t("shipped", "deliver", "delivered"),
                    t("created", "cancel", "cancelled"), t("paid", "refund", "refunded")), List.of("delivered", "cancelled", "refunded")),
            new Machine("a traffic light", List.of(t("red", "timer", "green"), t("green", "timer", "yellow"), t("yellow", "timer", "red"),
                    t("red", "fault", "flashing"), t("flashing", "reset", "red")), List.of()),
            new Machine("a door", List.of(t("closed", "open", "opened"), t("opened", "close", "closed"), t("closed", "lock", "locked"),
                    t("locked", "unlock", "closed")), List.of()),
            new Machine("a media player", List.of(t("stopped", "play", "playing"), t("playing", "pause", "paused"), t("paused", "play", "playing"),
                    t("playing", "stop", "stopped"), t("paused", "stop", "stopped")), List.of()),
            new Machine("a turnstile", List.of(t("locked", "coin", "unlocked"), t("unlocked", "push", "locked"), t("locked", "push", "locked"),
                    t("unlocked", "coin", "unlocked")), List.of()),
            new Machine("a support ticket", List.of(t("new", "assign", "open"), t("open", "ask customer", "waiting"), t("waiting", "customer replies", "open"),
                    t("open", "solve", "solved"), t("solved", "reopen", "open"), t("solved", "after 7 days", "closed")), List.of("closed")),
            new Machine("a CI job", List.of(t("queued", "start", "running"), t("running", "pass", "succeeded"), t("running", "fail", "failed"),
                    t("failed", "retry", "queued"), t("queued", "cancel", "cancelled")), List.of("succeeded", "cancelled")),
            new Machine("a login flow", List.of(t("logged_out", "password ok", "mfa_pending"), t("mfa_pending", "code ok", "logged_in"),
                    t("mfa_pending", "3 bad codes", "locked_out"), t("logged_in", "logout", "logged_out"), t("locked_out", "admin reset", "logged_out")), List.of()),
            new Machine("a pull request", List.of(t("draft", "ready", "open"), t("open", "approve", "approved"), t("approved", "merge", "merged"),
                    t("open", "close", "closed"), t("closed", "reopen", "open")), List.of("merged")),
            new Machine("an elevator", List.of(t("idle", "call above", "moving_up"), t("idle", "call below", "moving_down"), t("moving_up", "arrive", "doors_open"),
                    t("moving_down", "arrive", "doors_open"), t("doors_open", "timeout", "idle")), List.of()),
            new Machine("a vending machine", List.of(t("idle", "insert coin", "has_credit"), t("has_credit", "select item", "dispensing"),
                    t("dispensing", "done", "idle"), t("has_credit", "refund", "idle")), List.of()),
            new Machine("a package delivery", List.of(t("label created", "pickup", "in transit"), t("in transit", "arrive hub", "at hub"),
                    t("at hub", "load truck", "out for delivery"), t("out for delivery", "drop off", "delivered"),
                    t("out for delivery", "nobody home", "held")), List.of("delivered")));

    /** A manager and the roles that can report to them, for role-based org charts. */
    record Role(String title, List<String> reports) {}

    static final List<Role> ROLES = List.of(
            new Role("CEO", List.of("CTO", "CFO", "COO", "VP Sales", "VP Marketing", "General Counsel")),
            new Role("CTO", List.of("VP Engineering", "Head of Security", "Chief Architect", "Head of Data")),
            new Role("CFO", List.of("Controller", "Head of FP&A", "Treasurer")),
            new Role("COO", List.of("Head of Operations", "Head of People", "Head of Support")),
            new Role("VP Sales", List.of("Sales Director EMEA", "Sales Director Americas", "Sales Ops")),
            new Role("VP Marketing", List.of("Brand Lead", "Growth Lead", "Content Lead")),
            new Role("VP Engineering", List.of("EM Platform", "EM Mobile", "EM Web", "QA Lead")));

    static final List<String> FIRST_NAMES = List.of("Maya", "Omar", "Lin", "Jonas", "Priya", "Sam", "Chloe", "Diego", "Aiko",
            "Ben", "Fatima", "Noah", "Zara", "Ivan", "Grace", "Tariq", "Elena", "Kofi", "Hana", "Luca", "Rosa", "Wei", "Nadia", "Theo");
    static final List<String> LAST_NAMES = List.of("Chen", "Okafor", "Silva", "Novak", "Haddad", "Kim", "Larsen", "Moreau", "Patel", "Rossi");

    /** Modules of a code base; names with dashes or dots exercise quoting. */
    static final List<String> MODULES = List.of("app", "api", "core", "db", "auth", "ui", "utils", "logging", "config",
            "http-client", "json-parser", "cache", "metrics", "payments", "billing-service", "user-service",
            "notification-service", "common", "model", "storage", "cli", "scheduler", "search", "crypto", "libpng", "zlib",
            "protobuf", "web-frontend", "admin-panel", "event-bus", "graph");
}
