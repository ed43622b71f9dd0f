package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jenkinsci.plugins.structs.describable.UninstantiatedDescribable;

/**
 * {@code target} in a Pipeline script: a String (one link, or several on separate lines) or a list of links. The
 * property stays a String, as the form, the saved configuration and the Snippet Generator have it; a list is joined
 * into lines before structs binds the arguments (structs coerces a list only to a list or array property).
 */
final class TargetList {
    static final String TARGET = "target";

    private TargetList() {}

    /** The step's arguments with a list {@code target} joined into lines; anything but text is refused by name. */
    @NonNull
    static Map<String, Object> join(@NonNull Map<String, Object> arguments) {
        Object target = arguments.get(TARGET);
        if (!(target instanceof List<?> list)) {
            if (target != null && !(target instanceof CharSequence)) {
                throw new IllegalArgumentException(Messages.TargetList_NotText(target));
            }
            return arguments;
        }
        Map<String, Object> joined = new LinkedHashMap<>(arguments);
        joined.put(TARGET, lines(list));
        return joined;
    }

    /** The graph label of a step: its targets, on one line. */
    @CheckForNull
    /**
     * The arguments in name order, as structs gives them for a describable without a custom model: with one, it keeps
     * the order of its own map, and snippets came out as {@code keepReleases: 3, source: …, invalidationMode: …}.
     */
    static UninstantiatedDescribable sorted(@NonNull UninstantiatedDescribable ud) {
        return ud.withArguments(new TreeMap<>(ud.getArguments()));
    }

    static String label(@CheckForNull Object target) {
        if (target instanceof CharSequence text) {
            return String.join(", ", text.toString().trim().split("\\s*\n\\s*"));
        }
        if (target instanceof List<?> list) {
            return String.join(", ", list.stream().map(String::valueOf).toList());
        }
        return null;
    }

    private static String lines(List<?> list) {
        List<String> lines = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof CharSequence)) {
                throw new IllegalArgumentException(Messages.TargetList_NotText(item));
            }
            lines.add(item.toString());
        }
        return String.join("\n", lines);
    }
}
