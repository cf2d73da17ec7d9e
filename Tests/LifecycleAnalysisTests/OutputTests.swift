import LifecycleAnalysis
import LifecycleSyntax
import Testing

@Suite struct OutputTests {
  let output = FileKind.outputFile

  @Test func terraformOutputIsAcceptedAsIs() {
    let text = """
      {"db_host": {"sensitive": false, "type": "string", "value": "db.local"},
       "db_password": {"sensitive": true, "type": "string", "value": "s3cret"},
       "ports": {"sensitive": false, "type": ["list", "number"], "value": [5432, 5433]}}
      """
    let analysis = Analyzer.analyze(SourceText(text), kind: output)
    #expect(analysis.diagnostics == [])
    #expect(
      analysis.output?.entries.map { "\($0.name)=\($0.value) \($0.isSensitive)" } == [
        "DB_HOST=db.local false", "DB_PASSWORD=s3cret true", "PORTS=[5432,5433] false",
      ])
  }

  @Test func problemsTheWholeFileIsRejectedFor() {
    expectDiagnostics("{\"a\": {\"value\": 1}⟦,⟧{output-invalid-json}}", kind: output)
    expectDiagnostics("⟦[{\"a\": {\"value\": 1}}]⟧{output-not-object}", kind: output)
    expectDiagnostics(
      "{⟦\"db-host\"⟧{output-invalid-key}: {\"value\": 1}, \"ok\": {\"value\": 2}}", kind: output)
    expectDiagnostics("{\"a\": {\"value\": ⟦1e999⟧{output-invalid-json}}}", kind: output)
    expectDiagnostics("⟦⟧{output-invalid-json}", kind: output)
    #expect(
      messages("{\"db-host\": {\"value\": 1}}", kind: output) == [
        "output-invalid-key: `db-host` is not a valid key (letters, digits and `_`, not starting with a digit); one bad key and the platform ignores the whole file"
      ])
    #expect(
      applyingFix("{\"db-host\": {\"value\": 1}}", code: "output-invalid-key", kind: output)
        == "{\"db_host\": {\"value\": 1}}")
    let invalid = Analyzer.analyze(SourceText(bytes: [0x7B, 0xFF, 0x7D]), kind: output)
    #expect(invalid.diagnostics.map(\.code) == ["output-invalid-json"])
    #expect(invalid.output?.isRejected == true)
  }

  @Test func entriesThePlatformSkips() {
    expectDiagnostics(
      "{\"a\": ⟦\"plain\"⟧{output-entry-not-object}, \"b\": {\"value\": 1, \"sensitive\": ⟦\"yes\"⟧{output-entry-invalid}}, \"c\": {\"value\": 2}}",
      kind: output)
    let analysis = Analyzer.analyze(
      SourceText("{\"a\": \"plain\", \"b\": {\"value\": 1, \"sensitive\": \"yes\"}, \"c\": {}}"), kind: output
    )
    #expect(analysis.output?.entries.map { "\($0.name)=\($0.value)" } == ["C=null"])
  }

  @Test func keysThatCollideOnceUpperCased() {
    expectDiagnostics(
      "{\"db_host\": {\"value\": 1}, ⟦\"DB_HOST\"⟧{output-duplicate-key}: {\"value\": 2}}", kind: output)
  }
}
