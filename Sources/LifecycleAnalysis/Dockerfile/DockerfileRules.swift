extension Rule {
  static let dockerfileSyntax = Rule(
    "dockerfile-syntax", .error, .dockerfile,
    summary:
      "Something BuildKit refuses to parse (an empty file, `ENV` without a value, an unterminated heredoc).",
    explanation: """
      BuildKit stops the build at the first line it cannot parse: a Dockerfile with no \
      instruction, `ENV NAME` with no value, a JSON array holding something other than strings, \
      a heredoc whose terminator never comes, an invalid or repeated parser directive.
      """,
    example: "FROM alpine\nENV PATH\n",
    fixed: "FROM alpine\nENV PATH=/usr/local/bin:/usr/bin:/bin\n")

  static let unknownInstruction = Rule(
    "unknown-instruction", .error, .dockerfile,
    summary: "An instruction Docker does not know (often a typo).",
    explanation: "BuildKit fails on an unknown instruction; the message suggests the nearest one.",
    example: "FROM alpine\nCOPPY . /app\n",
    fixed: "FROM alpine\nCOPY . /app\n")

  static let instructionBeforeFrom = Rule(
    "instruction-before-from", .error, .dockerfile,
    summary: "An instruction other than ARG before the first FROM.",
    explanation:
      "Only ARG (and parser directives and comments) may come before the first FROM; anything else has no stage to belong to.",
    example: "WORKDIR /app\nFROM alpine\n",
    fixed: "FROM alpine\nWORKDIR /app\n")

  static let execFormInvalidJSON = Rule(
    "exec-form-invalid-json", .error, .dockerfile,
    summary:
      "A CMD, ENTRYPOINT, RUN, SHELL or HEALTHCHECK argument that looks like a JSON array but is not valid JSON.",
    explanation: """
      Docker reads `["a", "b"]` as the exec form only when it is valid JSON; otherwise it silently \
      runs the whole text as a shell command: `ENTRYPOINT ['/bin/sh']` becomes `/bin/sh -c \
      "['/bin/sh']"`, which fails, and a shell-form ENTRYPOINT drops the job's arguments. Single \
      quotes, a missing comma and typographic quotes are the usual causes, and, since BuildKit \
      v0.15, any text after the array: `CMD ["npm", "start"] # comment` is shell form.
      """,
    example: "FROM alpine\nENTRYPOINT ['/bin/sh']\n",
    fixed: "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n")
}
