/// Suggests the nearest known name for a misspelt one.
public enum DidYouMean {
  /// The candidate closest to `name` (case-insensitively, with transpositions counting once), if
  /// it is close enough to be a typo rather than another word.
  public static func suggestion<S: Sequence<String>>(for name: String, among candidates: S) -> String? {
    let lowered = Array(name.lowercased().unicodeScalars)
    let limit = maximumDistance(forLength: lowered.count)
    var best: (name: String, distance: Int)?
    for candidate in candidates where candidate != name {
      let distance = self.distance(lowered, Array(candidate.lowercased().unicodeScalars), limit: limit)
      if distance <= limit, best.map({ distance < $0.distance }) ?? true {
        best = (candidate, distance)
      }
    }
    return best?.name
  }

  /// 1 edit for short names, 2 from 6 characters, 3 from 12.
  static func maximumDistance(forLength length: Int) -> Int {
    switch length {
    case ..<3: return 0
    case ..<6: return 1
    case ..<12: return 2
    default: return 3
    }
  }

  /// Optimal-string-alignment distance, giving up (returning `limit + 1`) once it exceeds `limit`.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          value = min(value, previousPrevious[j - 2] + 1)
        }
        current[j] = value
        rowMinimum = min(rowMinimum, value)
      }
      if rowMinimum > limit { return limit + 1 }
      (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[b.count]
  }
}
