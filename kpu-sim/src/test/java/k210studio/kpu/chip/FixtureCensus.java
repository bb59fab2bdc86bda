package k210studio.kpu.chip;

/** Prints the KPU conv layers of every fixture (a main for reports, not a test). */
public final class FixtureCensus {
    private FixtureCensus() {
    }

    public static void main(String[] args) {
        for (String f : ChipFixtures.V3) {
            System.out.println(f + ": " + ChipFixtures.v3Convs(f, ChipFixtures.bytes(f)).size() + " K210_CONV");
        }
        for (String f : ChipFixtures.V4) {
            System.out.println(f + ": " + ChipFixtures.v4Convs(f, ChipFixtures.bytes(f)).size() + " kpu_conv2d");
        }
    }
}
