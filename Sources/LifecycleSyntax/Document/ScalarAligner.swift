/// Finds where a YAML scalar ends in the source and how its decoded text maps onto it.
///
/// Yams gives a scalar's decoded text, style and start; the aligner walks the source from that
/// start, consuming the text character by character and reading escapes, doubled quotes and line
/// folding as the style defines them. It never fails: if the source and the text disagree (which
/// only a parser bug could cause), the range stops where they parted.
struct ScalarAligner {
  let bytes: [UInt8]

  struct Result {
    var range: TextRange
    var map: SourceMap
  }

  func align(start: Int, style: SyntaxNode.Style, text: String) -> Result {
    let value = Array(text.utf8)
    var position = skipProperties(from: start)
    let nodeStart = position
    var map = SourceMap(sourceEnd: position)
    switch style {
    case .plain:
      let end = walk(value: value, from: &position, map: &map, quote: nil)
      return Result(range: TextRange(nodeStart, max(nodeStart, end)), map: map)
    case .singleQuoted, .doubleQuoted:
      guard position < bytes.count else { return Result(range: .at(position), map: map) }
      position += 1
      map = SourceMap(sourceEnd: position)
      _ = walk(value: value, from: &position, map: &map, quote: style == .singleQuoted ? 0x27 : 0x22)
      var end = position
      if end < bytes.count && bytes[end] == (style == .singleQuoted ? 0x27 : 0x22) { end += 1 }
      return Result(range: TextRange(nodeStart, end), map: map)
    case .literal, .folded:
      return alignBlock(value: value, start: nodeStart, folded: style == .folded)
    }
  }

  /// Skips node properties (`&anchor`, `!tag`, `!!str`) and the space after them.
  func skipProperties(from start: Int) -> Int {
    var position = start
    while position < bytes.count
      && (bytes[position] == UInt8(ascii: "&") || bytes[position] == UInt8(ascii: "!"))
    {
      while position < bytes.count && !isSpaceOrBreak(bytes[position]) { position += 1 }
      position = skipSpacesBreaksAndComments(from: position)
    }
    return position
  }

  func skipSpacesBreaksAndComments(from start: Int) -> Int {
    var position = start
    while position < bytes.count {
      if isSpaceOrBreak(bytes[position]) {
        position += 1
      } else if bytes[position] == UInt8(ascii: "#") {
        while position < bytes.count && !isBreak(at: position) { position += 1 }
      } else {
        break
      }
    }
    return position
  }

  /// Walks a flow scalar (plain or quoted) and returns the end of its last character.
  private func walk(value: [UInt8], from position: inout Int, map: inout SourceMap, quote: UInt8?) -> Int {
    var index = 0
    var end = position
    while index < value.count && position < bytes.count {
      let byte = bytes[position]
      if let quote, byte == quote {
        if quote == 0x27 && position + 1 < bytes.count && bytes[position + 1] == 0x27 && value[index] == 0x27
        {
          map.append(valueLength: 1, source: TextRange(position, position + 2), verbatim: false)
          index += 1
          position += 2
          end = position
          continue
        }
        break
      }
      if quote == 0x22 && byte == UInt8(ascii: "\\") {
        let escapeStart = position
        if position + 1 < bytes.count, let breakLength = breakLength(at: position + 1) {
          // An escaped line break: it and the next line's indentation vanish.
          position += 1 + breakLength
          while position < bytes.count && (bytes[position] == 0x20 || bytes[position] == 0x09) {
            position += 1
          }
          map.append(valueLength: 0, source: TextRange(escapeStart, position), verbatim: false)
          continue
        }
        let (sourceLength, decodedLength) = escape(at: position)
        guard decodedLength <= value.count - index else { break }
        map.append(
          valueLength: decodedLength, source: TextRange(position, position + sourceLength), verbatim: false)
        index += decodedLength
        position += sourceLength
        end = position
        continue
      }
      if byte == 0x20 || byte == 0x09 || isBreak(at: position) {
        // A run of white space: kept as is, unless a line break follows it (a fold).
        var runEnd = position
        while runEnd < bytes.count && (bytes[runEnd] == 0x20 || bytes[runEnd] == 0x09) { runEnd += 1 }
        if runEnd < bytes.count && isBreak(at: runEnd) {
          let foldStart = position
          var breaks = 0
          position = runEnd
          while position < bytes.count, let length = breakLength(at: position) {
            breaks += 1
            position += length
            while position < bytes.count && (bytes[position] == 0x20 || bytes[position] == 0x09) {
              position += 1
            }
          }
          var consumed = 0
          if breaks == 1 {
            if value[index] == 0x20 { consumed = 1 }
          } else {
            while consumed < breaks - 1 && index + consumed < value.count && value[index + consumed] == 0x0A {
              consumed += 1
            }
          }
          if consumed == 0 && quote == nil { return end }
          map.append(valueLength: consumed, source: TextRange(foldStart, position), verbatim: false)
          index += consumed
          continue
        }
      }
      // A verbatim character.
      let length = SourceText.sequenceLength(byte)
      guard index + length <= value.count, position + length <= bytes.count,
        bytes[position..<position + length].elementsEqual(value[index..<index + length])
      else { break }
      map.append(valueLength: length, source: TextRange(position, position + length), verbatim: true)
      index += length
      position += length
      end = position
    }
    // Move past trailing white space inside quotes so the closing quote is found.
    if quote != nil {
      while position < bytes.count && bytes[position] != quote! && (isSpaceOrBreak(bytes[position])) {
        position += 1
      }
    }
    return end
  }

  /// The source length of the escape at `position` and the UTF-8 length of what it stands for.
  private func escape(at position: Int) -> (Int, Int) {
    guard position + 1 < bytes.count else { return (1, 0) }
    func hexScalarLength(_ digits: Int) -> (Int, Int) {
      var scalar: UInt32 = 0
      for offset in 0..<digits {
        guard position + 2 + offset < bytes.count, let digit = hexValue(bytes[position + 2 + offset]) else {
          return (2 + offset, 0)
        }
        scalar = scalar << 4 | digit
      }
      let width = scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
      return (2 + digits, width)
    }
    switch bytes[position + 1] {
    case UInt8(ascii: "x"): return hexScalarLength(2)
    case UInt8(ascii: "u"): return hexScalarLength(4)
    case UInt8(ascii: "U"): return hexScalarLength(8)
    case UInt8(ascii: "N"), UInt8(ascii: "_"): return (2, 2)
    case UInt8(ascii: "L"), UInt8(ascii: "P"): return (2, 3)
    default: return (2, 1)
    }
  }

  private func alignBlock(value: [UInt8], start: Int, folded: Bool) -> Result {
    // The header: the indicator, chomping and indentation indicators, an optional comment.
    var position = start + 1
    var explicitIndent: Int?
    while position < bytes.count,
      bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
        || (bytes[position] >= UInt8(ascii: "1") && bytes[position] <= UInt8(ascii: "9"))
    {
      if bytes[position] >= UInt8(ascii: "1") { explicitIndent = Int(bytes[position] - UInt8(ascii: "0")) }
      position += 1
    }
    let headerEnd = position
    while position < bytes.count && !isBreak(at: position) { position += 1 }
    var map = SourceMap(sourceEnd: headerEnd)
    guard position < bytes.count, let firstBreak = breakLength(at: position) else {
      return Result(range: TextRange(start, headerEnd), map: map)
    }
    position += firstBreak
    // The content's indentation: explicit, or that of the first non-empty line.
    let indent: Int
    if let explicitIndent {
      indent = lineIndentation(ofLineContaining: start) + explicitIndent
    } else {
      var probe = position
      var detected = 0
      while probe < bytes.count {
        var spaces = 0
        while probe + spaces < bytes.count && bytes[probe + spaces] == 0x20 { spaces += 1 }
        if probe + spaces < bytes.count, let length = breakLength(at: probe + spaces) {
          probe += spaces + length
          continue
        }
        detected = spaces
        break
      }
      indent = detected
    }
    var index = 0
    var end = headerEnd
    map = SourceMap(sourceEnd: position)
    while index < value.count && position < bytes.count {
      // Indentation of this line.
      var spaces = 0
      while spaces < indent && position + spaces < bytes.count && bytes[position + spaces] == 0x20 {
        spaces += 1
      }
      let lineStart = position
      position += spaces
      if position < bytes.count, let length = breakLength(at: position) {
        // An empty line.
        let consumed = value[index] == 0x0A ? 1 : 0
        map.append(valueLength: consumed, source: TextRange(lineStart, position + length), verbatim: false)
        index += consumed
        position += length
        continue
      }
      if spaces < indent { break }  // Less indented: the scalar is over.
      while index < value.count && position < bytes.count && !isBreak(at: position) {
        let length = SourceText.sequenceLength(bytes[position])
        guard index + length <= value.count, position + length <= bytes.count,
          bytes[position..<position + length].elementsEqual(value[index..<index + length])
        else { return Result(range: TextRange(start, max(end, headerEnd)), map: map) }
        map.append(valueLength: length, source: TextRange(position, position + length), verbatim: true)
        index += length
        position += length
        end = position
      }
      if position < bytes.count, let length = breakLength(at: position) {
        let consumed =
          index < value.count && (value[index] == 0x0A || (folded && value[index] == 0x20)) ? 1 : 0
        map.append(valueLength: consumed, source: TextRange(position, position + length), verbatim: false)
        index += consumed
        position += length
      }
    }
    return Result(range: TextRange(start, max(end, headerEnd)), map: map)
  }

  private func lineIndentation(ofLineContaining offset: Int) -> Int {
    var lineStart = offset
    while lineStart > 0 && bytes[lineStart - 1] != 0x0A && bytes[lineStart - 1] != 0x0D { lineStart -= 1 }
    var spaces = 0
    while lineStart + spaces < bytes.count && bytes[lineStart + spaces] == 0x20 { spaces += 1 }
    return spaces
  }

  // MARK: - Characters

  func isSpaceOrBreak(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

  func isBreak(at position: Int) -> Bool { breakLength(at: position) != nil }

  /// The length of the line break at `position` as libyaml reads them (`\r\n`, `\r`, `\n`, NEL,
  /// LS, PS), or nil.
  func breakLength(at position: Int) -> Int? {
    guard position < bytes.count else { return nil }
    switch bytes[position] {
    case 0x0A: return 1
    case 0x0D: return position + 1 < bytes.count && bytes[position + 1] == 0x0A ? 2 : 1
    case 0xC2: return position + 1 < bytes.count && bytes[position + 1] == 0x85 ? 2 : nil
    case 0xE2:
      return position + 2 < bytes.count && bytes[position + 1] == 0x80
        && (bytes[position + 2] == 0xA8 || bytes[position + 2] == 0xA9)
        ? 3 : nil
    default: return nil
    }
  }

  private func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }
}
