extension Rule {
  static let fileNotFound = Rule(
    "file-not-found", .error, .crossFile,
    summary: "The spec's root folder or Dockerfile does not exist.",
    explanation:
      "The platform builds the Dockerfile found at `source.root`/`source.dockerfile`; when it is not there the deployment fails before anything runs.",
    example: "source:\n  root: infra\n  dockerfile: Dockerfil\n",
    fixed: "source:\n  root: infra\n  dockerfile: Dockerfile\n")

  static let rootOutsideRepository = Rule(
    "root-outside-repository", .error, .crossFile,
    summary: "`source.root` or `source.dockerfile` leaves the repository.",
    explanation:
      "The platform clones the repository and builds inside it: a root such as `../other` or `/srv` does not exist there.",
    example: "source:\n  root: ../shared\n",
    fixed: "source:\n  root: shared\n")

  static let argumentsIgnored = Rule(
    "arguments-ignored", .warning, .crossFile,
    summary: "The Dockerfile's ENTRYPOINT is in shell form, so the event's arguments are dropped.",
    explanation: """
      A shell-form ENTRYPOINT (`ENTRYPOINT /bin/sh`) runs as `/bin/sh -c "/bin/sh"` and ignores \
      CMD and every argument: the event's command never runs. Write the ENTRYPOINT as a JSON \
      array, or set `entrypoint` in the event.
      """,
    example: "# Dockerfile: ENTRYPOINT /bin/sh\nevents:\n  start: [\"-c\", \"./start.sh\"]\n",
    fixed: "# Dockerfile: ENTRYPOINT [\"/bin/sh\"]\nevents:\n  start: [\"-c\", \"./start.sh\"]\n")

  static let noShellEntrypoint = Rule(
    "no-shell-entrypoint", .error, .crossFile,
    summary: "The arguments start with `-c` but the effective entrypoint is not a shell.",
    explanation: """
      `["-c", "..."]` works only after a shell ENTRYPOINT such as `["/bin/sh"]`. Without one, the \
      container tries to run `-c` (or passes it to another program). Add `ENTRYPOINT [\"/bin/sh\"]` \
      to the Dockerfile or `entrypoint: /bin/sh` to the event. Stays quiet when the Dockerfile sets \
      no ENTRYPOINT and does not start `FROM scratch`: the base image's, which we cannot see, \
      applies (the official `bash` image's runs `bash "$@"` when the first argument starts with `-`).
      """,
    example:
      "# Dockerfile: ENTRYPOINT [\"terraform\"]\nevents:\n  start: [\"-c\", \"./start.sh\"]\n",
    fixed: "events:\n  start:\n    entrypoint: /bin/sh\n    arguments: [\"-c\", \"./start.sh\"]\n")

  static let shellSyntaxWithoutShell = Rule(
    "shell-syntax-without-shell", .warning, .crossFile,
    summary: "`&&`, `||`, `|`, `>`, `;` or `$VAR` in arguments that reach no shell.",
    explanation: """
      Arguments are passed to the program as they are: without `sh -c`, `&&` is just an argument \
      and `$VAR` is not replaced (only the platform's `$(VAR)` is). Run the line with a shell: \
      `["-c", "..."]` after a shell ENTRYPOINT.
      """,
    example:
      "# Dockerfile: ENTRYPOINT [\"terraform\"]\nevents:\n  start: [\"apply\", \"-auto-approve\", \"&&\", \"echo\", \"done\"]\n",
    fixed:
      "events:\n  start:\n    entrypoint: /bin/sh\n    arguments: [\"-c\", \"terraform apply -auto-approve && echo done\"]\n"
  )

  static let noDeleteEvent = Rule(
    "no-delete-event", .hint, .crossFile,
    summary: "The start event creates resources and no delete event removes them.",
    explanation:
      "Start runs on every deploy; without a delete event, deleting the environment leaves the cloud resources behind (and billing).",
    example: "events:\n  start: [\"-c\", \"terraform apply -auto-approve\"]\n",
    fixed:
      "events:\n  start: [\"-c\", \"terraform apply -auto-approve\"]\n  delete: [\"-c\", \"terraform destroy -auto-approve\"]\n"
  )

  static let unknownTerraformVariable = Rule(
    "unknown-terraform-variable", .warning, .crossFile,
    summary: "`TF_VAR_x` (in the spec or an `ARG`) with no `variable \"x\"` in the Terraform module.",
    explanation: """
      Terraform reads `TF_VAR_x` only for a declared `variable "x"`; a misspelt name is silently \
      ignored and the variable keeps its default (or Terraform asks for it and the job hangs). \
      Stays quiet when the name is used as a plain shell or Docker variable.
      """,
    example: "environment:\n  TF_VAR_regoin: us-east-2\n",
    fixed: "environment:\n  TF_VAR_region: us-east-2\n")

  static let missingTerraformVariable = Rule(
    "missing-terraform-variable", .warning, .crossFile,
    summary: "A Terraform variable with no default and no tfvars value that the job does not provide.",
    explanation: """
      Terraform needs a value for every variable without a default. If neither a `.tfvars` file \
      nor `TF_VAR_<name>` (environment, secret or alias) provides it, `terraform apply` fails, or \
      waits for input until the timeout.
      """,
    example: "# variables.tf: variable \"cluster\" {}\nenvironment: {}\n",
    fixed: "environment:\n  TF_VAR_cluster: my-cluster\n")
}

extension Rule {
  static let scriptNotFound = Rule(
    "script-not-found", .error, .crossFile,
    summary: "A script the event runs is not among the files the Dockerfile copies into the image.",
    explanation: """
      The event names a script (`./start.sh`, `sh create.sh`, `/app/scripts/stop.sh`) in a folder \
      the Dockerfile fills from the job's files (following WORKDIR and COPY/ADD), but no such file \
      is copied there: the container fails with "not found". Stays quiet whenever the file could \
      be there after all: copied from another stage or a URL, extracted by ADD from an archive, \
      copied from something the job's file listing does not show (a skipped folder such as `dist/` \
      or `vendor/`, a symbolic link), created by a RUN, or kept by the base image (system folders \
      such as `/usr/local/bin`, and folders only single-file COPYs touched).
      """,
    example:
      "# Dockerfile: WORKDIR /app, COPY . .\nevents:\n  delete: [\"delete-environment.sh\"]   # the file is deleting-environment.sh\n",
    fixed: "events:\n  delete: [\"deleting-environment.sh\"]\n")
}
