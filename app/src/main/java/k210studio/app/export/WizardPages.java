package k210studio.app.export;

import javafx.scene.control.Label;

/** Small helpers shared by the wizard's pages. */
final class WizardPages {
    private WizardPages() {
    }

    static Label wrap(String s) {
        Label l = new Label(s);
        l.setWrapText(true);
        return l;
    }
}
