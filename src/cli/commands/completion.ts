/**
 * `dci-mirror completion`: prints the bash/zsh completion script of the parser it is given.
 */
import { defineCommand } from "./context.js";

export const completionCommand = (parser: { showCompletionScript(): unknown }) =>
  defineCommand({
    command: "completion",
    describe: "print a bash/zsh completion script (add it to ~/.bashrc or ~/.zshrc)",
    builder: (command) =>
      command.example("$0 completion >> ~/.bashrc", "complete commands and flags in bash"),
    // A command of our own: yargs' .completion() falls through to the default command when it
    // may not exit the process, which would try to mirror a topic named "completion".
    handler: () => {
      parser.showCompletionScript();
    },
  });
