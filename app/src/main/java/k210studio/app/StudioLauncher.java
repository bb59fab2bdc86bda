package k210studio.app;

import javafx.application.Application;

/**
 * Plain main class of the studio ({@code ./studio [file]}). JavaFX is on the class path, not the
 * module path, so the {@link Application} subclass must not be the main class itself.
 */
public final class StudioLauncher {
    private StudioLauncher() {
    }

    public static void main(String[] args) {
        Application.launch(StudioApp.class, args);
    }
}
