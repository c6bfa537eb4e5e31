package dev.tokenledger.sink;

/** Lets tests in sub-packages load {@link ViewFixture}. */
public final class ViewFixtureAccess {
    private ViewFixtureAccess() {
    }

    public static void load(TestWarehouse w) throws Exception {
        ViewFixture.load(w);
    }
}
