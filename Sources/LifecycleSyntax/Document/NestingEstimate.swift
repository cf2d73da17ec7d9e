/// A cheap upper bound on how deeply a YAML text nests, computed before Yams reads it.
///
/// A node's depth is at most its flow depth (open `[` and `{`) plus its block depth. In block
/// context a node starts at a line's first character or right after an indicator (`- `, `? `, or
/// the `: ` of a key). The block nodes that may still hold the next node are kept as a stack of
/// their start columns: a line starting at column `c` closes those that start further right; one
/// that starts at `c` is a sibling (or, for a `- ` line under a key at the same column, a mapping
/// whose value is a sequence: two levels); any other node start opens a level. So the bound
/// counts levels, not columns: a 200-character key adds one level. Quoted text, comments and the
/// content of block scalars are skipped; inside a flow collection the block depth stays that of
/// the collection's start.
enum NestingEstimate {
  /// The offset of the first place whose bound exceeds `limit`, or nil.
  static func firstPositionDeeperThan(_ limit: Int, in bytes: [UInt8]) -> Int? {
    var index = 0
    var flowDepth = 0
    var quote: UInt8? = nil
    var lineStart = 0
    var lineIndent = 0
    var blockScalarIndent: Int? = nil  // Inside a block scalar: lines more indented than this.
    var atLineStart = true
    var previous: UInt8 = 0x20
    var blockBoundAtFlowStart = 0
    // The open block nodes: start column, levels (2 for a mapping whose sequence value sits at its
    // own column), and whether the node is a sequence entry (it started with `- `).
    var open: [(column: Int, levels: Int, isSequence: Bool)] = []
    var blockDepth = 0
    // Per line, in block context.
    var pendingNodeStart = true
    var isFirstNodeOfLine = true
    var sequenceIndicatorsAllowed = true
    var colonAllowed = true

    while index < bytes.count {
      let byte = bytes[index]
      if atLineStart {
        atLineStart = false
        lineStart = index
        var spaces = 0
        while index + spaces < bytes.count && bytes[index + spaces] == 0x20 { spaces += 1 }
        lineIndent = spaces
        let blank =
          index + spaces >= bytes.count || bytes[index + spaces] == 0x0A || bytes[index + spaces] == 0x0D
        if let indent = blockScalarIndent, quote == nil {
          if blank || spaces > indent {
            while index < bytes.count && bytes[index] != 0x0A && bytes[index] != 0x0D { index += 1 }
            continue
          }
          blockScalarIndent = nil
        }
        pendingNodeStart = true
        isFirstNodeOfLine = true
        sequenceIndicatorsAllowed = true
        colonAllowed = true
        index += spaces
        continue
      }
      if byte == 0x0A || byte == 0x0D {
        if quote == nil && flowDepth == 0, endsWithBlockScalarHeader(bytes, from: lineStart, to: index) {
          blockScalarIndent = lineIndent
        }
        index += 1
        atLineStart = true
        previous = 0x20
        continue
      }
      if let open = quote {
        if byte == UInt8(ascii: "\\") && open == 0x22 {
          index += 2
          continue
        }
        if byte == open {
          if open == 0x27 && index + 1 < bytes.count && bytes[index + 1] == 0x27 {
            index += 2
            continue
          }
          quote = nil
        }
        index += 1
        continue
      }
      if byte == 0x20 || byte == 0x09 {
        previous = byte
        index += 1
        continue
      }
      if byte == UInt8(ascii: "#") && (previous == 0x20 || previous == 0x09) {
        while index < bytes.count && bytes[index] != 0x0A && bytes[index] != 0x0D { index += 1 }
        continue
      }
      let column = index - lineStart
      if flowDepth == 0 {
        let next = index + 1 < bytes.count ? bytes[index + 1] : 0x0A
        let followedBySpace = next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D
        if pendingNodeStart {
          let startsSequence = byte == UInt8(ascii: "-") && followedBySpace
          if isFirstNodeOfLine {
            while let last = open.last, last.column > column {
              blockDepth -= last.levels
              open.removeLast()
            }
          }
          if isFirstNodeOfLine, let last = open.last, last.column == column {
            // A sibling; a `- ` line under a key at its column is that mapping's sequence value.
            let levels = startsSequence && !last.isSequence ? 2 : 1
            blockDepth += levels - last.levels
            open[open.count - 1].levels = levels
          } else {
            open.append((column, 1, startsSequence))
            blockDepth += 1
          }
          if blockDepth + 1 > limit { return index }
          pendingNodeStart = false
          isFirstNodeOfLine = false
        }
        if (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?")) && followedBySpace
          && sequenceIndicatorsAllowed
        {
          pendingNodeStart = true
        } else if byte == UInt8(ascii: ":") && followedBySpace && colonAllowed {
          colonAllowed = false
          sequenceIndicatorsAllowed = false
          pendingNodeStart = true
        } else {
          sequenceIndicatorsAllowed = false
        }
      }
      switch byte {
      case 0x22,
        0x27 where isScalarStart(previous):
        quote = byte
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        if flowDepth == 0 { blockBoundAtFlowStart = blockDepth + 1 }
        flowDepth += 1
        if blockBoundAtFlowStart + flowDepth > limit { return index }
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        flowDepth = max(0, flowDepth - 1)
      default:
        break
      }
      previous = byte
      index += 1
    }
    return nil
  }

  static func isScalarStart(_ previous: UInt8) -> Bool {
    switch previous {
    case 0x20, 0x09, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: ":"),
      UInt8(ascii: "-"),
      UInt8(ascii: "?"):
      return true
    default:
      return false
    }
  }

  /// True when the line `[start, end)` ends with a block scalar header (`|`, `>-`, `|2+`),
  /// possibly followed by a comment.
  static func endsWithBlockScalarHeader(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
    var stop = end
    var index = start
    var quote: UInt8? = nil
    while index < end {
      let byte = bytes[index]
      if let open = quote {
        if byte == open { quote = nil }
      } else if byte == 0x22 || byte == 0x27 {
        if index == start || isScalarStart(bytes[index - 1]) { quote = byte }
      } else if byte == UInt8(ascii: "#") && index > start
        && (bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09)
      {
        stop = index
        break
      }
      index += 1
    }
    while stop > start && (bytes[stop - 1] == 0x20 || bytes[stop - 1] == 0x09) { stop -= 1 }
    var cursor = stop
    while cursor > start, stop - cursor < 2,
      bytes[cursor - 1] == UInt8(ascii: "+") || bytes[cursor - 1] == UInt8(ascii: "-")
        || (bytes[cursor - 1] >= UInt8(ascii: "1") && bytes[cursor - 1] <= UInt8(ascii: "9"))
    {
      cursor -= 1
    }
    guard cursor > start, bytes[cursor - 1] == UInt8(ascii: "|") || bytes[cursor - 1] == UInt8(ascii: ">")
    else { return false }
    return cursor - 1 == start || bytes[cursor - 2] == 0x20 || bytes[cursor - 2] == 0x09
  }
}
