/// The parts of an STS query-API answer that credentials need, read from its XML: the text of
/// the first element of a name, entities decoded. STS answers are small and flat, so a tag scan
/// is enough and needs no XML library.
enum STSResponse {
    /// The text of the first `<name>` or `<name …attributes>` element in `xml`, entities decoded:
    /// for elements that hold text only.
    static func text(of name: String, in xml: String) -> String? {
        content(of: name, in: xml).map(decodeEntities)
    }

    /// The raw content of the first `<name>` element, child elements and entities as written: for
    /// elements that hold others, whose leaves ``text(of:in:)`` then reads. Decoding here would
    /// turn an escaped `&lt;` inside a leaf into a `<` that ends the leaf early.
    static func content(of name: String, in xml: String) -> String? {
        var searchStart = xml.startIndex
        while let open = xml.range(of: "<\(name)", range: searchStart..<xml.endIndex) {
            guard let close = xml.range(of: ">", range: open.upperBound..<xml.endIndex) else { return nil }
            let between = xml[open.upperBound..<close.lowerBound]
            // `<NameSuffix>` is another element; only `>` or attributes may follow the name.
            guard between.isEmpty || between.first == " " || between.first == "\t" || between.first == "\n" else {
                searchStart = close.upperBound
                continue
            }
            guard let end = xml.range(of: "</\(name)>", range: close.upperBound..<xml.endIndex) else { return nil }
            return String(xml[close.upperBound..<end.lowerBound]).trimmed(" \t\r\n")
        }
        return nil
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric character references.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            out += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: UInt32? =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let scalar, let character = Unicode.Scalar(scalar) {
                    out.unicodeScalars.append(character)
                } else {
                    out += rest[ampersand...semicolon]
                }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return out + rest
    }
}
