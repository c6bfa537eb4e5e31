package dev.tokenledger.sink;

import dev.tokenledger.localstack.ConnectWorker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Connect worker in its own JVM, so a test can kill it with SIGKILL mid-batch:
 * {@code WorkerProcess BOOTSTRAP OFFSETS_FILE CONNECTOR_NAME key=value...}. Prints RUNNING once the
 * connector runs, then blocks until killed.
 */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            config.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try {
            ConnectWorker worker = ConnectWorker.start(args[0], Path.of(args[1]), Map.of());
            worker.addConnector(args[2], config);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("RUNNING");
        System.out.flush();
        Thread.currentThread().join();
    }
}
