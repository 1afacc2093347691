import Foundation
import Testing

/// The top-level README shows code a newcomer copies; these tests keep it from drifting away from
/// code the build compiles. Each Swift block must appear verbatim (indentation aside: a block may
/// quote lines from inside a loop) in a Swift file of Examples/ or Tests/, every one of which is a
/// target's source; except the dependency line for a manifest,
/// which must name a product and package that Package.swift declares. Each script a shell block
/// runs must exist and be executable.
@Suite("README: its code is compiled")
struct ReadmeCodeTests {
    /// The repository's root: this file is Tests/RdKafkaTests/ReadmeCodeTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The contents of every fenced block opened with ```language, without the fences.
    static func blocks(_ language: String, in markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(language)" {
                current = []
            } else if let lines = current, line == "```" {
                blocks.append(lines.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// A block of package dependency lines (`.product(...)`, `.package(...)`), which no target
    /// compiles by itself.
    static func isManifestFragment(_ block: String) -> Bool {
        block.split(separator: "\n").allSatisfy { $0.hasPrefix(".product(") || $0.hasPrefix(".package(") }
    }

    /// The text of every Swift file a target compiles from Examples/ and Tests/.
    static func compiledSources() throws -> [(path: String, text: String)] {
        var sources: [(path: String, text: String)] = []
        for folder in ["Examples", "Tests"] {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files
            where file.pathExtension == "swift" && !file.path.contains("/Fixtures/") {
                sources.append((file.path, try String(contentsOf: file, encoding: .utf8)))
            }
        }
        return sources
    }

    /// Whether `block`'s lines are consecutive lines of `text`, each compared without its leading
    /// whitespace.
    static func contains(_ text: String, _ block: String) -> Bool {
        func lines(_ string: String) -> [Substring] {
            string.split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop(while: \.isWhitespace) }
        }
        let wanted = lines(block)
        let have = lines(text)
        guard wanted.count <= have.count else { return false }
        return (0...(have.count - wanted.count)).contains { start in
            have[start..<(start + wanted.count)].elementsEqual(wanted)
        }
    }

    @Test("Every Swift block of README.md is verbatim in an example or a test")
    func swiftBlocksAreCompiled() throws {
        let blocks = Self.blocks("swift", in: try Self.text("README.md")).filter { !Self.isManifestFragment($0) }
        #expect(!blocks.isEmpty)
        let sources = try Self.compiledSources()
        for block in blocks {
            #expect(
                sources.contains { Self.contains($0.text, block) },
                "this README block is in no compiled file of Examples/ or Tests/:\n\(block)"
            )
        }
    }

    @Test("The README's dependency line names a library product and the package of Package.swift")
    func dependencyLineMatchesTheManifest() throws {
        let manifest = try Self.text("Package.swift")
        let fragments = Self.blocks("swift", in: try Self.text("README.md")).filter(Self.isManifestFragment)
        let products = fragments.flatMap { $0.split(separator: "\n") }.filter { $0.hasPrefix(".product(") }
        #expect(!products.isEmpty)
        for line in products {
            let name = try #require(line.firstMatch(of: /name: "([^"]+)"/)?.1, "no product name in \(line)")
            let package = try #require(line.firstMatch(of: /package: "([^"]+)"/)?.1, "no package in \(line)")
            #expect(manifest.contains(".library(name: \"\(name)\""), "Package.swift has no library product \(name)")
            #expect(manifest.contains("name: \"\(package)\""), "Package.swift's package is not named \(package)")
        }
    }

    @Test("Every script the README's shell blocks run exists and is executable")
    func scriptsExist() throws {
        let commands = Self.blocks("sh", in: try Self.text("README.md"))
            .flatMap { $0.split(separator: "\n") }
            .flatMap { $0.split(separator: " ") }
            .filter { $0.hasPrefix("scripts/") }
        #expect(Set(commands).isSuperset(of: ["scripts/example", "scripts/test"]))
        for command in Set(commands) {
            let path = Self.root.appendingPathComponent(String(command)).path
            #expect(FileManager.default.isExecutableFile(atPath: path), "\(command) is not an executable file")
        }
    }
}
