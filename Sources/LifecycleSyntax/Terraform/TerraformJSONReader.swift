/// Reads Terraform's JSON syntax — `*.tf.json` (`variable` and `output` blocks) and
/// `*.tfvars.json` (top-level values) — into the same `TerraformFile` as the HCL reader.
///
/// A block type holds an object of blocks by label, or an array of such objects; a block's body
/// is an object, or an array of objects merged in order. Architecture Invariant: any bytes yield a
/// `TerraformFile` (empty when the text is not a JSON object); the tape is walked without recursion.
public enum TerraformJSONReader {
  public static func read(_ source: SourceText) -> TerraformFile {
    guard case .success(let tape) = JSONParser.parse(source.bytes), tape.events.first?.kind == .beginObject
    else { return TerraformFile() }
    var file = TerraformFile()
    func text(_ range: TextRange) -> String {
      String(decoding: source.bytes[range.start..<range.end], as: UTF8.self)
    }
    for key in tape.children(of: 0) {
      let name = tape.events[key].text ?? ""
      file.assignments.append(
        TerraformAssignment(
          name: name, nameRange: tape.events[key].range, expression: text(tape.events[key + 1].range)))
      guard name == "variable" || name == "output" else { continue }
      for (label, labelRange, body, range) in blocks(tape, at: key + 1) {
        var attributes: [String: Int] = [:]
        for member in body { attributes[tape.events[member].text ?? ""] = member + 1 }
        func string(_ attribute: String) -> String? {
          attributes[attribute].flatMap { tape.events[$0].kind == .string ? tape.events[$0].text : nil }
        }
        let isSensitive = attributes["sensitive"].map { tape.events[$0].kind == .true } ?? false
        if name == "variable" {
          file.variables.append(
            TerraformVariable(
              name: label, nameRange: labelRange, range: range, type: string("type"),
              defaultExpression: attributes["default"].map { text(tape.events[$0].range) },
              defaultValue: string("default"), description: string("description"), isSensitive: isSensitive,
              attributes: Set(attributes.keys)))
        } else {
          file.outputs.append(
            TerraformOutput(
              name: label, nameRange: labelRange, range: range, description: string("description"),
              isSensitive: isSensitive, attributes: Set(attributes.keys)))
        }
      }
    }
    return file
  }

  /// The labelled blocks of a block type's value: `{"name": {body}}`, `{"name": [{body}, ...]}`,
  /// or an array of such objects; each with its label, the label's range, the body's member keys
  /// and the range of its whole value.
  static func blocks(_ tape: JSONTape, at index: Int) -> [(String, TextRange, [Int], TextRange)] {
    let objects: [Int]
    switch tape.events[index].kind {
    case .beginObject: objects = [index]
    case .beginArray: objects = tape.children(of: index).filter { tape.events[$0].kind == .beginObject }
    default: return []
    }
    var result: [(String, TextRange, [Int], TextRange)] = []
    for object in objects {
      for label in tape.children(of: object) {
        let value = label + 1
        let bodies: [Int]
        switch tape.events[value].kind {
        case .beginObject: bodies = [value]
        case .beginArray: bodies = tape.children(of: value).filter { tape.events[$0].kind == .beginObject }
        default: continue
        }
        let members = bodies.flatMap { tape.children(of: $0) }
        result.append(
          (tape.events[label].text ?? "", tape.events[label].range, members, tape.events[value].range))
      }
    }
    return result
  }
}
