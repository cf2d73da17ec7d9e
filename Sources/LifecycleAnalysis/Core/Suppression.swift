import LifecycleSyntax

/// `# lifecycle-job: ignore=<code>[,<code>]` comments: on a line of its own, the comment silences
/// those codes on the next line; at the end of a line, on that line.
public struct Suppressions: Equatable, Sendable {
  /// Silenced codes by 0-based line.
  public private(set) var codesByLine: [Int: Set<String>] = [:]

  static let marker = Array("lifecycle-job: ignore=".utf8)

  /// `slashComments`: `//` also starts a comment (HCL).
  public init(_ source: SourceText, slashComments: Bool = false) {
    let bytes = source.bytes
    for line in 0..<source.lineCount {
      let range = source.lineRange(line)
      // The first comment start followed by the marker (a `#` or `//` inside a string, such as a
      // URL's, comes before the comment).
      var from = range.start
      var found: (hash: Int, index: Int)?
      while found == nil,
        let (hash, length) = Self.commentStart(
          bytes, TextRange(from, range.end), slashComments: slashComments)
      {
        var index = hash + length
        while index < range.end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
          index += 1
        }
        if index + Self.marker.count <= range.end,
          Array(bytes[index..<index + Self.marker.count]) == Self.marker
        {
          found = (hash, index)
        }
        from = hash + length
      }
      guard let (hash, start) = found else { continue }
      let index = start + Self.marker.count
      var end = index
      while end < range.end, bytes[end] != UInt8(ascii: " "), bytes[end] != UInt8(ascii: "\t") { end += 1 }
      let codes = String(decoding: bytes[index..<end], as: UTF8.self).split(separator: ",").map {
        String($0)
      }
      let ownLine = bytes[range.start..<hash].allSatisfy {
        $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t")
      }
      codesByLine[ownLine ? line + 1 : line, default: []].formUnion(codes)
    }
  }

  /// The first `#` (or `//`) of a line and its length.
  static func commentStart(_ bytes: [UInt8], _ range: TextRange, slashComments: Bool) -> (Int, Int)? {
    var index = range.start
    while index < range.end {
      if bytes[index] == UInt8(ascii: "#") { return (index, 1) }
      if slashComments, bytes[index] == UInt8(ascii: "/"), index + 1 < range.end,
        bytes[index + 1] == UInt8(ascii: "/")
      {
        return (index, 2)
      }
      index += 1
    }
    return nil
  }

  public func silences(_ diagnostic: Diagnostic, in source: SourceText) -> Bool {
    codesByLine[source.line(of: diagnostic.range.start)]?.contains(diagnostic.code) ?? false
  }
}

/// How a user tunes diagnostics: a severity per code, or `nil` to turn a code off.
public struct AnalysisSettings: Equatable, Sendable {
  public var severityOverrides: [String: Severity?]

  public init(severityOverrides: [String: Severity?] = [:]) {
    self.severityOverrides = severityOverrides
  }

  /// Applies the overrides; drops the diagnostics whose code is turned off.
  public func apply(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    guard !severityOverrides.isEmpty else { return diagnostics }
    return diagnostics.compactMap { diagnostic in
      guard let override = severityOverrides[diagnostic.code] else { return diagnostic }
      guard let severity = override else { return nil }
      var changed = diagnostic
      changed.severity = severity
      return changed
    }
  }
}
