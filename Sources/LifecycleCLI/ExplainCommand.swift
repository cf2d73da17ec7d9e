import ArgumentParser
import Foundation
import LifecycleAnalysis

struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain a diagnostic code: what it means, why it matters, how to fix it.",
    discussion: "Without a code, lists every code with its severity and summary.")

  @Argument(help: "A diagnostic code, such as interactive-command.")
  var code: String?

  @Flag(help: .hidden)
  var markdown = false

  func validate() throws {
    if let code, Rule.named(code) == nil {
      var message = "unknown code `\(code)`"
      if let suggestion = DidYouMean.suggestion(for: code, among: Rule.catalogue.map(\.code)) {
        message += "; did you mean `\(suggestion)`?"
      }
      throw ValidationError(message + " (run `lifecycle-job explain` for the list)")
    }
  }

  func run() throws {
    if markdown {
      print(Rule.markdownCatalogue())
      return
    }
    guard let code, let rule = Rule.named(code) else {
      print(Self.list())
      return
    }
    print(Self.explain(rule))
  }

  static func list() -> String {
    let width = Rule.catalogue.map(\.code.count).max() ?? 0
    var text = ""
    for area in Rule.Area.allCases {
      let rules = Rule.catalogue.filter { $0.area == area }
      guard !rules.isEmpty else { continue }
      text += "\(area.rawValue):\n"
      for rule in rules {
        let padded = rule.code.padding(toLength: width, withPad: " ", startingAt: 0)
        let severity = rule.severity.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
        text += "  \(padded)  \(severity) \(rule.summary)\n"
      }
    }
    return text + "\nRun `lifecycle-job explain CODE` for details and an example."
  }

  static func explain(_ rule: Rule) -> String {
    func indent(_ text: String) -> String {
      text.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(
        separator: "\n")
    }
    return """
      \(rule.code) (\(rule.severity.rawValue), \(rule.area.rawValue.lowercased()))

      \(rule.summary)

      \(rule.explanation)

      Example:
      \(indent(rule.example.hasSuffix("\n") ? String(rule.example.dropLast()) : rule.example))

      Fixed:
      \(indent(rule.fixedExample.hasSuffix("\n") ? String(rule.fixedExample.dropLast()) : rule.fixedExample))

      Silence it on one line with `# lifecycle-job: ignore=\(rule.code)` at the end of the line or on the line before.
      """
  }
}
