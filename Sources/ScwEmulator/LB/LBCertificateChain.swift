// A custom certificate chain as the LB API reads it: PEM blocks, the first CERTIFICATE parsed
// (DER, just enough ASN.1 for validity, subject CN and DNS alternative names), a private key
// present, and the SHA-1 fingerprint of the leaf's DER.

import Foundation

struct LBCertificateChain {
    var commonName: String
    var alternativeNames: [String]
    var notBefore: String
    var notAfter: String
    var fingerprint: String

    struct Invalid: Error { let message: String }

    /// Parses a PEM chain; throws `Invalid` with the message the certificate's error state shows.
    init(pem: String) throws {
        let blocks = LBCertificateChain.pemBlocks(pem)
        guard let leaf = blocks.first(where: { $0.label == "CERTIFICATE" })?.der else {
            throw Invalid(message: "no PEM CERTIFICATE block found in the certificate chain")
        }
        guard blocks.contains(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw Invalid(message: "the certificate chain has no private key")
        }
        do {
            var top = DERReader(leaf)
            var cert = try top.sequence()
            var tbs = try cert.sequence()
            if tbs.peekTag == 0xA0 { _ = try tbs.element() }   // [0] version
            _ = try tbs.element()                            // serial
            _ = try tbs.element()                            // signature algorithm
            _ = try tbs.element()                            // issuer
            var validity = try tbs.sequence()
            notBefore = try LBCertificateChain.time(validity.element())
            notAfter = try LBCertificateChain.time(validity.element())
            let subject = try tbs.element()
            let cn = LBCertificateChain.commonName(subject.content) ?? ""
            commonName = cn
            _ = try tbs.element()                            // subject public key info
            var sans: [String] = []
            while !tbs.atEnd {
                let item = try tbs.element()
                if item.tag == 0xA3 { sans = LBCertificateChain.dnsNames(item.content) }
            }
            alternativeNames = sans.filter { $0 != cn }
        } catch let error as Invalid {
            throw error
        } catch {
            throw Invalid(message: "the certificate is not valid DER X.509")
        }
        fingerprint = LBCertificateChain.sha1(leaf).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: PEM

    static func pemBlocks(_ text: String) -> [(label: String, der: [UInt8])] {
        var out: [(String, [UInt8])] = []
        var label: String?
        var base64 = ""
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst(11).dropLast(5))
                base64 = ""
            } else if line.hasPrefix("-----END "), let current = label {
                if let data = Data(base64Encoded: base64) { out.append((current, Array(data))) }
                label = nil
            } else if label != nil {
                base64 += line
            }
        }
        return out
    }

    // MARK: ASN.1 pieces

    /// UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) → RFC 3339.
    static func time(_ element: DERReader.Element) throws -> String {
        guard let text = String(bytes: element.content, encoding: .ascii), text.hasSuffix("Z") else { throw Invalid(message: "bad validity time") }
        let digits = Array(text.dropLast())
        guard digits.allSatisfy(\.isNumber) else { throw Invalid(message: "bad validity time") }
        let full: [Character]
        switch (element.tag, digits.count) {
        case (0x17, 12): full = Array((Int(String(digits[0..<2]))! < 50 ? "20" : "19")) + digits
        case (0x18, 14): full = digits
        default: throw Invalid(message: "bad validity time")
        }
        let s = String(full)
        func part(_ from: Int, _ length: Int) -> String {
            String(s[s.index(s.startIndex, offsetBy: from)..<s.index(s.startIndex, offsetBy: from + length)])
        }
        return "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))Z"
    }

    /// The CN (2.5.4.3) of a Name.
    static func commonName(_ name: [UInt8]) -> String? {
        var rdns = DERReader(name)
        while !rdns.atEnd, var set = try? rdns.set() {
            while !set.atEnd, var pair = try? set.sequence() {
                guard let oid = try? pair.element(), let value = try? pair.element() else { break }
                if oid.content == [0x55, 0x04, 0x03] { return String(bytes: value.content, encoding: .utf8) }
            }
        }
        return nil
    }

    /// The dNSName entries of the subjectAltName (2.5.29.17) extension, from `[3] Extensions`.
    static func dnsNames(_ explicit: [UInt8]) -> [String] {
        var outer = DERReader(explicit)
        guard var extensions = try? outer.sequence() else { return [] }
        while !extensions.atEnd, var ext = try? extensions.sequence() {
            guard let oid = try? ext.element(), oid.content == [0x55, 0x1D, 0x11] else { continue }
            var value = try? ext.element()
            if value?.tag == 0x01 { value = try? ext.element() }   // critical flag
            guard let octets = value?.content else { return [] }
            var wrapper = DERReader(octets)
            guard var names = try? wrapper.sequence() else { return [] }
            var out: [String] = []
            while !names.atEnd, let name = try? names.element() {
                if name.tag == 0x82, let s = String(bytes: name.content, encoding: .ascii) { out.append(s) }
            }
            return out
        }
        return []
    }

    // MARK: SHA-1

    static func sha1(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for i in (0..<8).reversed() { data.append(UInt8((bitLength >> (UInt64(i) * 8)) & 0xFF)) }
        func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
        for chunk in stride(from: 0, to: data.count, by: 64) {
            var w = [UInt32](repeating: 0, count: 80)
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
            }
            for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62C1D6)
                }
                let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, rotl(b, 30), a, t)
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d; h[4] = h[4] &+ e
        }
        return h.flatMap { v in (0..<4).reversed().map { UInt8((v >> (UInt32($0) * 8)) & 0xFF) } }
    }
}

/// Reads DER tag-length-value elements in order.
struct DERReader {
    struct Element {
        let tag: UInt8
        let content: [UInt8]
    }

    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { offset >= bytes.count }
    var peekTag: UInt8? { atEnd ? nil : bytes[offset] }

    mutating func element() throws -> Element {
        guard offset + 2 <= bytes.count else { throw Malformed() }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        offset += 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 4, offset + count <= bytes.count else { throw Malformed() }
            length = 0
            for _ in 0..<count { length = length << 8 | Int(bytes[offset]); offset += 1 }
        }
        guard length >= 0, offset + length <= bytes.count else { throw Malformed() }
        let content = Array(bytes[offset..<offset + length])
        offset += length
        return Element(tag: tag, content: content)
    }

    mutating func sequence() throws -> DERReader {
        let e = try element()
        guard e.tag == 0x30 else { throw Malformed() }
        return DERReader(e.content)
    }

    mutating func set() throws -> DERReader {
        let e = try element()
        guard e.tag == 0x31 else { throw Malformed() }
        return DERReader(e.content)
    }
}
