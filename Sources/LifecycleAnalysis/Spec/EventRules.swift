extension Rule {
  static let commandNotArray = Rule(
    "command-not-array", .error, .events,
    summary: "An event's command is not a list of arguments (a plain shell string, a number).",
    explanation: """
      An event's arguments are a list of strings handed to the container as is. A plain string \
      such as `terraform apply` is not split into words by anything: write it as a list, usually \
      `["-c", "..."]` after a shell ENTRYPOINT so the shell runs the line.
      """,
    example: "events:\n  start: terraform apply -auto-approve\n",
    fixed: "events:\n  start: [\"-c\", \"terraform apply -auto-approve\"]\n")

  static let commandInvalidJSON = Rule(
    "command-invalid-json", .error, .events,
    summary: "A command string that should hold a JSON array is not valid JSON.",
    explanation: """
      A string that starts with `[` is read strictly as a JSON array (RFC 8259), the form consoles \
      and tutorials show. Missing or trailing commas, single or typographic quotes, unterminated \
      strings, unbalanced brackets and bad escapes are reported at their exact column, with the fix \
      when it is certain. Better still, write a YAML list.
      """,
    example: "events:\n  start: '[\"-c\" \"./start.sh\"]'\n",
    fixed: "events:\n  start: [\"-c\", \"./start.sh\"]\n")

  static let commandElementNotString = Rule(
    "command-element-not-string", .error, .events,
    summary: "An argument is a number, a boolean, null, a list or a mapping rather than a string.",
    explanation: """
      Every argument is a string. YAML reads `8080`, `true` and `null` as other types, and a `key: \
      value` inside an unquoted argument as a mapping: quote the argument.
      """,
    example: "events:\n  start: [\"--port\", 8080]\n",
    fixed: "events:\n  start: [\"--port\", \"8080\"]\n")

  static let commandEmpty = Rule(
    "command-empty", .warning, .events,
    summary: "An empty argument list, which replaces the image's CMD with nothing.",
    explanation: """
      `arguments: []` is not the same as no arguments: it removes the image's CMD, so only its \
      ENTRYPOINT runs, with nothing to do. Remove the key to run the image's default command.
      """,
    example: "events:\n  start: []\n",
    fixed: "events:\n  start: [\"-c\", \"./start.sh\"]\n")

  static let commandEmptyArgument = Rule(
    "command-empty-argument", .error, .events,
    summary: "An empty entrypoint or first argument.",
    explanation:
      "An empty executable name cannot run, and an empty first argument is passed to the entrypoint as is.",
    example: "events:\n  start: [\"\", \"-c\", \"./start.sh\"]\n",
    fixed: "events:\n  start: [\"-c\", \"./start.sh\"]\n")

  static let typographicQuotes = Rule(
    "typographic-quotes", .warning, .events,
    summary: "Curly quotes (“ ” ‘ ’) inside an argument.",
    explanation: """
      Text pasted from a document or a chat often carries typographic quotes. Neither the platform \
      nor a shell treats them as quotes: they end up inside the value (`--name=“db”`).
      """,
    example: "events:\n  start: [\"-c\", \"echo “done”\"]\n",
    fixed: "events:\n  start: [\"-c\", \"echo 'done'\"]\n")

  static let entrypointHasSpaces = Rule(
    "entrypoint-has-spaces", .error, .events,
    summary: "An entrypoint with spaces, which names one executable with spaces in its name.",
    explanation: """
      `entrypoint` is exactly one token: `"/bin/sh -c"` looks for a file called `sh -c` in `/bin`. \
      Keep the executable in `entrypoint` and move the rest to the front of `arguments`.
      """,
    example: "events:\n  start:\n    entrypoint: /bin/sh -c\n    arguments: [\"./start.sh\"]\n",
    fixed: "events:\n  start:\n    entrypoint: /bin/sh\n    arguments: [\"-c\", \"./start.sh\"]\n")

  static let shellScriptMissing = Rule(
    "shell-script-missing", .error, .events,
    summary: "`-c` followed by no script, or by an empty one.",
    explanation:
      "`sh -c` runs the element right after `-c`; without it the shell fails with `-c: option requires an argument`.",
    example: "events:\n  start: [\"-c\"]\n",
    fixed: "events:\n  start: [\"-c\", \"./start.sh\"]\n")

  static let shellExtraArguments = Rule(
    "shell-extra-arguments", .warning, .events,
    summary: "Elements after the `-c` script, which the shell does not run.",
    explanation: """
      `sh -c` runs only the element after `-c`; the following elements become `$0`, `$1`… of that \
      script. `["-c", "terraform", "apply"]` runs `terraform` with no arguments. Join the command \
      line into one string (stays quiet when the script reads `$0`, `$1`, `$@`).
      """,
    example: "events:\n  start: [\"-c\", \"terraform\", \"apply\", \"-auto-approve\"]\n",
    fixed: "events:\n  start: [\"-c\", \"terraform apply -auto-approve\"]\n")

  static let interactiveCommand = Rule(
    "interactive-command", .error, .events,
    summary:
      "A command that waits for a confirmation nobody gives (`terraform apply` without `-auto-approve`).",
    explanation: """
      A job has no terminal: `terraform apply`/`destroy` without `-auto-approve`, `pulumi up`/\
      `destroy`/`refresh` without `--yes`, `cdk destroy` without `--force` wait for an answer until \
      the timeout kills them. Stays quiet when `TF_CLI_ARGS*` or `PULUMI_SKIP_CONFIRMATIONS` \
      approve, and for `terraform apply PLANFILE`.
      """,
    example: "events:\n  start: [\"-c\", \"terraform init && terraform apply\"]\n",
    fixed: "events:\n  start: [\"-c\", \"terraform init && terraform apply -auto-approve\"]\n")

  static let outputPath = Rule(
    "output-path", .warning, .events,
    summary: "Outputs written anywhere but `/qovery-output/qovery-output.json`.",
    explanation: """
      The platform reads a job's outputs from exactly `/qovery-output/qovery-output.json`, after \
      the container exits 0. A file with another name or folder, a relative path, or `terraform \
      output -json` printed to the log hands nothing back.
      """,
    example: "events:\n  start: [\"-c\", \"terraform output -json > /qovery-output/output.json\"]\n",
    fixed: "events:\n  start: [\"-c\", \"terraform output -json > /qovery-output/qovery-output.json\"]\n")
}
