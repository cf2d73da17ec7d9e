extension StringProtocol {
  /// The text without leading and trailing whitespace (and line breaks).
  var trimmed: String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }
}
