package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.DictV;
import dev.tinyforge.tokenizer.template.Value.FloatV;
import dev.tinyforge.tokenizer.template.Value.IntV;
import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import dev.tinyforge.tokenizer.template.Value.UndefinedV;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's arithmetic, concatenation and membership operators. Integers are 64-bit and overflow is
 * an error (Python would grow them; no chat template needs that). String and list results are
 * charged to the {@link Budget} before they are built, so {@code 'x' * 10**12} fails instead of
 * exhausting memory.
 */
final class Operators {
    private Operators() {}

    static Value binary(String op, Value a, Value b, Budget budget) {
        if (a instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        if (b instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        return switch (op) {
            case "+" -> add(a, b, budget);
            case "-" -> arithmetic(op, a, b);
            case "*" -> multiply(a, b, budget);
            case "/", "//", "%", "**" -> arithmetic(op, a, b);
            default -> throw new IllegalStateException("operator " + op);
        };
    }

    /** {@code a ~ b}: both converted with str(), undefined as empty. */
    static Value concat(Value a, Value b, Budget budget) {
        String x = Values.str(a), y = Values.str(b);
        budget.chars((long) x.length() + y.length());
        return new StrV(x + y);
    }

    private static Value add(Value a, Value b, Budget budget) {
        if (a instanceof StrV x) {
            if (!(b instanceof StrV y)) {
                throw EvalError.type("can only concatenate str (not \"" + Values.typeName(b) + "\") to str");
            }
            if (x.markup() || y.markup()) return Markup.add(x, y, budget);
            budget.chars((long) x.value().length() + y.value().length());
            return new StrV(x.value() + y.value());
        }
        if (a instanceof ListV x && b instanceof ListV y && x.kind() == y.kind()
                && (x.kind() == SeqKind.LIST || x.kind() == SeqKind.TUPLE)) {
            budget.items((long) x.items().size() + y.items().size());
            List<Value> all = new ArrayList<>(x.items());
            all.addAll(y.items());
            return new ListV(List.copyOf(all), x.kind());
        }
        return arithmetic("+", a, b);
    }

    private static Value multiply(Value a, Value b, Budget budget) {
        if (a instanceof StrV || a instanceof ListV) return repeat(a, b, budget);
        if (b instanceof StrV || b instanceof ListV) return repeat(b, a, budget);
        return arithmetic("*", a, b);
    }

    private static Value repeat(Value seq, Value times, Budget budget) {
        if (!(Values.number(times) instanceof Long n)) {
            throw EvalError.type("can't multiply sequence by non-int of type '" + Values.typeName(times) + "'");
        }
        long count = Math.max(0, n);
        if (seq instanceof StrV s) {
            budget.chars(count * s.value().length());
            return new StrV(s.value().repeat((int) count), s.markup());
        }
        ListV l = (ListV) seq;
        if (l.kind() != SeqKind.LIST && l.kind() != SeqKind.TUPLE) throw unsupported("*", seq, times);
        budget.items(count * l.items().size());
        List<Value> out = new ArrayList<>();
        for (long i = 0; i < count; i++) out.addAll(l.items());
        return new ListV(List.copyOf(out), l.kind());
    }

    private static Value arithmetic(String op, Value a, Value b) {
        Number x = Values.number(a), y = Values.number(b);
        if (x == null || y == null) {
            if (op.equals("%") && a instanceof StrV) {
                throw EvalError.unsupported("printf-style string formatting ('...' % values) is not supported");
            }
            throw unsupported(op, a, b);
        }
        if (x instanceof Long l && y instanceof Long m) return integer(op, l, m);
        return real(op, x.doubleValue(), y.doubleValue());
    }

    private static Value integer(String op, long a, long b) {
        try {
            return switch (op) {
                case "+" -> new IntV(Math.addExact(a, b));
                case "-" -> new IntV(Math.subtractExact(a, b));
                case "*" -> new IntV(Math.multiplyExact(a, b));
                case "/" -> {
                    if (b == 0) throw EvalError.type("division by zero");
                    yield new FloatV((double) a / (double) b);
                }
                case "//" -> {
                    if (b == 0) throw EvalError.type("integer division or modulo by zero");
                    if (a == Long.MIN_VALUE && b == -1) throw new ArithmeticException();
                    yield new IntV(Math.floorDiv(a, b));
                }
                case "%" -> {
                    if (b == 0) throw EvalError.type("integer modulo by zero");
                    yield new IntV(Math.floorMod(a, b));
                }
                case "**" -> b < 0 ? real("**", a, b) : new IntV(power(a, b));
                default -> throw new IllegalStateException(op);
            };
        } catch (ArithmeticException e) {
            throw EvalError.unsupported("integer overflow in '" + op + "': results beyond 64 bits are not supported");
        }
    }

    private static long power(long base, long exp) {
        long result = 1;
        while (exp > 0) {
            if ((exp & 1) == 1) result = Math.multiplyExact(result, base);
            exp >>= 1;
            if (exp > 0) base = Math.multiplyExact(base, base);
        }
        return result;
    }

    private static Value real(String op, double a, double b) {
        return switch (op) {
            case "+" -> new FloatV(a + b);
            case "-" -> new FloatV(a - b);
            case "*" -> new FloatV(a * b);
            case "/" -> {
                if (b == 0) throw EvalError.type("float division by zero");
                yield new FloatV(a / b);
            }
            case "//" -> new FloatV(divmod(a, b)[0]);
            case "%" -> new FloatV(divmod(a, b)[1]);
            case "**" -> {
                if (a == 0 && b < 0) throw EvalError.type("0.0 cannot be raised to a negative power");
                if (a < 0 && b != Math.rint(b)) throw EvalError.unsupported("complex results of '**' are not supported");
                yield new FloatV(Math.pow(a, b));
            }
            default -> throw new IllegalStateException(op);
        };
    }

    /** Python's float floor division and modulo: the remainder takes the divisor's sign. */
    private static double[] divmod(double a, double b) {
        if (b == 0) throw EvalError.type("float floor division by zero");
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                mod += b;
                div -= 1.0;
            }
        } else {
            mod = Math.copySign(0.0, b);
        }
        double floor;
        if (div != 0) {
            floor = Math.floor(div);
            if (div - floor > 0.5) floor += 1.0;
        } else {
            floor = Math.copySign(0.0, a / b);
        }
        return new double[] {floor, mod};
    }

    static Value negate(Value v) {
        if (v instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        return switch (Values.number(v)) {
            case Long l when l != Long.MIN_VALUE -> new IntV(-l);
            case Double d -> new FloatV(-d);
            case null -> throw EvalError.type("bad operand type for unary -: '" + Values.typeName(v) + "'");
            default -> throw EvalError.unsupported("integer overflow in unary '-'");
        };
    }

    static Value plus(Value v) {
        if (v instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        return switch (Values.number(v)) {
            case Long l -> new IntV(l);
            case Double d -> new FloatV(d);
            case null -> throw EvalError.type("bad operand type for unary +: '" + Values.typeName(v) + "'");
            default -> throw new IllegalStateException();
        };
    }

    /** Python's {@code item in container}. */
    static boolean contains(Value container, Value item) {
        return switch (container) {
            case StrV s -> {
                if (!(item instanceof StrV sub)) {
                    throw EvalError.type("'in <string>' requires string as left operand, not " + Values.typeName(item));
                }
                yield s.value().contains(sub.value());
            }
            case ListV l -> l.items().stream().anyMatch(x -> Values.equal(x, item));
            case DictV d -> Access.dictGet(d, item) != null;
            case UndefinedV u -> false;
            default -> throw EvalError.type("argument of type '" + Values.typeName(container) + "' is not iterable");
        };
    }

    private static EvalError unsupported(String op, Value a, Value b) {
        return EvalError.type("unsupported operand type(s) for " + op + ": '" + Values.typeName(a) + "' and '"
                + Values.typeName(b) + "'");
    }
}
