package k210studio.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.MenuBar;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * View ▸ Dark Theme through the real window, headless: it restyles the open window at once (the canvas turns dark,
 * the dark stylesheet is on the scene), recolours a chart so its text reads on the dark background, is written to
 * the studio's settings and comes back when the studio starts again on the same home; toggling back restores light.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThemeUiTest {
    @TempDir
    static Path home;
    @TempDir
    Path later;

    private StudioWindow window;

    @Start
    void start(Stage stage) {
        window = StudioUi.show(stage, home, TestDialogs::new);
        window.start(null);
    }

    @AfterEach
    void light(FxRobot robot) {
        robot.interact(() -> Theme.darkProperty().set(false));
    }

    private CheckMenuItem darkItem(FxRobot robot) {
        MenuBar bar = robot.lookup(".menu-bar").queryAs(MenuBar.class);
        return (CheckMenuItem) bar.getMenus().stream().flatMap(m -> m.getItems().stream())
                .filter(i -> "menu-dark-theme".equals(i.getId())).findFirst().orElseThrow();
    }

    /** What a user does: View, then Dark Theme. */
    private static void toggleFromMenu(FxRobot robot) {
        robot.clickOn("View").clickOn("Dark Theme");
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    }

    private static double canvasBrightness(FxRobot robot) {
        Region canvas = robot.lookup(".graph-canvas").queryAs(Region.class);
        javafx.scene.paint.Color c = (javafx.scene.paint.Color) canvas.getBackground().getFills().get(0).getFill();
        return c.getBrightness();
    }

    private static double brightness(Color c) {
        return Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null)[2];
    }

    @Test
    void darkThemeTogglesRestylesChartsAndIsRemembered(FxRobot robot) throws Exception {
        CheckMenuItem item = darkItem(robot);
        assertThat(item.isSelected()).isFalse();
        assertThat(canvasBrightness(robot)).isGreaterThan(0.8);
        JFreeChart chart = new JFreeChart("t", new XYPlot());
        robot.interact(() -> ChartLook.viewer(chart));
        assertThat(brightness((Color) chart.getBackgroundPaint())).isGreaterThan(0.9);

        toggleFromMenu(robot);
        assertThat(Theme.isDark()).isTrue();
        assertThat(window.stage().getScene().getStylesheets()).anyMatch(s -> s.endsWith("studio-dark.css"));
        robot.interact(() -> window.stage().getScene().getRoot().applyCss());
        assertThat(canvasBrightness(robot)).isLessThan(0.2);
        // the followed chart recoloured: dark background, light title text
        assertThat(brightness((Color) chart.getBackgroundPaint())).isLessThan(0.2);
        assertThat(brightness((Color) chart.getTitle().getPaint())).isGreaterThan(0.8);
        assertThat(Files.readString(home.resolve(Theme.SETTINGS))).contains("theme=dark");

        // a new start with these settings comes back dark (a copy: turning light here would rewrite the file)
        Path again = Files.createDirectories(later.resolve("home"));
        Files.copy(home.resolve(Theme.SETTINGS), again.resolve(Theme.SETTINGS));
        robot.interact(() -> Theme.darkProperty().set(false));
        robot.interact(() -> Theme.load(again));
        assertThat(Theme.isDark()).isTrue();
        assertThat(item.isSelected()).isTrue();

        toggleFromMenu(robot);
        assertThat(Theme.isDark()).isFalse();
        assertThat(window.stage().getScene().getStylesheets()).noneMatch(s -> s.endsWith("studio-dark.css"));
        assertThat(Files.readString(again.resolve(Theme.SETTINGS))).contains("theme=light");
    }
}
