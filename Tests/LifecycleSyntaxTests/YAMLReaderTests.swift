import Testing

@testable import LifecycleSyntax

/// Every node of `yaml` with its path and the exact source text of its range.
func outline(_ yaml: String) -> String {
  let source = SourceText(yaml)
  let document = YAMLReader.read(source)
  var lines: [String] = document.errors.map { error in
    let position = source.position(of: error.range.start)
    return "error \(position.line + 1):\(position.character + 1) \(error.kind): \(error.message)"
  }
  func visit(_ node: SyntaxNode, _ path: String) {
    let text = source.text(node.range)
    switch node.value {
    case .scalar(let scalar):
      lines.append("\(path) = \(scalar.kind) «\(text)»")
    case .sequence(let items):
      lines.append("\(path) [\(items.count)] «\(text)»")
      for (index, item) in items.enumerated() { visit(item, "\(path)[\(index)]") }
    case .mapping(let entries):
      lines.append("\(path) {\(entries.count)}")
      for entry in entries {
        lines.append("\(path).key «\(source.text(entry.key.range))»")
        visit(entry.value, "\(path).\(entry.key.scalar?.text ?? "?")")
      }
    }
  }
  if let root = document.root { visit(root, "$") }
  return lines.joined(separator: "\n")
}

@Suite struct YAMLReaderTests {
  @Test func blockMappingWithEveryScalarStyle() {
    let yaml = """
      name: mysql-rds   # a comment
      single: 'it''s'
      double: "a\\tb"
      flow: ["-c", 'x', plain words , 42]
      empty:
      literal: |
        line one
        line two
      folded: >-
        folded
        text
      last: true
      """
    #expect(
      outline(yaml) == """
        $ {8}
        $.key «name»
        $.name = string «mysql-rds»
        $.key «single»
        $.single = string «'it''s'»
        $.key «double»
        $.double = string «"a\\tb"»
        $.key «flow»
        $.flow [4] «["-c", 'x', plain words , 42]»
        $.flow[0] = string «"-c"»
        $.flow[1] = string «'x'»
        $.flow[2] = string «plain words»
        $.flow[3] = int(42) «42»
        $.key «empty»
        $.empty = null «»
        $.key «literal»
        $.literal = string «|
          line one
          line two»
        $.key «folded»
        $.folded = string «>-
          folded
          text»
        $.key «last»
        $.last = bool(true) «true»
        """)
  }

  @Test func blockSequencesAndNestedMappings() {
    let yaml = """
      events:
        start:
          - -c
          - "terraform apply"
        delete: {entrypoint: /bin/sh, arguments: []}
      """
    #expect(
      outline(yaml) == """
        $ {1}
        $.key «events»
        $.events {2}
        $.events.key «start»
        $.events.start [2] «- -c
            - "terraform apply"»
        $.events.start[0] = string «-c»
        $.events.start[1] = string «"terraform apply"»
        $.events.key «delete»
        $.events.delete {2}
        $.events.delete.key «entrypoint»
        $.events.delete.entrypoint = string «/bin/sh»
        $.events.delete.key «arguments»
        $.events.delete.arguments [0] «[]»
        """)
  }

  @Test func multiLineFlowScalarsFoldIntoOneRange() {
    let yaml = "a: plain\n  continued\nb: \"quoted\n  folded \\\n  joined\"\nc: 'x\n\n  y'\n"
    #expect(
      outline(yaml) == """
        $ {3}
        $.key «a»
        $.a = string «plain
          continued»
        $.key «b»
        $.b = string «"quoted
          folded \\
          joined"»
        $.key «c»
        $.c = string «'x

          y'»
        """)
  }

  @Test func propertiesAreNotPartOfTheValue() {
    #expect(
      outline("a: &x !!str 5\nb: *x\n") == """
        $ {2}
        $.key «a»
        $.a = string «5»
        $.key «b»
        $.b = string «5»
        """)
  }

  @Test func coreSchemaTypes() {
    #expect(
      outline("[yes, no, on, ~, 0x1F, 0o17, 1.5e3, .inf, '1', 12abc]") == """
        $ [10] «[yes, no, on, ~, 0x1F, 0o17, 1.5e3, .inf, '1', 12abc]»
        $[0] = string «yes»
        $[1] = string «no»
        $[2] = string «on»
        $[3] = null «~»
        $[4] = int(31) «0x1F»
        $[5] = int(15) «0o17»
        $[6] = float(1500.0) «1.5e3»
        $[7] = float(inf) «.inf»
        $[8] = string «'1'»
        $[9] = string «12abc»
        """)
  }

  @Test func duplicateKeysAreReportedOnTheSecondOccurrence() {
    #expect(
      outline("name: a\ntimeout: 1\nname: b\n") == """
        error 3:1 duplicateKey: duplicate key `name`: only one of the two can be used
        $ {3}
        $.key «name»
        $.name = string «a»
        $.key «timeout»
        $.timeout = int(1) «1»
        $.key «name»
        $.name = string «b»
        """)
  }

  @Test func syntaxErrorsAtTheParsersOwnPosition() {
    #expect(outline("a: b: c") == "error 1:5 yaml: mapping values are not allowed in this context")
    #expect(
      outline("a:\n\tb: c") == """
        error 2:1 yaml: a tab cannot indent YAML or start a value here; use spaces (found character that cannot start any token)
        $ {1}
        $.key «a»
        $.a = null «»
        """)
  }

  // A half-typed line is set aside and the rest of the document read; the error sits on the line
  // being typed (libyaml gives up on the next line), and offsets still point into the text.

  @Test func aHalfTypedKeyLeavesTheRestRead() {
    #expect(
      outline("name: a\nenvironment:\n  A: 1\n  TF_\nsecrets: [B]\n") == """
        error 4:3 yaml: could not find expected ':' (while scanning a simple key that starts at line 4, column 3)
        $ {3}
        $.key «name»
        $.name = string «a»
        $.key «environment»
        $.environment {1}
        $.environment.key «A»
        $.environment.A = int(1) «1»
        $.key «secrets»
        $.secrets [1] «[B]»
        $.secrets[0] = string «B»
        """)
  }

  @Test func anUnclosedQuoteIsItsOwnLineNotTheRestOfTheFile() {
    // The quote swallows the next lines, whose errors are its consequences: only its own line
    // is set aside.
    #expect(
      outline("name: \"a\nevents:\n  start: [\"-c\", \"x\"]\n") == """
        error 1:7 yaml: found unexpected end of stream (while scanning a quoted scalar that starts at line 1, column 7)
        $ {1}
        $.key «events»
        $.events {1}
        $.events.key «start»
        $.events.start [2] «["-c", "x"]»
        $.events.start[0] = string «"-c"»
        $.events.start[1] = string «"x"»
        """)
  }

  @Test func anUnclosedFlowSequenceIsReportedFromItsBracket() {
    #expect(
      outline("name: a\nevents: [start\nb: c") == """
        error 2:9 yaml: did not find expected ',' or ']' (while parsing a flow sequence that starts at line 2, column 9)
        $ {2}
        $.key «name»
        $.name = string «a»
        $.key «b»
        $.b = string «c»
        """)
    #expect(
      outline("a: [1,\n  2\nb: c\n") == """
        error 1:4 yaml: did not find expected ',' or ']' (while parsing a flow sequence that starts at line 1, column 4)
        $ {1}
        $.key «b»
        $.b = string «c»
        """)
  }

  /// Found by the spec reader's fuzz target: a line of spaces is blank, not a line whose text
  /// ends before it starts.
  @Test func recoveryOverLinesOfSpacesNeverTraps() {
    for text in ["name: a\nepppptart: [\"-)\",ironment:\n  - A=1\n", "name: a\nepppptart: [\"-)\",ironment:\n  - A=1\n   \n"] {
      #expect(YAMLReader.read(SourceText(text)).errors.count == 1)
    }
    #expect(YAMLReader.read(SourceText("a: [\n   \n\t\n")).errors.isEmpty == false)
  }

  @Test func recoveryIsBounded() {
    // Every line broken: a few are set aside, then the reader gives up without a tree.
    let broken = String(repeating: "\t: x\n", count: 50)
    let document = YAMLReader.read(SourceText(broken))
    #expect(document.root == nil)
    #expect(document.skipped.count == 8)
  }

  @Test func columnsCountUTF16UnitsAfterEmojiAndCJK() {
    // 😀 is two UTF-16 units and four UTF-8 bytes, 名 one unit and three bytes.
    let source = SourceText("k: 😀名 x: y")
    let document = YAMLReader.read(source)
    let position = source.position(of: document.errors[0].range.start)
    #expect(position == LinePosition(line: 0, character: 8))
    #expect(
      source.position(of: document.errors[0].range.start, in: .utf8) == LinePosition(line: 0, character: 12))
  }

  @Test func crlfLineEnds() {
    #expect(
      outline("a: x\r\nb: |\r\n  one\r\n  two\r\n") == """
        $ {2}
        $.key «a»
        $.a = string «x»
        $.key «b»
        $.b = string «|\r
          one\r
          two»
        """)
  }

  @Test func deepNestingIsRefusedNotCrashed() {
    let flow = String(repeating: "[", count: 100_000)
    #expect(
      outline(flow)
        == "error 1:99 tooDeep: the document nests more than 100 levels deep here; it is not read further")
    let block = String(repeating: "- ", count: 100_000) + "x"
    #expect(outline(block).hasPrefix("error 1:"))
    // Deep but within the limit reads normally.
    let fine = String(repeating: "[", count: 90) + String(repeating: "]", count: 90)
    #expect(outline(fine).hasPrefix("$ [1]"))
  }

  /// The guard counts levels, not columns: issue 14's real-module specs have keys of 46 and more
  /// characters at indent 2 (`TF_VAR_dhcp_options_ipv6_address_preferred_lease_time`, from
  /// terraform-aws-modules/terraform-aws-vpc `variables.tf`).
  @Test func depthIsCountedInLevelsNotColumns() {
    let long = "TF_VAR_" + String(repeating: "x", count: 200)
    #expect(
      outline("environment:\n  \(long): \"1\"\n  short: [a, {b: c}]\nsecrets:\n  - \(long)\n") == """
        $ {2}
        $.key «environment»
        $.environment {2}
        $.environment.key «\(long)»
        $.environment.\(long) = string «"1"»
        $.environment.key «short»
        $.environment.short [2] «[a, {b: c}]»
        $.environment.short[0] = string «a»
        $.environment.short[1] {1}
        $.environment.short[1].key «b»
        $.environment.short[1].b = string «c»
        $.key «secrets»
        $.secrets [1] «- \(long)»
        $.secrets[0] = string «\(long)»
        """)
    // 99 levels of block mappings read; 101 are refused before Yams recurses, whatever the
    // indentation (one space, or a sequence at its key's column).
    func mappings(_ levels: Int, indent: Int) -> String {
      (0..<levels - 1).map { String(repeating: " ", count: $0 * indent) + "a:" }.joined(separator: "\n")
        + " x\n"
    }
    #expect(outline(mappings(99, indent: 1)).hasPrefix("$ {1}"))
    #expect(outline(mappings(99, indent: 4)).hasPrefix("$ {1}"))
    #expect(outline(mappings(101, indent: 1)).hasPrefix("error 100:100 tooDeep"))
    #expect(outline(mappings(101, indent: 4)).hasPrefix("error 100:397 tooDeep"))
    let sequences =
      (0..<60).map {
        String(repeating: " ", count: $0 * 2) + "a:\n" + String(repeating: " ", count: $0 * 2) + "- "
      }
      .joined(separator: "\n") + "x\n"
    #expect(outline(sequences).hasPrefix("error "))
  }

  @Test func invalidUTF8IsAnEncodingError() {
    let source = SourceText(bytes: Array("name: ".utf8) + [0xFF, 0x41])
    let document = YAMLReader.read(source)
    #expect(document.errors.map(\.kind) == [.encoding])
    #expect(document.errors[0].range == TextRange(6, 7))
  }

  @Test func emptyDocumentHasNoRoot() {
    #expect(YAMLReader.read(SourceText("")).root == nil)
    #expect(YAMLReader.read(SourceText("# only a comment\n")).root == nil)
  }
}

@Suite struct NestingEstimateTests {
  @Test func longLinesWithDashesAndColonsAreNotMistakenForNesting() {
    let padding = String(repeating: "x", count: 300)
    let yaml = "description: \(padding) - a-b c:d\nurl: http://\(padding):80/x\nlist: [\(padding), a - y]\n"
    #expect(YAMLReader.read(SourceText(yaml)).errors == [])
  }
}
