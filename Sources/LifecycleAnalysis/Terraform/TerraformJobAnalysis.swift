import LifecycleSyntax

/// What a caller found of a `qovery_job`'s files.
public enum TerraformJobFiles: Equatable, Sendable {
  /// The job's repository is here: its root, Dockerfile and Terraform module.
  case found(JobContext)
  /// They could not be found; `reason` says why, once, as information.
  case notFound(reason: String)
  /// Nothing to look for (a prebuilt image, a cron job).
  case none
}

/// What the analysis of one Terraform file found: its `qovery_job` resources as jobs, and the
/// diagnostics of all of them.
public struct TerraformFileAnalysis: Equatable, Sendable {
  public var jobs: [TerraformJob]
  /// In display order, suppressions and settings applied.
  public var diagnostics: [Diagnostic]

  public init(jobs: [TerraformJob], diagnostics: [Diagnostic]) {
    self.jobs = jobs
    self.diagnostics = diagnostics
  }
}

extension Analyzer {
  /// The largest Terraform file that is analysed.
  public static let maximumTerraformBytes = 4 << 20

  /// Analyses the `qovery_job` resources of a `.tf` (or `.tf.json`) file with the checks of a
  /// spec, at their ranges in the file; `filesFor` is asked for each job's files. A file with no
  /// `qovery_job` gives nothing.
  ///
  /// A fix is kept only when each of its edits writes plain text inside a string's content (the
  /// spec's fixes are written for YAML; there they read the same).
  public static func analyzeTerraform(
    _ source: SourceText, isJSON: Bool, settings: AnalysisSettings = AnalysisSettings(),
    filesFor: (TerraformJob) -> TerraformJobFiles = { _ in .none }
  ) -> TerraformFileAnalysis {
    guard source.count <= maximumTerraformBytes else {
      guard TerraformJobReader.mayDeclareJob(Array(source.bytes.prefix(1 << 20))) else {
        return TerraformFileAnalysis(jobs: [], diagnostics: [])
      }
      let message =
        "this file is \(megabytes(source.count)), more than the \(megabytes(maximumTerraformBytes)) a Terraform file can be: it is not analysed"
      return TerraformFileAnalysis(
        jobs: [], diagnostics: settings.apply([Diagnostic(.fileTooLarge, .at(0), message)]))
    }
    var jobs: [TerraformJob] = []
    var diagnostics: [Diagnostic] = []
    let (read, verbatimStrings) = TerraformJobReader.readWithStrings(source, isJSON: isJSON)
    for (job, structural) in read {
      jobs.append(job)
      diagnostics += structural
      guard !job.isCronJob else { continue }
      diagnostics += CommandChecks.check(job.spec) + VariableChecks.check(job.spec)
      switch filesFor(job) {
      case .found(let context):
        diagnostics += CrossFileChecks.check(job.spec, context: context, source: source, isJSON: true)
      case .notFound(let reason):
        diagnostics.append(Diagnostic(.jobFilesUnknown, job.filesAnchor, reason))
      case .none: break
      }
    }
    let suppressions = Suppressions(source, slashComments: !isJSON)
    let kept = diagnostics.filter { !suppressions.silences($0, in: source) }.map { diagnostic in
      var safe = diagnostic
      safe.fixes = diagnostic.fixes.filter { fix in
        fix.edits.allSatisfy { Self.editsInsideAString($0, verbatimStrings: verbatimStrings) }
      }
      return safe
    }
    return TerraformFileAnalysis(jobs: jobs, diagnostics: settings.apply(kept).sortedForDisplay())
  }
}

extension Analyzer {
  /// True when `edit` replaces bytes written as is inside one string (or inserts there) with text
  /// that needs no escaping in HCL or JSON and starts no template.
  static func editsInsideAString(_ edit: TextEdit, verbatimStrings: [TextRange]) -> Bool {
    let text = edit.newText
    guard
      !text.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline || ($0.asciiValue ?? 0x20) < 0x20 }),
      !text.contains("${"), !text.contains("%{"), !text.hasSuffix("$"), !text.hasSuffix("%")
    else { return false }
    // The last span that starts at or before the edit.
    var low = 0
    var high = verbatimStrings.count - 1
    var found: TextRange?
    while low <= high {
      let middle = (low + high) / 2
      if verbatimStrings[middle].start <= edit.range.start {
        found = verbatimStrings[middle]
        low = middle + 1
      } else {
        high = middle - 1
      }
    }
    guard let span = found else { return false }
    return edit.range.end <= span.end
  }
}

extension TerraformJob {
  /// Where to say that the job's files are unknown: its repository URL, else its name.
  var filesAnchor: TextRange {
    if case .docker(let repository) = source, let range = repository.urlRange { return range }
    return resourceNameRange
  }
}

extension Rule {
  static let jobFilesUnknown = Rule(
    "job-files-unknown", .information, .crossFile,
    summary:
      "A `qovery_job` whose repository is not found (another checkout's, or computed by Terraform): its Dockerfile and module are not checked.",
    explanation: """
      A `qovery_job` builds from `source.docker.git_repository`. Its files are checked when that \
      URL is one of the remotes of the checkout holding the `.tf` file (its `.git/config`), or when \
      `check --repository URL=FOLDER` says where the repository is. Otherwise the checks that \
      compare the job with its Dockerfile and Terraform module stay quiet, and this note says why, \
      once per job.
      """,
    example: """
      resource "qovery_job" "db" {
        source = { docker = { git_repository = { url = "https://github.com/acme/elsewhere.git", branch = "main" } } }
      }

      """,
    fixed: "# lifecycle-job check --repository https://github.com/acme/elsewhere.git=../elsewhere infra/\n")
}
