package dev.tinyforge.data.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The resources the openapi dataset writes endpoints for, with their fields and how each field is said. */
final class ApiResources {
    private ApiResources() {}

    /**
     * A field and its type: string, integer, number, boolean, date, date-time, email, uuid, enum or
     * strings (a list of strings). A plain string is said bare; every other type is named in parentheses.
     */
    record Field(String name, String type, List<String> values) {
        String spoken() {
            return switch (type) {
                case "string" -> name;
                case "enum" -> name + " (one of " + String.join(", ", values) + ")";
                case "strings" -> name + " (list of strings)";
                default -> name + " (" + type + ")";
            };
        }

        ObjectNode schema() {
            ObjectNode s = Records.NODES.objectNode();
            switch (type) {
                case "integer", "number", "boolean" -> s.put("type", type);
                case "date", "date-time", "email", "uuid" -> s.put("type", "string").put("format", type);
                case "enum" -> {
                    s.put("type", "string");
                    values.forEach(s.putArray("enum")::add);
                }
                case "strings" -> s.put("type", "array").putObject("items").put("type", "string");
                default -> s.put("type", "string");
            }
            return s;
        }
    }

    /** A resource; {@code idType} is integer or uuid, and {@code fields} leaves the id out. */
    record Resource(String singular, String plural, String idType, List<Field> fields) {
        Field id() {
            return new Field("id", idType, List.of());
        }

        String path() {
            return "/" + plural.replace(' ', '-');
        }

        /** The path parameter naming one of these, e.g. {@code lineItemId}. */
        String idParam() {
            return camel(singular) + "Id";
        }

        String article() {
            return "aeio".indexOf(singular.charAt(0)) >= 0 ? "an " + singular : "a " + singular;
        }
    }

    private static Field f(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) return new Field(spec, "string", List.of());
        String type = spec.substring(colon + 1);
        if (type.contains("|")) return new Field(spec.substring(0, colon), "enum", Arrays.asList(type.split("\\|")));
        return new Field(spec.substring(0, colon), type, List.of());
    }

    /** {@code fields} as {@code name[:type]} specs, where a type with '|' lists an enum's values. */
    private static Resource r(String singular, String plural, String idType, String... fields) {
        return new Resource(singular, plural, idType, Arrays.stream(fields).map(ApiResources::f).toList());
    }

    static final List<Resource> RESOURCES = List.of(
            r("book", "books", "integer", "title", "author", "isbn", "genre:fiction|nonfiction|poetry", "published_year:integer", "price:number", "in_stock:boolean"),
            r("user", "users", "uuid", "email:email", "name", "role:admin|editor|viewer", "active:boolean", "created_at:date-time"),
            r("order", "orders", "uuid", "customer_id:uuid", "status:pending|paid|shipped|cancelled", "total:number", "currency", "placed_at:date-time"),
            r("invoice", "invoices", "integer", "number", "customer_name", "amount:number", "currency", "status:draft|sent|paid|overdue", "due_date:date"),
            r("ticket", "tickets", "integer", "subject", "description", "priority:low|normal|high|urgent", "status:open|pending|solved", "assignee:email", "created_at:date-time"),
            r("product", "products", "integer", "name", "sku", "price:number", "category", "stock:integer", "discontinued:boolean", "tags:strings"),
            r("customer", "customers", "uuid", "name", "email:email", "phone", "country", "vip:boolean", "signed_up:date"),
            r("project", "projects", "uuid", "name", "owner:email", "status:planned|active|archived", "budget:number", "start_date:date", "due_date:date"),
            r("task", "tasks", "integer", "title", "done:boolean", "assignee", "due_date:date", "estimate_hours:number"),
            r("comment", "comments", "integer", "author", "body", "created_at:date-time", "edited:boolean"),
            r("event", "events", "uuid", "title", "location", "starts_at:date-time", "ends_at:date-time", "capacity:integer", "online:boolean"),
            r("payment", "payments", "uuid", "amount:number", "currency", "method:card|bank_transfer|paypal", "status:pending|succeeded|failed", "paid_at:date-time"),
            r("employee", "employees", "integer", "first_name", "last_name", "email:email", "department", "salary:number", "hired_on:date"),
            r("vehicle", "vehicles", "integer", "plate", "make", "model", "year:integer", "mileage:integer", "electric:boolean"),
            r("reservation", "reservations", "uuid", "guest_name", "party_size:integer", "date:date", "time", "table_number:integer", "status:booked|seated|cancelled"),
            r("article", "articles", "integer", "title", "slug", "body", "author", "published:boolean", "published_at:date-time", "tags:strings"),
            r("recipe", "recipes", "integer", "name", "cuisine", "prep_minutes:integer", "servings:integer", "vegetarian:boolean", "ingredients:strings"),
            r("device", "devices", "uuid", "serial_number", "model", "firmware_version", "online:boolean", "last_seen:date-time"),
            r("shipment", "shipments", "uuid", "order_id:uuid", "carrier:ups|fedex|dhl|usps", "tracking_number", "shipped_at:date-time", "delivered:boolean"),
            r("playlist", "playlists", "integer", "name", "owner", "public:boolean", "track_count:integer"),
            r("track", "tracks", "integer", "title", "artist", "duration_seconds:integer", "explicit:boolean"),
            r("line item", "line items", "integer", "product_id:integer", "quantity:integer", "unit_price:number", "discount:number"),
            r("address", "addresses", "integer", "street", "city", "postal_code", "country", "is_default:boolean"),
            r("review", "reviews", "integer", "rating:integer", "title", "body", "verified_purchase:boolean", "created_at:date-time"));

    /** A collection that lives under one item of another, e.g. a ticket's comments. */
    record Nesting(Resource parent, Resource child) {}

    static final List<Nesting> NESTINGS = List.of(
            nest("ticket", "comment"), nest("article", "comment"), nest("project", "task"), nest("playlist", "track"),
            nest("order", "line item"), nest("customer", "address"), nest("product", "review"), nest("order", "shipment"));

    private static Nesting nest(String parent, String child) {
        return new Nesting(find(parent), find(child));
    }

    private static Resource find(String singular) {
        return RESOURCES.stream().filter(r -> r.singular.equals(singular)).findFirst().orElseThrow();
    }

    /** "line item" becomes "lineItem". */
    static String camel(String words) {
        String[] parts = words.split(" ");
        return parts[0] + Arrays.stream(parts).skip(1).map(Records::capitalize).collect(Collectors.joining());
    }

    /** "line items" becomes "LineItems". */
    static String pascal(String words) {
        return Records.capitalize(camel(words.toLowerCase(Locale.ROOT)));
    }
}
