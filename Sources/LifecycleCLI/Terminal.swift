import Foundation

/// Writes to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Whether to colour what goes to standard output: only on a terminal, never with `NO_COLOR`.
enum Terminal {
  static var usesColor: Bool {
    if let noColor = ProcessInfo.processInfo.environment["NO_COLOR"], !noColor.isEmpty { return false }
    if ProcessInfo.processInfo.environment["TERM"] == "dumb" { return false }
    return isatty(STDOUT_FILENO) != 0
  }
}

/// ANSI styles, applied only when enabled.
struct Style {
  let enabled: Bool

  func apply(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
  func bold(_ text: String) -> String { apply("1", text) }
  func red(_ text: String) -> String { apply("1;31", text) }
  func yellow(_ text: String) -> String { apply("1;33", text) }
  func cyan(_ text: String) -> String { apply("1;36", text) }
  func green(_ text: String) -> String { apply("1;32", text) }
  func dim(_ text: String) -> String { apply("2", text) }
}
