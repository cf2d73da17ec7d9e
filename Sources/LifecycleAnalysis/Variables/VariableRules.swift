extension Rule {
  static let invalidVariableName = Rule(
    "invalid-variable-name", .error, .variables,
    summary: "A variable name outside `^[a-zA-Z_][a-zA-Z0-9_]*$`.",
    explanation:
      "The platform refuses such names: a dash, a dot or a leading digit cannot be an environment variable.",
    example: "environment:\n  db-host: localhost\n",
    fixed: "environment:\n  DB_HOST: localhost\n")

  static let reservedVariablePrefix = Rule(
    "reserved-variable-prefix", .error, .variables,
    summary: "A user variable whose name starts with `QOVERY`.",
    explanation:
      "Names starting with `QOVERY` belong to the platform. To give a built-in another name, use an alias.",
    example: "environment:\n  QOVERY_REGION: us-east-2\n",
    fixed: "aliases:\n  REGION: QOVERY_CLOUD_PROVIDER_REGION\n")

  static let doubleUnderscoreVariable = Rule(
    "double-underscore-variable", .warning, .variables,
    summary: "A variable whose name starts with `__`.",
    explanation: "The platform keeps names starting with `__` for its own use.",
    example: "environment:\n  __DEBUG: \"1\"\n",
    fixed: "environment:\n  DEBUG: \"1\"\n")

  static let duplicateVariable = Rule(
    "duplicate-variable", .error, .variables,
    summary: "A name defined twice across `environment`, `secrets` and `aliases`.",
    explanation:
      "The job gets one value per name; which one wins is not what you expect. Keep one definition.",
    example: "environment:\n  TF_VAR_region: us-east-2\nsecrets:\n  - TF_VAR_region\n",
    fixed: "environment:\n  TF_VAR_region: us-east-2\n")

  static let unknownAliasTarget = Rule(
    "unknown-alias-target", .error, .variables,
    summary: "An alias to a variable that neither the platform nor the job defines.",
    explanation: """
      An alias gives an existing variable a second name; if the target does not exist, neither does \
      the alias, and Terraform gets no value. Reported for `QOVERY` names the platform does not have \
      and for near-misses of defined names (other names may be project or environment variables).
      """,
    example: "aliases:\n  TF_VAR_qovery_environment_id: QOVERY_ENVIRONMNT_ID\n",
    fixed: "aliases:\n  TF_VAR_qovery_environment_id: QOVERY_ENVIRONMENT_ID\n")

  static let undefinedVariable = Rule(
    "undefined-variable", .warning, .variables,
    summary: "`{{NAME}}`, `$NAME`, `${NAME}` or `$(NAME)` that nothing defines.",
    explanation: """
      An unknown `{{NAME}}` becomes empty, an unknown `$(NAME)` stays as written, and an unset \
      `$NAME` is empty in the shell. Reported for `QOVERY_` names the platform does not define and \
      for near-misses of names the job defines; names that could come from the project or the \
      environment, and `${NAME:-default}` forms, stay quiet, and so does every name a script reads \
      after sourcing a file (`. ./env.sh`, `source x`). In a Dockerfile the same holds for ARG and \
      ENV names; the message says the value is empty only where no base image can set it.
      """,
    example: "environment:\n  DB_USER: app\n  DATABASE_URL: \"postgres://{{DB_USR}}@db/app\"\n",
    fixed: "environment:\n  DB_USER: app\n  DATABASE_URL: \"postgres://{{DB_USER}}@db/app\"\n")

  static let secretInPlainText = Rule(
    "secret-in-plain-text", .warning, .variables,
    summary:
      "A name that reads as a secret (`DB_PASSWORD`, `API_TOKEN`, `AWS_SECRET_ACCESS_KEY`) with a literal value under `environment`.",
    explanation: """
      The spec is committed: anyone who reads the repository reads the value, and the platform shows \
      it in clear. List the name under `secrets` and supply the value at run time. A name reads as \
      a secret when its last word is `password`, `secret`, `token`, `credentials` or a `key` that is \
      not public; a property of a secret (`password_length`, `secret_arn`, `access_key_id`), a flag \
      (`create_kms_key`, `manage_master_user_password`) or a public key (`ssh_public_key`) is not.
      """,
    example: "environment:\n  TF_VAR_db_password: hunter2\n",
    fixed: "secrets:\n  - TF_VAR_db_password\n")

  static let secretOnCommandLine = Rule(
    "secret-on-command-line", .warning, .variables,
    summary: "`$(NAME)` of a secret in an event's arguments, which puts its value on the command line.",
    explanation: """
      The platform expands `$(NAME)` into the arguments before the process starts, so the secret's \
      value becomes part of the command line, which any process on the node can read (`ps`, \
      `/proc/*/cmdline`) and which crash reports and audit logs record. The secret is in the job's \
      environment already: read it there (`$NAME` inside `sh -c`). `lifecycle-job run` refuses such \
      an event rather than put the value on this machine's command lines.
      """,
    example: "events:\n  start: [\"deploy\", \"--token\", \"$(API_TOKEN)\"]\nsecrets:\n  - API_TOKEN\n",
    fixed: "events:\n  start: [\"-c\", \"deploy --token \\\"$API_TOKEN\\\"\"]\nsecrets:\n  - API_TOKEN\n")
}
