package dev.loopline.envs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Named changes to an environment's config record, as {@code --env-option NAME=VALUE} gives them: NAME
 * is a component of the record (e.g. {@code driftAfterMillis}) and VALUE is parsed by its type. Every
 * number, text and switch of a config can be set this way; the record's own constructor validates the
 * result, so a value out of range is refused with the record's message. The seed is set by {@code
 * --seed}, and structured components (delay models, lists) by their environment's own options.
 */
public final class ConfigOptions {
    private ConfigOptions() {}

    /** The components of {@code type} an option can set, in declaration order. */
    public static List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).filter(ConfigOptions::settable).map(RecordComponent::getName)
                .toList();
    }

    /**
     * {@code config} with the options applied.
     *
     * @throws IllegalArgumentException naming the option, for an unknown name, a value that does not
     *                                  parse, or a config the record refuses
     */
    public static <R extends Record> R apply(R config, Map<String, String> options, String environment) {
        if (options.isEmpty()) {
            return config;
        }
        RecordComponent[] components = config.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            try {
                values[i] = components[i].getAccessor().invoke(config);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + components[i].getName() + " of " + environment, e);
            }
        }
        for (Map.Entry<String, String> option : options.entrySet()) {
            int i = indexOf(components, option.getKey());
            if (i < 0 || !settable(components[i])) {
                throw new IllegalArgumentException(environment + " has no option \"" + option.getKey() + "\"; its options are "
                        + names(config.getClass()));
            }
            values[i] = parse(option.getValue().trim(), types[i], environment + " option " + option.getKey());
        }
        try {
            @SuppressWarnings("unchecked")
            R changed = (R) config.getClass().getDeclaredConstructor(types).newInstance(values);
            return changed;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw new IllegalArgumentException(environment + " " + options + ": " + refused.getMessage(), refused);
            }
            throw new IllegalStateException("cannot build the " + environment + " config", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the " + environment + " config", e);
        }
    }

    private static boolean settable(RecordComponent c) {
        Class<?> t = c.getType();
        return !c.getName().equals("seed") && (t == int.class || t == long.class || t == double.class
                || t == boolean.class || t == String.class);
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Object parse(String value, Class<?> type, String what) {
        try {
            if (type == int.class) {
                return Integer.parseInt(value);
            } else if (type == long.class) {
                return Long.parseLong(value);
            } else if (type == double.class) {
                return Double.parseDouble(value);
            } else if (type == boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException(what + "=" + value + " is not true or false");
                }
                return Boolean.parseBoolean(value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + "=" + value + " is not a " + type.getSimpleName() + " number");
        }
    }
}
