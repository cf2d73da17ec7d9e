import LifecycleAnalysis
import LifecycleSyntax
import Testing

/// Completion in process, the cursor marked `‸` in the text: labels and edits compared whole.
@Suite struct CompletionTests {
  static let terraform = "variable \"region\" {}\nvariable \"db_password\" {}\nvariable \"zone\" {\n  default = \"a\"\n}\n"

  func complete(_ marked: String) -> [CompletionCandidate] {
    let cursor = marked.utf8.count - marked.components(separatedBy: "‸")[1].utf8.count - "‸".utf8.count
    let text = marked.replacingOccurrences(of: "‸", with: "")
    let source = SourceText(text)
    let analysis = Analyzer.analyze(source, kind: .spec(isJSON: false))
    let context = JobContext(terraformFiles: ["variables.tf": SourceText(Self.terraform)])
    let input = FeatureInput(source: source, kind: .spec(isJSON: false), analysis: analysis, context: context)
    return Completion.candidates(input, at: cursor, documenting: .none)
  }

  @Test func keysAlreadyPresentAreNotOffered() {
    let labels = complete("name: a\ntim‸\ntimeout: 5\nevents:\n  start: [\"-c\", \"true\"]\n").map(\.label)
    #expect(!labels.contains("timeout") && !labels.contains("name") && !labels.contains("events"), "\(labels)")
    #expect(labels.contains("restarts"))
  }

  @Test func secretsAlreadyListedAreNotOffered() {
    let labels = complete("name: a\nsecrets:\n  - TF_VAR_region\n  - TF_VAR_‸\n").map(\.label)
    #expect(labels == ["TF_VAR_db_password", "TF_VAR_zone"], "\(labels)")
    // Nor a name the environment already gives.
    let environment = complete("name: a\nenvironment:\n  TF_VAR_zone: b\nsecrets:\n  - TF_VAR_‸\n").map(\.label)
    #expect(environment == ["TF_VAR_db_password", "TF_VAR_region"], "\(environment)")
  }

  /// Inside a key that has its colon (`time|out: 600`), the key alone replaces the whole word.
  @Test func insideAWordTheWholeWordIsReplaced() {
    let text = "name: a\ntime‸out: 600\n"
    guard let candidate = complete(text).first(where: { $0.label == "timeout" }) else {
      Issue.record("no timeout candidate")
      return
    }
    #expect(candidate.insertText == "timeout")
    #expect(candidate.snippet == nil)
    #expect(candidate.replaceRange == TextRange(8, 12))
    #expect(candidate.wordRange == TextRange(8, 15))
  }
}
