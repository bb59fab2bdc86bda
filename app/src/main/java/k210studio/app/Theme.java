package k210studio.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javafx.application.Application;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;
import javafx.scene.control.Label;

/**
 * The studio's light or dark look: AtlantaFX's Primer Light or Primer Dark for the controls, and the studio's own
 * canvas, palette and panel colours ({@code studio.css}, with {@code studio-dark.css} on top in the dark theme) in
 * every window that {@link #track tracks} it. The choice is kept in {@code settings.properties} in the studio's
 * home folder and comes back at the next start.
 */
public final class Theme {
    static final String SETTINGS = "settings.properties";
    private static final String KEY = "theme";
    private static final String STUDIO_CSS = Theme.class.getResource("studio.css").toExternalForm();
    private static final String DARK_CSS = Theme.class.getResource("studio-dark.css").toExternalForm();
    private static final BooleanProperty DARK = new SimpleBooleanProperty(false);
    private static final List<WeakReference<Scene>> SCENES = new ArrayList<>();
    private static Path store;

    static {
        DARK.addListener((o, a, b) -> apply());
    }

    private Theme() {
    }

    /** True for the dark theme; setting it restyles every tracked window and remembers the choice. */
    public static BooleanProperty darkProperty() {
        return DARK;
    }

    public static boolean isDark() {
        return DARK.get();
    }

    /** Colours a label's text as good or bad news, readable in either theme (AtlantaFX's success and danger colours). */
    public static void verdict(Label label, boolean good) {
        label.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
        label.getStyleClass().add(good ? Styles.SUCCESS : Styles.DANGER);
    }

    /** Reads the remembered choice from the studio's home folder (and remembers later changes there). */
    static void load(Path home) {
        store = home.resolve(SETTINGS);
        Properties p = read(store);
        boolean dark = "dark".equals(p.getProperty(KEY));
        if (DARK.get() == dark) {
            apply();
        } else {
            DARK.set(dark);
        }
    }

    /** Gives a window the studio's stylesheets, now and whenever the theme changes. */
    public static void track(Scene scene) {
        SCENES.removeIf(r -> r.get() == null);
        SCENES.add(new WeakReference<>(scene));
        style(scene);
    }

    private static void apply() {
        Application.setUserAgentStylesheet(DARK.get() ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        SCENES.removeIf(r -> r.get() == null);
        for (WeakReference<Scene> r : SCENES) {
            Scene s = r.get();
            if (s != null) {
                style(s);
            }
        }
        save();
    }

    private static void style(Scene s) {
        if (!s.getStylesheets().contains(STUDIO_CSS)) {
            s.getStylesheets().add(STUDIO_CSS);
        }
        s.getStylesheets().remove(DARK_CSS);
        if (DARK.get()) {
            s.getStylesheets().add(DARK_CSS);
        }
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // unreadable settings are the defaults; the next change rewrites them
            }
        }
        return p;
    }

    private static void save() {
        if (store == null) {
            return;
        }
        Properties p = read(store);
        p.setProperty(KEY, DARK.get() ? "dark" : "light");
        try {
            Files.createDirectories(store.getParent());
            try (OutputStream out = Files.newOutputStream(store)) {
                p.store(out, "K210 Studio settings");
            }
        } catch (IOException e) {
            // the look is a convenience: failing to remember it must not disturb the user's work
        }
    }
}
