import Testing

@testable import kafka_produce

/// The checker that lets `--format json` send lines as given: it accepts every JSON object,
/// whatever its numbers, and names the place of what it refuses.
@Suite("kafka-produce: JSON lines checked without being converted")
struct JSONSyntaxTests {
    func check(_ text: String, exactNumbers: Bool = false) -> String? {
        Array(text.utf8).withUnsafeBytes { bytes -> String? in
            do {
                try JSONSyntax.checkObject(bytes, exactNumbers: exactNumbers)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    @Test(
        "Objects of every shape are accepted",
        arguments: [
            "{}", " { } ", #"{"a":1}"#, #"{"a":[1,-2.5e-3,true,false,null,"x\"\u00e9\n"],"b":{"c":{}}}"#,
            #"{"big":123456789012345678901234567890,"f":1e400}"#, #"{"a":[]}"#, #"{"a":[[],[{}]]}"#,
        ])
    func accepted(text: String) {
        #expect(check(text) == nil)
    }

    @Test(
        "Anything else is refused, naming the place",
        arguments: [
            ("[1]", "not a JSON object"), (#"{"a":}"#, "in field a"), (#"{"a":[1,2,]}"#, "in field a[2]"),
            (#"{"a":1,}"#, "expected a member name"), (#"{"a":1} x"#, "unexpected text after"), (#"{"a":01}"#, "expected ',' or '}'"),
            (#"{"a":"\q"}"#, "unknown escape"), (#"{"a":tru}"#, "expected true"), (#"{"a":1"#, "expected ',' or '}'"),
            ("{\"a\":\"\u{1}\"}", "a control character"),
        ])
    func refused(text: String, reason: String) throws {
        let problem = try #require(check(text))
        #expect(problem.contains(reason), "\(problem)")
    }

    @Test("Nesting past the limit is refused without recursion")
    func deepNesting() throws {
        let depth = JSONSyntax.maximumDepth + 1
        let text = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        let problem = try #require(check(text))
        #expect(problem.contains("nests more than \(JSONSyntax.maximumDepth)"))
        let atLimit = String(repeating: "[", count: JSONSyntax.maximumDepth - 1)
        #expect(check("{\"a\":" + atLimit + String(repeating: "]", count: JSONSyntax.maximumDepth - 1) + "}") == nil)
    }

    @Test("With exact numbers, one no Int64 or double holds is refused by field")
    func exactNumbers() throws {
        #expect(check(#"{"a":9223372036854775807,"b":1.5e300}"#, exactNumbers: true) == nil)
        let big = try #require(check(#"{"n":{"big":9223372036854775808}}"#, exactNumbers: true))
        #expect(big.contains("the number 9223372036854775808 in field n.big does not fit a 64-bit integer"), "\(big)")
        let huge = try #require(check(#"{"xs":[1,1e400]}"#, exactNumbers: true))
        #expect(huge.contains("in field xs[1] does not fit a 64-bit double"), "\(huge)")
    }
}
