package dev.tinyforge.data.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.RecordFormat;
import dev.tinyforge.data.examples.ApiResources.Field;
import dev.tinyforge.data.examples.ApiResources.Nesting;
import dev.tinyforge.data.examples.ApiResources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * An endpoint described in words to its OpenAPI 3 path item, as compact JSON. Everything in the
 * output is in the description: the fields and their types, filters, sorting, pagination, which
 * body fields are required. Fixed conventions: paths are the plural ({@code /line-items}), ids are
 * {@code {bookId}}; parameters list path, filters, sort, then paging, each with name, in, required,
 * schema; request bodies never hold the id; responses are 200 (list, get, search, update), 201
 * (create), 204 (delete), with 400 for an invalid body and 404 for an unknown id.
 */
public final class OpenApiDataset implements ExampleDataset {
    static final int COUNT = 400;
    static final String INSTRUCTION = "Write the OpenAPI 3 path item for this endpoint.";

    @Override
    public String name() {
        return "openapi";
    }

    @Override
    public String description() {
        return "Writes the OpenAPI 3 path item (method, path, parameters, request and response schemas) for an endpoint described in plain English.";
    }

    @Override
    public RecordFormat format() {
        return RecordFormat.ALPACA;
    }

    @Override
    public List<ObjectNode> generate(long seed) {
        return Records.distinct(seed, COUNT, OpenApiDataset::draw, s -> Records.alpaca(INSTRUCTION, s));
    }

    private static Sample draw(Dice d) {
        Resource r = d.pick(ApiResources.RESOURCES);
        return switch (d.between(0, 9)) {
            case 0, 1 -> list(d, r, null);
            case 2 -> get(d, r);
            case 3 -> create(d, r, null);
            case 4 -> update(d, r);
            case 5 -> replace(d, r);
            case 6 -> delete(d, r);
            case 7 -> search(d, r);
            case 8 -> {
                Nesting n = d.pick(ApiResources.NESTINGS);
                yield list(d, n.child(), n.parent());
            }
            default -> {
                Nesting n = d.pick(ApiResources.NESTINGS);
                yield create(d, n.child(), n.parent());
            }
        };
    }

    private static Sample list(Dice d, Resource r, Resource parent) {
        List<Field> own = ownFields(r, parent);
        List<Field> fields = withId(r, d.subset(own, d.between(2, Math.min(5, own.size()))));
        List<Field> filterable = fields.stream().filter(f -> !f.name().equals("id") && !f.type().equals("strings")).toList();
        List<Field> filters = d.chance(0.6) ? d.subset(filterable, d.between(1, Math.min(2, filterable.size()))) : List.of();
        List<Field> sortable = fields.stream().filter(f -> List.of("integer", "number", "date", "date-time", "string").contains(f.type())).toList();
        List<Field> sort = d.chance(0.25) ? d.subset(sortable, Math.min(sortable.size(), d.between(1, 2))) : List.of();
        String paging = d.pick("none", "none", "page", "offset", "cursor");

        StringBuilder in = new StringBuilder();
        if (parent == null) {
            in.append(d.pick("List ", "Get all ", "Fetch the ", "Return a list of ", "Endpoint that lists ")).append(r.plural());
        } else {
            in.append(d.pick("List the ", "Get all ", "Fetch the ")).append(r.plural()).append(d.pick(" of ", " for ", " on "))
                    .append(parent.article()).append(' ').append(parentId(d, parent));
        }
        if (!filters.isEmpty()) {
            in.append(d.pick(", filterable by ", ", with optional filters on ", " that can be filtered by ")).append(names(filters));
        }
        if (!sort.isEmpty()) in.append(d.pick(", sortable by ", ", which can be sorted by ")).append(String.join(" or ", sort.stream().map(Field::name).toList()));
        in.append(switch (paging) {
            case "page" -> d.pick(", paginated with page and per_page", ", with page/per_page pagination");
            case "offset" -> d.pick(", paginated with limit and offset", ", with limit/offset paging");
            case "cursor" -> d.pick(", with cursor pagination (cursor and limit)", ", paged by cursor and limit");
            default -> "";
        });
        in.append(". ").append(fieldsSentence(d, r, fields));

        ArrayNode params = Records.NODES.arrayNode();
        if (parent != null) params.add(param(parent.idParam(), "path", true, parent.id().schema()));
        for (Field f : filters) params.add(param(f.name(), "query", false, f.schema()));
        if (!sort.isEmpty()) {
            ObjectNode s = Records.NODES.objectNode().put("type", "string");
            ArrayNode values = s.putArray("enum");
            sort.forEach(f -> values.add(f.name()));
            params.add(param("sort", "query", false, s));
        }
        for (String[] p : switch (paging) {
            case "page" -> new String[][] {{"page", "integer"}, {"per_page", "integer"}};
            case "offset" -> new String[][] {{"limit", "integer"}, {"offset", "integer"}};
            case "cursor" -> new String[][] {{"cursor", "string"}, {"limit", "integer"}};
            default -> new String[0][];
        }) {
            params.add(param(p[0], "query", false, Records.NODES.objectNode().put("type", p[1])));
        }
        String path = parent == null ? r.path() : parent.path() + "/{" + parent.idParam() + "}" + r.path();
        String noun = ApiResources.pascal(r.plural());
        ObjectNode op = operation(parent == null ? "List " + r.plural() : "List " + r.plural() + " of " + parent.article(),
                parent == null ? "list" + noun : "list" + ApiResources.pascal(parent.singular()) + noun, params);
        ObjectNode responses = op.putObject("responses");
        responses.set("200", response("A list of " + r.plural(), array(fields)));
        if (parent != null) responses.set("404", response(Records.capitalize(parent.singular()) + " not found", null));
        return sample(in.toString(), path, "get", op);
    }

    private static Sample get(Dice d, Resource r) {
        List<Field> fields = withId(r, d.subset(r.fields(), d.between(2, Math.min(6, r.fields().size()))));
        String in = d.pick("Get ", "Fetch ", "Retrieve ", "Look up ") + r.article() + idPhrase(d, r) + ". " + fieldsSentence(d, r, fields);
        ObjectNode op = operation("Get " + r.article(), "get" + ApiResources.pascal(r.singular()), idParams(r));
        ObjectNode responses = op.putObject("responses");
        responses.set("200", response("The " + r.singular(), object(fields)));
        responses.set("404", response(notFound(r), null));
        return sample(in, itemPath(r), "get", op);
    }

    private static Sample create(Dice d, Resource r, Resource parent) {
        List<Field> own = ownFields(r, parent);
        List<Field> fields = d.subset(own, d.between(2, Math.min(5, own.size())));
        List<Field> required = d.subset(fields, d.between(1, fields.size()));
        String in = parent == null
                ? d.pick("Create ", "Add ", "Endpoint to create ") + r.article() + ". "
                : d.pick("Add " + r.article() + " to ", "Create " + r.article() + " for ", "Add " + r.article() + " on ")
                        + parent.article() + " " + parentId(d, parent) + ". ";
        in += d.pick("Fields: ", "The body has ", "Request body: ") + names(fields, true) + ". " + requiredSentence(d, fields, required);
        ArrayNode params = Records.NODES.arrayNode();
        if (parent != null) params.add(param(parent.idParam(), "path", true, parent.id().schema()));
        String noun = ApiResources.pascal(r.singular());
        ObjectNode op = operation(parent == null ? "Create " + r.article() : "Create " + r.article() + " for " + parent.article(),
                parent == null ? "create" + noun : "create" + ApiResources.pascal(parent.singular()) + noun, params);
        op.set("requestBody", body(fields, required));
        ObjectNode responses = op.putObject("responses");
        responses.set("201", response(Records.capitalize(r.singular()) + " created", null));
        responses.set("400", response("Invalid " + r.singular(), null));
        if (parent != null) responses.set("404", response(notFound(parent), null));
        String path = parent == null ? r.path() : parent.path() + "/{" + parent.idParam() + "}" + r.path();
        return sample(in, path, "post", op);
    }

    private static Sample update(Dice d, Resource r) {
        List<Field> fields = d.subset(r.fields(), d.between(1, Math.min(3, r.fields().size())));
        String in = d.pick("Partially update ", "Patch ", "Update some fields of ") + r.article() + idPhrase(d, r)
                + d.pick("; the body can change ", ". Updatable: ", "; allowed changes: ") + names(fields, true) + ".";
        ObjectNode op = operation("Update " + r.article(), "update" + ApiResources.pascal(r.singular()), idParams(r));
        op.set("requestBody", body(fields, List.of()));
        ObjectNode responses = op.putObject("responses");
        responses.set("200", response(Records.capitalize(r.singular()) + " updated", null));
        responses.set("400", response("Invalid " + r.singular(), null));
        responses.set("404", response(notFound(r), null));
        return sample(in, itemPath(r), "patch", op);
    }

    private static Sample replace(Dice d, Resource r) {
        List<Field> fields = d.subset(r.fields(), d.between(2, Math.min(5, r.fields().size())));
        String in = d.pick("Replace ", "Fully update ", "Overwrite ") + r.article() + idPhrase(d, r) + " with "
                + names(fields, true) + d.pick(", all required.", "; every field is required.", " (all of them required).");
        ObjectNode op = operation("Replace " + r.article(), "replace" + ApiResources.pascal(r.singular()), idParams(r));
        op.set("requestBody", body(fields, fields));
        ObjectNode responses = op.putObject("responses");
        responses.set("200", response(Records.capitalize(r.singular()) + " replaced", null));
        responses.set("400", response("Invalid " + r.singular(), null));
        responses.set("404", response(notFound(r), null));
        return sample(in, itemPath(r), "put", op);
    }

    private static Sample delete(Dice d, Resource r) {
        String in = d.pick("Delete ", "Remove ", "Endpoint to delete ") + r.article() + idPhrase(d, r) + d.pick(".", "", ". It returns no content.");
        ObjectNode op = operation("Delete " + r.article(), "delete" + ApiResources.pascal(r.singular()), idParams(r));
        ObjectNode responses = op.putObject("responses");
        responses.set("204", response(Records.capitalize(r.singular()) + " deleted", null));
        responses.set("404", response(notFound(r), null));
        return sample(in, itemPath(r), "delete", op);
    }

    private static Sample search(Dice d, Resource r) {
        List<Field> fields = withId(r, d.subset(r.fields(), d.between(2, Math.min(4, r.fields().size()))));
        boolean limit = d.chance(0.5);
        String in = d.pick("Search ", "Full-text search over ", "Find ") + r.plural()
                + d.pick(" by a required query string q", " with a required q parameter", " matching a keyword (q, required)")
                + (limit ? d.pick(" and an optional limit", ", plus an optional limit") : "") + ". " + fieldsSentence(d, r, fields);
        ArrayNode params = Records.NODES.arrayNode();
        params.add(param("q", "query", true, Records.NODES.objectNode().put("type", "string")));
        if (limit) params.add(param("limit", "query", false, Records.NODES.objectNode().put("type", "integer")));
        ObjectNode op = operation("Search " + r.plural(), "search" + ApiResources.pascal(r.plural()), params);
        op.putObject("responses").set("200", response("Matching " + r.plural(), array(fields)));
        return sample(in, r.path() + "/search", "get", op);
    }

    /** Under {@code /orders/{orderId}} the path already names the order, so a shipment's order_id is left out. */
    private static List<Field> ownFields(Resource r, Resource parent) {
        if (parent == null) return r.fields();
        String parentKey = parent.singular().replace(' ', '_') + "_id";
        return r.fields().stream().filter(f -> !f.name().equals(parentKey)).toList();
    }

    private static List<Field> withId(Resource r, List<Field> fields) {
        List<Field> all = new ArrayList<>();
        all.add(r.id());
        all.addAll(fields);
        return all;
    }

    private static String idPhrase(Dice d, Resource r) {
        return r.idType().equals("uuid") ? d.pick(" by id (uuid)", " by its UUID", " by UUID")
                : d.pick(" by id (integer)", " by its integer id", " by numeric id");
    }

    private static String parentId(Dice d, Resource parent) {
        return parent.idType().equals("uuid")
                ? d.pick("(" + parent.singular() + " id is a UUID)", "(" + parent.plural() + " have UUID ids)")
                : d.pick("(" + parent.singular() + " id is an integer)", "(" + parent.plural() + " have integer ids)");
    }

    private static String fieldsSentence(Dice d, Resource r, List<Field> fields) {
        String text = names(fields, true);
        return switch (d.between(0, 3)) {
            case 0 -> "A " + r.singular() + " has " + text + ".";
            case 1 -> Records.capitalize(r.singular()) + " fields: " + text + ".";
            case 2 -> "Each " + r.singular() + " has " + text + ".";
            default -> Records.capitalize(r.plural()) + " look like: " + text + ".";
        };
    }

    private static String requiredSentence(Dice d, List<Field> fields, List<Field> required) {
        if (required.size() == fields.size()) return d.pick("All are required.", "Every field is required.");
        String names = names(required);
        return required.size() == 1 ? d.pick(names + " is required.", "Required: " + names + ".")
                : d.pick(names + " are required.", "Required: " + names + ".");
    }

    private static String names(List<Field> fields) {
        return Records.list(fields.stream().map(Field::name).toList());
    }

    private static String names(List<Field> fields, boolean typed) {
        return Records.list(fields.stream().map(f -> typed ? f.spoken() : f.name()).toList());
    }

    private static String notFound(Resource r) {
        return Records.capitalize(r.singular()) + " not found";
    }

    private static String itemPath(Resource r) {
        return r.path() + "/{" + r.idParam() + "}";
    }

    private static ArrayNode idParams(Resource r) {
        return Records.NODES.arrayNode().add(param(r.idParam(), "path", true, r.id().schema()));
    }

    private static ObjectNode operation(String summary, String operationId, ArrayNode params) {
        ObjectNode op = Records.NODES.objectNode().put("summary", summary).put("operationId", operationId);
        if (!params.isEmpty()) op.set("parameters", params);
        return op;
    }

    private static ObjectNode param(String name, String in, boolean required, ObjectNode schema) {
        ObjectNode p = Records.NODES.objectNode().put("name", name).put("in", in).put("required", required);
        p.set("schema", schema);
        return p;
    }

    private static ObjectNode object(List<Field> fields) {
        ObjectNode o = Records.NODES.objectNode().put("type", "object");
        ObjectNode props = o.putObject("properties");
        for (Field f : fields) props.set(f.name(), f.schema());
        return o;
    }

    private static ObjectNode array(List<Field> fields) {
        ObjectNode a = Records.NODES.objectNode().put("type", "array");
        a.set("items", object(fields));
        return a;
    }

    private static ObjectNode body(List<Field> fields, List<Field> required) {
        ObjectNode schema = object(fields);
        if (!required.isEmpty()) {
            ArrayNode names = schema.putArray("required");
            required.forEach(f -> names.add(f.name()));
        }
        ObjectNode b = Records.NODES.objectNode().put("required", true);
        b.putObject("content").putObject("application/json").set("schema", schema);
        return b;
    }

    private static ObjectNode response(String description, ObjectNode schema) {
        ObjectNode r = Records.NODES.objectNode().put("description", description);
        if (schema != null) r.putObject("content").putObject("application/json").set("schema", schema);
        return r;
    }

    private static Sample sample(String input, String path, String method, ObjectNode operation) {
        ObjectNode item = Records.NODES.objectNode();
        item.putObject(path).set(method, operation);
        return new Sample(input, Records.compact(item));
    }
}
