// S3XML: the small XML subset S3 speaks, read into a tree and written from one. Reads
// declarations, comments, CDATA, attributes, namespaces (prefixes dropped) and entities.

/// One XML element: its local name (namespace prefix dropped), attributes, child elements and
/// the text directly inside it (entities decoded).
public struct S3XMLNode: Sendable, Equatable {
    /// The local name (`Tagging` for `<s3:Tagging>`).
    public var name: String
    /// Attributes by qualified name (`xsi:type`), values unescaped.
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [S3XMLNode]
    /// The text directly inside, unescaped; empty when only whitespace separates children.
    public var text: String

    /// An element; `text` is escaped when written.
    public init(_ name: String, attributes: [String: String] = [:], text: String = "", children: [S3XMLNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child element with this local name.
    public func child(_ name: String) -> S3XMLNode? { children.first { $0.name == name } }

    /// Every child element with this local name, in order.
    public func all(_ name: String) -> [S3XMLNode] { children.filter { $0.name == name } }

    /// The text of the first child with this name (nil when there is no such child).
    public func string(_ name: String) -> String? { child(name)?.text }

    /// The integer in the first child with this name, nil when absent or not a number.
    public func int(_ name: String) -> Int? { string(name).flatMap { Int($0.trimmingSpaces) } }

    /// `true`/`false` (any case) in the first child with this name.
    public func bool(_ name: String) -> Bool? {
        switch string(name)?.trimmingSpaces.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The document: an XML declaration, then this element.
    public var document: String { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml }

    /// This element as XML text (attributes sorted, text escaped).
    public var xml: String {
        var out = "<" + name
        for key in attributes.keys.sorted() { out += " \(key)=\"\(S3XML.escape(attributes[key]!, quotes: true))\"" }
        if children.isEmpty && text.isEmpty { return out + "/>" }
        out += ">" + S3XML.escape(text, quotes: false)
        for c in children { out += c.xml }
        return out + "</\(name)>"
    }
}

/// Parsing and escaping.
public enum S3XML {
    /// The S3 namespace, put on the root of request bodies.
    public static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// The root element of a document. Throws ``DecodeError`` for what is not well-formed.
    public static func parse(_ bytes: [UInt8], what: String = "XML") throws -> S3XMLNode {
        var parser = Parser(bytes: bytes, what: what)
        return try parser.document()
    }

    /// The root element of a document given as text.
    public static func parse(_ text: String, what: String = "XML") throws -> S3XMLNode {
        try parse(Array(text.utf8), what: what)
    }

    /// `&`, `<`, `>` (and quotes when `quotes`) as entities; control characters as `&#xN;`.
    public static func escape(_ s: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&apos;"
            case "\r": out += "&#xD;"
            default:
                if scalar.value < 0x20, scalar != "\n", scalar != "\t" {
                    out += "&#x\(String(scalar.value, radix: 16, uppercase: true));"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private struct Parser {
        let bytes: [UInt8]
        let what: String
        var i = 0

        init(bytes: [UInt8], what: String) {
            self.bytes = bytes
            self.what = what
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }   // UTF-8 byte order mark
        }

        mutating func document() throws -> S3XMLNode {
            try skipMisc()
            guard peek == UInt8(ascii: "<") else { throw fail("no root element") }
            let root = try element()
            try skipMisc()
            guard i >= bytes.count else { throw fail("content after the root element") }
            return root
        }

        /// Whitespace, `<?...?>`, `<!--...-->` and `<!DOCTYPE ...>` outside the root.
        mutating func skipMisc() throws {
            while true {
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                if starts("<?") { try skip(past: "?>") } else if starts("<!--") { try skip(past: "-->") } else if starts("<!") { try skip(past: ">") } else { return }
            }
        }

        mutating func element() throws -> S3XMLNode {
            i += 1   // <
            let name = try qualifiedName()
            var node = S3XMLNode(localName(name))
            while true {
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count else { throw fail("unterminated tag <\(name)>") }
                if starts("/>") { i += 2; return node }
                if peek == UInt8(ascii: ">") { i += 1; break }
                let attr = try qualifiedName()
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard peek == UInt8(ascii: "=") else { throw fail("attribute \(attr) has no value") }
                i += 1
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard let quote = peek, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw fail("attribute \(attr) is not quoted") }
                i += 1
                let start = i
                while i < bytes.count, bytes[i] != quote { i += 1 }
                guard i < bytes.count else { throw fail("unterminated attribute \(attr)") }
                node.attributes[attr] = try decodeEntities(bytes[start..<i])
                i += 1
            }
            var text = [UInt8]()
            while true {
                guard i < bytes.count else { throw fail("element <\(name)> is not closed") }
                if starts("</") {
                    i += 2
                    let close = try qualifiedName()
                    guard close == name else { throw fail("</\(close)> closes <\(name)>") }
                    while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                    guard peek == UInt8(ascii: ">") else { throw fail("bad closing tag </\(close)") }
                    i += 1
                    node.text = String(decoding: text, as: UTF8.self)
                    if !node.children.isEmpty, node.text.allSatisfy(\.isWhitespace) { node.text = "" }
                    return node
                } else if starts("<![CDATA[") {
                    i += 9
                    let start = i
                    try skip(past: "]]>")
                    text += bytes[start..<(i - 3)]
                } else if starts("<!--") {
                    try skip(past: "-->")
                } else if starts("<?") {
                    try skip(past: "?>")
                } else if peek == UInt8(ascii: "<") {
                    node.children.append(try element())
                } else {
                    let start = i
                    while i < bytes.count, bytes[i] != UInt8(ascii: "<") { i += 1 }
                    text += Array(try decodeEntities(bytes[start..<i]).utf8)
                }
            }
        }

        mutating func qualifiedName() throws -> String {
            let start = i
            while i < bytes.count, !isSpace(bytes[i]), ![UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<")].contains(bytes[i]) {
                i += 1
            }
            guard i > start else { throw fail("expected a name") }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        func localName(_ qualified: String) -> String {
            qualified.lastIndex(of: ":").map { String(qualified[qualified.index(after: $0)...]) } ?? qualified
        }

        func decodeEntities(_ raw: ArraySlice<UInt8>) throws -> String {
            guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
            var out = ""
            var j = raw.startIndex
            while j < raw.endIndex {
                guard raw[j] == UInt8(ascii: "&") else {
                    let start = j
                    while j < raw.endIndex, raw[j] != UInt8(ascii: "&") { j += 1 }
                    out += String(decoding: raw[start..<j], as: UTF8.self)
                    continue
                }
                guard let semi = raw[j...].firstIndex(of: UInt8(ascii: ";")), semi - j <= 12 else { throw fail("bad entity") }
                let entity = String(decoding: raw[(j + 1)..<semi], as: UTF8.self)
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let hex = entity.hasPrefix("#x") || entity.hasPrefix("#X")
                    guard entity.hasPrefix("#"), let code = UInt32(entity.dropFirst(hex ? 2 : 1), radix: hex ? 16 : 10),
                          let scalar = Unicode.Scalar(code) else { throw fail("unknown entity &\(entity);") }
                    out.unicodeScalars.append(scalar)
                }
                j = semi + 1
            }
            return out
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        func starts(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= bytes.count && bytes[i..<(i + u.count)].elementsEqual(u)
        }

        mutating func skip(past end: String) throws {
            let u = Array(end.utf8)
            while i + u.count <= bytes.count {
                if bytes[i..<(i + u.count)].elementsEqual(u) { i += u.count; return }
                i += 1
            }
            throw fail("unterminated construct (no \(end))")
        }

        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

        func fail(_ problem: String) -> DecodeError {
            DecodeError(what: what, field: nil, problem: "not well-formed XML at byte \(i): \(problem)")
        }
    }
}
