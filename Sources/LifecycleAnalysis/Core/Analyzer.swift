import LifecycleSyntax

/// The kinds of file the product understands, recognised by name.
public enum FileKind: Equatable, Sendable {
  /// `lifecycle-job.yaml`, `.yml`, `*.lifecycle-job.yaml`/`.yml`, or `lifecycle-job.json`.
  case spec(isJSON: Bool)
  /// `qovery-output.json`.
  case outputFile
  /// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `*.Containerfile`, and `Dockerfile.*` unless
  /// its extension belongs to another tool (see `DockerfileName`).
  case dockerfile

  /// The largest file of this kind that is analysed: a job spec is a page of YAML and a
  /// Dockerfile a few hundred lines, so anything much larger is a mistake, and reading it would
  /// only freeze the editor.
  public var maximumBytes: Int {
    switch self {
    case .spec: return 1 << 20
    case .dockerfile, .outputFile: return 4 << 20
    }
  }

  /// True for a job spec, YAML or JSON.
  public var isSpec: Bool {
    if case .spec = self { return true }
    return false
  }

  /// True when `source` is small enough to analyse.
  public func admits(_ source: SourceText) -> Bool { source.count <= maximumBytes }

  /// The kind of the file named `fileName` (the last path component), or nil.
  public static func of(fileName: String) -> FileKind? {
    let lowered = fileName.lowercased()
    if lowered == "lifecycle-job.json" { return .spec(isJSON: true) }
    for suffix in ["lifecycle-job.yaml", "lifecycle-job.yml"] {
      if lowered == suffix || lowered.hasSuffix("." + suffix) { return .spec(isJSON: false) }
    }
    if lowered == "qovery-output.json" { return .outputFile }
    switch DockerfileName(fileName: fileName) {
    case .certain, .byContent: return .dockerfile
    case .otherTool, .none: return nil
    }
  }

  /// The kind of the file named `fileName` holding `contents`: by name, and for a `Dockerfile.*`
  /// also by content (a jq template named `Dockerfile.template` is not a Dockerfile).
  public static func of(fileName: String, contents: [UInt8]) -> FileKind? {
    let kind = of(fileName: fileName)
    if kind == .dockerfile, DockerfileName(fileName: fileName) == .byContent,
      DockerfileName.contentProblem(contents) != nil
    {
      return nil
    }
    return kind
  }
}

/// What the analysis of one file found.
public struct FileAnalysis: Equatable, Sendable {
  public init(
    spec: JobSpec? = nil, tree: SyntaxDocument? = nil, output: OutputFile? = nil, dockerfile: Dockerfile? = nil,
    diagnostics: [Diagnostic]
  ) {
    self.spec = spec
    self.tree = tree
    self.output = output
    self.dockerfile = dockerfile
    self.diagnostics = diagnostics
  }

  /// The spec, for a spec file.
  public var spec: JobSpec?
  /// The spec's syntax tree (what the file says, past its syntax errors), for hover and outline.
  public var tree: SyntaxDocument?
  /// The variables the platform would create, for an output file.
  public var output: OutputFile?
  /// The parse, for a Dockerfile.
  public var dockerfile: Dockerfile?
  /// In display order, suppressions and settings applied.
  public var diagnostics: [Diagnostic]
}

/// The single entry point of the checks: one file's text in, its model and diagnostics out.
///
/// Architecture Invariant: pure and total. No I/O, no throwing, no trapping on any input; the
/// CLI, the server and the runner all call this one function, so they always agree.
public enum Analyzer {
  /// Analyses one file; `context` (for a spec) is what the caller found of the job's other files.
  public static func analyze(
    _ source: SourceText, kind: FileKind, settings: AnalysisSettings = AnalysisSettings(),
    context: JobContext? = nil, users: DockerfileUsers? = nil
  ) -> FileAnalysis {
    analyze(source, kind: kind, settings: settings, contextFor: { _ in context }, users: users)
  }

  /// Analyses one file; for a spec, `contextFor` is asked for the job's other files with the spec
  /// as read, so that a caller who finds them from the spec (its root, its Dockerfile) does not
  /// read the spec a second time.
  public static func analyze(
    _ source: SourceText, kind: FileKind, settings: AnalysisSettings = AnalysisSettings(),
    contextFor: (JobSpec) -> JobContext?, users: DockerfileUsers? = nil
  ) -> FileAnalysis {
    guard kind.admits(source) else {
      let message =
        "this file is \(megabytes(source.count)), more than the \(megabytes(kind.maximumBytes)) a \(kind.noun) can be: it is not analysed"
      return FileAnalysis(diagnostics: settings.apply([Diagnostic(.fileTooLarge, .at(0), message)]))
    }
    var analysis: FileAnalysis
    switch kind {
    case .spec(let isJSON):
      let (tree, spec, structural) = SpecReader.readWithTree(source, isJSON: isJSON)
      var diagnostics = structural + CommandChecks.check(spec) + VariableChecks.check(spec)
      // A spec that could not be read says nothing reliable about its other files; one read past
      // a half-typed line says what the rest of the file says.
      let unreadable =
        !spec.readPastSyntaxErrors
        && structural.contains { $0.code == Rule.yamlSyntax.code || $0.code == Rule.jsonSyntax.code }
      // Asked even then: completion and hover want the job's files while the text is broken.
      if let context = contextFor(spec), !unreadable {
        diagnostics += CrossFileChecks.check(spec, context: context, source: source, isJSON: isJSON)
      }
      analysis = FileAnalysis(spec: spec, tree: tree, diagnostics: diagnostics)
    case .outputFile:
      let (output, diagnostics) = OutputChecks.check(source)
      analysis = FileAnalysis(output: output, diagnostics: diagnostics)
    case .dockerfile:
      let dockerfile = DockerfileParser.parse(source)
      var diagnostics = DockerfileChecks.check(dockerfile, source: source)
      if let users { diagnostics += DockerfileUserChecks.check(dockerfile, users: users) }
      analysis = FileAnalysis(dockerfile: dockerfile, diagnostics: diagnostics)
    }
    let suppressions = Suppressions(source)
    analysis.diagnostics = settings.apply(
      analysis.diagnostics.filter { !suppressions.silences($0, in: source) }
    ).sortedForDisplay()
    return analysis
  }
}

extension FileKind {
  /// What the file is, for messages.
  var noun: String {
    switch self {
    case .spec: return "job spec"
    case .dockerfile: return "Dockerfile"
    case .outputFile: return "output file"
    }
  }
}

/// `1.5 MB`, `70 MB`.
func megabytes(_ bytes: Int) -> String {
  let value = Double(bytes) / Double(1 << 20)
  return value < 10 ? "\((value * 10).rounded() / 10) MB" : "\(Int(value.rounded())) MB"
}

extension Rule {
  static let fileTooLarge = Rule(
    "file-too-large", .error, .anyFile,
    summary:
      "A file far larger than a job spec (1 MB), Dockerfile or output file (4 MB) can be: not analysed.",
    explanation: """
      A job spec is a page of YAML and a Dockerfile a few hundred lines; a file many times that \
      size is a generated or misplaced file. It is not analysed, so that an editor stays \
      responsive, and `run` refuses a spec that size.
      """,
    example: "# lifecycle-job.yaml: 70 MB of generated environment variables\n",
    fixed: "# lifecycle-job.yaml: the job itself; generated values belong in files the job reads\n")
}
