/*
 * Copyright 2026 The TokenLedger authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.tokenledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tokenledger} command. Each subcommand is its own class in this package; add new
 * ones to {@code subcommands} below.
 */
@Command(name = "tokenledger", mixinStandardHelpOptions = true, version = "tokenledger 0.1.0",
        description = "What each AI feature costs, per tenant, user and action, and a kill switch before it burns its budget.",
        subcommands = {
                StackCommand.class,
                SimulateCommand.class,
                QuickstartCommand.class,
                AggregatorCommand.class,
                ReportCommand.class, WarehouseCommand.class, ReconcileCommand.class, RepriceCommand.class,
                DashboardCommand.class,
                PricesCommand.class, PriceCommand.class,
                BudgetCommand.class, EnforcerCommand.class,
                ProxyCommand.class,
                ConfigDocsCommand.class,
                CommandLine.HelpCommand.class
        })
public final class TokenLedgerCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line as {@link #run} executes it (tests set its writers). */
    static CommandLine commandLine() {
        return new CommandLine(new TokenLedgerCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
