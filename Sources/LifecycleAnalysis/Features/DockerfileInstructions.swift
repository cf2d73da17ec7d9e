/// The Dockerfile instructions, with what each means for a lifecycle job: behind instruction
/// completion and hover.
public struct DockerfileInstruction: Equatable, Sendable {
  public var keyword: String
  public var summary: String
  /// Markdown.
  public var documentation: String
  /// Offered first.
  public var isCommon: Bool

  public static let all: [DockerfileInstruction] = [
    DockerfileInstruction(
      "FROM", "Start a build stage from a base image",
      "`FROM [--platform=…] image[:tag] [AS name]`\n\nStarts a build stage. A job's last stage (or the spec's `source.target`) is the image that runs.",
      common: true),
    DockerfileInstruction(
      "RUN", "Run a command while building",
      "`RUN command` (shell form) or `RUN [\"executable\", \"arg\"]` (exec form)\n\nRuns at build time; only ARG-declared job variables are visible here.",
      common: true),
    DockerfileInstruction(
      "CMD", "Default arguments of the container",
      "`CMD [\"arg\", …]`\n\nThe default arguments: an event's `arguments` replace it.", common: true),
    DockerfileInstruction(
      "ENTRYPOINT", "The executable the container runs",
      "`ENTRYPOINT [\"/bin/sh\"]`\n\nUse the exec form (a JSON array): a shell-form ENTRYPOINT (`ENTRYPOINT /bin/sh`) silently ignores every event's `arguments`. An event's `entrypoint` replaces it.",
      common: true),
    DockerfileInstruction(
      "ARG", "Declare a build argument",
      "`ARG NAME[=default]`\n\nThe platform passes a job variable to `docker build` only when an ARG declares its exact name: declare `ARG TF_VAR_…` for the variables the build needs.",
      common: true),
    DockerfileInstruction(
      "ENV", "Set an environment variable",
      "`ENV NAME=value …`\n\nSets a variable in the image; the job's own variables override it at run time.",
      common: true),
    DockerfileInstruction(
      "COPY", "Copy files from the job's root",
      "`COPY [--from=stage] src… dest`\n\nCopies files from the root application path (the build context) into the image: the scripts an event names must be copied.",
      common: true),
    DockerfileInstruction(
      "ADD", "Copy files, URLs or archives",
      "`ADD src… dest`\n\nLike COPY, and also fetches URLs and unpacks local archives; prefer COPY.",
      common: false),
    DockerfileInstruction(
      "WORKDIR", "Set the working directory",
      "`WORKDIR /path`\n\nThe folder later instructions and the job's process run in; relative script paths resolve from it.",
      common: true),
    DockerfileInstruction(
      "USER", "Set the user", "`USER name[:group]`\n\nThe user the job's process runs as.", common: false),
    DockerfileInstruction(
      "LABEL", "Add metadata", "`LABEL key=value …`", common: false),
    DockerfileInstruction(
      "EXPOSE", "Document a port", "`EXPOSE 8080`\n\nA job serves nothing: rarely useful here.", common: false
    ),
    DockerfileInstruction(
      "VOLUME", "Declare a mount point", "`VOLUME [\"/data\"]`", common: false),
    DockerfileInstruction(
      "SHELL", "Set the shell of shell forms",
      "`SHELL [\"/bin/bash\", \"-c\"]`\n\nThe shell RUN, CMD and ENTRYPOINT shell forms use.", common: false),
    DockerfileInstruction(
      "STOPSIGNAL", "Set the stop signal",
      "`STOPSIGNAL SIGTERM`\n\nThe signal sent when a job's timeout expires.", common: false),
    DockerfileInstruction(
      "HEALTHCHECK", "Set a health check", "`HEALTHCHECK CMD …` or `HEALTHCHECK NONE`", common: false),
    DockerfileInstruction(
      "ONBUILD", "An instruction for images built FROM this one", "`ONBUILD INSTRUCTION …`", common: false),
    DockerfileInstruction(
      "MAINTAINER", "Deprecated: use LABEL",
      "`MAINTAINER name` is deprecated; use `LABEL org.opencontainers.image.authors=…`.", common: false),
  ]

  init(_ keyword: String, _ summary: String, _ documentation: String, common: Bool) {
    self.keyword = keyword
    self.summary = summary
    self.documentation = documentation
    self.isCommon = common
  }

  /// The instruction named `name` (any case).
  public static func named(_ name: String) -> DockerfileInstruction? {
    let upper = name.uppercased()
    return all.first { $0.keyword == upper }
  }
}
