/// The sections of an AWS shared credentials or config file (INI: `[section]`, `key = value`,
/// `#` and `;` comments). Indented lines continue a nested setting (`s3 =` and its sub-keys),
/// which credentials never use, so they are skipped.
struct ProfileFile {
    /// Section name as written between the brackets, trimmed → its keys.
    private(set) var sections: [String: [String: String]] = [:]

    /// A line that is neither a section, a setting nor a comment, by number only: its text may
    /// be a secret.
    struct SyntaxError: Error {
        var line: Int
    }

    init(parsing text: String) throws(SyntaxError) {
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine).trimmed(" \t\r")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if rawLine.first == " " || rawLine.first == "\t" {
                guard current != nil else { throw SyntaxError(line: index + 1) }
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw SyntaxError(line: index + 1) }
                let name = String(line.dropFirst().dropLast()).trimmed(" \t")
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { throw SyntaxError(line: index + 1) }
            let key = String(line[..<equals]).trimmed(" \t")
            let value = String(line[line.index(after: equals)...]).trimmed(" \t")
            sections[section, default: [:]][key] = value
        }
    }
}

extension String {
    /// The string without leading and trailing scalars from `set` (Foundation-free). Scalars,
    /// not characters: `"\r\n"` is one Character, which would match neither `"\r"` nor `"\n"`.
    func trimmed(_ set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        var slice = Substring(self).unicodeScalars
        while let first = slice.first, scalars.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, scalars.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
