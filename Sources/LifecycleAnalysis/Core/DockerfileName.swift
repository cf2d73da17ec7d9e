import LifecycleSyntax

/// What a file's name says about it being a Dockerfile, and what its content says when the name
/// leaves it open: the one answer the CLI's folder walk and the server share.
///
/// Real repositories hold many files named like a Dockerfile that are not one: Go sources
/// (`dockerfile.go`), man pages (`Dockerfile.5.md`), BuildKit's per-Dockerfile ignore files
/// (`Dockerfile.dockerignore`), policies (`Dockerfile.rego`), and templates a generator turns into
/// Dockerfiles (docker-library's `Dockerfile.template`, whose `{{ }}` lines are jq).
public enum DockerfileName: Equatable, Sendable {
  /// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `*.Containerfile`: the name says so.
  case certain
  /// `Dockerfile.*` (`Dockerfile.prod`, `Dockerfile.template`): its content decides.
  case byContent
  /// `Dockerfile.*` whose extension belongs to another tool (`go`, `md`, `dockerignore`, …).
  case otherTool(fileExtension: String)
  /// Not named like a Dockerfile.
  case none

  /// Extensions of files that are never Dockerfiles: sources, documentation, data, other tools'
  /// configuration.
  static let otherToolExtensions: Set<String> = [
    "dockerignore", "gitignore", "go", "md", "markdown", "rst", "txt", "adoc", "rego", "json", "yaml", "yml",
    "toml", "ini", "cfg", "sh", "bash", "zsh", "fish", "ps1", "bat", "py", "js", "mjs", "cjs", "ts", "rb",
    "rs",
    "java", "kt", "c", "h", "cc", "cpp", "hpp", "cs", "swift", "php", "pl", "lua", "html", "htm", "xml",
    "css",
    "svg", "png", "jpg", "gif", "lock", "sum", "mod", "patch", "diff", "orig", "rej", "bak", "swp", "tf",
    "hcl", "nix", "bzl", "sql", "csv", "log", "gz", "tgz", "zip", "tar", "xz", "pem", "crt", "key",
  ]

  /// Case-insensitive, on the last path component.
  public init(fileName: String) {
    let lowered = fileName.lowercased()
    if lowered == "dockerfile" || lowered == "containerfile" || lowered.hasSuffix(".dockerfile")
      || lowered.hasSuffix(".containerfile")
    {
      self = .certain
    } else if lowered.hasPrefix("dockerfile.") {
      let fileExtension = String(lowered.split(separator: ".").last ?? "")
      self =
        Self.otherToolExtensions.contains(fileExtension)
        ? .otherTool(fileExtension: fileExtension) : .byContent
    } else {
      self = .none
    }
  }

  /// Why a folder walk skips a file of this name, or nil when it does not on its name alone.
  public var skipReason: String? {
    guard case .otherTool(let fileExtension) = self else { return nil }
    return "a `.\(fileExtension)` file, not a Dockerfile"
  }

  /// Why `bytes`, the content of a `Dockerfile.*` file, are not a Dockerfile, or nil when they
  /// read as one: the first instruction must be a Dockerfile instruction, and no instruction may
  /// start with a template's placeholder (`{{`, `{%`, `<%`). A Dockerfile with mistakes further
  /// down still reads as one, so its mistakes are reported.
  public static func contentProblem(_ bytes: [UInt8]) -> String? {
    guard bytes.count <= FileKind.dockerfile.maximumBytes else { return nil }
    let source = SourceText(bytes: bytes)
    let dockerfile = DockerfileParser.parse(source)
    guard let first = dockerfile.instructions.first else { return "not a Dockerfile: it has no instruction" }
    for instruction in dockerfile.instructions {
      if let placeholder = ["{{", "{%", "<%"].first(where: { instruction.keyword.hasPrefix($0) }) {
        let line = source.position(of: instruction.keywordRange.start).line + 1
        return "not a Dockerfile: a template, line \(line) starts with `\(placeholder)`"
      }
    }
    guard DockerfileChecks.instructions.contains(first.name) else {
      var keyword = ""
      keyword.unicodeScalars.append(
        contentsOf: first.keyword.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(40))
      return "not a Dockerfile: it starts with `\(keyword)`, which is no Dockerfile instruction"
    }
    return nil
  }
}
