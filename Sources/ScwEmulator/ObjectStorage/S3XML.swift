// S3XML: the little XML S3 needs: a parser for request bodies (elements, attributes, text, entities,
// CDATA; prolog and comments skipped) into a tree, the tree rendered back, and text escaping.

struct XMLNode: Sendable, Equatable {
    var name: String
    var attributes: [(name: String, value: String)] = []
    var children: [XMLNode] = []
    var text: String = ""

    static func == (a: XMLNode, b: XMLNode) -> Bool {
        a.name == b.name && a.children == b.children && a.text == b.text
            && a.attributes.map(\.name) == b.attributes.map(\.name) && a.attributes.map(\.value) == b.attributes.map(\.value)
    }

    /// The name without its namespace prefix (`xsi:type` → `type`).
    var localName: String { name.split(separator: ":").last.map(String.init) ?? name }

    func child(_ name: String) -> XMLNode? { children.first { $0.localName == name } }
    func all(_ name: String) -> [XMLNode] { children.filter { $0.localName == name } }
    /// Text of a child element, nil when absent.
    func value(_ name: String) -> String? { child(name)?.text }

    func attribute(_ localName: String) -> String? {
        attributes.first { ($0.name.split(separator: ":").last.map(String.init) ?? $0.name) == localName }?.value
    }

    /// The element as compact XML (no whitespace between elements).
    func rendered(extraAttributes: [(String, String)] = []) -> String {
        var out = "<" + name
        for (n, v) in extraAttributes + attributes.map({ ($0.name, $0.value) }) { out += " \(n)=\"\(XMLText.escape(v))\"" }
        if children.isEmpty && text.isEmpty { return out + "/>" }
        out += ">"
        if children.isEmpty { out += XMLText.escape(text) } else { out += children.map { $0.rendered() }.joined() }
        return out + "</\(name)>"
    }
}

struct XMLParseError: Error, CustomStringConvertible {
    let description: String
}

enum XMLText {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"
    static let prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// Escapes text and attribute values; quotes as `&#34;`, as the recorded S3 answers do.
    static func escape(_ s: String) -> String {
        guard s.contains(where: { "<>&\"'\r".contains($0) }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "\r": out += "&#xD;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `<name>escaped text</name>`
    static func element(_ name: String, _ text: String) -> String { "<\(name)>\(escape(text))</\(name)>" }

    /// Parses one document; its root element is returned.
    static func parse(_ bytes: [UInt8]) throws -> XMLNode {
        var parser = XMLByteParser(bytes: bytes)
        return try parser.document()
    }
}

private struct XMLByteParser {
    let b: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { b = bytes }

    func fail(_ message: String) -> XMLParseError { XMLParseError(description: "\(message) at byte \(i)") }

    mutating func document() throws -> XMLNode {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        try skipMisc()
        guard i < b.count, b[i] == UInt8(ascii: "<") else { throw fail("expected a root element") }
        let root = try element()
        try skipMisc()
        guard i == b.count else { throw fail("content after the root element") }
        return root
    }

    /// Whitespace, `<?...?>`, comments and a DOCTYPE.
    mutating func skipMisc() throws {
        while true {
            while i < b.count, isSpace(b[i]) { i += 1 }
            if starts("<?") { try skip(past: "?>") } else if starts("<!--") { try skip(past: "-->") } else if starts("<!DOCTYPE") { try skip(past: ">") } else { return }
        }
    }

    func starts(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= b.count && Array(b[i..<i + u.count]) == u
    }

    mutating func skip(past s: String) throws {
        let u = Array(s.utf8)
        while i + u.count <= b.count {
            if Array(b[i..<i + u.count]) == u { i += u.count; return }
            i += 1
        }
        throw fail("unterminated \(s)")
    }

    func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    func isNameByte(_ c: UInt8) -> Bool {
        !isSpace(c) && c != UInt8(ascii: ">") && c != UInt8(ascii: "/") && c != UInt8(ascii: "=") && c != UInt8(ascii: "<")
    }

    mutating func name() throws -> String {
        let start = i
        while i < b.count, isNameByte(b[i]) { i += 1 }
        guard i > start else { throw fail("expected a name") }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    mutating func element() throws -> XMLNode {
        i += 1   // <
        var node = XMLNode(name: try name())
        while true {
            while i < b.count, isSpace(b[i]) { i += 1 }
            guard i < b.count else { throw fail("unterminated start tag <\(node.name)>") }
            if b[i] == UInt8(ascii: "/") {
                guard i + 1 < b.count, b[i + 1] == UInt8(ascii: ">") else { throw fail("bad empty tag") }
                i += 2
                return node
            }
            if b[i] == UInt8(ascii: ">") { i += 1; break }
            let attr = try name()
            while i < b.count, isSpace(b[i]) { i += 1 }
            guard i < b.count, b[i] == UInt8(ascii: "=") else { throw fail("expected = after attribute \(attr)") }
            i += 1
            while i < b.count, isSpace(b[i]) { i += 1 }
            guard i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else { throw fail("expected a quoted value") }
            let quote = b[i]
            i += 1
            let start = i
            while i < b.count, b[i] != quote { i += 1 }
            guard i < b.count else { throw fail("unterminated attribute value") }
            node.attributes.append((attr, try decodeEntities(Array(b[start..<i]))))
            i += 1
        }
        var text: [UInt8] = []
        while true {
            guard i < b.count else { throw fail("unterminated element <\(node.name)>") }
            if starts("</") {
                i += 2
                let closing = try name()
                guard closing == node.name else { throw fail("</\(closing)> closes <\(node.name)>") }
                while i < b.count, isSpace(b[i]) { i += 1 }
                guard i < b.count, b[i] == UInt8(ascii: ">") else { throw fail("bad end tag") }
                i += 1
                break
            } else if starts("<![CDATA[") {
                i += 9
                let start = i
                try skip(past: "]]>")
                text += b[start..<(i - 3)]
            } else if starts("<!--") || starts("<?") {
                try skip(past: starts("<!--") ? "-->" : "?>")
            } else if b[i] == UInt8(ascii: "<") {
                node.children.append(try element())
            } else {
                let start = i
                while i < b.count, b[i] != UInt8(ascii: "<") { i += 1 }
                text += try Array(decodeEntities(Array(b[start..<i])).utf8)
            }
        }
        let s = String(decoding: text, as: UTF8.self)
        if node.children.isEmpty || !s.allSatisfy({ $0.isWhitespace }) { node.text = s }
        return node
    }

    func decodeEntities(_ raw: [UInt8]) throws -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        var j = 0
        while j < raw.count {
            guard raw[j] == UInt8(ascii: "&") else { out.append(raw[j]); j += 1; continue }
            guard let end = raw[j...].firstIndex(of: UInt8(ascii: ";")) else { throw fail("unterminated entity") }
            let entity = String(decoding: raw[(j + 1)..<end], as: UTF8.self)
            switch entity {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                let code: UInt32? = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                guard let code, let scalar = Unicode.Scalar(code) else { throw fail("unknown entity &\(entity);") }
                out += Array(String(Character(scalar)).utf8)
            }
            j = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
