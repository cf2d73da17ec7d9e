/// Kubernetes' expansion of a container's `command` and `args` (the platform runs a job as a
/// Kubernetes Job), byte for byte as its `expansion.Expand` reads them:
/// - `$(NAME)` becomes NAME's value when the job defines NAME, and stays `$(NAME)` otherwise
///   (NAME is everything up to the first `)`, whatever it holds);
/// - `$$` becomes `$` (so `$$(NAME)` is the literal `$(NAME)`);
/// - `$` followed by anything else, an unclosed `$(`, and a final `$` stay as they are.
///
/// The values come from the job's own variables only (what the platform puts in the
/// container's `env`), never from the caller's environment or the image's `ENV`.
public enum KubernetesExpansion {
  /// `text` expanded with `variables`.
  public static func expand(_ text: String, _ variables: [String: String]) -> String {
    expand(text, lookup: { variables[$0] }).text
  }

  /// `text` expanded with `lookup`, and the names it replaced (in order).
  public static func expand(_ text: String, lookup: (String) -> String?) -> (text: String, names: [String]) {
    let dollar = UInt8(ascii: "$")
    let open = UInt8(ascii: "(")
    let close = UInt8(ascii: ")")
    let bytes = Array(text.utf8)
    guard bytes.contains(dollar) else { return (text, []) }
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var names: [String] = []
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      guard byte == dollar, index + 1 < bytes.count else {
        result.append(byte)
        index += 1
        continue
      }
      let next = bytes[index + 1]
      if next == dollar {
        result.append(dollar)
        index += 2
      } else if next == open, let end = bytes[(index + 2)...].firstIndex(of: close) {
        let name = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
        if let value = lookup(name) {
          result += Array(value.utf8)
          names.append(name)
        } else {
          result += bytes[index...end]
        }
        index = end + 1
      } else {
        // `$` then a byte that starts no reference (an unclosed `$(` included): both kept.
        result += [dollar, next]
        index += 2
      }
    }
    return (String(decoding: result, as: UTF8.self), names)
  }
}
