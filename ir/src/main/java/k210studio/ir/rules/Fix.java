package k210studio.ir.rules;

import java.util.Objects;
import k210studio.ir.edit.EditCommand;

/**
 * A one-click repair the checker offers for a layer: an undoable {@link EditCommand} (execute
 * it through the {@link k210studio.ir.edit.EditHistory}), a title for the button, and a warning
 * when the repair changes what the network computes (then it must be retrained or re-imported).
 *
 * @param layerId the layer the fix is about (the conv of a group, the PReLU, ...)
 * @param warning null when the fix keeps the network's results
 */
public record Fix(String layerId, Rule rule, String title, String warning, EditCommand command) {
    public Fix {
        Objects.requireNonNull(layerId);
        Objects.requireNonNull(rule);
        Objects.requireNonNull(title);
        Objects.requireNonNull(command);
    }
}
