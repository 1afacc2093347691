/// Checks that bytes are one JSON object (RFC 8259) without converting anything, so that a
/// line can be sent exactly as given: a number keeps every digit, however large or precise.
///
/// Iterative, with an explicit stack, so that no nesting depth can exhaust the call stack; a
/// line nested deeper than ``maximumDepth`` is refused all the same, since a consumer's parser
/// may stop there (Foundation's stops at 512).
/// With `exactNumbers`, a number that a 64-bit integer or a double cannot hold exactly
/// (`123456789012345678901234567890`, `1e400`) is refused, naming its place: for encoders
/// that must convert numbers (Avro).
struct JSONSyntax {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    private enum Container {
        case object(key: String?)
        case array(index: Int)
    }

    /// The most arrays and objects a line may nest.
    static let maximumDepth = 500

    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var stack: [Container] = []

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Throws ``Problem`` unless `bytes` hold exactly one JSON object (surrounding whitespace
    /// allowed).
    static func checkObject(_ bytes: UnsafeRawBufferPointer, exactNumbers: Bool = false) throws(Problem) {
        var parser = JSONSyntax(bytes)
        parser.skipWhitespace()
        guard parser.peek == UInt8(ascii: "{") else { throw Problem(description: "the line is not a JSON object") }
        try parser.parseValue(exactNumbers: exactNumbers)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.problem("unexpected text after the JSON object") }
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    /// Where the parser is: the field path, for messages.
    private var path: String {
        var text = ""
        for container in stack {
            switch container {
            case .object(let key?): text += text.isEmpty ? key : "." + key
            case .object(nil): break
            case .array(let index): text += "[\(index)]"
            }
        }
        if text.count > 100 { text = String(text.prefix(100)) + "…" }
        return text.isEmpty ? "the top level" : "field \(text)"
    }

    private func problem(_ reason: String) -> Problem {
        Problem(description: "the line is not valid JSON: \(reason) at byte \(position + 1) (in \(path))")
    }

    private mutating func expect(_ literal: String) throws(Problem) {
        for byte in literal.utf8 {
            guard peek == byte else { throw problem("expected \(literal)") }
            position += 1
        }
    }

    /// Parses one value and whatever it contains, then returns with the stack as it was.
    private mutating func parseValue(exactNumbers: Bool) throws(Problem) {
        let base = stack.count
        repeat {
            skipWhitespace()
            guard let byte = peek else { throw problem("unexpected end of the line") }
            switch byte {
            case UInt8(ascii: "{"):
                position += 1
                skipWhitespace()
                if peek == UInt8(ascii: "}") {
                    position += 1
                } else {
                    try checkDepth()
                    stack.append(.object(key: try parseKey()))
                    continue
                }
            case UInt8(ascii: "["):
                position += 1
                skipWhitespace()
                if peek == UInt8(ascii: "]") {
                    position += 1
                } else {
                    try checkDepth()
                    stack.append(.array(index: 0))
                    continue
                }
            case UInt8(ascii: "\""): _ = try parseString()
            case UInt8(ascii: "t"): try expect("true")
            case UInt8(ascii: "f"): try expect("false")
            case UInt8(ascii: "n"): try expect("null")
            default: try parseNumber(exact: exactNumbers)
            }
            try closeFinishedContainers(above: base)
        } while stack.count > base
    }

    private func checkDepth() throws(Problem) {
        if stack.count >= Self.maximumDepth {
            throw Problem(description: "the line nests more than \(Self.maximumDepth) arrays and objects")
        }
    }

    /// After a value: moves to the next member or element, or closes the containers it ends.
    private mutating func closeFinishedContainers(above base: Int) throws(Problem) {
        while stack.count > base {
            skipWhitespace()
            switch (stack[stack.count - 1], peek) {
            case (.object, UInt8(ascii: ",")?):
                position += 1
                stack[stack.count - 1] = .object(key: try parseKey())
                return
            case (.array(let index), UInt8(ascii: ",")?):
                position += 1
                stack[stack.count - 1] = .array(index: index + 1)
                return
            case (.object, UInt8(ascii: "}")?), (.array, UInt8(ascii: "]")?):
                position += 1
                stack.removeLast()
            case (.object, _):
                throw problem("expected ',' or '}'")
            case (.array, _):
                throw problem("expected ',' or ']'")
            }
        }
    }

    /// A member's name and its colon; the value follows.
    private mutating func parseKey() throws(Problem) -> String {
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else { throw problem("expected a member name in double quotes") }
        let key = try parseString()
        skipWhitespace()
        guard peek == UInt8(ascii: ":") else { throw problem("expected ':' after a member name") }
        position += 1
        return key
    }

    /// A string, its escapes checked; returns its raw text (escapes as written) for paths.
    private mutating func parseString() throws(Problem) -> String {
        position += 1
        let start = position
        while let byte = peek {
            switch byte {
            case UInt8(ascii: "\""):
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            case UInt8(ascii: "\\"):
                position += 1
                guard let escaped = peek else { throw problem("unexpected end of the line in a string") }
                if escaped == UInt8(ascii: "u") {
                    for _ in 0..<4 {
                        position += 1
                        guard let digit = peek, digit.isHexDigit else { throw problem("expected four hex digits after \\u") }
                    }
                } else if !"\"\\/bfnrt".utf8.contains(escaped) {
                    throw problem("unknown escape in a string")
                }
                position += 1
            case 0..<0x20:
                throw problem("a control character in a string")
            default:
                position += 1
            }
        }
        throw problem("unexpected end of the line in a string")
    }

    private mutating func parseNumber(exact: Bool) throws(Problem) {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        guard let first = peek, first.isDigit else { throw problem("expected a value") }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var isInteger = true
        if peek == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard peek?.isDigit == true else { throw problem("expected a digit after '.'") }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard peek?.isDigit == true else { throw problem("expected a digit in the exponent") }
            skipDigits()
        }
        guard exact else { return }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger ? Int64(text) == nil : !(Double(text)?.isFinite ?? false) {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw Problem(
                description: "the number \(shown) in \(path) does not fit a 64-bit "
                    + (isInteger ? "integer" : "double") + "; it would not be sent as given")
        }
    }

    private mutating func skipDigits() {
        while peek?.isDigit == true { position += 1 }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
