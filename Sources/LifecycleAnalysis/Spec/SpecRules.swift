extension Rule {
  static let yamlSyntax = Rule(
    "yaml-syntax", .error, .spec,
    summary: "The spec is not valid YAML (or not UTF-8).",
    explanation: """
      The platform cannot read a spec it cannot parse, so nothing of the job is checked or run. \
      The diagnostic sits where the YAML parser stopped; the real mistake is often just before it \
      (a missing space after `:`, a tab used for indentation, an unclosed quote or bracket).
      """,
    example: "name: my-job\nevents:\n  start: [\"-c\", \"echo hi\"\n",
    fixed: "name: my-job\nevents:\n  start: [\"-c\", \"echo hi\"]\n")

  static let jsonSyntax = Rule(
    "json-syntax", .error, .spec,
    summary: "`lifecycle-job.json` is not valid JSON.",
    explanation: """
      A spec written in JSON is read strictly (RFC 8259): no comments, no trailing commas, double \
      quotes only. The diagnostic sits at the first byte that breaks the grammar.
      """,
    example: "{\"name\": \"my-job\", \"events\": {\"start\": [\"-c\", \"echo hi\"],}}",
    fixed: "{\"name\": \"my-job\", \"events\": {\"start\": [\"-c\", \"echo hi\"]}}")

  static let duplicateKey = Rule(
    "duplicate-key", .error, .spec,
    summary: "A key appears twice in the same mapping.",
    explanation: """
      YAML readers disagree on which of two equal keys wins (most keep the last one silently), so \
      half of what you wrote is ignored. Keep one of them.
      """,
    example: "name: a\ntimeout: 600\ntimeout: 1800\n",
    fixed: "name: a\ntimeout: 1800\n")

  static let unknownKey = Rule(
    "unknown-key", .error, .spec,
    summary: "A key the spec format does not have (often a typo).",
    explanation: """
      An unknown key is ignored, so a misspelt `timeout` leaves the default of 300 seconds and a \
      misspelt event never runs. The message suggests the nearest valid key.
      """,
    example: "name: a\ntiemout: 1800\n",
    fixed: "name: a\ntimeout: 1800\n")

  static let missingKey = Rule(
    "missing-key", .error, .spec,
    summary: "`name` or `events` is missing, or `events` is empty.",
    explanation: "Every job needs a name and at least one of the `start`, `stop` and `delete` events.",
    example: "name: a\n",
    fixed: "name: a\nevents:\n  start: [\"-c\", \"./start.sh\"]\n")

  static let wrongType = Rule(
    "wrong-type", .error, .spec,
    summary: "A value of the wrong type (a list where a mapping belongs, a string where a number belongs).",
    explanation: """
      The platform expects each setting in one shape: `timeout` and `restarts` are whole numbers, \
      `environment` and `aliases` are mappings, `secrets` is a list of names. A value of another \
      type is rejected or, worse, read differently from what you meant.
      """,
    example: "name: a\ntimeout: \"30 minutes\"\n",
    fixed: "name: a\ntimeout: 1800\n")

  static let invalidValue = Rule(
    "invalid-value", .error, .spec,
    summary: "A value outside its fixed set (such as an unknown lifecycle `type`).",
    explanation: "`type` is one of `generic`, `terraform` and `cloudformation`.",
    example: "type: terrafrom\n",
    fixed: "type: terraform\n")

  static let outOfRange = Rule(
    "out-of-range", .error, .spec,
    summary: "`timeout`, `restarts`, `cpu` or `memory` outside what the platform accepts.",
    explanation: """
      The platform's defaults and limits: timeout 300 seconds (at least 1), restarts 0 (not \
      negative), CPU 500 millicores (at least 10m; a bare number is vCPUs, so `cpu: 500` asks for \
      500 CPUs), memory 512 MB (a bare number is MB, so `memory: 2` is 2 MB).
      """,
    example: "resources:\n  cpu: 500\n  memory: 2\n",
    fixed: "resources:\n  cpu: 500m\n  memory: 2Gi\n")

  static let timeoutTooLong = Rule(
    "timeout-too-long", .warning, .spec,
    summary: "A timeout over an hour: the job risks being killed during maintenance.",
    explanation: """
      The platform's maintenance windows may stop a job that runs for more than an hour (3600 \
      seconds). Split long work, or make the start event resumable.
      """,
    example: "timeout: 7200\n",
    fixed: "timeout: 3600\n")

  static let conflictingKeys = Rule(
    "conflicting-keys", .error, .spec,
    summary: "`source` sets both `image` and `dockerfile`.",
    explanation: "A job either builds its Dockerfile or runs a prebuilt image; keep one of them.",
    example: "source:\n  dockerfile: Dockerfile\n  image: hashicorp/terraform:1.9\n",
    fixed: "source:\n  dockerfile: Dockerfile\n")
}
