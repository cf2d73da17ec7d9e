import Testing

@testable import LifecycleSyntax

/// BuildKit's own heredoc cases (`parser_heredoc_test.go`: `TestParseHeredocHelpers`,
/// `TestHeredocsFromLine`), on our port of its rules.
@Suite struct HeredocMarkerTests {
  func marker(_ word: String) -> Result<HeredocMarker?, HeredocNameError> {
    HeredocMarker.marker(Array(word.unicodeScalars))
  }

  @Test func wordsThatAreHeredocs() {
    let words = [
      "<<EOF", "<<'EOF'", "<<\"EOF\"", "<<-EOF", "<<-'EOF'", "<<-\"EOF\"", "<<EO\"F\"", "<< EOF", "<<- EOF",
    ]
    #expect(words.map { (try? marker($0).get())??.name } == Array(repeating: "EOF", count: words.count))
    #expect(
      words.map { (try? marker($0).get())??.expands } == [
        true, false, false, true, false, false, false, true, true,
      ])
  }

  @Test func wordsThatAreNot() {
    for word in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
      #expect((try? marker(word).get()) == .some(nil), "\(word)")
    }
  }

  @Test func namesBuildKitRefuses() {
    for word in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
      #expect((try? marker(word).get()) == nil, "\(word)")
    }
  }

  /// `RUN <<- EOF` has none: the lexer glues blanks to `<<` only, so `<<-` and `EOF` are two
  /// words (BuildKit's test lists `EOF` but only loops over what was found, so passes with none).
  @Test func markersOfALine() {
    let lines: [(String, [String])] = [
      ("RUN <<EOF", ["EOF"]), ("RUN <<-EOF", ["EOF"]), ("RUN <<- EOF", []), ("RUN << -EOF", ["-EOF"]),
      ("RUN <<'EOF'", ["EOF"]), ("RUN 4<<EOF", ["EOF"]), ("RUN <<EOF <<EOF2", ["EOF", "EOF2"]),
      ("RUN '<<EOF'", []), ("RUN \"<<EOF\"", []), ("RUN <<\\EOF", ["EOF"]), ("RUN cat <<EOF # it's", []),
    ]
    for (line, names) in lines {
      #expect((try? HeredocMarker.find(inLine: Array(line.utf8)).get())?.map(\.name) == names, "\(line)")
    }
    #expect((try? HeredocMarker.find(inLine: Array("RUN 4<<EOF".utf8)).get())?.map(\.fileDescriptor) == [4])
  }
}
